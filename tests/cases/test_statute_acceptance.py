"""Acceptance (受理, 行政许可法 第32条) in the case workflow: deemed acceptance when nothing is
told within 5 working days, the 5 working days again after corrections, the wording of a late
correction notice, no 不予受理 once the application counts as accepted, and 当场更正.

Hand-worked dates against the 2026 schedule (chinesecalendar):
- received Tuesday 09-01: its 5 working days are 09-02, 09-03, 09-04, 09-07, 09-08;
- corrections received Friday 09-18: Sunday 09-20 (make-up working day), 09-21, 09-22, 09-23,
  09-24 (09-25..09-27 Mid-autumn);
- 20 working days from 09-01 end Tuesday 09-29; from 09-18, Thursday 10-22 (09-20, 09-21..24
  (5), 09-28..30 (8), [National Day 10-01..07], 10-08, 10-09, Saturday 10-10 make-up (11),
  10-12..16 (16), 10-19..22 (20)).
"""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import IllegalState
from oneseal.cases.models import CaseDocument, CheckStatus, CorrectionNoticeRecord, SpotCorrection

from .helpers import (
    accepted,
    at,
    chain_ok,
    check,
    day,
    document_text,
    fresh,
    material,
    one_event,
    submit,
    unchanged,
    violates,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast, catalogue, person):
    return submit(cast, catalogue.bureau_item, person, on="2026-09-01")


def _notice_text(case, number=1):
    record = CaseDocument.objects.filter(case=case, kind="correction_notice").order_by("id")
    return document_text(list(record)[number - 1])


def _corrected_on_0918(cast, case):
    """A notice in time (09-02), the complete corrections on Friday 09-18."""
    check(case, cast["clerk"], defective={"申请表": "未签字"}, on="2026-09-01")
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    svc.case_receive_corrections(actor=cast["clerk"], case=case, at=at("2026-09-18"))


# --- (a) acceptance after the 5th working day without notice ----------------------------------

def test_article_32_acceptance_on_the_5th_working_day_is_not_deemed(cast, case):
    check(case, cast["clerk"], on="2026-09-08")
    result = svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-08"))
    assert (result.accepted_on, result.deemed_accepted) == (day("2026-09-08"), False)


def test_article_32_acceptance_without_notice_after_5th_working_day_counts_from_receipt(
        cast, case):
    """Accepted Wednesday 09-09, the 6th working day, with no notice before: the application
    counts as accepted from 09-01, and the 20 working days end on 09-29."""
    check(case, cast["clerk"], on="2026-09-09")
    result = svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-09"))
    assert (result.accepted_on, result.deemed_accepted) == (day("2026-09-01"), True)
    assert result.statutory_due == day("2026-09-29")
    notice = CaseDocument.objects.get(case=case, kind="acceptance_notice")
    assert "自收到申请材料之日（2026年9月1日）起即为受理" in document_text(notice)


# --- (b) the 5 working days again after corrections ------------------------------------------

def test_article_32_acceptance_within_5_working_days_of_the_corrections(cast, case):
    _corrected_on_0918(cast, case)
    check(case, cast["clerk"], on="2026-09-24")
    result = svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-24"))
    assert (result.accepted_on, result.deemed_accepted) == (day("2026-09-24"), False)


def test_article_32_late_acceptance_after_corrections_counts_from_the_corrections(cast, case):
    """Corrections on 09-18, acceptance on Monday 09-28 (after 09-24): accepted from 09-18."""
    _corrected_on_0918(cast, case)
    assert fresh(case).correction_due == day("2026-09-24")  # the clock ran again
    check(case, cast["clerk"], on="2026-09-28")
    result = svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-28"))
    assert (result.accepted_on, result.deemed_accepted) == (day("2026-09-18"), True)
    assert result.statutory_due == day("2026-10-22")


def test_article_32_late_repeated_notice_after_corrections_counts_from_the_corrections(
        cast, case):
    _corrected_on_0918(cast, case)
    check(case, cast["clerk"], defective={"申请表": "仍未签字"}, on="2026-09-28")
    result = svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-28"))
    assert (result.accepted_on, result.deemed_accepted) == (day("2026-09-18"), True)
    assert CorrectionNoticeRecord.objects.get(case=case, number=2).late is True
    assert "自2026年9月18日起即为受理" in _notice_text(case, 2)


# --- (c) the late notice says: already accepted ------------------------------------------------

def test_article_32_late_correction_notice_says_already_accepted_by_law(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字"}, on="2026-09-09")
    result = svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-09"))
    text = _notice_text(case)
    assert "的申请自2026年9月1日起即为受理" in text
    assert "将依法予以受理" not in text
    # the decision clock runs on while the applicant corrects: due 09-29, not paused
    assert result.state == "correcting"
    assert (result.statutory_due, result.clock_paused) == (day("2026-09-29"), False)


def test_article_32_late_correction_notice_keeps_the_case_light_running(cast, case):
    from oneseal.cases.clocks import case_light

    check(case, cast["clerk"], defective={"申请表": "未签字"}, on="2026-09-09")
    late = svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-09"))
    assert late.deemed_accepted and late.state == "correcting"
    # promised 10 working days from the receipt (2026-09-01) → 09-15: green on 09-09,
    # yellow on 09-14 and 09-15, red after; never "paused" while the applicant corrects.
    assert case_light(late, day("2026-09-09")) == "green"
    assert case_light(late, day("2026-09-15")) == "yellow"
    assert case_light(late, day("2026-09-16")) == "red"


def test_article_32_correction_notice_in_time_pauses_the_case_light(cast, case):
    from oneseal.cases.clocks import case_light

    check(case, cast["clerk"], defective={"申请表": "未签字"}, on="2026-09-02")
    timely = svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    assert not timely.deemed_accepted
    assert case_light(timely, day("2026-09-30")) == "paused"


def test_article_32_correction_notice_in_time_says_will_be_accepted(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字"}, on="2026-09-08")
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-08"))
    text = _notice_text(case)
    assert "将依法予以受理" in text and "即为受理" not in text


# --- (d) no 不予受理 once accepted by law ------------------------------------------------------

def _refuse(cast, case, on):
    return svc.case_refuse(actor=cast["clerk"], case=case, reason="不属于本机关职权。",
                           competent_agency="市生态环境局", at=at(on))


def test_article_32_refusal_on_the_5th_working_day_allowed(cast, case):
    assert _refuse(cast, case, "2026-09-08").state == "not_accepted"


def test_article_32_refusal_refused_once_5_working_days_passed_without_notice(cast, case):
    with unchanged(case), violates("already_accepted_by_law") as refused:
        _refuse(cast, case, "2026-09-09")
    assert "2026-09-01" in refused.value.message and "第三十八条" in refused.value.message


def test_article_32_refusal_refused_after_a_late_notice_and_corrections(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字"}, on="2026-09-09")
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-09"))
    svc.case_receive_corrections(actor=cast["clerk"], case=case, at=at("2026-09-10"))
    assert fresh(case).state == "received"
    with unchanged(case), violates("already_accepted_by_law"):
        _refuse(cast, case, "2026-09-10")


def test_article_32_refusal_within_5_working_days_of_the_corrections_allowed(cast, case):
    _corrected_on_0918(cast, case)
    assert _refuse(cast, case, "2026-09-24").state == "not_accepted"


# --- (e) 当场更正 --------------------------------------------------------------------------------

def test_article_32_spot_correction_is_recorded(cast, case):
    form = material(case, "申请表")
    check(case, cast["clerk"], defective={"申请表": "申请日期笔误"}, on="2026-09-01")
    result = one_event("spot_correction", svc.case_spot_correction, case, actor=cast["clerk"],
                       items=[{"material": form.pk, "what": "申请日期由2026-09-31改为2026-09-01"}],
                       at=at("2026-09-01"))
    assert result.state == "received"
    record = SpotCorrection.objects.get(case=case)
    assert (record.corrected_on, record.recorded_by_id) == (day("2026-09-01"), cast["clerk"].pk)
    assert record.items == [{"material": form.pk, "name": "申请表",
                             "what": "申请日期由2026-09-31改为2026-09-01"}]
    form.refresh_from_db()
    assert (form.status, form.reason) == (CheckStatus.OK, "")
    event = result.events.order_by("-seq").first()
    assert event.data["items"][0]["what"].startswith("申请日期")
    # no correction notice: the application is then accepted the same day
    accepted_case = svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
    assert (accepted_case.accepted_on, accepted_case.deemed_accepted) == (
        day("2026-09-01"), False)
    assert chain_ok()


@pytest.mark.parametrize("items", [[], [{"material": 999999, "what": "笔误"}],
                                   [{"material": "form", "what": "  "}]])
def test_article_32_spot_correction_needs_material_and_what(cast, case, items):
    items = [dict(i, material=material(case, "申请表").pk) if i["material"] == "form" else i
             for i in items]
    with unchanged(case), violates("invalid_spot_correction"):
        svc.case_spot_correction(actor=cast["clerk"], case=case, items=items,
                                 at=at("2026-09-01"))
    assert not SpotCorrection.objects.filter(case=case).exists()


def test_article_32_spot_correction_only_before_acceptance(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    with unchanged(case), pytest.raises(IllegalState) as refused:
        svc.case_spot_correction(actor=cast["clerk"], case=case, at=at("2026-09-01"),
                                 items=[{"material": material(case, "申请表").pk,
                                         "what": "笔误"}])
    assert refused.value.code == "illegal_transition"
