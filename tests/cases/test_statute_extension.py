"""Extension of the decision limit (延长办理期限, 行政许可法 第42条), in the case workflow.

Hand-worked dates against the 2026 schedule (chinesecalendar): accepted Tuesday 09-01, the
statutory limit of 20 working days ends Tuesday 09-29 (Sunday 09-20 is a make-up working day;
09-25..09-27 Mid-autumn), and with 10 more working days Monday 10-19 (National Day 10-01..10-07;
Saturday 10-10 a make-up working day).

December 2026 has no holiday: accepted Tuesday 12-01, 20 working days end Tuesday 12-29; ten
more run into 2027, whose official schedule is not known: 12-30, 12-31, [2027-01-01 元旦 by the
provisional rule], 01-04..01-08, 01-11..01-13 → 2027-01-13, provisional (law.md §1).
"""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import CaseDocument, DocumentKind, ExtensionRequest
from oneseal.core.workcalendar.domain import CalendarNotCovered

from .helpers import accepted, at, day, document_text, fresh, unchanged

pytestmark = pytest.mark.django_db


def _request(cast, case, on, days=10):
    return svc.case_extension_request(actor=cast["reviewer"], case=case, days=days,
                                      reason="需补充现场勘验。", at=at(on))


def _notice(case):
    return CaseDocument.objects.get(case=case, kind=DocumentKind.EXTENSION_NOTICE)


@pytest.fixture
def case(cast, catalogue, person):
    return accepted(cast, catalogue.bureau_item, person, on="2026-09-01")


def test_article_42_extension_notice_prints_the_new_due_date(cast, case):
    _request(cast, case, "2026-09-10")
    svc.case_extension_approve(actor=cast["head"], case=case, approve=True, at=at("2026-09-11"))
    text = document_text(_notice(case))
    assert "延长后的办理期限截至2026年10月19日" in text
    assert "2026年9月29日" not in text


def test_article_42_extension_notice_never_prints_a_stale_due_date(cast, case, monkeypatch):
    """When the clock cannot be recomputed, the stored due date is still the old one
    (09-29): the notice must not print it as the extended limit; it gives the limit in
    working days if it can, and no date otherwise."""
    _request(cast, case, "2026-09-10")

    def no_calendar():
        raise CalendarNotCovered(2026)

    monkeypatch.setattr("oneseal.cases.clocks.get_work_calendar", no_calendar)
    monkeypatch.setattr("oneseal.cases.services.frame.get_work_calendar", no_calendar)
    svc.case_extension_approve(actor=cast["head"], case=case, approve=True, at=at("2026-09-11"))
    text = document_text(_notice(case))
    assert "延长10个工作日" in text
    assert "2026年9月29日" not in text and "截至" not in text


def test_article_42_extension_notice_states_a_provisional_limit_in_working_days(
        cast, catalogue, person):
    """Extended into 2027 without an official schedule: the notice gives 20 + 10 = 30 working
    days and the year whose schedule decides, never the provisional date 2027-01-13."""
    case = accepted(cast, catalogue.bureau_item, person, on="2026-12-01")
    assert fresh(case).statutory_due == day("2026-12-29")
    _request(cast, case, "2026-12-21")
    svc.case_extension_approve(actor=cast["head"], case=case, approve=True, at=at("2026-12-28"))
    assert fresh(case).statutory_due == day("2027-01-13")  # supervision uses it (暂定)
    text = document_text(_notice(case))
    assert "2027年1月13日" not in text
    assert "延长后的办理期限为自受理之日起30个工作日" in text
    assert "以国务院办公厅公布的2027年节假日安排为准" in text


def test_article_42_extension_on_the_last_day_of_the_limit_is_allowed(cast, case):
    _request(cast, case, "2026-09-29")
    svc.case_extension_approve(actor=cast["head"], case=case, approve=True, at=at("2026-09-29"))
    assert fresh(case).statutory_due == day("2026-10-19")


def test_article_42_extension_request_refused_after_limit_passed(cast, case):
    """The limit ended on 09-29; on 09-30 there is nothing left to extend."""
    with unchanged(case), pytest.raises(RuleViolation) as refused:
        _request(cast, case, "2026-09-30")
    assert refused.value.code == "extension_after_limit"
    assert "2026-09-29" in refused.value.message
    assert not ExtensionRequest.objects.filter(case=case).exists()


def test_article_42_extension_approval_refused_after_limit_passed(cast, case):
    _request(cast, case, "2026-09-28")
    with unchanged(case), pytest.raises(RuleViolation) as refused:
        svc.case_extension_approve(actor=cast["head"], case=case, approve=True,
                                   at=at("2026-09-30"))
    assert refused.value.code == "extension_after_limit"
    assert ExtensionRequest.objects.get(case=case).status == "pending"
    assert fresh(case).statutory_due == day("2026-09-29")
    assert not CaseDocument.objects.filter(case=case, kind=DocumentKind.EXTENSION_NOTICE)


def test_article_42_rejecting_an_extension_after_the_limit_is_still_possible(cast, case):
    _request(cast, case, "2026-09-28")
    svc.case_extension_approve(actor=cast["head"], case=case, approve=False, note="不同意。",
                               at=at("2026-09-30"))
    assert ExtensionRequest.objects.get(case=case).status == "rejected"
