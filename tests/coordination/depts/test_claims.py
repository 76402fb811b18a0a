"""审管互动: decisions and licence changes pushed to the competent department's inbox, the
claim clock (2 working days, 行政许可法 第82条 and 民法典 第201条 — holidays and 调休 counted
from the 2026 schedule), supervision records and the problem report from which the bureau
opens 撤销 (第69条)."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.coordination import claims
from oneseal.coordination.common import Forbidden, NotFound, Refused
from oneseal.coordination.domain.clocks import claim_due
from oneseal.coordination.models import ClaimKind, ClaimTicket, ProblemStatus
from oneseal.core.audit_verify import verify_chain
from oneseal.core.workcalendar.selectors import get_work_calendar
from oneseal.licences import services as licence_services
from oneseal.licences.models import Licence
from tests.cases.conftest import at
from tests.cases.helpers import accepted, bureau_to_final, decided

D = dt.date.fromisoformat


@pytest.mark.parametrize(("received", "due"), [
    ("2026-09-07", "2026-09-09"),  # Mon → Wed: plain week
    ("2026-09-24", "2026-09-29"),  # Thu → Tue: 中秋 09-25..27 not counted
    ("2026-09-30", "2026-10-09"),  # Wed → Fri: 国庆 10-01..07 not counted
    ("2026-10-09", "2026-10-12"),  # Fri → Mon: Saturday 10-10 is a 调休 working day
    ("2026-09-18", "2026-09-21"),  # Fri → Mon: Sunday 09-20 is a 调休 working day
])
def test_claim_due_two_working_days_holidays_and_tiaoxiu_art_82(db, received, due):
    assert claim_due(get_work_calendar(), D(received)) == D(due)


@pytest.fixture
def granted(cast, catalogue, person, licence_type):
    case = decided(cast, catalogue, person, on="2026-09-07")
    licence = licence_services.issue_licence(case=case, actor=cast["head"])
    assert licence is not None
    return case


def test_decision_lands_in_competent_department_inbox(cast, granted):
    ticket = ClaimTicket.objects.get(case=granted)
    assert ticket.kind == ClaimKind.DECISION
    assert ticket.department_id == granted.department_id
    assert ticket.received_on == D("2026-09-07")
    assert ticket.claim_due == D("2026-09-09")
    assert list(claims.inbox(cast["dept"])) == [ticket]
    for name in ("reviewer", "clerk", "applicant", "company", "helper", "outsider",
                 "catalog_admin", "sysadmin"):
        assert list(claims.inbox(cast[name])) == [], name
    assert list(claims.inbox(cast["supervisor"])) == [ticket]


def test_refusal_decision_is_pushed_too(cast, catalogue, person):
    case = decided(cast, catalogue, person, outcome="refused")
    assert ClaimTicket.objects.filter(case=case, kind=ClaimKind.DECISION).count() == 1


def test_claim_lights_green_yellow_red_working_days_art_82(cast, granted):
    ticket = ClaimTicket.objects.get(case=granted)  # due 2026-09-09
    assert claims.ticket_light(ticket, D("2026-09-07")) == "green"
    assert claims.ticket_light(ticket, D("2026-09-08")) == "yellow"
    assert claims.ticket_light(ticket, D("2026-09-09")) == "yellow"
    assert claims.ticket_light(ticket, D("2026-09-10")) == "red"


def test_claim_late_stays_red_and_in_time_green(cast, catalogue, person, licence_type):
    early = decided(cast, catalogue, person, on="2026-09-07")
    t1 = ClaimTicket.objects.get(case=early)
    claims.claim(actor=cast["dept"], ticket_id=t1.pk, at=at("2026-09-09", 17))
    t1.refresh_from_db()
    assert claims.ticket_light(t1, D("2026-10-30")) == "green"
    case2 = accepted(cast, catalogue.bureau_item, person, on="2026-09-08")
    bureau_to_final(cast, case2, days=("2026-09-08", "2026-09-09", "2026-09-10"))
    from oneseal.cases import services as svc
    svc.case_decide(actor=cast["head"], case=case2, outcome="granted", at=at("2026-09-10"))
    t2 = ClaimTicket.objects.get(case=case2)  # due 2026-09-14 (weekend between)
    assert t2.claim_due == D("2026-09-14")
    claims.claim(actor=cast["dept"], ticket_id=t2.pk, at=at("2026-09-15"))
    t2.refresh_from_db()
    assert claims.ticket_light(t2, D("2026-09-16")) == "red"
    assert verify_chain().ok


def test_claim_once_and_only_by_the_department(cast, granted):
    ticket = ClaimTicket.objects.get(case=granted)
    for name in ("chief", "head", "supervisor"):
        with pytest.raises(Forbidden):
            claims.claim(actor=cast[name], ticket_id=ticket.pk)
    for name in ("reviewer", "clerk", "applicant", "company", "outsider", "sysadmin"):
        with pytest.raises(NotFound):
            claims.claim(actor=cast[name], ticket_id=ticket.pk)
    claims.claim(actor=cast["dept"], ticket_id=ticket.pk)
    with pytest.raises(Refused) as err:
        claims.claim(actor=cast["dept"], ticket_id=ticket.pk)
    assert err.value.code == "already_claimed"


def test_other_department_does_not_see_the_ticket(cast, granted, org):
    from tests.factories import UserFactory
    other = UserFactory(username="dept-market-officer", unit=org["dept-market"],
                        roles=["dept_officer"])
    ticket = ClaimTicket.objects.get(case=granted)
    assert list(claims.inbox(other)) == []
    with pytest.raises(NotFound):
        claims.claim(actor=other, ticket_id=ticket.pk)


def test_supervision_needs_claim_then_recorded_against_licence(cast, granted):
    ticket = ClaimTicket.objects.get(case=granted)
    with pytest.raises(Refused) as err:
        claims.record_supervision(actor=cast["dept"], ticket_id=ticket.pk,
                                  action="inspection", result="compliant", note="现场检查")
    assert err.value.code == "not_claimed"
    claims.claim(actor=cast["dept"], ticket_id=ticket.pk)
    record = claims.record_supervision(actor=cast["dept"], ticket_id=ticket.pk,
                                       action="inspection", result="compliant",
                                       note="现场检查，排污设施运行正常。")
    assert record.licence == Licence.objects.get(case=granted)
    with pytest.raises(Refused):
        claims.record_supervision(actor=cast["dept"], ticket_id=ticket.pk,
                                  action="inspection", result="compliant", note="  ")


def test_fraud_report_bureau_revokes_licence_art_69(cast, granted):
    ticket = ClaimTicket.objects.get(case=granted)
    claims.claim(actor=cast["dept"], ticket_id=ticket.pk)
    report = claims.report_problem(actor=cast["dept"], ticket_id=ticket.pk, kind="fraud",
                                   facts="申请材料中的监测报告系伪造。")
    with pytest.raises(Refused):  # one open report per licence
        claims.report_problem(actor=cast["dept"], ticket_id=ticket.pk, kind="fraud",
                              facts="重复反馈")
    with pytest.raises(Refused) as err:  # fraud leads to 撤销 only
        claims.open_procedure(actor=cast["chief"], report_id=report.pk, operation="cancel",
                              reason="注销")
    assert err.value.code == "procedure_not_allowed"
    with pytest.raises(Forbidden):
        claims.open_procedure(actor=cast["dept"], report_id=report.pk, operation="revoke",
                              reason="撤销")
    with pytest.raises(Forbidden):
        claims.open_procedure(actor=cast["supervisor"], report_id=report.pk,
                              operation="revoke", reason="撤销")
    for name in ("reviewer", "clerk", "applicant", "outsider"):
        with pytest.raises(NotFound):
            claims.open_procedure(actor=cast[name], report_id=report.pk, operation="revoke",
                                  reason="撤销")
    claims.open_procedure(actor=cast["chief"], report_id=report.pk, operation="revoke",
                          reason="以欺骗手段取得许可，依照第六十九条第二款撤销。")
    report.refresh_from_db()
    assert report.status == ProblemStatus.STARTED and report.operation == "revoke"
    licence = Licence.objects.get(case=granted)
    assert licence.state == "revoked"
    # the revocation is itself a licence change pushed to the department's inbox
    change = ClaimTicket.objects.get(kind=ClaimKind.LICENCE_CHANGE, licence=licence)
    assert change.department_id == granted.department_id
    # both sides see both sides' steps, and the licence library's own change
    texts = [row["text"] for row in claims.problem_timeline(report)]
    assert any("反馈问题" in t for t in texts) and any("启动" in t for t in texts)
    assert any("第六十九条" in t or "69" in t for t in texts)
    assert claims.get_report(cast["dept"], report.pk) == report
    assert claims.get_report(cast["chief"], report.pk) == report
    with pytest.raises(NotFound):
        claims.get_report(cast["applicant"], report.pk)
    with pytest.raises(Refused):  # handled once
        claims.dismiss_report(actor=cast["head"], report_id=report.pk, reason="x")
    assert verify_chain().ok


def test_conditions_lost_offers_withdraw_penalise_or_cancel_art_70(cast, granted):
    ticket = ClaimTicket.objects.get(case=granted)
    claims.claim(actor=cast["dept"], ticket_id=ticket.pk)
    report = claims.report_problem(actor=cast["dept"], ticket_id=ticket.pk,
                                   kind="conditions_lost", facts="治污设施已拆除。")
    with pytest.raises(Refused):
        claims.open_procedure(actor=cast["head"], report_id=report.pk, operation="revoke",
                              reason="x")
    claims.open_procedure(actor=cast["head"], report_id=report.pk, operation="penalise",
                          reason="不再具备条件，吊销。")
    assert Licence.objects.get(case=granted).state == "penalty"


def test_dismiss_needs_reason(cast, granted):
    ticket = ClaimTicket.objects.get(case=granted)
    claims.claim(actor=cast["dept"], ticket_id=ticket.pk)
    report = claims.report_problem(actor=cast["dept"], ticket_id=ticket.pk, kind="fraud",
                                   facts="疑似虚假材料。")
    with pytest.raises(Refused):
        claims.dismiss_report(actor=cast["chief"], report_id=report.pk, reason="")
    claims.dismiss_report(actor=cast["chief"], report_id=report.pk, reason="经核查材料真实。")
    report.refresh_from_db()
    assert report.status == ProblemStatus.DISMISSED
    assert Licence.objects.get(case=granted).state == "valid"


def test_department_own_decision_is_not_pushed_to_itself(cast, catalogue, person):
    from oneseal.cases import services as svc
    from tests.cases.helpers import hall_to_final
    case = accepted(cast, catalogue.hall_item, person)
    hall_to_final(cast, case)
    svc.case_decide(actor=cast["dept"], case=case, outcome="granted", at=at("2026-09-04"))
    assert not ClaimTicket.objects.filter(case=case).exists()
