"""The event outbox (事件发件箱, work-plan measure 九 信息共享): every case milestone, decision
and licence state change becomes one CloudEvents 1.0 event, written in the transaction of
the change (the case services' `case_event_recorded` signal; the licence library's
`Licence` and `LicenceEvent` rows), with one webhook delivery per matching subscription.

The service API for other modules (e.g. the 审管互动 claim inbox):

    from oneseal.coordination import events
    events.emit(events.CASE_DECIDED, case=case, data={...}, subject=case.number)

runs in the caller's transaction and returns the `Event`; `event_emitted(event)` is sent
after the row is written (inside the transaction) for receivers in this app. `EVENT_TYPES`
lists every type with its Chinese label.

Ordering: each event has a `stream` ("case:<id>", or "licence:<id>" for a licence without
a case) and a sequence number `seq` in it, 1, 2, 3… without gaps, taken from the stream's
counter row under its lock; subscribers receive a stream's events in that order.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from oneseal.core.masking import mask_id_number, mask_name

from .models_events import DeliveryState, Event, EventStream, Subscription, WebhookDelivery

SPECVERSION = "1.0"
DATACONTENTTYPE = "application/json"
PREFIX = "cn.oneseal."

CASE_RECEIVED = "cn.oneseal.case.received"
CASE_CORRECTION = "cn.oneseal.case.correction_requested"
CASE_ACCEPTED = "cn.oneseal.case.accepted"
CASE_REFUSED = "cn.oneseal.case.refused"
CASE_SPECIAL = "cn.oneseal.case.special_started"
CASE_EXTENDED = "cn.oneseal.case.extended"
CASE_DECIDED = "cn.oneseal.case.decided"
CASE_READY = "cn.oneseal.case.ready"
CASE_DELIVERED = "cn.oneseal.case.delivered"
CASE_WITHDRAWN = "cn.oneseal.case.withdrawn"
CASE_TERMINATED = "cn.oneseal.case.terminated"
LICENCE_ISSUED = "cn.oneseal.licence.issued"
LICENCE_SUSPENDED = "cn.oneseal.licence.suspended"
LICENCE_RESTORED = "cn.oneseal.licence.restored"
LICENCE_WITHDRAWN = "cn.oneseal.licence.withdrawn"
LICENCE_REVOKED = "cn.oneseal.licence.revoked"
LICENCE_CANCELLED = "cn.oneseal.licence.cancelled"
LICENCE_PENALISED = "cn.oneseal.licence.penalised"
LICENCE_EXPIRED = "cn.oneseal.licence.expired"
LICENCE_RENEWED = "cn.oneseal.licence.renewed"

#: Every event type and what it means (stable: subscribers filter on these strings).
EVENT_TYPES: dict[str, Any] = {
    CASE_RECEIVED: _("办件已收件"),
    CASE_CORRECTION: _("一次性告知补正"),
    CASE_ACCEPTED: _("办件已受理"),
    CASE_REFUSED: _("不予受理"),
    CASE_SPECIAL: _("进入特别程序"),
    CASE_EXTENDED: _("办理期限延长"),
    CASE_DECIDED: _("已作出许可决定"),
    CASE_READY: _("决定书已用印，可以领取"),
    CASE_DELIVERED: _("已送达"),
    CASE_WITHDRAWN: _("申请人撤回申请"),
    CASE_TERMINATED: _("办件终止"),
    LICENCE_ISSUED: _("电子证照已颁发"),
    LICENCE_SUSPENDED: _("证照暂扣"),
    LICENCE_RESTORED: _("证照恢复"),
    LICENCE_WITHDRAWN: _("证照撤回"),
    LICENCE_REVOKED: _("证照撤销"),
    LICENCE_CANCELLED: _("证照注销"),
    LICENCE_PENALISED: _("证照吊销"),
    LICENCE_EXPIRED: _("证照失效"),
    LICENCE_RENEWED: _("证照视为准予延续"),
}

#: The case history's operations (`CaseEvent.kind`) that are milestones, and their type.
CASE_OPERATIONS = {
    "submit": CASE_RECEIVED, "correction_notice": CASE_CORRECTION, "accept": CASE_ACCEPTED,
    "refuse": CASE_REFUSED, "special_start": CASE_SPECIAL, "decide": CASE_DECIDED,
    "decide_on_spot": CASE_DECIDED, "deliver": CASE_DELIVERED, "withdraw": CASE_WITHDRAWN,
    "terminate": CASE_TERMINATED,
}
EXTENSION_OPERATIONS = {"extension_approve", "extension_government"}

#: The licence library's operations (`LicenceEvent.operation`) and their type.
LICENCE_OPERATIONS = {
    "suspend": LICENCE_SUSPENDED, "restore": LICENCE_RESTORED, "withdraw": LICENCE_WITHDRAWN,
    "revoke": LICENCE_REVOKED, "cancel": LICENCE_CANCELLED, "penalise": LICENCE_PENALISED,
    "expire": LICENCE_EXPIRED, "deem_renew": LICENCE_RENEWED,
}

#: Sent inside the emitting transaction once the event and its deliveries are written.
event_emitted = Signal()


def source() -> str:
    """The CloudEvents `source` of this installation: ``/oneseal/<bureau credit code>``."""
    return str(getattr(settings, "ONESEAL_EVENT_SOURCE", "")
               or f"/oneseal/{settings.ONESEAL_BUREAU_CODE}")


def _next_seq(stream: str) -> int:
    EventStream.objects.bulk_create([EventStream(key=stream, last=0)], ignore_conflicts=True)
    counter = EventStream.objects.select_for_update().get(key=stream)
    EventStream.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return counter.last + 1


def matches(subscription: Subscription, event: Event, item_ids: set[int],
            department_ids: set[int]) -> bool:
    """Whether `event` passes the subscription's filters (an empty filter passes all)."""
    if subscription.types and event.type not in subscription.types:
        return False
    if item_ids and event.item_id not in item_ids:
        return False
    return not (department_ids and event.department_id not in department_ids)


# The active subscriptions and their filters, kept SUBSCRIPTIONS_TTL seconds in each process
# (emitting an event costs one query less per subscription); any change of a subscription in
# this process clears it (`forget_subscriptions`), another process's change is seen within
# the TTL. A subscription switched off meanwhile gets nothing: delivery checks `active`.
# Tests (ONESEAL_TESTING) read them every time: their rolled-back rows must not linger.
SUBSCRIPTIONS_TTL = 0.0 if os.environ.get("ONESEAL_TESTING") else 5.0
_cache: dict[str, Any] = {"at": -1e9, "rows": []}


def forget_subscriptions(*args: Any, **kwargs: Any) -> None:
    _cache["at"] = -1e9


def _active_subscriptions() -> list[tuple[Subscription, set[int], set[int]]]:
    import time

    now = time.monotonic()
    if now - _cache["at"] > SUBSCRIPTIONS_TTL or SUBSCRIPTIONS_TTL <= 0:
        subs = Subscription.objects.filter(active=True).prefetch_related("items",
                                                                        "departments")
        _cache["rows"] = [(sub, {i.pk for i in sub.items.all()},
                           {d.pk for d in sub.departments.all()}) for sub in subs]
        _cache["at"] = now
    return list(_cache["rows"])


def _fan_out(event: Event) -> int:
    rows = []
    for sub, items, departments in _active_subscriptions():
        if matches(sub, event, items, departments):
            rows.append(WebhookDelivery(subscription=sub, event=event, stream=event.stream,
                                        seq=event.seq, state=DeliveryState.PENDING,
                                        next_attempt_at=event.time))
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


#: Queues a delivery run (`tasks_events`, which imports the delivery; named by its path so
#: that the outbox does not import the worker's side).
ENQUEUE_PATH = "oneseal.coordination.tasks_events.enqueue_delivery"


def _enqueue_delivery() -> None:
    import_string(ENQUEUE_PATH)()


def emit(type: str, *, data: dict[str, Any], subject: str = "", case: Any = None,
         item: Any = None, department: Any = None, stream: str = "",
         time: dt.datetime | None = None) -> Event:
    """Write one event (and its deliveries) in the caller's transaction. The stream is the
    case's unless `stream` names another; item and department default to the case's."""
    if not type.startswith(PREFIX):
        raise ValueError(f"event type must start with {PREFIX}: {type}")
    with transaction.atomic():
        key = stream or (f"case:{case.pk}" if case is not None else "")
        if not key:
            raise ValueError("an event needs a case or a stream")
        if case is not None:
            item = item if item is not None else case.item
            department = department if department is not None else case.department
        event = Event.objects.create(
            type=type, source=source(), subject=subject[:100], time=time or timezone.now(),
            stream=key, seq=_next_seq(key), case=case, item=item, department=department,
            data=json.loads(json.dumps(data, default=str)))
        if _fan_out(event):
            transaction.on_commit(_enqueue_delivery)
        event_emitted.send(sender=Event, event=event)
        return event


def envelope(event: Event) -> dict[str, Any]:
    """The event as CloudEvents 1.0 JSON (structured mode), plus the extension attributes
    `sequence` (the number in its stream) and `stream`; the webhook body and the pull API's
    items."""
    return {
        "specversion": SPECVERSION, "id": str(event.event_id), "source": event.source,
        "type": event.type, "subject": event.subject,
        "time": event.time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "datacontenttype": DATACONTENTTYPE, "stream": event.stream,
        "sequence": str(event.seq), "data": event.data,
    }


# --- the data of case and licence events --------------------------------------------------

def _applicant(case: Any) -> str:
    # organisations by name (public); persons masked (个人信息保护法 第28条)
    if case.organisation_id:
        return str(case.applicant_name)
    return mask_name(case.applicant_name)


def case_type(case_event: Any) -> str | None:
    """The event type of a case history row, or None for an internal step."""
    kind, data = case_event.kind, case_event.data or {}
    if kind in CASE_OPERATIONS:
        return CASE_OPERATIONS[kind]
    if kind in EXTENSION_OPERATIONS and data.get("approved"):
        return CASE_EXTENDED
    if kind == "seal" and case_event.state_to == "ready":
        return CASE_READY
    return None


def case_data(case: Any, case_event: Any) -> dict[str, Any]:
    department = case.department
    return {
        "case_number": case.number, "operation": case_event.kind,
        "history_seq": case_event.seq, "on": case_event.on,
        "state_from": case_event.state_from, "state": case_event.state_to or case.state,
        "outcome": case.outcome or "", "reason": case_event.reason,
        "item_code": case.item.implementation_code, "item_name": case.item_name,
        "department_code": department.code if department else "",
        "department_name": department.name if department else "",
        "applicant_kind": case.applicant_kind, "applicant_name": _applicant(case),
        "promised_due": case.promised_due, "decided_on": case.decided_on,
    }


def on_case_event(case: Any, case_event: Any) -> Event | None:
    """The outbox's half of `case_event_recorded`: a milestone becomes an event."""
    type_ = case_type(case_event)
    if type_ is None:
        return None
    return emit(type_, case=case, subject=case.number, data=case_data(case, case_event),
                time=case_event.at)


def licence_data(licence: Any, *, operation: str, from_state: str, to_state: str,
                 reason: str = "", legal_basis: str = "") -> dict[str, Any]:
    holder = licence.holder_name
    if licence.holder_person_id:
        holder = mask_name(holder)
    return {
        "identifier": licence.identifier, "number": licence.number,
        "type_code": licence.type.code, "name": licence.name, "operation": operation,
        "from_state": from_state, "state": to_state, "reason": reason,
        "legal_basis": legal_basis, "holder_name": holder,
        "holder_id": licence.holder_id_masked if licence.holder_person_id
        else licence.holder_id,
        "item_code": licence.item_code, "item_name": licence.item_name,
        "valid_from": licence.valid_from, "valid_to": licence.valid_to,
        "case_number": licence.case.number if licence.case_id else "",
    }


def _licence_emit(licence: Any, type_: str, data: dict[str, Any],
                  at: dt.datetime | None) -> Event:
    case = licence.case if licence.case_id else None
    item = case.item if case is not None else licence.type.item
    return emit(type_, case=case, item=item, subject=licence.identifier, data=data,
                stream="" if case is not None else f"licence:{licence.pk}", time=at)


def on_licence_issued(licence: Any) -> Event:
    data = licence_data(licence, operation="issue", from_state="", to_state=licence.state)
    return _licence_emit(licence, LICENCE_ISSUED, data, licence.state_changed_at)


def on_licence_event(licence_event: Any) -> Event | None:
    type_ = LICENCE_OPERATIONS.get(licence_event.operation)
    if type_ is None:
        return None
    licence = licence_event.licence
    data = licence_data(licence, operation=licence_event.operation,
                        from_state=licence_event.from_state, to_state=licence_event.to_state,
                        reason=licence_event.reason, legal_basis=licence_event.legal_basis)
    return _licence_emit(licence, type_, data, licence_event.at)


__all__ = ["EVENT_TYPES", "emit", "envelope", "event_emitted", "mask_id_number"]
