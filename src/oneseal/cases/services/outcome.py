"""Decision (第37–38条), delivery (第44条), withdrawal, termination and reopening."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.catalog.models import Item
from oneseal.core.audit import append_event, audit_frame
from oneseal.core.identity import normalize_id_number
from oneseal.core.masking import mask_id_number

from .. import documents
from ..domain.states import CaseState, IllegalTransition, Operation, next_state
from ..errors import CaseForbidden, IllegalState, RuleViolation
from ..models import (
    Case,
    Delivery,
    DeliveryMethod,
    DocumentKind,
    OnSpotAuthorisation,
    Opinion,
    Outcome,
    StepState,
)
from ..permissions import is_owner
from ..signals import case_decided
from .frame import (
    _begin,
    _check_decision,
    _close,
    _close_open_procedure,
    _finish_step,
    _issue_decision,
    _lock,
    _moment,
    _record,
    _reopen_target,
    _required_text,
    _set_decision,
    current_step,
)


def case_decide(*, actor: Any, case: Case | int, outcome: str, reasons: str = "",
                at: dt.datetime | None = None) -> Case:
    """作出决定 at the final step: 准予 or 不予许可. A refusal gives its reasons and the
    remedies (行政许可法 第38条, on the decision document). Only the body that may exercise
    the item on that day decides it (第25条: a transferred item only by the bureau)."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.DECIDE, at)
        step = current_step(case)
        assert step is not None
        outcome, reasons = _check_decision(actor, case, outcome, reasons, today)
        _finish_step(step, actor=actor, now=now, today=today,
                     opinion=Opinion.GRANT if outcome == Outcome.GRANTED else Opinion.REFUSE,
                     comment=reasons)
        state_from = case.state
        _set_decision(case, actor, outcome, reasons, today)
        _record(case, actor=actor, op=Operation.DECIDE, now=now, today=today,
                state_from=state_from, reason=reasons,
                data={"outcome": outcome, "steps_completed": [f"{step.order}.{step.round}"]})
        _issue_decision(case, actor, today, reasons)
        case_decided.send(sender=Case, case=case, actor=actor)
        return case


def case_mark_ready(*, case: Case | int, at: dt.datetime | None = None) -> Case:
    """签章完成: the decision now carries the bureau's seal, so the case may be delivered
    (已签章，待送达). A system operation without an actor: the signing pipeline
    (`oneseal.licences.signing`) calls it once every approval-seal use of the decision (the
    decision document and, on a grant with a licence type, the licence) is signed. It is
    offered on no page and no endpoint. The delivery clock (第44条) keeps running from the
    decision day: sealing is part of the time the bureau has to deliver."""
    with audit_frame():
        case = _lock(case)
        try:
            next_state(Operation.SEAL, CaseState(case.state))
        except IllegalTransition as exc:
            raise IllegalState(Operation.SEAL, case.state) from exc
        now, today = _moment(at)
        today = max(today, case.decided_on or today)
        state_from = case.state
        case.state = CaseState.READY
        _record(case, actor=None, op=Operation.SEAL, now=now, today=today,
                state_from=state_from)
        return case


def case_deliver(*, actor: Any, case: Case | int, method: str, collector_name: str = "",
                 collector_id_number: str = "", carrier: str = "", tracking_number: str = "",
                 address: str = "", note: str = "", at: dt.datetime | None = None) -> Case:
    """统一窗口出件 (行政许可法 第44条, 第26条): record how the decision was delivered — picked
    up at the window (who, with the ID number), posted (carrier and tracking number) or
    delivered electronically (the address) — and issue the 送达回证."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.DELIVER, at)
        if method not in DeliveryMethod.values:
            raise RuleViolation(_("送达方式不正确。"), code="invalid_method")
        collector_name = (collector_name or "").strip()
        id_number = ""
        if method == DeliveryMethod.PICKUP:
            collector_name = _required_text(collector_name, _("请填写领取人姓名。"),
                                            "collector_required")
            try:
                id_number = normalize_id_number(collector_id_number)
            except ValidationError as exc:
                raise RuleViolation(_("领取人身份证号码不正确：%(error)s")
                                    % {"error": " ".join(exc.messages)},
                                    code="invalid_id_number") from exc
        elif method == DeliveryMethod.POST:
            tracking_number = _required_text(tracking_number, _("请填写邮件号。"),
                                             "tracking_required")
        else:
            address = _required_text(address, _("请填写电子送达地址。"), "address_required")
        Delivery.objects.create(
            case=case, method=method, delivered_on=today, recorded_by=actor,
            collector_name=collector_name, collector_id_number=id_number,
            carrier=(carrier or "").strip()[:50], tracking_number=tracking_number.strip()[:50],
            address=(address or "").strip()[:200], note=(note or "").strip()[:200])
        state_from = case.state
        case.state = CaseState.DELIVERED
        case.delivered_on = case.closed_on = today
        _record(case, actor=actor, op=Operation.DELIVER, now=now, today=today,
                state_from=state_from,
                data={"method": method, "collector": collector_name,
                      "collector_id": mask_id_number(id_number) if id_number else "",
                      "tracking_number": tracking_number.strip()})
        documents.issue_document(
            actor=actor, case=case, kind=DocumentKind.DELIVERY_RECEIPT, on=today,
            details={"method": method, "method_label": str(DeliveryMethod(method).label),
                     "delivered_on": today.isoformat(), "collector_name": collector_name,
                     "carrier": carrier, "tracking_number": tracking_number,
                     "address": address})
        return case


def case_withdraw(*, actor: Any, case: Case | int, reason: str,
                  at: dt.datetime | None = None) -> Case:
    """申请人撤回申请: by the applicant, or by a clerk recording the applicant's request."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.WITHDRAW, at)
        reason = _required_text(reason, _("请写明撤回原因。"), "reason_required")
        state_from = case.state
        ended = _close_open_procedure(case, actor, today, _("申请人撤回申请"))
        _close(case, CaseState.WITHDRAWN, today, reason)
        _record(case, actor=actor, op=Operation.WITHDRAW, now=now, today=today,
                state_from=state_from, reason=reason,
                data={"by_applicant": is_owner(actor, case), **ended})
        return case


def case_terminate(*, actor: Any, case: Case | int, reason: str,
                   at: dt.datetime | None = None) -> Case:
    """终止办理 (e.g. the applicant died or was dissolved), by a section chief or the head."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.TERMINATE, at)
        reason = _required_text(reason, _("请写明终止办理的原因。"), "reason_required")
        state_from = case.state
        ended = _close_open_procedure(case, actor, today, _("办件终止"))
        _close(case, CaseState.TERMINATED, today, reason)
        _record(case, actor=actor, op=Operation.TERMINATE, now=now, today=today,
                state_from=state_from, reason=reason, data=ended)
        return case


def case_reopen(*, actor: Any, case: Case | int, reason: str,
                at: dt.datetime | None = None) -> Case:
    """恢复办理: only the bureau head, with a reason; the case returns to where it was when it
    closed (a special procedure that was running is not resumed: start it again)."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.REOPEN, at)
        reason = _required_text(reason, _("请写明恢复办理的原因。"), "reason_required")
        target = _reopen_target(case)
        assert target is not None
        state_from = case.state
        case.state, case.state_before_close = target, ""
        case.closed_on, case.close_reason = None, ""
        step = (case.steps.filter(state=StepState.WAITING).order_by("order", "-round").first())
        data: dict[str, Any] = {}
        if step is not None and (target != CaseState.RECEIVED or step.order == 1):
            step.state = StepState.OPEN
            step.save(update_fields=["state"])
        _record(case, actor=actor, op=Operation.REOPEN, now=now, today=today,
                state_from=state_from, reason=reason, data=data)
        return case


def grant_on_spot_authorisation(*, actor: Any, user: Any, item: Item) -> OnSpotAuthorisation:
    """Authorise a window clerk to decide an on-the-spot item (即办件) at the window."""
    if actor is not None and not actor.has_role(Role.HEAD, Role.SYSADMIN):
        raise CaseForbidden(_("只有局长或系统管理员可以授权即办件当场办结。"))
    if not user.has_role(Role.CLERK):
        raise RuleViolation(_("只能授权综合受理窗口人员。"), code="not_a_clerk")
    with audit_frame():
        auth, _created = OnSpotAuthorisation.objects.update_or_create(
            user=user, item=item, defaults={"granted_by": actor, "revoked_at": None})
        append_event(actor=actor, kind="case.on_spot_authorise", subject=f"user:{user.pk}",
                     payload={"item": item.implementation_code})
    return auth
