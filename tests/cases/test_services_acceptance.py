"""Acceptance (受理, 行政许可法 第32条): material check, the one-time correction notice
(一次性告知), corrections, acceptance, refusal (不予受理) with the competent agency, and the
late-notice rule (逾期不告知的，自收到申请材料之日起即为受理).

Dates are worked by hand against the 2026 schedule (see helpers.py)."""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import CaseForbidden, IllegalState
from oneseal.cases.models import (
    CaseDocument,
    CaseStep,
    CorrectionNoticeRecord,
    DocumentKind,
)

from .helpers import (
    at,
    chain_ok,
    check,
    day,
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


# --- material check ----------------------------------------------------------------------

def test_check_materials_records_status_and_reason(cast, case):
    one_event("check_materials", check, case, clerk=cast["clerk"],
              defective={"场所平面图": "未标注比例尺"})
    plan = material(case, "场所平面图")
    assert (plan.status, plan.reason) == ("defective", "未标注比例尺")
    assert plan.checked_by_id == cast["clerk"].pk
    assert material(case, "申请表").status == "ok"
    assert material(case, "营业执照").status == "shared"
    assert material(case, "授权委托书").status == "not_needed"


def test_check_materials_defective_needs_reason(cast, case):
    m = material(case, "申请表")
    with unchanged(case), violates("invalid_check") as refusal:
        svc.case_check_materials(actor=cast["clerk"], case=case, results=[
            {"material": m.pk, "status": "defective", "reason": ""}], at=at("2026-09-01"))
    assert "补正原因" in refusal.value.message
    assert material(case, "申请表").status == "pending"


def test_article_32_required_material_cannot_be_marked_not_needed(cast, case):
    m = material(case, "场所平面图")
    with unchanged(case), violates("invalid_check") as refusal:
        svc.case_check_materials(actor=cast["clerk"], case=case, results=[
            {"material": m.pk, "status": "not_needed", "reason": ""}], at=at("2026-09-01"))
    assert "必要材料" in refusal.value.message
    assert material(case, "场所平面图").status == "pending"


def test_only_shareable_material_may_be_shared(cast, case):
    m = material(case, "申请表")
    with unchanged(case), violates("invalid_check") as refusal:
        svc.case_check_materials(actor=cast["clerk"], case=case, results=[
            {"material": m.pk, "status": "shared", "reason": ""}], at=at("2026-09-01"))
    assert "共享" in refusal.value.message


def test_check_materials_foreign_material_refused(cast, catalogue, person, case):
    other = submit(cast, catalogue.bureau_item, person)
    foreign = material(other, "申请表")
    with unchanged(case), violates("invalid_check") as refusal:
        svc.case_check_materials(actor=cast["clerk"], case=case, results=[
            {"material": foreign.pk, "status": "ok", "reason": ""}], at=at("2026-09-01"))
    assert "不属于该办件" in refusal.value.message
    assert material(other, "申请表").status == "pending"


# --- accept ----------------------------------------------------------------------------

def test_article_32_accept_requires_every_required_material_ok(cast, case):
    with unchanged(case), violates("materials_not_ready"):  # nothing checked yet
        svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
    check(case, cast["clerk"], defective={"申请表": "未签字"})
    with unchanged(case), violates("materials_not_ready"):  # one defective
        svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))


def test_article_32_accept_ok_and_shared_materials(cast, case):
    check(case, cast["clerk"])
    result = one_event("accept", svc.case_accept, case, actor=cast["clerk"],
                       at=at("2026-09-01"))
    assert result.state == "reviewing"
    assert result.accepted_on == day("2026-09-01")
    assert result.deemed_accepted is False
    steps = list(CaseStep.objects.filter(case=case).order_by("order"))
    assert [s.state for s in steps] == ["done", "open", "waiting", "waiting"]
    assert steps[1].opened_on == day("2026-09-01")
    assert CaseDocument.objects.filter(case=case, kind=DocumentKind.ACCEPTANCE_NOTICE).exists()
    assert chain_ok()


def test_article_32_accept_twice_is_illegal(cast, case):
    check(case, cast["clerk"])
    svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
    with unchanged(case), pytest.raises(IllegalState) as exc:
        svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    assert "审查中" in exc.value.message


# --- refuse (不予受理) -----------------------------------------------------------------------

def test_article_32_refuse_with_reason_and_competent_agency(cast, case):
    result = one_event("refuse", svc.case_refuse, case, actor=cast["clerk"],
                       reason="不属于本机关职权范围。", competent_agency="昆明市生态环境局",
                       at=at("2026-09-01"))
    assert result.state == "not_accepted"
    assert result.competent_agency == "昆明市生态环境局"
    assert result.accepted_on is None
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.REFUSAL_NOTICE)
    assert "昆明市生态环境局" in str(doc.context)
    assert chain_ok()


def test_article_32_refuse_needs_reason(cast, case):
    with unchanged(case), violates("reason_required"):
        svc.case_refuse(actor=cast["clerk"], case=case, reason="  ", at=at("2026-09-01"))


# --- correction notice (一次性告知) --------------------------------------------------------

def test_article_32_notice_lists_every_defective_material_at_once(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字", "场所平面图": "未标注比例尺"})
    result = one_event("correction_notice", svc.case_correction_notice, case,
                       actor=cast["clerk"], at=at("2026-09-02"))
    assert result.state == "correcting"
    notice = CorrectionNoticeRecord.objects.get(case=case)
    assert notice.number == 1
    assert notice.issued_on == day("2026-09-02")
    assert notice.late is False
    assert sorted((d["name"], d["reason"]) for d in notice.defects) == [
        ("场所平面图", "未标注比例尺"), ("申请表", "未签字")]
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.CORRECTION_NOTICE)
    assert "申请表" in str(doc.context) and "场所平面图" in str(doc.context)
    assert chain_ok()


def test_article_32_notice_without_defects_refused(cast, case):
    check(case, cast["clerk"])
    with unchanged(case), violates("no_defects"):
        svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))


def test_article_32_corrections_bring_case_back_to_received(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字"})
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    with unchanged(case), pytest.raises(IllegalState):
        svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    result = one_event("corrections", svc.case_receive_corrections, case,
                       actor=cast["clerk"], at=at("2026-09-04"))
    assert result.state == "received"
    assert CorrectionNoticeRecord.objects.get(case=case).corrected_on == day("2026-09-04")


def test_article_32_accept_after_corrections(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字"})
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    svc.case_receive_corrections(actor=cast["clerk"], case=case, at=at("2026-09-04"))
    check(case, cast["clerk"])
    result = svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-07"))
    assert result.state == "reviewing"
    assert result.accepted_on == day("2026-09-07")
    assert result.deemed_accepted is False
    # 20 working days from Mon 09-07 (not counted): 09-08 .. 09-11 (4), 09-14 .. 09-18 (9),
    # Sun 09-20 make-up (10), 09-21 .. 09-24 (14), [09-25..27 Mid-autumn], 09-28 .. 09-30
    # (17), [10-01..07 National Day], 10-08 (18), 10-09 (19), Sat 10-10 make-up (20).
    assert result.statutory_due == day("2026-10-10")


def test_article_32_second_notice_for_new_defect_refused(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字"})
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    svc.case_receive_corrections(actor=cast["clerk"], case=case, at=at("2026-09-04"))
    check(case, cast["clerk"], defective={"场所平面图": "未标注比例尺"})
    with unchanged(case), violates("one_time_notice"):
        svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-04"))
    assert CorrectionNoticeRecord.objects.filter(case=case).count() == 1


def test_article_32_second_notice_with_new_and_old_defects_refused(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字"})
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    svc.case_receive_corrections(actor=cast["clerk"], case=case, at=at("2026-09-04"))
    check(case, cast["clerk"], defective={"申请表": "仍未签字", "场所平面图": "未标注比例尺"})
    with unchanged(case), violates("one_time_notice"):
        svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-04"))


def test_article_32_second_notice_only_for_listed_defects_allowed(cast, case):
    check(case, cast["clerk"], defective={"申请表": "未签字", "场所平面图": "未标注比例尺"})
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    svc.case_receive_corrections(actor=cast["clerk"], case=case, at=at("2026-09-04"))
    check(case, cast["clerk"], defective={"申请表": "签字与身份证不符"})
    result = svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-07"))
    assert result.state == "correcting"
    second = CorrectionNoticeRecord.objects.get(case=case, number=2)
    assert [d["name"] for d in second.defects] == ["申请表"]


# --- the late-notice rule ---------------------------------------------------------------------

def _late_case(cast, catalogue, person):
    """Received Mon 2026-09-28. Correction deadline (5 working days, start not counted):
    09-29 (1), 09-30 (2), [10-01..10-07 National Day holiday], 10-08 (3), 10-09 (4),
    Sat 10-10 make-up working day (5) → 2026-10-10."""
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-28")
    check(case, cast["clerk"], defective={"申请表": "未签字"})
    return case


def test_article_32_notice_exactly_on_day_5_not_late(cast, catalogue, person):
    """Notice on Sat 2026-10-10, the 5th working day (a make-up day): in time."""
    case = _late_case(cast, catalogue, person)
    assert case.correction_due == day("2026-10-10")
    result = svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-10-10"))
    assert result.accepted_on is None
    assert result.deemed_accepted is False
    assert CorrectionNoticeRecord.objects.get(case=case).late is False


def test_article_32_late_notice_counts_as_accepted_on_receipt(cast, catalogue, person):
    """Notice on Mon 2026-10-12, the 6th working day: late, so the application counts as
    accepted from 2026-09-28, the day the materials arrived."""
    case = _late_case(cast, catalogue, person)
    result = svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-10-12"))
    assert result.state == "correcting"
    assert result.accepted_on == day("2026-09-28")
    assert result.deemed_accepted is True
    assert CorrectionNoticeRecord.objects.get(case=case).late is True


def test_article_32_late_notice_decision_clock_runs_from_receipt(cast, catalogue, person):
    """After the late notice, corrections and acceptance on 10-14, the accepted day stays
    2026-09-28. 20 working days from 09-28: 09-29, 09-30 (2), [National Day], 10-08,
    10-09, Sat 10-10 (5), 10-12 .. 10-16 (10), 10-19 .. 10-23 (15), 10-26 .. 10-30 (20)
    → 2026-10-30."""
    case = _late_case(cast, catalogue, person)
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-10-12"))
    svc.case_receive_corrections(actor=cast["clerk"], case=case, at=at("2026-10-13"))
    check(case, cast["clerk"])
    result = svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-10-14"))
    assert result.accepted_on == day("2026-09-28")
    assert result.deemed_accepted is True
    assert result.statutory_due == day("2026-10-30")


# --- roles -----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["reviewer", "head", "supervisor"])
def test_only_the_clerk_accepts(cast, case, who):
    check(case, cast["clerk"])
    with unchanged(case), pytest.raises(CaseForbidden):
        svc.case_accept(actor=cast[who], case=case, at=at("2026-09-01"))
    assert fresh(case).state == "received"
