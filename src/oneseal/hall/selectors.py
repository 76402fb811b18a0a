"""Reads of the hall: the hall and its hours, categories, windows, the queue of a day, the
open sign-in of a clerk, appointments and free slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from oneseal.core.workcalendar.domain.calendar import CalendarNotCovered
from oneseal.core.workcalendar.selectors import get_work_calendar

from .domain.hours import DayHours, hours_for
from .models import (
    Appointment,
    AppointmentState,
    Hall,
    NoShow,
    QueueCategory,
    Ticket,
    TicketState,
    Window,
    WindowSignIn,
)

ACTIVE_APPOINTMENT_STATES = (AppointmentState.BOOKED, AppointmentState.CHECKED_IN)


def get_hall() -> Hall | None:
    """The hall (one per installation), or None before it is configured."""
    return Hall.objects.order_by("id").first()


def weekly_hours(hall: Hall) -> dict[int, DayHours | None]:
    result: dict[int, DayHours | None] = {}
    for row in hall.hours.all():
        if row.closed or row.opens is None or row.closes is None:
            result[row.weekday] = None
        else:
            result[row.weekday] = DayHours(row.opens, row.closes, row.lunch_start,
                                           row.lunch_end)
    return result


def day_hours(hall: Hall, day: dt.date) -> DayHours | None:
    """The hall's hours on `day`; None when closed (holidays of the working-day calendar,
    weekends that are not 调休 working days, a day the calendar does not cover)."""
    calendar = get_work_calendar()

    def is_workday(value: dt.date) -> bool:
        try:
            return calendar.is_workday(value)
        except CalendarNotCovered:
            return False

    return hours_for(day, weekly_hours(hall), is_workday)


def categories(hall: Hall) -> QuerySet[QueueCategory]:
    return hall.categories.filter(is_active=True)


def windows(hall: Hall) -> QuerySet[Window]:
    return hall.windows.filter(is_active=True).prefetch_related("categories")


def open_sign_in(user: Any) -> WindowSignIn | None:
    """The clerk's shift now (签到), or None."""
    if not user.is_authenticated:
        return None
    return (WindowSignIn.objects.select_related("window")
            .filter(user=user, ended_at=None).first())


def signed_in_staff(window: Window) -> list[Any]:
    return [s.user for s in window.sign_ins.filter(ended_at=None).select_related("user")]


def waiting_count(category: QueueCategory, day: dt.date) -> int:
    return Ticket.objects.filter(category=category, day=day, state=TicketState.WAITING,
                                 target_window=None).count()


def waiting_before(ticket: Ticket) -> int:
    """How many tickets of the same queue will be called before this one."""
    if ticket.state != TicketState.WAITING:
        return 0
    if ticket.priority:
        ahead = Q(priority=True, queued_at__lt=ticket.queued_at)
    else:
        ahead = Q(priority=True) | Q(queued_at__lt=ticket.queued_at)
    qs = Ticket.objects.filter(day=ticket.day, state=TicketState.WAITING).exclude(pk=ticket.pk)
    if ticket.target_window_id:
        qs = qs.filter(target_window=ticket.target_window_id)
    else:
        qs = qs.filter(category=ticket.category_id, target_window=None)
    return qs.filter(ahead).count()


def latest_ticket(ticket: Ticket) -> Ticket:
    """The ticket a transferred one became (the phone page follows the visitor)."""
    current = ticket
    for _step in range(20):
        successor = Ticket.objects.filter(transferred_from=current).first()
        if successor is None:
            break
        current = successor
    return current


def window_current(window: Window, user: Any) -> QuerySet[Ticket]:
    """The tickets this clerk has called or is serving at this window today."""
    return Ticket.objects.filter(window=window, clerk=user,
                                 state__in=(TicketState.CALLED, TicketState.SERVING),
                                 day=timezone.localdate()).select_related("category")


def window_queue(window: Window, day: dt.date) -> QuerySet[Ticket]:
    """The waiting tickets this window may call, in calling order."""
    return (Ticket.objects.filter(hall=window.hall_id, day=day, state=TicketState.WAITING)
            .filter(Q(target_window=None, category__in=window.categories.all())
                    | Q(target_window=window))
            .order_by("-priority", "queued_at", "id"))


def slot_usage(category: QueueCategory, day: dt.date) -> dict[dt.time, int]:
    rows = (Appointment.objects.filter(category=category, day=day,
                                       state__in=ACTIVE_APPOINTMENT_STATES)
            .values("slot_start").annotate(n=Count("id")))
    return {row["slot_start"]: row["n"] for row in rows}


def my_appointments(user: Any) -> QuerySet[Appointment]:
    return Appointment.objects.filter(user=user).select_related("category").order_by(
        "-day", "-slot_start")


def no_show_days(user: Any) -> list[dt.date]:
    return list(NoShow.objects.filter(user=user).values_list("day", flat=True))


WEEKDAY_NAMES = (N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"),
                 N_("周日"))


def hours_summary(hall: Hall) -> str:
    """The weekly hours in one line for the public pages and the tickets, e.g.
    周一至周五 9:00–12:00、13:30–17:00（法定节假日休息）; weekdays with equal hours joined."""
    weekly = weekly_hours(hall)
    groups: list[tuple[int, int, DayHours]] = []
    for weekday in range(7):
        hours = weekly.get(weekday)
        if hours is None:
            continue
        if groups and groups[-1][1] == weekday - 1 and groups[-1][2] == hours:
            groups[-1] = (groups[-1][0], weekday, hours)
        else:
            groups.append((weekday, weekday, hours))
    if not groups:
        return ""
    parts = []
    for first, last, hours in groups:
        days = _(WEEKDAY_NAMES[first]) if first == last else _("%(a)s至%(b)s") % {
            "a": _(WEEKDAY_NAMES[first]), "b": _(WEEKDAY_NAMES[last])}
        spans = "、".join(f"{a:%H:%M}–{b:%H:%M}".lstrip("0") for a, b in hours.periods())
        parts.append(f"{days} {spans}")
    return _("%(hours)s（法定节假日休息）") % {"hours": "；".join(parts)}


def public_info(hall: Hall | None) -> dict[str, Any]:
    """What the public pages and the tickets show of the hall."""
    if hall is None:
        return {}
    return {"name": hall.name, "address": hall.address, "hours": hours_summary(hall),
            "phone": hall.phone, "has_map": bool(hall.map_content_type)}


def linkable_cases(ticket: Ticket, user: Any) -> list[Any]:
    """Cases this visit may have become: window cases the clerk may see, received since the
    service began, of the visitor when he is known (at most 10, newest first)."""
    from oneseal.cases.permissions import visible_cases

    if ticket.state != TicketState.SERVING or ticket.case_id or ticket.served_at is None:
        return []
    qs = visible_cases(user).filter(channel="window", received_at__gte=ticket.served_at)
    if ticket.person_id:
        qs = qs.filter(person=ticket.person_id)
    return list(qs.order_by("-received_at")[:10])
