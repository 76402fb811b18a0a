"""Decision (作出许可决定, 行政许可法 第37–38条), the transfer rule (第25条), on-the-spot
decisions (即办件), delivery (颁发、送达, 第44条), withdrawal, termination and reopening.

Delivery clock, hand-worked: decided Mon 2026-09-07, 10 working days (start not counted):
09-08 .. 09-11 (4), 09-14 .. 09-18 (9), **Sun 09-20 make-up working day** (10) →
2026-09-20."""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import CaseForbidden, IllegalState
from oneseal.cases.models import (
    CaseDocument,
    Delivery,
    DocumentKind,
    OnSpotAuthorisation,
    SpecialProcedureRun,
)
from oneseal.catalog import services as catalog_services

from .conftest import DEPT_CHAIN, _publish
from .helpers import (
    BAD_ID,
    VALID_ID,
    accepted,
    at,
    bureau_to_final,
    chain_ok,
    check,
    day,
    decide_and_seal,
    decided,
    document_text,
    fresh,
    hall_to_final,
    one_event,
    seal_case,
    submit,
    unchanged,
    violates,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(cast, catalogue, person):
    """A bureau case whose final step (批准) the head has claimed."""
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    return bureau_to_final(cast, case)


def decide(cast, case, who="head", outcome="granted", reasons="", on="2026-09-07"):
    return svc.case_decide(actor=cast[who], case=case, outcome=outcome, reasons=reasons,
                           at=at(on))


# --- decide ----------------------------------------------------------------------------------

def test_article_37_grant(cast, final):
    result = one_event("decide", svc.case_decide, final, actor=cast["head"],
                       outcome="granted", reasons="符合法定条件。", at=at("2026-09-07"))
    assert result.state == "decided"
    assert (result.outcome, result.decided_on, result.decided_by_id) == (
        "granted", day("2026-09-07"), cast["head"].pk)
    assert result.delivery_due == day("2026-09-20")
    assert CaseDocument.objects.filter(case=final, kind=DocumentKind.GRANT_DECISION).exists()
    assert chain_ok()


def test_article_38_refusal_needs_reasons(cast, final):
    with unchanged(final), violates("reasons_required"):
        decide(cast, final, outcome="refused", reasons="  ")


def test_article_38_refusal_decision_states_the_remedies(cast, final):
    result = decide(cast, final, outcome="refused", reasons="选址不符合规划。")
    assert (result.state, result.outcome) == ("decided", "refused")
    assert result.decision_reasons == "选址不符合规划。"
    doc = CaseDocument.objects.get(case=final, kind=DocumentKind.REFUSAL_DECISION)
    text = document_text(doc)
    assert "选址不符合规划" in text
    assert "行政复议" in text and "行政诉讼" in text
    assert "六十日" in text and "六个月" in text


def test_unknown_outcome_refused(cast, final):
    with unchanged(final), violates("invalid_outcome"):
        decide(cast, final, outcome="maybe", reasons="?")


def test_decide_only_by_the_final_step_claimant(cast, final):
    with unchanged(final), pytest.raises(CaseForbidden):
        decide(cast, final, who="chief")


def test_decide_before_the_final_step_refused(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    svc.case_claim(actor=cast["reviewer"], case=case, at=at("2026-09-02"))
    with unchanged(case), pytest.raises(CaseForbidden):
        decide(cast, case, who="reviewer", on="2026-09-02")


def test_decide_in_special_procedure_is_illegal(cast, final):
    svc.case_special_start(actor=cast["head"], case=final, kind="expert_review",
                           reason="专家论证", expected_days=3, at=at("2026-09-07"))
    with unchanged(final), pytest.raises(IllegalState):
        decide(cast, final, on="2026-09-08")


def test_hall_item_decided_by_its_department(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    hall_to_final(cast, case)
    result = decide(cast, case, who="dept", on="2026-09-04")
    assert (result.state, result.outcome) == ("decided", "granted")


# --- the transfer rule (第25条) -----------------------------------------------------------

@pytest.fixture
def transferring_item(org):
    """An item transferred from the environment department to the bureau from Thu
    2026-09-10 whose chain (wrongly) still ends with a department officer."""
    version = _publish(body=org["bureau"], competent=org["dept-env"],
                       basic_code="000100081000", name="划转中事项（测试）", chain=DEPT_CHAIN,
                       promised=10)
    catalog_services.memo_save(
        actor=None, item=version.item, from_department=org["dept-env"], to_unit=org["bureau"],
        effective_on=day("2026-09-10"), approval_duty="审批", supervision_duty="监管")
    return version.item


def test_article_25_department_decides_before_the_transfer(cast, person, transferring_item):
    case = accepted(cast, transferring_item, person, on="2026-09-01")
    hall_to_final(cast, case)
    result = decide(cast, case, who="dept", on="2026-09-09")
    assert result.state == "decided"


def test_article_25_department_officer_cannot_decide_transferred_item(
        cast, person, transferring_item):
    case = accepted(cast, transferring_item, person, on="2026-09-01")
    hall_to_final(cast, case)
    with unchanged(case), violates("not_competent"):
        decide(cast, case, who="dept", on="2026-09-10")


def test_article_25_bureau_cannot_decide_before_memo_takes_effect(cast, catalogue, org, final):
    """The memo of the bureau item is corrected to take effect on 2026-12-01, after the
    decision day: the bureau does not hold the power yet."""
    catalog_services.memo_save(
        actor=None, item=catalogue.bureau_item, from_department=org["dept-env"],
        to_unit=org["bureau"], effective_on=day("2026-12-01"), approval_duty="审批",
        supervision_duty="监管")
    with unchanged(final), violates("not_competent"):
        decide(cast, final, on="2026-09-07")


# --- on the spot (即办件) -------------------------------------------------------------------

@pytest.fixture
def spot(cast, catalogue, person):
    case = submit(cast, catalogue.on_spot_item, person, on="2026-09-01")
    check(case, cast["clerk"])
    return case


def test_on_spot_needs_an_authorisation(cast, spot):
    with unchanged(spot), pytest.raises(CaseForbidden):
        svc.case_decide_on_spot(actor=cast["clerk"], case=spot, outcome="granted",
                                at=at("2026-09-01"))


def test_on_spot_decision_with_authorisation(cast, catalogue, spot):
    svc.grant_on_spot_authorisation(actor=cast["head"], user=cast["clerk"],
                                    item=catalogue.on_spot_item)
    result = one_event("decide_on_spot", svc.case_decide_on_spot, spot, actor=cast["clerk"],
                       outcome="granted", at=at("2026-09-01"))
    assert result.state == "decided"
    assert result.decided_by_id == cast["clerk"].pk
    row = fresh(spot)
    # Decided at the window = accepted and decided the same day (第32条); the delivery clock
    # (第44条) runs: 10 working days from Tue 09-01 → 09-02 .. 09-04 (3), 09-07 .. 09-11
    # (8), 09-14 (9), 09-15 (10).
    assert row.clock_error == ""
    assert row.accepted_on == row.decided_on == day("2026-09-01")
    assert row.delivery_due == day("2026-09-15")
    assert chain_ok()


def test_article_32_on_spot_decision_needs_checked_materials(cast, catalogue, person):
    svc.grant_on_spot_authorisation(actor=cast["head"], user=cast["clerk"],
                                    item=catalogue.on_spot_item)
    case = submit(cast, catalogue.on_spot_item, person, on="2026-09-01")
    with unchanged(case), violates("materials_not_ready"):
        svc.case_decide_on_spot(actor=cast["clerk"], case=case, outcome="granted",
                                at=at("2026-09-01"))


def test_on_spot_decision_only_for_on_spot_items(cast, catalogue, person):
    """Even with an authorisation row for it, an item with a promised limit is not decided
    at the window. (Whether granting such an authorisation is refused the spec leaves open:
    the code records it.)"""
    OnSpotAuthorisation.objects.get_or_create(user=cast["clerk"], item=catalogue.bureau_item)
    case = submit(cast, catalogue.bureau_item, person)
    check(case, cast["clerk"])
    # the spec names no error class here; the code answers CaseForbidden (may() is false)
    with unchanged(case), pytest.raises(CaseForbidden):
        svc.case_decide_on_spot(actor=cast["clerk"], case=case, outcome="granted",
                                at=at("2026-09-01"))


@pytest.mark.parametrize("who", ["clerk", "reviewer", "chief", "supervisor"])
def test_on_spot_authorisation_granted_by_head_or_sysadmin_only(cast, catalogue, who):
    with pytest.raises(CaseForbidden):
        svc.grant_on_spot_authorisation(actor=cast[who], user=cast["clerk"],
                                        item=catalogue.on_spot_item)
    assert not OnSpotAuthorisation.objects.exists()


# --- delivery (第44条) ----------------------------------------------------------------------

@pytest.fixture
def done(cast, catalogue, person, seals):
    """A granted case whose decision the seal has signed (已签章，待送达)."""
    return decide_and_seal(cast, catalogue, person, on="2026-09-07")


def test_article_44_decided_case_is_not_deliverable_until_signed(cast, catalogue, person,
                                                                 seals):
    """第44条 delivery of a decision carrying the bureau's seal: a decision not yet signed
    (已决定，待签章) is refused with the state named; once signed it is delivered."""
    case = decided(cast, catalogue, person, on="2026-09-07")
    with unchanged(case), pytest.raises(IllegalState) as exc:
        svc.case_deliver(actor=cast["clerk"], case=case, method="pickup",
                         collector_name="张三", collector_id_number=VALID_ID,
                         at=at("2026-09-08"))
    assert "已决定，待签章" in exc.value.message
    ready = seal_case(cast, case, on="2026-09-07")
    assert ready.state == "ready" and ready.events.order_by("-seq").first().kind == "seal"
    assert svc.case_deliver(actor=cast["clerk"], case=case, method="pickup",
                            collector_name="张三", collector_id_number=VALID_ID,
                            at=at("2026-09-08")).state == "delivered"


def test_case_mark_ready_is_a_system_operation_only_from_decided(cast, final):
    """签章完成 has no actor (the signing pipeline); a case not decided cannot be sealed."""
    with unchanged(final), pytest.raises(IllegalState):
        svc.case_mark_ready(case=final)
    decide(cast, final)
    row = one_event("seal", svc.case_mark_ready, final, at=at("2026-09-07", 15))
    assert row.state == "ready"
    event = row.events.order_by("-seq").first()
    assert event.actor is None and (event.state_from, event.state_to) == ("decided", "ready")
    assert row.delivery_due == day("2026-09-20")  # 第44条: still from the decision day
    with pytest.raises(IllegalState):
        svc.case_mark_ready(case=final)


@pytest.mark.parametrize(("name", "id_number", "code"), [
    ("", VALID_ID, "collector_required"), ("张三", "", "invalid_id_number"),
    ("张三", BAD_ID, "invalid_id_number")])
def test_article_44_pickup_needs_collector_and_valid_id(cast, done, name, id_number, code):
    with unchanged(done), violates(code):
        svc.case_deliver(actor=cast["clerk"], case=done, method="pickup",
                         collector_name=name, collector_id_number=id_number)


def test_article_44_pickup(cast, done):
    result = one_event("deliver", svc.case_deliver, done, actor=cast["clerk"],
                       method="pickup", collector_name="张三", collector_id_number=VALID_ID,
                       at=at("2026-09-10"))
    assert result.state == "delivered"
    assert result.delivered_on == day("2026-09-10")
    delivery = Delivery.objects.get(case=done)
    assert (delivery.method, delivery.collector_name, delivery.delivered_on) == (
        "pickup", "张三", day("2026-09-10"))
    assert CaseDocument.objects.filter(case=done, kind=DocumentKind.DELIVERY_RECEIPT).exists()
    assert chain_ok()


def test_article_44_post_needs_tracking_number(cast, done):
    with unchanged(done), violates("tracking_required"):
        svc.case_deliver(actor=cast["clerk"], case=done, method="post", carrier="中国邮政",
                         tracking_number="", at=at("2026-09-10"))
    result = svc.case_deliver(actor=cast["clerk"], case=done, method="post",
                              carrier="中国邮政", tracking_number="1234567890123",
                              at=at("2026-09-10"))
    assert result.state == "delivered"
    assert Delivery.objects.get(case=done).tracking_number == "1234567890123"


def test_article_44_electronic_needs_address(cast, done):
    with unchanged(done), violates("address_required"):
        svc.case_deliver(actor=cast["clerk"], case=done, method="electronic", address="",
                         at=at("2026-09-10"))


def test_article_44_deliver_only_decided_cases(cast, final):
    with unchanged(final), pytest.raises(IllegalState):
        svc.case_deliver(actor=cast["clerk"], case=final, method="pickup",
                         collector_name="张三", collector_id_number=VALID_ID,
                         at=at("2026-09-10"))


def test_article_44_delivered_case_is_final(cast, done):
    svc.case_deliver(actor=cast["clerk"], case=done, method="pickup", collector_name="张三",
                     collector_id_number=VALID_ID, at=at("2026-09-10"))
    with unchanged(done), pytest.raises(IllegalState):
        svc.case_deliver(actor=cast["clerk"], case=done, method="pickup",
                         collector_name="张三", collector_id_number=VALID_ID,
                         at=at("2026-09-11"))


# --- withdraw / terminate / reopen ------------------------------------------------------------

def test_applicant_withdraws_own_case(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-01")
    result = one_event("withdraw", svc.case_withdraw, case, actor=cast["applicant"],
                       reason="不再需要。", at=at("2026-09-02"))
    assert result.state == "withdrawn"
    assert result.state_before_close == "received"
    assert result.closed_on == day("2026-09-02")


def test_clerk_records_withdrawal_in_review(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    result = svc.case_withdraw(actor=cast["clerk"], case=case, reason="申请人书面申请撤回。",
                               at=at("2026-09-03"))
    assert (result.state, result.state_before_close) == ("withdrawn", "reviewing")


@pytest.mark.parametrize("op", ["withdraw", "terminate"])
def test_close_needs_a_reason(cast, catalogue, person, op):
    case = accepted(cast, catalogue.bureau_item, person)
    actor = cast["clerk"] if op == "withdraw" else cast["head"]
    with unchanged(case), violates("reason_required"):
        getattr(svc, f"case_{op}")(actor=actor, case=case, reason="", at=at("2026-09-03"))


def test_withdraw_after_decision_is_illegal(cast, done):
    with unchanged(done), pytest.raises(IllegalState):
        svc.case_withdraw(actor=cast["applicant"], case=done, reason="撤回",
                          at=at("2026-09-08"))


@pytest.mark.parametrize("who", ["chief", "head"])
def test_terminate_by_chief_or_head(cast, catalogue, person, who):
    case = accepted(cast, catalogue.bureau_item, person)
    result = one_event("terminate", svc.case_terminate, case, actor=cast[who],
                       reason="申请人死亡。", at=at("2026-09-03"))
    assert (result.state, result.state_before_close) == ("terminated", "reviewing")


@pytest.mark.parametrize("who", ["reviewer", "clerk", "applicant", "supervisor"])
def test_terminate_refused_to_others(cast, catalogue, person, who):
    case = accepted(cast, catalogue.bureau_item, person)
    with unchanged(case), pytest.raises(CaseForbidden):
        svc.case_terminate(actor=cast[who], case=case, reason="终止", at=at("2026-09-03"))


def test_reopen_returns_to_state_before_closing(cast, final):
    svc.case_terminate(actor=cast["head"], case=final, reason="误操作", at=at("2026-09-08"))
    result = one_event("reopen", svc.case_reopen, final, actor=cast["head"],
                       reason="终止有误，恢复办理。", at=at("2026-09-09"))
    assert result.state == "reviewing"
    assert chain_ok()


def test_article_45_reopen_after_closing_in_special_clock_runs_again(cast, final):
    """The spec says "back to the state before closing"; the code deliberately reopens a case
    closed during a special procedure in review (the procedure is ended at the closing and
    must be started again). Then the 第45条 suspension is over: it ran Mon 09-07 .. Tue
    09-08 (2 working days) and the clock runs again. Statutory 20 days from 09-01 without
    09-07/08: 09-02 .. 09-04 (3), 09-09 .. 09-11 (6), 09-14 .. 09-18 (11), Sun 09-20 (12),
    09-21 .. 09-24 (16), 09-28 .. 09-30 (19), 10-08 (20) → 2026-10-08, whenever decided."""
    svc.case_special_start(actor=cast["head"], case=final, kind="expert_review",
                           reason="专家论证", expected_days=3, at=at("2026-09-07"))
    svc.case_terminate(actor=cast["head"], case=final, reason="误操作", at=at("2026-09-08"))
    run = SpecialProcedureRun.objects.get(case=final)
    assert run.ended_on == day("2026-09-08")
    result = svc.case_reopen(actor=cast["head"], case=final, reason="恢复办理。",
                             at=at("2026-09-09"))
    assert result.state == "reviewing"
    due = fresh(final).statutory_due
    svc.case_claim(actor=cast["head"], case=final, at=at("2026-09-15"))
    assert fresh(final).statutory_due == due
    assert fresh(final).clock_paused is False
    decided_case = decide(cast, final, on="2026-09-22")
    assert decided_case.state == "decided"
    assert fresh(final).statutory_due == day("2026-10-08")


def test_reopen_not_accepted_case_returns_to_received(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    svc.case_refuse(actor=cast["clerk"], case=case, reason="不属于本机关职权。",
                    competent_agency="市局", at=at("2026-09-01"))
    result = svc.case_reopen(actor=cast["head"], case=case, reason="职权判断有误。",
                             at=at("2026-09-02"))
    assert result.state == "received"


@pytest.mark.parametrize("who", ["chief", "clerk", "applicant", "supervisor"])
def test_reopen_head_only(cast, catalogue, person, who):
    case = submit(cast, catalogue.bureau_item, person)
    svc.case_withdraw(actor=cast["applicant"], case=case, reason="撤回", at=at("2026-09-01"))
    with unchanged(case), pytest.raises(CaseForbidden):
        svc.case_reopen(actor=cast[who], case=case, reason="恢复", at=at("2026-09-02"))


def test_reopen_needs_a_reason(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    svc.case_withdraw(actor=cast["applicant"], case=case, reason="撤回", at=at("2026-09-01"))
    with unchanged(case), violates("reason_required"):
        svc.case_reopen(actor=cast["head"], case=case, reason=" ", at=at("2026-09-02"))


def test_reopen_delivered_is_illegal(cast, done):
    svc.case_deliver(actor=cast["clerk"], case=done, method="pickup", collector_name="张三",
                     collector_id_number=VALID_ID, at=at("2026-09-10"))
    with unchanged(done), pytest.raises(IllegalState):
        svc.case_reopen(actor=cast["head"], case=done, reason="恢复", at=at("2026-09-11"))
    assert fresh(done).state == "delivered"


# --- the whole life of a case ---------------------------------------------------------------

def test_full_lifecycle_one_case_event_and_one_audit_event_per_transition(cast, catalogue,
                                                                           person):
    """Submission to delivery: every operation writes exactly one case event and one audit
    event, in order, and the audit chain verifies at the end."""
    clerk, reviewer, chief, head = (cast[n] for n in ("clerk", "reviewer", "chief", "head"))
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-01")
    one_event("check_materials", check, case, clerk=clerk, defective={"申请表": "未签字"},
              on="2026-09-01")
    one_event("correction_notice", svc.case_correction_notice, case, actor=clerk,
              at=at("2026-09-02"))
    one_event("corrections", svc.case_receive_corrections, case, actor=clerk,
              at=at("2026-09-03"))
    one_event("check_materials", check, case, clerk=clerk, on="2026-09-03")
    one_event("accept", svc.case_accept, case, actor=clerk, at=at("2026-09-03"))
    one_event("claim", svc.case_claim, case, actor=reviewer, at=at("2026-09-04"))
    one_event("special_start", svc.case_special_start, case, actor=reviewer,
              kind="expert_review", reason="专家论证", expected_days=3, at=at("2026-09-07"))
    one_event("special_end", svc.case_special_end, case, actor=reviewer, result="通过",
              at=at("2026-09-09"))
    one_event("extension_request", svc.case_extension_request, case, actor=reviewer,
              days=5, reason="需补充勘验", at=at("2026-09-10"))
    one_event("extension_approve", svc.case_extension_approve, case, actor=head,
              approve=True, note="同意", at=at("2026-09-10"))
    one_event("complete_step", svc.case_complete_step, case, actor=reviewer,
              opinion="agree", comment="同意", at=at("2026-09-11"))
    one_event("claim", svc.case_claim, case, actor=chief, at=at("2026-09-14"))
    one_event("complete_step", svc.case_complete_step, case, actor=chief, opinion="agree",
              comment="同意", at=at("2026-09-14"))
    one_event("claim", svc.case_claim, case, actor=head, at=at("2026-09-15"))
    one_event("decide", svc.case_decide, case, actor=head, outcome="granted",
              reasons="符合法定条件。", at=at("2026-09-15"))
    one_event("seal", svc.case_mark_ready, case, at=at("2026-09-15", 16))
    one_event("deliver", svc.case_deliver, case, actor=clerk, method="pickup",
              collector_name="张三", collector_id_number=VALID_ID, at=at("2026-09-16"))
    row = fresh(case)
    assert row.state == "delivered"
    kinds = list(row.events.order_by("seq").values_list("kind", flat=True))
    assert kinds[0] == "submit" and kinds[-1] == "deliver" and len(kinds) == 18
    assert list(row.events.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 19))
    assert chain_ok()
