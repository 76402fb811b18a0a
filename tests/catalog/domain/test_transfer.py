"""The transfer rule (划转), 行政许可法 第25条: from the memo's effective date only the bureau
may accept or decide a transferred item; before it only the department."""

from __future__ import annotations

import datetime as dt

from oneseal.catalog.domain.transfer import Refusal, Transfer, exercising_body, may_exercise

DEPT, BUREAU, OTHER = 10, 1, 99
MEMO = Transfer(from_body=DEPT, to_body=BUREAU, effective_on=dt.date(2019, 3, 31))
DAY_BEFORE, EFFECTIVE, LATER = dt.date(2019, 3, 30), dt.date(2019, 3, 31), dt.date(2026, 1, 5)


def test_article_25_bureau_exercises_from_the_effective_date_inclusive():
    assert may_exercise(BUREAU, BUREAU, MEMO, EFFECTIVE).allowed
    assert may_exercise(BUREAU, BUREAU, MEMO, LATER).allowed


def test_article_25_department_refused_from_the_effective_date():
    decision = may_exercise(DEPT, BUREAU, MEMO, EFFECTIVE)
    assert not decision.allowed
    assert decision.refusal is Refusal.TRANSFERRED
    assert decision.holder == BUREAU


def test_article_25_department_still_exercises_the_day_before():
    assert may_exercise(DEPT, BUREAU, MEMO, DAY_BEFORE).allowed
    assert exercising_body(BUREAU, MEMO, DAY_BEFORE) == DEPT


def test_article_25_bureau_refused_before_the_effective_date():
    decision = may_exercise(BUREAU, BUREAU, MEMO, DAY_BEFORE)
    assert not decision.allowed
    assert decision.refusal is Refusal.NOT_YET_TRANSFERRED
    assert decision.holder == DEPT


def test_article_25_untransferred_item_only_its_implementing_body():
    assert may_exercise(DEPT, DEPT, None, LATER).allowed
    decision = may_exercise(BUREAU, DEPT, None, LATER)
    assert not decision.allowed and decision.refusal is Refusal.NOT_IMPLEMENTING_BODY
    assert may_exercise(OTHER, BUREAU, MEMO, LATER).refusal is Refusal.NOT_IMPLEMENTING_BODY
