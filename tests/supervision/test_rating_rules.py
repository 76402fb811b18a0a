"""The pure rating rules (domain/ratings.py), no database: levels and reasons
(国办发〔2019〕51号) and the 5-working-day periods (云政办发〔2020〕6号), with dates worked out by
hand on the 2026 schedule: 09-19 Saturday rest, **Sunday 09-20 a make-up working day**,
09-25..09-27 Mid-autumn, 10-01..10-07 National Day, **Saturday 10-10 a make-up working day**,
10-11 Sunday rest."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.core.workcalendar.package import calendar_from_package
from oneseal.supervision.domain import ratings as rules


@pytest.fixture(scope="module")
def cal():
    return calendar_from_package([2026])


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_yunzhengbanfa_2020_6_last_rating_day_over_national_day_and_makeup_saturday(cal):
    # delivered Wed 09-30; 10-01..10-07 holiday; 10-08 Thu (1), 10-09 Fri (2),
    # Sat 10-10 make-up (3), Sun 10-11 rest, 10-12 Mon (4), 10-13 Tue (5)
    assert rules.last_rating_day(cal, d("2026-09-30")) == d("2026-10-13")
    assert not rules.is_deemed(cal, d("2026-09-30"), d("2026-10-13"))
    assert rules.is_deemed(cal, d("2026-09-30"), d("2026-10-14"))


def test_yunzhengbanfa_2020_6_makeup_sunday_counts_as_a_rating_day(cal):
    # delivered Thu 09-17; 09-18 Fri (1), Sat 09-19 rest, Sun 09-20 make-up (2),
    # 09-21 (3), 09-22 (4), 09-23 Wed (5)
    assert rules.last_rating_day(cal, d("2026-09-17")) == d("2026-09-23")
    assert not rules.is_deemed(cal, d("2026-09-17"), d("2026-09-23"))
    assert rules.is_deemed(cal, d("2026-09-17"), d("2026-09-24"))


def test_guobanfa_2019_51_follow_up_due_five_working_days_after_bad_rating(cal):
    # rated Fri 09-18: Sun 09-20 make-up (1), 09-21 (2), 09-22 (3), 09-23 (4), 09-24 Thu (5)
    assert rules.follow_up_due(cal, d("2026-09-18")) == d("2026-09-24")
    # rated Thu 09-24: 09-25..27 Mid-autumn; 09-28 (1), 09-29 (2), 09-30 (3),
    # National Day; 10-08 (4), 10-09 (5)
    assert rules.follow_up_due(cal, d("2026-09-24")) == d("2026-10-09")


def test_guobanfa_2019_51_five_levels_last_two_are_bad():
    assert [level.value for level in rules.Level] == [
        "very_satisfied", "satisfied", "basic", "dissatisfied", "very_dissatisfied"]
    assert [rules.LEVEL_LABELS[level] for level in rules.Level] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert {level for level in rules.Level if rules.is_bad(level)} == {
        rules.Level.DISSATISFIED, rules.Level.VERY_DISSATISFIED}
    assert rules.DEEMED_LEVEL == rules.Level.BASIC


def test_guobanfa_2019_51_reasons_kept_known_once_in_form_order():
    level, reasons, text = rules.clean_rating("satisfied", ["one_visit", "fast", "fast"],
                                              "  很好  ")
    assert (level, reasons, text) == (rules.Level.SATISFIED, ["fast", "one_visit"], "很好")


@pytest.mark.parametrize(("level", "reasons", "text", "code"), [
    ("excellent", [], "", "invalid_level"),
    ("satisfied", ["bribe"], "", "invalid_reason"),
    ("satisfied", [], "字" * 501, "text_too_long"),
    ("dissatisfied", [], "   ", "bad_rating_needs_reason"),
])
def test_guobanfa_2019_51_invalid_rating_names_its_rule(level, reasons, text, code):
    with pytest.raises(rules.RatingInvalid) as info:
        rules.clean_rating(level, reasons, text)
    assert info.value.code == code
