"""The permission matrix of the case services: every operation × every member of the cast.

Expected, from the cases spec: the bureau's staff (clerk, reviewer, chief, head, supervisor,
helper) see every case; the department officer sees his department's cases (both test items
have the environment department as competent department); the applicant sees his own case;
everyone else (the company agent for another applicant, the catalogue administrator, the
system administrator, the outsider) gets "not found", never "forbidden". Of those who see
the case, only the roles the spec names may act; the others get CaseForbidden. A refused
call changes nothing, and `permissions.may()` agrees with the service."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from oneseal.cases import services as svc
from oneseal.cases.domain import Operation
from oneseal.cases.errors import CaseForbidden, CaseNotFound
from oneseal.cases.permissions import may

from ..conftest import CAST
from .helpers import (
    VALID_ID,
    accepted,
    at,
    bureau_to_final,
    chain_ok,
    check,
    claim,
    decided,
    fresh,
    material,
    submit,
    unchanged,
)

pytestmark = pytest.mark.django_db

O = Operation  # noqa: E741
NOT_VISIBLE = {"company", "catalog_admin", "sysadmin", "outsider"}
SPECIAL = {"reviewer", "chief", "head"}

# Who may do each operation (the rest of those who see the case get CaseForbidden).
ALLOWED: dict[Operation, set[str]] = {
    O.CHECK_MATERIALS: {"clerk"},
    O.ATTACH_FILE: {"clerk", "applicant"},
    O.ACCEPT: {"clerk"},
    O.REFUSE: {"clerk"},
    O.CORRECTION_NOTICE: {"clerk"},
    O.CORRECTIONS: {"clerk", "applicant"},  # the applicant corrects online too
    O.DECIDE_ON_SPOT: {"clerk"},  # the cast clerk holds the authorisation for the item
    O.CLAIM: {"reviewer", "chief"},  # the open step is 审查 (reviewer); the chief is one too
    O.COMPLETE_STEP: {"reviewer"},  # the reviewer claimed it
    O.SPECIAL_START: SPECIAL,
    O.SPECIAL_END: SPECIAL,
    O.EXTENSION_REQUEST: SPECIAL,
    O.EXTENSION_APPROVE: {"head"},
    O.DECIDE: {"head"},  # the head claimed the final step 批准
    O.DELIVER: {"clerk"},
    O.SEAL: set(),  # a system operation: the signing pipeline, never a person
    O.WITHDRAW: {"applicant", "clerk"},
    O.TERMINATE: {"chief", "head"},
    O.REOPEN: {"head"},
    O.SPOT_CORRECTION: {"clerk"},  # 当场更正 at the window (第32条)
    O.MARK_JOINT: {"chief", "head"},  # the bureau decides on joint handling (第26条)
    O.EXTENSION_GOVERNMENT: {"chief", "head"},  # the bureau enters the government's approval
    O.HEARING_NOTICE: SPECIAL,  # 告知听证权利 (第47条), like a special procedure
}


def _pdf() -> bytes:
    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, "application form")
    page.showPage()
    page.save()
    return buf.getvalue()


Setup = Callable[[dict, Any, Any], tuple[Any, dict[str, Any]]]


def _received(cast, catalogue, person):
    return submit(cast, catalogue.bureau_item, person)


def s_check(cast, catalogue, person):
    case = _received(cast, catalogue, person)
    m = material(case, "申请表")
    return case, {"results": [{"material": m.pk, "status": "ok", "reason": ""}],
                  "at": at("2026-09-01")}


def s_attach(cast, catalogue, person):
    case = _received(cast, catalogue, person)
    upload = SimpleUploadedFile("申请表.pdf", _pdf(), content_type="application/pdf")
    return case, {"material_id": material(case, "申请表").pk, "upload": upload,
                  "at": at("2026-09-01")}


def s_accept(cast, catalogue, person):
    case = _received(cast, catalogue, person)
    check(case, cast["clerk"])
    return case, {"at": at("2026-09-01")}


def s_refuse(cast, catalogue, person):
    return _received(cast, catalogue, person), {
        "reason": "不属于本机关职权。", "competent_agency": "市局", "at": at("2026-09-01")}


def s_notice(cast, catalogue, person):
    case = _received(cast, catalogue, person)
    check(case, cast["clerk"], defective={"申请表": "未签字"})
    return case, {"at": at("2026-09-02")}


def s_corrections(cast, catalogue, person):
    case, kwargs = s_notice(cast, catalogue, person)
    svc.case_correction_notice(actor=cast["clerk"], case=case, **kwargs)
    return case, {"at": at("2026-09-03")}


def s_on_spot(cast, catalogue, person):
    svc.grant_on_spot_authorisation(actor=cast["head"], user=cast["clerk"],
                                    item=catalogue.on_spot_item)
    case = submit(cast, catalogue.on_spot_item, person)
    check(case, cast["clerk"])
    return case, {"outcome": "granted", "at": at("2026-09-01")}


def _reviewing(cast, catalogue, person):
    return accepted(cast, catalogue.bureau_item, person, on="2026-09-01")


def s_claim(cast, catalogue, person):
    return _reviewing(cast, catalogue, person), {"at": at("2026-09-02")}


def _claimed(cast, catalogue, person):
    return claim(_reviewing(cast, catalogue, person), cast["reviewer"], "2026-09-02")


def s_complete(cast, catalogue, person):
    return _claimed(cast, catalogue, person), {"opinion": "agree", "comment": "同意",
                                              "at": at("2026-09-03")}


def s_special_start(cast, catalogue, person):
    return _claimed(cast, catalogue, person), {
        "kind": "expert_review", "reason": "专家论证", "expected_days": 3,
        "at": at("2026-09-03")}


def s_special_end(cast, catalogue, person):
    case, kwargs = s_special_start(cast, catalogue, person)
    svc.case_special_start(actor=cast["reviewer"], case=case, **kwargs)
    return case, {"result": "论证通过", "at": at("2026-09-07")}


def s_ext_request(cast, catalogue, person):
    return _claimed(cast, catalogue, person), {"days": 5, "reason": "需补充勘验",
                                              "at": at("2026-09-03")}


def s_ext_approve(cast, catalogue, person):
    case, kwargs = s_ext_request(cast, catalogue, person)
    svc.case_extension_request(actor=cast["reviewer"], case=case, **kwargs)
    return case, {"approve": True, "note": "同意", "at": at("2026-09-04")}


def s_decide(cast, catalogue, person):
    case = bureau_to_final(cast, _reviewing(cast, catalogue, person))
    return case, {"outcome": "granted", "reasons": "符合条件", "at": at("2026-09-07")}


def s_deliver(cast, catalogue, person):
    """A decided case marked sealed by the pipeline's system operation (the signing itself
    is tested in tests/licences/test_signing.py)."""
    case = svc.case_mark_ready(case=decided(cast, catalogue, person), at=at("2026-09-07", 15))
    return case, {
        "method": "pickup", "collector_name": "张三", "collector_id_number": VALID_ID,
        "at": at("2026-09-08")}


def s_seal(cast, catalogue, person):
    return decided(cast, catalogue, person), {"at": at("2026-09-08")}


def _seal_as_person(*, actor, case, **kwargs):
    """What a person asking for 签章完成 gets: the service has no actor (the pipeline runs
    it), so the person-facing check is `may`, refused for everyone (see permissions)."""
    from oneseal.cases.errors import CaseForbidden, CaseNotFound
    from oneseal.cases.permissions import can_see

    row = fresh(case)
    if not can_see(actor, row):
        raise CaseNotFound()
    if not may(actor, O.SEAL, row):
        raise CaseForbidden("")
    return svc.case_mark_ready(case=case, **kwargs)


def s_withdraw(cast, catalogue, person):
    return _received(cast, catalogue, person), {"reason": "申请人撤回", "at": at("2026-09-02")}


def s_terminate(cast, catalogue, person):
    return _reviewing(cast, catalogue, person), {"reason": "终止办理", "at": at("2026-09-02")}


def s_reopen(cast, catalogue, person):
    case = _received(cast, catalogue, person)
    svc.case_withdraw(actor=cast["applicant"], case=case, reason="撤回", at=at("2026-09-01"))
    return case, {"reason": "恢复办理", "at": at("2026-09-02")}


def s_spot_correction(cast, catalogue, person):
    case = _received(cast, catalogue, person)
    return case, {"items": [{"material": material(case, "申请表").pk, "what": "笔误已更正"}],
                  "at": at("2026-09-01")}


def s_mark_joint(cast, catalogue, person):
    return _reviewing(cast, catalogue, person), {"kind": "joint", "reason": "联合办理",
                                                "at": at("2026-09-02")}


def s_ext_government(cast, catalogue, person):
    case = _reviewing(cast, catalogue, person)
    svc.case_mark_joint(actor=cast["chief"], case=case, kind="joint", reason="联合办理",
                        at=at("2026-09-02"))
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=15, reason="需会商",
                               at=at("2026-09-03"))
    return case, {"approver": "王副区长", "document_number": "西府复〔2026〕1号",
                  "approved_on": at("2026-09-04").date(), "at": at("2026-09-04")}


def s_hearing_notice(cast, catalogue, person):
    return _reviewing(cast, catalogue, person), {"reason": "涉及相邻权", "parties": ["李四"],
                                                "at": at("2026-09-02")}


SETUPS: dict[Operation, tuple[Setup, Callable[..., Any]]] = {
    O.CHECK_MATERIALS: (s_check, svc.case_check_materials),
    O.ATTACH_FILE: (s_attach, svc.case_attach_file),
    O.ACCEPT: (s_accept, svc.case_accept),
    O.REFUSE: (s_refuse, svc.case_refuse),
    O.CORRECTION_NOTICE: (s_notice, svc.case_correction_notice),
    O.CORRECTIONS: (s_corrections, svc.case_receive_corrections),
    O.DECIDE_ON_SPOT: (s_on_spot, svc.case_decide_on_spot),
    O.CLAIM: (s_claim, svc.case_claim),
    O.COMPLETE_STEP: (s_complete, svc.case_complete_step),
    O.SPECIAL_START: (s_special_start, svc.case_special_start),
    O.SPECIAL_END: (s_special_end, svc.case_special_end),
    O.EXTENSION_REQUEST: (s_ext_request, svc.case_extension_request),
    O.EXTENSION_APPROVE: (s_ext_approve, svc.case_extension_approve),
    O.DECIDE: (s_decide, svc.case_decide),
    O.DELIVER: (s_deliver, svc.case_deliver),
    O.SEAL: (s_seal, _seal_as_person),
    O.WITHDRAW: (s_withdraw, svc.case_withdraw),
    O.TERMINATE: (s_terminate, svc.case_terminate),
    O.REOPEN: (s_reopen, svc.case_reopen),
    O.SPOT_CORRECTION: (s_spot_correction, svc.case_spot_correction),
    O.MARK_JOINT: (s_mark_joint, svc.case_mark_joint),
    O.EXTENSION_GOVERNMENT: (s_ext_government, svc.case_extension_government),
    O.HEARING_NOTICE: (s_hearing_notice, svc.case_hearing_notice),
}


def expected(op: Operation, who: str) -> str:
    if who in NOT_VISIBLE:
        return "not_found"
    return "allowed" if who in ALLOWED[op] else "forbidden"


def test_matrix_covers_every_operation():
    assert set(SETUPS) == set(Operation) == set(ALLOWED)


@pytest.mark.parametrize("who", list(CAST))
@pytest.mark.parametrize("op", list(Operation), ids=str)
def test_service_permission_matrix(cast, catalogue, person, company, op, who):
    setup, service = SETUPS[op]
    case, kwargs = setup(cast, catalogue, person)
    user = cast[who]
    outcome = expected(op, who)
    if outcome == "allowed":
        assert may(user, op, fresh(case))
        service(actor=user, case=case.pk, **kwargs)
        assert chain_ok()
        return
    if outcome == "forbidden":
        assert not may(user, op, fresh(case))
    error = CaseForbidden if outcome == "forbidden" else CaseNotFound
    with unchanged(case), pytest.raises(error):
        service(actor=user, case=case.pk, **kwargs)


# --- submission ------------------------------------------------------------------------------

def _submit_as(user, catalogue, *, person=None, organisation=None, channel="window"):
    ref = svc.ApplicantRef(person_id=person.pk if person else None,
                           organisation_id=organisation.pk if organisation else None)
    case, _created = svc.case_submit(actor=user, item_id=catalogue.bureau_item.pk,
                                     variant_code="01", applicant=ref, channel=channel,
                                     at=at("2026-09-01"))
    return case


def test_window_staff_submit_for_any_applicant(cast, catalogue, person, company):
    """The front desk; a helper (帮办员) needs the applicant's authorisation instead
    (tests/supervision/test_assisted_service.py)."""
    assert _submit_as(cast["clerk"], catalogue, person=person).person_id == person.pk
    assert _submit_as(cast["clerk"], catalogue,
                      organisation=company).organisation_id == company.pk


def test_applicant_submits_for_himself_online(cast, catalogue, person):
    case = _submit_as(cast["applicant"], catalogue, person=person, channel="online")
    assert (case.person_id, case.channel) == (person.pk, "online")


def test_company_user_submits_for_its_organisation(cast, catalogue, company):
    case = _submit_as(cast["company"], catalogue, organisation=company, channel="online")
    assert case.organisation_id == company.pk


@pytest.mark.parametrize(("who", "for_"), [
    ("applicant", "company"), ("company", "person"), ("outsider", "person"),
    ("reviewer", "person"), ("head", "person"), ("dept", "person"), ("supervisor", "person"),
    ("catalog_admin", "person"), ("sysadmin", "person")])
def test_submission_refused_for_others(cast, catalogue, person, company, who, for_):
    from oneseal.cases.models import Case

    kwargs = {"person": person} if for_ == "person" else {"organisation": company}
    with pytest.raises(CaseForbidden):
        _submit_as(cast[who], catalogue, channel="online", **kwargs)
    assert not Case.objects.exists()


def test_department_officer_of_another_department_sees_nothing(cast, catalogue, person, org):
    from tests.factories import UserFactory

    other = UserFactory(username="dept-dev-officer", unit=org["dept-dev"],
                        roles=["dept_officer"])
    case = accepted(cast, catalogue.hall_item, person)
    with unchanged(case), pytest.raises(CaseNotFound):
        svc.case_claim(actor=other, case=case.pk, at=at("2026-09-02"))
    assert not may(other, O.CLAIM, fresh(case))


def test_department_window_clerk_reads_only_his_departments_cases(cast, catalogue, person, org):
    """A department's clerk stationed at the hall (进驻窗口) sees his department's cases, not
    the bureau's others (a case he may not see is 'not found')."""
    from oneseal.cases.permissions import access_case, visible_cases

    from ..factories import UserFactory

    market = UserFactory(username="market-clerk", unit=org["dept-market"], roles=["clerk"])
    env_clerk = UserFactory(username="env-clerk", unit=org["dept-env"], roles=["clerk"])
    case, _ = svc.case_submit(actor=cast["clerk"], item_id=catalogue.hall_item.pk,
                              variant_code="01", applicant=svc.ApplicantRef(person_id=person.pk),
                              at=at("2026-09-01"))
    assert case.department_id == org["dept-env"].pk
    assert list(visible_cases(env_clerk)) == [case]
    assert access_case(user=env_clerk, case_id=case.pk) == case
    assert not visible_cases(market).exists()
    with pytest.raises(CaseNotFound):
        access_case(user=market, case_id=case.pk)


def test_department_window_clerk_task_list_holds_only_his_departments_steps(
        cast, catalogue, person, org):
    from oneseal.cases.selectors import task_list

    from ..factories import UserFactory

    market = UserFactory(username="market-clerk", unit=org["dept-market"], roles=["clerk"])
    env_clerk = UserFactory(username="env-clerk", unit=org["dept-env"], roles=["clerk"])
    case, _ = svc.case_submit(actor=cast["clerk"], item_id=catalogue.hall_item.pk,
                              variant_code="01", applicant=svc.ApplicantRef(person_id=person.pk),
                              at=at("2026-09-01"))
    acceptance = case.steps.get(order=1)
    assert task_list(cast["clerk"], mine=False).items == [acceptance]  # the bureau's clerk
    assert task_list(env_clerk, mine=False).items == [acceptance]
    assert task_list(market, mine=False).items == []
