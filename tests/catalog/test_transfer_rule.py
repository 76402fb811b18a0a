"""may_exercise on both sides of a transfer's effective date (行政许可法 第25条), and the
Chinese refusal later issues show to a department officer."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.catalog import services
from oneseal.catalog.exceptions import CatalogValidationError, NotCompetentError
from oneseal.catalog.models import TransferMemo
from oneseal.catalog.selectors import ensure_may_exercise, may_exercise, refusal_message
from oneseal.core.models import AuditEvent

from .helpers import build_draft

EFFECTIVE = dt.date(2019, 3, 31)
BEFORE = dt.date(2019, 3, 30)


@pytest.fixture
def transferred(org):
    draft = build_draft(None, org["bureau"], org["dept-env"], name="建设项目环评审批（测试）")
    services.memo_save(actor=None, item=draft.item, from_department=org["dept-env"],
                       to_unit=org["bureau"], effective_on=EFFECTIVE,
                       approval_duty="行政审批局受理、决定。", supervision_duty="环保局事后监管。",
                       signatories=[{"name": "陈志明", "unit": "行政审批局", "title": "局长"}])
    return draft.item


def test_article_25_bureau_may_exercise_from_the_effective_date(org, transferred):
    assert may_exercise(org["bureau"], transferred, on=EFFECTIVE)
    assert may_exercise(org["bureau-review-1"], transferred, on=EFFECTIVE)  # a section
    assert refusal_message(org["bureau"], transferred, on=EFFECTIVE) is None


def test_article_25_department_refused_from_the_effective_date(org, transferred):
    assert not may_exercise(org["dept-env"], transferred, on=EFFECTIVE)
    with pytest.raises(NotCompetentError) as exc:
        ensure_may_exercise(org["dept-env"], transferred, on=dt.date(2026, 11, 27))
    assert exc.value.message == (
        "“建设项目环评审批（测试）”已于 2019年3月31日 划转至昆明市西山区行政审批局，"
        "西山区环境保护局不再行使该项许可权（《中华人民共和国行政许可法》第二十五条），"
        "请由昆明市西山区行政审批局受理、决定。")


def test_article_25_department_may_exercise_the_day_before(org, transferred):
    assert may_exercise(org["dept-env"], transferred, on=BEFORE)


def test_article_25_bureau_refused_the_day_before(org, transferred):
    assert not may_exercise(org["bureau"], transferred, on=BEFORE)
    assert "自 2019年3月31日 起生效" in refusal_message(org["bureau"], transferred, on=BEFORE)


def test_article_25_other_departments_never_exercise(org, transferred):
    for day in (BEFORE, EFFECTIVE):
        assert not may_exercise(org["dept-water"], transferred, on=day)


def test_article_25_untransferred_item_stays_with_its_department(org):
    item = build_draft(None, org["dept-market"]).item
    assert may_exercise(org["dept-market"], item, on=EFFECTIVE)
    assert not may_exercise(org["bureau"], item, on=EFFECTIVE)


def test_article_25_memo_must_hand_the_item_to_its_implementing_body(org):
    item = build_draft(None, org["dept-env"]).item  # implemented by the department itself
    events = AuditEvent.objects.count()
    with pytest.raises(CatalogValidationError, match="实施主体必须是行政审批局"):
        services.memo_save(actor=None, item=item, from_department=org["dept-water"],
                           to_unit=org["bureau"], effective_on=EFFECTIVE,
                           approval_duty="a", supervision_duty="b")
    assert not TransferMemo.objects.exists()
    assert AuditEvent.objects.count() == events


def test_memo_changes_are_audited(org, transferred):
    event = AuditEvent.objects.filter(kind="catalog.memo.create").get()
    assert event.subject == f"item:{transferred.pk}"
    assert event.payload["effective_on"] == "2019-03-31"
