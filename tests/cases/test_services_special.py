"""Special procedures (特别程序, 行政许可法 第45条): only the kinds the item declares; the
clock stops from start to end and every deadline is recomputed from the suspensions; the
applicant is told in writing. Hearings (听证, 第47–48条): request within 5 days of being told
of the right (calendar days, 民法典 第203条); hearing within 20 working days of the request;
time and place announced 7 working days before; the chair is not the reviewer; a written
record (笔录).

Hand-worked 2026 dates (start day never counted; the suspension's first and last days both
excluded, as the statutory clock defines it):
- accepted Tue 09-01, expert review Mon 09-07 .. Fri 09-11 (5 working days suspended):
  statutory 20 → 09-02, 09-03, 09-04 (3), [09-07..09-11 suspended], 09-14 .. 09-18 (8),
  Sun 09-20 make-up (9), 09-21 .. 09-24 (13), [09-25..27 holiday], 09-28 .. 09-30 (16),
  [10-01..07 holiday], 10-08 (17), 10-09 (18), Sat 10-10 make-up (19), 10-12 (20);
  promised 10 → 09-02 .. 09-04 (3), 09-14 .. 09-18 (8), Sun 09-20 (9), 09-21 (10)."""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import CaseForbidden, IllegalState
from oneseal.cases.models import CaseDocument, DocumentKind, SpecialProcedureRun

from .helpers import (
    accepted,
    at,
    chain_ok,
    claim,
    day,
    fresh,
    one_event,
    unchanged,
    violates,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    return claim(case, cast["reviewer"], "2026-09-02")


def start(cast, case, *, kind="expert_review", on="2026-09-07", who="reviewer", **kwargs):
    kwargs.setdefault("reason", "技术方案需专家论证。")
    kwargs.setdefault("expected_days", 5)
    return svc.case_special_start(actor=cast[who], case=case, kind=kind, at=at(on), **kwargs)


# --- kinds and the clock (第45条) ---------------------------------------------------------

def test_article_45_only_kinds_the_item_allows(cast, case):
    with unchanged(case), violates("procedure_not_allowed"):
        start(cast, case, kind="testing")


def test_article_45_unknown_kind_refused(cast, case):
    with unchanged(case), violates("invalid_procedure"):
        start(cast, case, kind="lottery")


def test_article_45_item_without_special_procedures(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    with unchanged(case), violates("procedure_not_allowed"):
        start(cast, case, kind="expert_review", who="chief")


def test_article_45_start_needs_reason_and_expected_days(cast, case):
    with unchanged(case), violates("reason_required"):
        start(cast, case, reason="")
    with unchanged(case), violates("invalid_days"):
        start(cast, case, expected_days=0)


def test_article_45_start_stops_the_clock_and_tells_the_applicant(cast, case):
    result = one_event("special_start", svc.case_special_start, case, actor=cast["reviewer"],
                       kind="expert_review", reason="技术方案需专家论证。", expected_days=5,
                       at=at("2026-09-07"))
    assert result.state == "special"
    assert result.clock_paused is True
    run = SpecialProcedureRun.objects.get(case=case)
    assert (run.kind, run.started_on, run.ended_on, run.expected_days) == (
        "expert_review", day("2026-09-07"), None, 5)
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.SPECIAL_NOTICE)
    assert "技术方案需专家论证" in str(doc.context)
    assert chain_ok()


def test_article_45_suspension_shifts_due_dates_by_covered_working_days(cast, case):
    start(cast, case, on="2026-09-07")
    result = one_event("special_end", svc.case_special_end, case, actor=cast["reviewer"],
                       result="专家评审通过。", at=at("2026-09-11"))
    assert result.state == "reviewing"
    assert result.clock_paused is False
    assert result.statutory_due == day("2026-10-12")
    assert result.promised_due == day("2026-09-21")
    run = SpecialProcedureRun.objects.get(case=case)
    assert (run.ended_on, run.result) == (day("2026-09-11"), "专家评审通过。")


def test_article_45_suspension_over_holidays_counts_only_working_days(cast, case):
    """Expert review Wed 09-30 .. Fri 10-09: suspended working days 09-30, 10-08, 10-09
    (the National Day holiday was not counted anyway). Statutory 20 from 09-01: 09-02 ..
    09-29 are 20 working days already (09-29 is the 20th), before the suspension → the
    due date stays 2026-09-29. Promised 10 → 09-15, also before: unchanged."""
    start(cast, case, on="2026-09-30")
    result = svc.case_special_end(actor=cast["reviewer"], case=case, result="完成",
                                  at=at("2026-10-09"))
    assert result.statutory_due == day("2026-09-29")
    assert result.promised_due == day("2026-09-15")


def test_article_45_suspension_inside_the_period_extends_it(cast, case):
    """Expert review Mon 09-14 .. Tue 09-15 (2 working days): statutory 09-29 + 2 working
    days → 09-30, 10-08 → 2026-10-08; promised 09-15 → 10 counted days: 09-02 .. 09-11 (8),
    [09-14, 09-15 suspended], 09-16 (9), 09-17 (10) → 2026-09-17."""
    start(cast, case, on="2026-09-14")
    result = svc.case_special_end(actor=cast["reviewer"], case=case, result="完成",
                                  at=at("2026-09-15"))
    assert result.statutory_due == day("2026-10-08")
    assert result.promised_due == day("2026-09-17")


def test_article_45_no_review_while_suspended(cast, case):
    start(cast, case)
    with unchanged(case), pytest.raises(IllegalState):
        svc.case_complete_step(actor=cast["reviewer"], case=case, opinion="agree",
                               comment="同意", at=at("2026-09-08"))
    with unchanged(case), pytest.raises(IllegalState):
        start(cast, case, on="2026-09-08")


def test_article_45_special_end_only_while_special(cast, case):
    with unchanged(case), pytest.raises(IllegalState):
        svc.case_special_end(actor=cast["reviewer"], case=case, result="完成",
                             at=at("2026-09-08"))


@pytest.mark.parametrize("who", ["clerk", "dept", "supervisor", "applicant"])
def test_article_45_start_roles(cast, case, who):
    with unchanged(case), pytest.raises(CaseForbidden):
        start(cast, case, who=who)


@pytest.mark.parametrize("who", ["chief", "head"])
def test_article_45_chief_and_head_may_start_and_end(cast, case, who):
    start(cast, case, who=who)
    result = svc.case_special_end(actor=cast[who], case=case, result="完成",
                                  at=at("2026-09-11"))
    assert result.state == "reviewing"


# --- hearings (第47–48条) -----------------------------------------------------------------

def hearing(cast, **changes):
    """Told of the right Thu 09-03; request Tue 09-08 = the 5th day after (09-04 .. 09-08,
    民法典 第201条), a working day: in time. Notice of time and place on Wed 09-09 (the
    start); hearing Fri 09-18 = 7th working day after it (09-10, 11, 14 .. 18): in time."""
    data = {"rights_notified_on": day("2026-09-03"), "requested_on": day("2026-09-08"),
            "hearing_on": day("2026-09-18"), "place": "第一听证室",
            "chair_id": cast["chief"].pk}
    data.update(changes)
    return data


def start_hearing(cast, case, on="2026-09-09", **changes):
    return start(cast, case, kind="hearing", on=on, reason="涉及相邻权人重大利益。",
                 expected_days=10, hearing=hearing(cast, **changes))


def test_article_47_hearing_in_time(cast, case):
    result = start_hearing(cast, case)
    assert result.state == "special"
    run = SpecialProcedureRun.objects.get(case=case)
    assert (run.rights_notified_on, run.requested_on, run.hearing_on, run.place,
            run.chair_id) == (day("2026-09-03"), day("2026-09-08"), day("2026-09-18"),
                              "第一听证室", cast["chief"].pk)


def test_article_47_request_after_5_days_refused(cast, case):
    """Request Wed 09-09 = the 6th day after 09-03: too late."""
    with unchanged(case), violates("hearing_request_late"):
        start_hearing(cast, case, requested_on=day("2026-09-09"))


def test_article_48_hearing_less_than_7_working_days_after_notice_refused(cast, case):
    """Hearing Thu 09-17 = 6th working day after the notice of 09-09: too soon."""
    with unchanged(case), violates("hearing_notice_short"):
        start_hearing(cast, case, hearing_on=day("2026-09-17"))


def test_article_47_hearing_on_20th_working_day_after_request(cast, case):
    """Request 09-08; 20 working days: 09-09 .. 09-11 (3), 09-14 .. 09-18 (8), Sun 09-20
    (9), 09-21 .. 09-24 (13), 09-28 .. 09-30 (16), 10-08 (17), 10-09 (18), Sat 10-10 (19),
    Mon 10-12 (20): a hearing on 10-12 is in time."""
    result = start_hearing(cast, case, hearing_on=day("2026-10-12"))
    assert result.state == "special"


def test_article_47_hearing_more_than_20_working_days_after_request_refused(cast, case):
    """Tue 10-13 is the 21st working day after the request of 09-08."""
    with unchanged(case), violates("hearing_too_late"):
        start_hearing(cast, case, hearing_on=day("2026-10-13"))


def test_article_48_chair_may_not_be_the_reviewer(cast, case):
    """The reviewer claimed step 2 (审查) of this case: he may not chair."""
    with unchanged(case), violates("hearing_chair_is_reviewer"):
        start_hearing(cast, case, chair_id=cast["reviewer"].pk)


def test_article_48_chair_may_not_have_completed_a_step(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    claim(case, cast["chief"], "2026-09-02")  # the chief does 审查 this time
    svc.case_complete_step(actor=cast["chief"], case=case, opinion="agree", comment="同意",
                           at=at("2026-09-03"))
    with unchanged(case), violates("hearing_chair_is_reviewer"):
        start_hearing(cast, case, chair_id=cast["chief"].pk)


def test_article_47_hearing_needs_its_particulars(cast, case):
    with unchanged(case), violates("hearing_incomplete"):
        start(cast, case, kind="hearing", on="2026-09-09", hearing=None)
    with unchanged(case), violates("hearing_incomplete"):
        start_hearing(cast, case, place="")


def test_article_48_hearing_end_needs_minutes(cast, case):
    start_hearing(cast, case)
    with unchanged(case), violates("minutes_required"):
        svc.case_special_end(actor=cast["reviewer"], case=case, result="听证结束",
                             minutes="", at=at("2026-09-18"))
    result = svc.case_special_end(actor=cast["reviewer"], case=case, result="听证结束",
                                  minutes="听证笔录：申请人陈述……", at=at("2026-09-18"))
    assert result.state == "reviewing"
    run = SpecialProcedureRun.objects.get(case=case)
    assert run.minutes.startswith("听证笔录")
    assert fresh(case).clock_paused is False
