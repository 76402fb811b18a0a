"""Tickets (取号) and calling at the window (叫号).

Taking a ticket locks the category's counter row of the day (select_for_update), so two
kiosks never print the same number. Calling takes the first waiting ticket the window may
call — checked-in appointments and transfers first, then first in, first out — with
`select_for_update(skip_locked=True)` on PostgreSQL (two windows skip each other's row) and
the write lock taken at BEGIN on SQLite (IMMEDIATE transactions queue); the state change is
a conditional UPDATE as well, so even a database without row locks never hands one ticket
to two windows."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneseal.applicants.models import Person
from oneseal.cases.errors import CaseNotFound
from oneseal.cases.permissions import access_case
from oneseal.core.identity import normalize_id_number

from ..displays import screens_changed
from ..domain.hours import ticket_number
from ..errors import HallError
from ..models import (
    Appointment,
    AppointmentState,
    QueueCategory,
    Ticket,
    TicketCounter,
    TicketState,
    Window,
    WindowKind,
    WindowSignIn,
)
from ..selectors import get_hall, window_queue

OPEN_AT_WINDOW = (TicketState.CALLED, TicketState.SERVING)


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


def _next_seq(category: QueueCategory, day: dt.date) -> int:
    TicketCounter.objects.bulk_create([TicketCounter(category=category, day=day)],
                                      ignore_conflicts=True)
    counter = TicketCounter.objects.select_for_update().get(category=category, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _check_in(code: str, now: dt.datetime) -> Appointment:
    appointment = (Appointment.objects.select_for_update().select_related("category")
                   .filter(code=code.strip()).first())
    if appointment is None or appointment.state != AppointmentState.BOOKED:
        raise HallError(_("预约码无效或已使用。"), code="appointment_unknown", status=404)
    ends = timezone.make_aware(dt.datetime.combine(appointment.day, appointment.slot_end))
    if appointment.day != _today(now) or now >= ends:
        raise HallError(_("该预约不在今天或已过预约时段，请普通取号。"),
                        code="appointment_not_now")
    appointment.state, appointment.checked_in_at = AppointmentState.CHECKED_IN, now
    appointment.save(update_fields=["state", "checked_in_at"])
    return appointment


def ticket_take(*, category_id: int | None, id_number: str = "", appointment_code: str = "",
                now: dt.datetime | None = None) -> Ticket:
    """Take a ticket at the kiosk (no login). With an appointment code: check the
    appointment in (its category, priority). With an ID number: the visitor's person row
    when known, so that intake pre-selects the applicant."""
    now = now or timezone.now()
    hall = get_hall()
    if hall is None:
        raise HallError(_("大厅尚未设置。"), code="no_hall", status=404)
    number = ""
    if id_number.strip():
        try:
            number = normalize_id_number(id_number, today=_today(now))
        except ValidationError as exc:
            raise HallError(exc.messages[0], code="bad_id_number", status=400) from exc
    with transaction.atomic():
        appointment = _check_in(appointment_code, now) if appointment_code.strip() else None
        if appointment is not None:
            category = appointment.category
        else:
            category = QueueCategory.objects.filter(pk=category_id, hall=hall,
                                                    is_active=True).first()
            if category is None:
                raise HallError(_("请选择办理类别。"), code="category_unknown", status=404)
        seq = _next_seq(category, _today(now))
        screens_changed(hall.pk)
        return Ticket.objects.create(
            hall=hall, category=category, day=_today(now), seq=seq,
            number=ticket_number(category.letter, seq), token=secrets.token_urlsafe(16),
            priority=appointment is not None, id_number=number,
            person=Person.objects.filter(id_number=number).first() if number else None,
            appointment=appointment, taken_at=now, queued_at=now)


def access_window(*, user: Any, window_id: int, for_update: bool = False) -> Window:
    """The window, when `user` is signed in to it now; else refused (403)."""
    if not user.is_authenticated:
        raise HallError(_("请先在窗口签到。"), code="not_signed_in", status=403)
    qs = WindowSignIn.objects.filter(user=user, ended_at=None, window_id=window_id)
    if not qs.exists():
        raise HallError(_("请先在窗口签到。"), code="not_signed_in", status=403)
    windows = Window.objects.select_related("hall")
    if for_update:
        windows = windows.select_for_update()
    return windows.get(pk=window_id)


def _ticket_at(window: Window, ticket_id: int, states: tuple[str, ...]) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id, window=window).first()
    if ticket is None:
        raise HallError(_("该号不在本窗口。"), code="ticket_not_here", status=404)
    if ticket.state not in states:
        raise HallError(_("该号当前状态不允许此操作。"), code="ticket_state",
                        state=ticket.state)
    return ticket


def call_next(*, actor: Any, window_id: int, now: dt.datetime | None = None) -> Ticket | None:
    """下一位: call the next waiting ticket this window serves, or None when nobody waits.
    Refused while the window is paused or the clerk still has a called or served ticket."""
    now = now or timezone.now()
    with transaction.atomic():
        window = access_window(user=actor, window_id=window_id)
        if window.paused:
            raise HallError(_("窗口已暂停服务，请先恢复。"), code="window_paused")
        if Ticket.objects.filter(window=window, clerk=actor, state__in=OPEN_AT_WINDOW,
                                 day=_today(now)).exists():  # yesterday's do not block
            raise HallError(_("请先办结、过号或转移当前的号。"), code="window_busy")
        queue = window_queue(window, _today(now))
        if connection.features.has_select_for_update_skip_locked:
            # one row: a LIMIT 5 would lock five and hide them from the other windows
            candidates = list(queue.select_for_update(skip_locked=True, of=("self",))[:1])
        else:
            candidates = list(queue[:5])
        for candidate in candidates:
            updates: dict[str, Any] = {
                "state": TicketState.CALLED, "window": window, "clerk": actor,
                "called_at": now, "last_called_at": now, "call_count": F("call_count") + 1}
            if window.kind == WindowKind.CONSULTATION and candidate.first_responder_id is None:
                updates["first_responder"] = actor  # 首问负责
            taken = Ticket.objects.filter(pk=candidate.pk, state=TicketState.WAITING).update(
                **updates)
            if taken:
                screens_changed(window.hall_id)
                return Ticket.objects.get(pk=candidate.pk)
    return None


def recall(*, actor: Any, window_id: int, ticket_id: int,
           now: dt.datetime | None = None) -> Ticket:
    """重呼: call the same ticket again."""
    now = now or timezone.now()
    with transaction.atomic():
        window = access_window(user=actor, window_id=window_id)
        ticket = _ticket_at(window, ticket_id, (TicketState.CALLED,))
        ticket.call_count += 1
        ticket.last_called_at = now
        ticket.save(update_fields=["call_count", "last_called_at"])
        screens_changed(window.hall_id)
    return ticket


def start_serving(*, actor: Any, window_id: int, ticket_id: int,
                  now: dt.datetime | None = None) -> Ticket:
    """The visitor came to the window: 开始办理."""
    now = now or timezone.now()
    with transaction.atomic():
        window = access_window(user=actor, window_id=window_id)
        ticket = _ticket_at(window, ticket_id, (TicketState.CALLED,))
        ticket.state, ticket.served_at, ticket.clerk = TicketState.SERVING, now, actor
        ticket.save(update_fields=["state", "served_at", "clerk"])
        screens_changed(window.hall_id)
    return ticket


def finish(*, actor: Any, window_id: int, ticket_id: int,
           now: dt.datetime | None = None) -> Ticket:
    """办结: the service at the window is over."""
    now = now or timezone.now()
    with transaction.atomic():
        window = access_window(user=actor, window_id=window_id)
        ticket = _ticket_at(window, ticket_id, (TicketState.SERVING,))
        ticket.state, ticket.finished_at = TicketState.DONE, now
        ticket.save(update_fields=["state", "finished_at"])
        screens_changed(window.hall_id)
    return ticket


def skip(*, actor: Any, window_id: int, ticket_id: int,
         now: dt.datetime | None = None) -> Ticket:
    """过号: the called visitor did not come."""
    now = now or timezone.now()
    with transaction.atomic():
        window = access_window(user=actor, window_id=window_id)
        ticket = _ticket_at(window, ticket_id, (TicketState.CALLED,))
        ticket.state, ticket.finished_at = TicketState.NO_SHOW, now
        ticket.save(update_fields=["state", "finished_at"])
        screens_changed(window.hall_id)
    return ticket


def transfer(*, actor: Any, window_id: int, ticket_id: int, to_window_id: int | None = None,
             to_category_id: int | None = None, now: dt.datetime | None = None) -> Ticket:
    """转移: send the visitor to another window or category. This ticket ends as
    `transferred`; its successor keeps the number, waits first in line (priority) and
    carries the 首问 responsible person. Returns the successor."""
    now = now or timezone.now()
    if (to_window_id is None) == (to_category_id is None):
        raise HallError(_("请选择转往的窗口或类别。"), code="transfer_target", status=400)
    with transaction.atomic():
        window = access_window(user=actor, window_id=window_id)
        ticket = _ticket_at(window, ticket_id, OPEN_AT_WINDOW)
        target_window = None
        category = ticket.category
        if to_window_id is not None:
            target_window = Window.objects.filter(pk=to_window_id, hall=window.hall_id,
                                                  is_active=True).exclude(pk=window.pk).first()
            if target_window is None:
                raise HallError(_("转往的窗口不存在。"), code="transfer_target", status=400)
        else:
            found = QueueCategory.objects.filter(pk=to_category_id, hall=window.hall_id,
                                                 is_active=True).first()
            if found is None:
                raise HallError(_("转往的类别不存在。"), code="transfer_target", status=400)
            category = found
        ticket.state, ticket.finished_at = TicketState.TRANSFERRED, now
        ticket.save(update_fields=["state", "finished_at"])
        screens_changed(window.hall_id)
        return Ticket.objects.create(
            hall=ticket.hall, category=category, day=ticket.day, seq=ticket.seq,
            number=ticket.number, token=secrets.token_urlsafe(16), priority=True,
            id_number=ticket.id_number, person=ticket.person, target_window=target_window,
            first_responder=ticket.first_responder, transferred_from=ticket, case=ticket.case,
            taken_at=ticket.taken_at, queued_at=now)


def set_paused(*, actor: Any, window_id: int, paused: bool) -> Window:
    """暂停 / 恢复服务 of the window."""
    with transaction.atomic():
        window = access_window(user=actor, window_id=window_id, for_update=True)
        window.paused = paused
        window.save(update_fields=["paused"])
    return window


def link_case(*, actor: Any, ticket_id: int, case_id: int) -> Ticket:
    """Record the case a visit became (受理 from the ticket): only the clerk serving the
    ticket, at his window, and only once."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None or ticket.clerk_id != getattr(actor, "pk", None) \
                or ticket.window_id is None:
            raise HallError(_("该号不在本窗口。"), code="ticket_not_here", status=404)
        access_window(user=actor, window_id=ticket.window_id)
        if ticket.state != TicketState.SERVING or ticket.case_id is not None:
            raise HallError(_("该号当前状态不允许此操作。"), code="ticket_state",
                            state=ticket.state)
        try:
            case = access_case(user=actor, case_id=case_id)
        except CaseNotFound as exc:
            raise HallError(_("办件不存在。"), code="case_unknown", status=404) from exc
        ticket.case = case
        ticket.save(update_fields=["case"])
    return ticket
