"""审管互动 services (work plan measure 六: 审管分离 — the bureau approves, the department
supervises): decisions and licence changes pushed to the competent department's inbox, the
claim within 2 working days (行政许可法 第82条: working days), supervision records and the
problem report from which the bureau opens 撤销 (第69条), 注销 (第70条) or 吊销
(《行政处罚法》第九条) through the licence library's own services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.catalog.selectors import legal_body
from oneseal.core.audit import append_event
from oneseal.licences import services as licence_services
from oneseal.licences.errors import LicenceError
from oneseal.licences.models import Licence, LicenceEvent
from oneseal.supervision.alerts import close_clock

from .claim_alerts import clock_key as claim_key
from .common import (
    BUREAU_READERS,
    Forbidden,
    NotFound,
    Refused,
    actor_name,
    calendar,
    department_id_of,
    is_bureau,
    is_provisional,
    moment,
)
from .domain.clocks import claim_due, clock_light
from .models_claims import (
    ClaimKind,
    ClaimTicket,
    ProblemKind,
    ProblemReport,
    ProblemStatus,
    ProblemStep,
    SupervisionAction,
    SupervisionRecord,
    SupervisionResult,
)

DECISION_EVENTS = frozenset({"decide", "decide_on_spot"})
# The procedures a report may lead to (the bureau chooses among them):
# 第69条 撤销 for an unlawful grant or one obtained by fraud or bribery; 第70条 注销 where the
# licence must be cancelled; 吊销 (行政处罚法 第9条) as a penalty; 撤回 (第8条) where the
# conditions the licence rested on have changed.
PROCEDURES: dict[str, tuple[str, ...]] = {
    ProblemKind.FRAUD: ("revoke",),
    ProblemKind.UNLAWFUL: ("revoke",),
    ProblemKind.CONDITIONS_LOST: ("withdraw", "penalise", "cancel"),
    ProblemKind.VIOLATION: ("penalise",),
    ProblemKind.TERMINATED: ("cancel",),
}


def _due(received_on: dt.date) -> tuple[dt.date, bool]:
    due = claim_due(calendar(), received_on)
    return due, is_provisional(due)


def _push(*, department_id: int, kind: str, source: str, case: Any, licence: Any,
          title: str, detail: str, at: dt.datetime, on: dt.date) -> ClaimTicket:
    found = ClaimTicket.objects.filter(source=source).first()
    if found is not None:
        return found
    due, provisional = _due(on)
    return ClaimTicket.objects.create(
        department_id=department_id, kind=kind, source=source, case=case, licence=licence,
        title=title[:300], detail=detail, received_on=on, received_at=at, claim_due=due,
        due_provisional=provisional)


def push_decision(*, case: Any, event: Any) -> ClaimTicket | None:
    """A decision (准予 / 不予许可) lands in the competent department's inbox the day it is
    made. Called by the `case_event_recorded` receiver inside the decision's transaction.
    Not a decision the department made itself (an item it still exercises): there is
    nothing to hand over."""
    if event.kind not in DECISION_EVENTS or not case.department_id:
        return None
    decider = getattr(event, "actor", None)
    unit = getattr(decider, "unit", None)
    if unit is not None and legal_body(unit).pk == case.department_id:
        return None
    outcome = case.get_outcome_display() if case.outcome else ""
    return _push(department_id=case.department_id, kind=ClaimKind.DECISION,
                 source=f"case-event:{event.pk}", case=case, licence=None,
                 title=_("%(item)s：%(applicant)s（%(outcome)s）")
                 % {"item": case.item_name, "applicant": case.applicant_name,
                    "outcome": outcome},
                 detail=case.decision_reasons, at=event.at, on=event.on)


def push_licence_change(*, event: LicenceEvent) -> ClaimTicket | None:
    """A licence state change (暂扣、撤销、注销、吊销、失效 ...) lands in the inbox of the
    department competent for the licence's case. The issue itself comes with the decision."""
    if event.operation == "issue" or not event.from_state:
        return None
    licence = event.licence
    case = licence.case
    if case is None or not case.department_id:
        return None
    on = timezone.localdate(event.at)
    return _push(department_id=case.department_id, kind=ClaimKind.LICENCE_CHANGE,
                 source=f"licence-event:{event.pk}", case=case, licence=licence,
                 title=_("%(name)s %(number)s：%(from)s → %(to)s")
                 % {"name": licence.name, "number": licence.number,
                    "from": licence_services.state_label(event.from_state),
                    "to": licence_services.state_label(event.to_state)},
                 detail=event.reason, at=event.at, on=on)


# --- reads -------------------------------------------------------------------------------

def may_read_ticket(user: Any, ticket: ClaimTicket) -> bool:
    dept = department_id_of(user)
    if dept is not None:
        return dept == ticket.department_id
    return is_bureau(user, BUREAU_READERS)


def inbox(user: Any) -> Any:
    """The tickets `user` may see: his department's (a department officer), all (the bureau's
    chiefs, head and supervisors); none for anyone else."""
    rows = ClaimTicket.objects.select_related("department", "claimed_by", "case", "licence")
    dept = department_id_of(user)
    if dept is not None:
        return rows.filter(department_id=dept)
    if is_bureau(user, BUREAU_READERS):
        return rows
    return rows.none()


def ticket_light(ticket: ClaimTicket, today: dt.date, cal: Any = None) -> str:
    """The claim clock's light: green, yellow (the due day or the working day before), red
    once overdue — also for a ticket claimed late. `cal`: the working calendar, read once
    by a caller that lights many tickets."""
    return clock_light(cal or calendar(), ticket.claim_due, today, ticket.claimed_on)


def get_ticket(user: Any, ticket_id: int) -> ClaimTicket:
    ticket = ClaimTicket.objects.select_related("department", "case", "licence",
                                                "claimed_by").filter(pk=ticket_id).first()
    if ticket is None or not may_read_ticket(user, ticket):
        raise NotFound(_("推送记录不存在。"))
    return ticket


# --- writes by the department ------------------------------------------------------------

def _own_ticket(actor: Any, ticket_id: int, *, lock: bool = True) -> ClaimTicket:
    dept = department_id_of(actor)
    qs = ClaimTicket.objects.select_for_update() if lock else ClaimTicket.objects
    ticket = qs.filter(pk=ticket_id).first()
    if ticket is None or not (dept == ticket.department_id or is_bureau(actor, BUREAU_READERS)):
        raise NotFound(_("推送记录不存在。"))
    if dept is None:
        raise Forbidden(_("只有主管部门人员可以办理本部门的推送事项。"))
    return ticket


def claim(*, actor: Any, ticket_id: int, at: dt.datetime | None = None) -> ClaimTicket:
    """认领: the department takes the decision for supervision. Late claims are allowed and
    stay red (the record shows the delay)."""
    with transaction.atomic():
        ticket = _own_ticket(actor, ticket_id)
        if ticket.claimed_at is not None:
            raise Refused(_("该事项已由%(name)s认领。") % {"name": actor_name(ticket.claimed_by)},
                          code="already_claimed", status=409)
        now, today = moment(at)
        ticket.claimed_at, ticket.claimed_on, ticket.claimed_by = now, today, actor
        ticket.save(update_fields=["claimed_at", "claimed_on", "claimed_by"])
        # the claim ends the clock: its alerts (部门认领时限) close with it
        close_clock(clock_key=claim_key(ticket.pk), actor=actor, at=now,
                    note=_("已于 %(on)s 认领。") % {"on": today.isoformat()})
        append_event(actor=actor, kind="coordination.claim", subject=f"claim:{ticket.pk}",
                     payload={"source": ticket.source, "due": ticket.claim_due.isoformat(),
                              "claimed_on": today.isoformat(),
                              "late": today > ticket.claim_due})
        return ticket


def record_supervision(*, actor: Any, ticket_id: int, action: str, result: str, note: str,
                       on: dt.date | None = None) -> SupervisionRecord:
    """事中事后监管记录 against the licence of a claimed ticket."""
    with transaction.atomic():
        ticket = _own_ticket(actor, ticket_id)
        if ticket.claimed_at is None:
            raise Refused(_("请先认领，再登记监管情况。"), code="not_claimed")
        if action not in SupervisionAction.values or result not in SupervisionResult.values:
            raise Refused(_("请选择监管措施和监管结果。"), code="invalid_choice")
        note = (note or "").strip()
        if not note:
            raise Refused(_("请填写监管情况说明。"), code="note_required")
        _now, today = moment(None)
        day = on or today
        if day > today:
            raise Refused(_("监管日期不能晚于今天。"), code="future_date")
        licence = ticket.licence or _licence_of(ticket)
        record = SupervisionRecord.objects.create(
            ticket=ticket, licence=licence, action=action, result=result, note=note, on=day,
            actor=actor)
        append_event(actor=actor, kind="coordination.supervise",
                     subject=f"claim:{ticket.pk}",
                     payload={"record": record.pk, "action": action, "result": result,
                              "licence": licence.identifier if licence else ""})
        return record


def _licence_of(ticket: ClaimTicket) -> Licence | None:
    if ticket.case_id is None:
        return None
    return Licence.objects.filter(case_id=ticket.case_id).order_by("-id").first()


def _step(report: ProblemReport, side: str, actor: Any, text: str, now: dt.datetime,
          kind: str, payload: dict[str, Any]) -> ProblemStep:
    audit = append_event(actor=actor, kind=f"coordination.{kind}",
                         subject=f"problem:{report.pk}", payload=payload)
    return ProblemStep.objects.create(report=report, side=side, text=text, actor=actor,
                                      actor_name=actor_name(actor), at=now,
                                      audit_seq=audit.seq)


def report_problem(*, actor: Any, ticket_id: int, kind: str, facts: str,
                   at: dt.datetime | None = None) -> ProblemReport:
    """问题反馈: the department reports the licence of a claimed ticket back to the bureau
    (obtained by fraud → 撤销, 第69条; conditions no longer met → 撤回/吊销/注销)."""
    with transaction.atomic():
        ticket = _own_ticket(actor, ticket_id)
        if ticket.claimed_at is None:
            raise Refused(_("请先认领，再反馈问题。"), code="not_claimed")
        if kind not in ProblemKind.values:
            raise Refused(_("请选择问题类型。"), code="invalid_kind")
        facts = (facts or "").strip()
        if not facts:
            raise Refused(_("请写明发现的事实和证据。"), code="facts_required")
        licence = ticket.licence or _licence_of(ticket)
        if licence is None:
            raise Refused(_("该办件没有电子证照，无法反馈证照问题。"), code="no_licence")
        if ProblemReport.objects.filter(licence=licence, status=ProblemStatus.OPEN).exists():
            raise Refused(_("该证照已有待处理的问题反馈。"), code="report_open", status=409)
        now, _today = moment(at)
        report = ProblemReport.objects.create(
            ticket=ticket, licence=licence, department_id=ticket.department_id, kind=kind,
            facts=facts, reported_by=actor, reported_at=now)
        _step(report, "dept", actor, _("反馈问题：%(kind)s。%(facts)s")
              % {"kind": ProblemKind(kind).label, "facts": facts}, now, "problem_report",
              {"licence": licence.identifier, "kind": kind})
        return report


# --- writes by the bureau ----------------------------------------------------------------

def reports_for(user: Any) -> Any:
    rows = ProblemReport.objects.select_related("licence", "department", "reported_by",
                                                "handled_by")
    dept = department_id_of(user)
    if dept is not None:
        return rows.filter(department_id=dept)
    if is_bureau(user, BUREAU_READERS):
        return rows
    return rows.none()


def get_report(user: Any, report_id: int) -> ProblemReport:
    report = reports_for(user).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("问题反馈不存在。"))
    return report


def _bureau_report(actor: Any, report_id: int) -> ProblemReport:
    if not is_bureau(actor):
        if department_id_of(actor) is not None or is_bureau(actor, BUREAU_READERS):
            raise Forbidden(_("只有审批局的科长或局长可以处理问题反馈。"))
        raise NotFound(_("问题反馈不存在。"))
    report = ProblemReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("问题反馈不存在。"))
    if report.status != ProblemStatus.OPEN:
        raise Refused(_("该问题反馈已处理。"), code="report_closed", status=409)
    return report


def open_procedure(*, actor: Any, report_id: int, operation: str, reason: str,
                   at: dt.datetime | None = None) -> ProblemReport:
    """The bureau opens the procedure the report calls for, by the licence library's own
    service (its state change, legal basis and audit event): 撤销 for fraud (行政许可法
    第69条第二款: 被许可人以欺骗、贿赂等不正当手段取得行政许可的，应当予以撤销), 撤回 /
    吊销 / 注销 where the conditions are no longer met (第8条, 行政处罚法 第9条, 第70条)."""
    with transaction.atomic():
        report = _bureau_report(actor, report_id)
        allowed = PROCEDURES.get(report.kind, ())
        if operation not in allowed:
            raise Refused(_("该类问题只能启动：%(ops)s。")
                          % {"ops": "、".join(licence_services.op_label(o) for o in allowed)},
                          code="procedure_not_allowed")
        reason = (reason or "").strip()
        if not reason:
            raise Refused(_("请写明启动程序的理由。"), code="reason_required")
        try:
            licence_services.change_state(actor=actor, licence=report.licence_id,
                                          operation=operation, reason=reason)
        except LicenceError as exc:
            raise Refused(exc.message, code=exc.code, status=exc.status) from exc
        now, _today = moment(at)
        report.status, report.operation = ProblemStatus.STARTED, operation
        report.handled_by, report.handled_at, report.handling_note = actor, now, reason
        report.save()
        _step(report, "bureau", actor, _("启动%(op)s程序：%(reason)s")
              % {"op": licence_services.op_label(operation), "reason": reason}, now,
              "problem_procedure", {"operation": operation})
        return report


def dismiss_report(*, actor: Any, report_id: int, reason: str,
                   at: dt.datetime | None = None) -> ProblemReport:
    with transaction.atomic():
        report = _bureau_report(actor, report_id)
        reason = (reason or "").strip()
        if not reason:
            raise Refused(_("不予启动须写明理由。"), code="reason_required")
        now, _today = moment(at)
        report.status, report.handled_by, report.handled_at = ProblemStatus.DISMISSED, actor, now
        report.handling_note = reason
        report.save()
        _step(report, "bureau", actor, _("不予启动程序：%(reason)s") % {"reason": reason}, now,
              "problem_dismiss", {})
        return report


def problem_timeline(report: ProblemReport) -> list[dict[str, Any]]:
    """Both sides' steps on a report, with the licence's own state changes and the
    department's supervision records, in time order."""
    rows: list[dict[str, Any]] = [
        {"at": s.at, "side": s.get_side_display(), "who": s.actor_name, "text": s.text}
        for s in report.steps.all()]
    for e in LicenceEvent.objects.filter(licence_id=report.licence_id,
                                         at__gte=report.reported_at):
        rows.append({"at": e.at, "side": _("电子证照库"), "who": actor_name(e.actor),
                     "text": _("证照状态：%(from)s → %(to)s（%(basis)s）")
                     % {"from": licence_services.state_label(e.from_state),
                        "to": licence_services.state_label(e.to_state),
                        "basis": e.legal_basis}})
    if report.ticket_id:
        for r in report.ticket.records.all():
            rows.append({"at": timezone.make_aware(dt.datetime.combine(r.on, dt.time(9))),
                         "side": _("主管部门"), "who": actor_name(r.actor),
                         "text": f"{r.get_action_display()}：{r.get_result_display()}。{r.note}"})
    return sorted(rows, key=lambda r: r["at"])
