"""The common frame of every case service: lock, check, record (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.applicants.models import Person
from oneseal.catalog.exceptions import NotCompetentError
from oneseal.catalog.selectors import ensure_may_exercise, legal_body
from oneseal.core.audit import PendingAuditEvent, append_event
from oneseal.core.models import AuditEvent
from oneseal.core.workcalendar.domain import CaseClocks, ClockError, acceptance_date
from oneseal.core.workcalendar.selectors import get_work_calendar

from .. import clocks, documents
from ..domain.states import CaseState, IllegalTransition, Operation, next_state
from ..errors import CaseForbidden, CaseNotFound, IllegalState, RuleViolation
from ..models import (
    Case,
    CaseEvent,
    CaseStep,
    CheckStatus,
    DocumentKind,
    Outcome,
    StepState,
)
from ..permissions import can_see, may, open_step
from ..signals import case_deciding, case_event_recorded

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
HEARING_REQUEST_DAYS = 5  # 行政许可法 第47条: ask for a hearing within 5 days of being told
HEARING_HOLD_DAYS = 20  # 第47条: hold it within 20 days of the request
HEARING_NOTICE_DAYS = 7  # 第48条: announce time and place 7 days before




def _moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    now = at or timezone.now()
    return now, timezone.localdate(now)


STEP_OPERATIONS = frozenset({Operation.CLAIM, Operation.COMPLETE_STEP, Operation.DECIDE})


def _block() -> Any:
    """The innermost atomic block now open: a service's own transaction block."""
    blocks = transaction.get_connection().atomic_blocks
    return blocks[-1] if blocks else None


def _lock(case: Case | int) -> Case:
    """The case row, locked for this transaction. Within one service's atomic block the row
    is read once: an instance locked in the same block is returned as is (a later service
    call has its own block and locks again)."""
    block = _block()
    if isinstance(case, Case) and block is not None \
            and getattr(case, "_lock_block", None) is block:
        return case
    pk = case.pk if isinstance(case, Case) else int(case)
    # of=("self",): lock the case row only. Without it PostgreSQL also locks the joined item
    # version, shared by every case of the item: a hot row, and — with the deferred
    # foreign-key checks at COMMIT (KEY SHARE on that version) against the audit chain head
    # — a deadlock between two cases of one item (issue 19's profile under 4 writers).
    locked = (Case.objects.select_for_update(of=("self",)).select_related("version")
              .filter(pk=pk).first())
    if locked is None:
        raise CaseNotFound()
    locked._lock_block = block  # type: ignore[attr-defined]
    return locked


def current_step(case: Case) -> CaseStep | None:
    """The open step of a case locked by `_lock`, read once per service call."""
    block = getattr(case, "_lock_block", None)
    if getattr(case, "_step_block", None) is not block or block is None:
        case._open_step = open_step(case)  # type: ignore[attr-defined]
        case._step_block = block  # type: ignore[attr-defined]
    return case._open_step  # type: ignore[attr-defined, no-any-return]


def _begin(actor: Any, case: Case | int, op: Operation,
           at: dt.datetime | None) -> tuple[Case, dt.datetime, dt.date]:
    """Lock, check visibility, the state table and the role rule, in that order."""
    locked = _lock(case)
    if not can_see(actor, locked):
        raise CaseNotFound()
    try:
        next_state(op, CaseState(locked.state),
                   reopen_to=_reopen_target(locked) if op is Operation.REOPEN else None)
    except IllegalTransition as exc:
        raise IllegalState(op, locked.state) from exc
    step = current_step(locked) if op in STEP_OPERATIONS else None
    if not may(actor, op, locked, step):
        raise CaseForbidden(_("您的角色无权对该办件执行此操作。"))
    now, today = _moment(at)
    if at is not None:  # demo, bench and tests place operations in time: keep them in order
        last = locked.events.order_by("-seq").values_list("on", flat=True).first()
        if last is not None and today < last:
            raise RuleViolation(_("操作日期不能早于办件的上一条记录（%(day)s）。")
                                % {"day": last.isoformat()}, code="date_before_history")
    return locked, now, today


def _actor_name(actor: Any) -> str:
    if actor is None:
        return ""
    return (getattr(actor, "display_name", "") or actor.get_username())[:150]


def _record(case: Case, *, actor: Any, op: str, now: dt.datetime, today: dt.date,
            state_from: str, reason: str = "", data: dict[str, Any] | None = None,
            recompute: bool = True) -> CaseEvent:
    """Write the event of an operation (办件记录 + audit chain) and save the case."""
    data = {**(data or {}), **_acting_for(case, actor)}
    case.revision += 1
    audit = append_event(actor=actor, kind=f"case.{op}", subject=f"case:{case.pk}", payload={
        "number": case.number, "from": state_from, "to": case.state, "on": today.isoformat(),
        "reason": reason, "data": data})
    event = CaseEvent.objects.create(
        case=case, seq=case.revision, kind=op, on=today, at=now, actor=actor,
        actor_name=_actor_name(actor), state_from=state_from, state_to=case.state,
        reason=reason, data=data, audit_seq=_written_seq(audit))
    _fill_audit_seq(event, audit)
    if recompute:
        clocks.recompute(case, today=today, save=False)
    case.save()
    case_event_recorded.send(sender=Case, case=case, event=event)
    return event


def _written_seq(audit: AuditEvent | PendingAuditEvent) -> int | None:
    """The audit seq when the event is already written (outside an `audit_frame`)."""
    if isinstance(audit, PendingAuditEvent) and not audit.written:
        return None
    return audit.seq


def _fill_audit_seq(event: CaseEvent, audit: AuditEvent | PendingAuditEvent) -> None:
    """A case event's `audit_seq` is known once its chain event is written — in the audit
    frame's final section: fill it in there (one UPDATE, under the head's lock, before
    COMMIT; the deep audit checks every case event against its chain event)."""
    if event.audit_seq is not None or not isinstance(audit, PendingAuditEvent):
        return

    def fill(written: AuditEvent) -> None:
        event.audit_seq = written.seq
        CaseEvent.objects.filter(pk=event.pk).update(audit_seq=written.seq)

    audit.on_written(fill)


def _acting_for(case: Case, actor: Any) -> dict[str, Any]:
    """Who acted for whom (代为办理): when an applicant's account, an organisation's operator
    or a helper acts on a case whose applicant is an organisation or another person, the
    event and its audit record name the applicant (`acting_for`) and the person behind the
    account (`acting_person`), beside the account itself (`actor`). Ids only: the audit
    chain is append-only and keeps no names or numbers of natural persons. Staff at the
    window act for the bureau, not for the applicant: nothing is added for them."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {}
    if actor.is_staff_member and not actor.has_role(Role.HELPER):
        return {}
    if case.organisation_id is not None:
        principal = {"kind": "organisation", "id": case.organisation_id}
    elif case.person_id is not None and case.person.user_id != actor.pk:
        principal = {"kind": "person", "id": case.person_id}
    else:
        return {}
    person = Person.objects.filter(user=actor).values_list("pk", flat=True).first()
    return {"acting_for": principal, "acting_person": person}


def _required_text(value: str, message: str, code: str) -> str:
    text = (value or "").strip()
    if not text:
        raise RuleViolation(message, code=code)
    return text


def _calendar_due(start: dt.date, days: int) -> dt.date:
    try:
        return get_work_calendar().due_date(start, days)
    except ClockError as exc:
        raise RuleViolation(exc.message(_), code="calendar_not_covered") from exc


def _case_clocks(case: Case, today: dt.date) -> CaseClocks | None:
    """The case's clocks computed now from its events (None when the calendar cannot)."""
    try:
        return clocks.compute(case, get_work_calendar(), as_of=max(today, case.received_on))
    except ClockError:
        return None


def _accepted_by_law(case: Case, today: dt.date) -> dt.date | None:
    """The day from which the application counts as accepted by operation of law at `today`
    (行政许可法 第32条: no correction notice within 5 working days of receiving the materials,
    or of receiving the complete corrections), or None."""
    events = clocks.clock_events(case.events.order_by("seq"))
    try:
        on, deemed = acceptance_date(events, get_work_calendar(), as_of=today)
    except ClockError:
        return None
    return on if deemed else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _finish_step(step: CaseStep, *, actor: Any, now: dt.datetime, today: dt.date,
                 opinion: str, comment: str = "") -> None:
    step.state, step.opinion, step.comment = StepState.DONE, opinion, comment
    step.completed_on, step.completed_at = today, now
    if step.assignee_id is None:
        step.assignee, step.claimed_at = actor, now
    step.save()


def _open(step: CaseStep, today: dt.date) -> dict[str, Any]:
    step.state, step.opened_on = StepState.OPEN, today
    step.assignee, step.claimed_at = None, None
    step.save()
    return {"key": f"{step.order}.{step.round}", "days": step.limit_days}


def _next_waiting(case: Case, after_order: int) -> CaseStep | None:
    return (case.steps.filter(state=StepState.WAITING, order__gt=after_order)
            .order_by("order", "-round").first())


def _close(case: Case, state: CaseState, today: dt.date, reason: str) -> None:
    """Close a case before a decision: remember where it was (for reopening) and park its
    open step so that no task list shows it."""
    case.state_before_close = case.state
    case.state = state
    case.closed_on, case.close_reason = today, reason
    case.steps.filter(state__in=[StepState.OPEN, StepState.CLAIMED]).update(
        state=StepState.WAITING, assignee=None, claimed_at=None)


def _reopen_target(case: Case) -> CaseState | None:
    try:
        before = CaseState(case.state_before_close)
    except ValueError:
        return None
    return CaseState.REVIEWING if before == CaseState.SPECIAL else before


def _ensure_materials_ready(case: Case) -> None:
    not_ready = [m.name for m in case.materials.all()
                 if m.required and m.status not in (CheckStatus.OK, CheckStatus.SHARED,
                                                    CheckStatus.NOT_NEEDED)]
    if not_ready:
        raise RuleViolation(
            _("以下必要材料尚未核验合格，不能受理：%(names)s。") % {"names": "、".join(not_ready)},
            code="materials_not_ready", materials=not_ready)


def _check_decision(actor: Any, case: Case, outcome: str, reasons: str,
                    today: dt.date) -> tuple[str, str]:
    if outcome not in Outcome.values:
        raise RuleViolation(_("决定结果只能是准予许可或不予许可。"), code="invalid_outcome")
    reasons = (reasons or "").strip()
    if outcome == Outcome.REFUSED and not reasons:
        raise RuleViolation(_("依照《行政许可法》第三十八条，不予许可应当说明理由。"),
                            code="reasons_required")
    _ensure_no_open_hearing_window(case, today)
    unit = getattr(actor, "unit", None)
    if unit is None:
        raise CaseForbidden(_("您不属于任何单位，不能作出许可决定。"))
    try:
        ensure_may_exercise(legal_body(unit), case.item, today)
    except NotCompetentError as exc:
        raise RuleViolation(exc.message, code="not_competent") from exc
    case_deciding.send(sender=Case, case=case, actor=actor, outcome=outcome, today=today)
    return outcome, reasons


def _ensure_no_open_hearing_window(case: Case, today: dt.date) -> None:
    """行政许可法 第47条: once told of their right to a hearing, the applicant and the
    interested parties have five days to ask for one; no decision before that window closes,
    unless a hearing has been started since the notice."""
    notice = case.hearing_notices.order_by("-id").first()
    if notice is None or today > notice.request_by:
        return
    if case.special_procedures.filter(kind="hearing", started_on__gte=notice.notified_on
                                      ).exists():
        return
    raise RuleViolation(
        _("依照《行政许可法》第四十七条，申请人、利害关系人可在被告知听证权利之日起五日内"
          "提出听证申请（截至%(last)s），期限届满前不能作出决定。")
        % {"last": notice.request_by.isoformat()}, code="hearing_window_open")


def _set_decision(case: Case, actor: Any, outcome: str, reasons: str, today: dt.date) -> None:
    case.state = CaseState.DECIDED
    case.outcome, case.decision_reasons = outcome, reasons
    case.decided_on, case.decided_by = today, actor


def _issue_decision(case: Case, actor: Any, today: dt.date, reasons: str) -> None:
    kind = (DocumentKind.GRANT_DECISION if case.outcome == Outcome.GRANTED
            else DocumentKind.REFUSAL_DECISION)
    documents.issue_document(actor=actor, case=case, kind=kind, on=today,
                             details={"reasons": reasons})


def _close_open_procedure(case: Case, actor: Any, today: dt.date, why: str) -> dict[str, Any]:
    """End a special procedure still running when the case closes; the returned event data
    ends its suspension on the clock too (第45条), so a reopened case's clock runs again."""
    run = case.special_procedures.filter(ended_on__isnull=True).first()
    if run is None:
        return {}
    run.ended_on, run.ended_by, run.result = today, actor, why
    run.save(update_fields=["ended_on", "ended_by", "result"])
    return {"special_ended": run.kind}
