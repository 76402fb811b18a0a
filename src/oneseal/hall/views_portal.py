"""The applicant's appointments (我的预约, portal): book a slot per category and day, see
the code to check in at the kiosk, cancel until an hour before."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.core.access import require_roles
from oneseal.core.bounds import parse_id
from oneseal.core.roles import Role

from . import selectors
from .domain.hours import slots
from .errors import HallError
from .forms import BookForm
from .services.appointments import (
    BOOKING_HORIZON_DAYS,
    appointment_book,
    appointment_cancel,
    booking_blocked_until,
)

applicants_only = require_roles(Role.APPLICANT, Role.AGENT)


@applicants_only
def my_appointments(request: HttpRequest) -> HttpResponse:
    """My appointments, and booking: choose a category and an open day, then a slot."""
    hall = selectors.get_hall()
    if hall is None:
        raise Http404
    today = timezone.localdate()
    now = timezone.localtime()
    days = [d for d in (today + dt.timedelta(days=i) for i in range(BOOKING_HORIZON_DAYS + 1))
            if selectors.day_hours(hall, d) is not None]
    categories = list(selectors.categories(hall).filter(bookable=True))
    category_id = parse_id(request.GET.get("category", ""))
    category = next((c for c in categories if c.pk == category_id), None)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    free: list[tuple[dt.time, dt.time, int]] = []
    if category is not None and day in days:
        hours = selectors.day_hours(hall, day)
        used = selectors.slot_usage(category, day)
        for start, end in slots(hours, hall.slot_minutes) if hours else []:
            if day == today and start <= now.time():
                continue
            free.append((start, end, max(0, hall.slot_capacity - used.get(start, 0))))
    return render(request, "hall/my_appointments.html", {
        "hall": hall, "appointments": selectors.my_appointments(request.user)[:50],
        "categories": categories, "days": days, "category": category, "day": day,
        "free": free, "blocked": booking_blocked_until(hall, request.user, today),
        "info": selectors.public_info(hall), "now": now})


@applicants_only
@require_POST
def book(request: HttpRequest) -> HttpResponse:
    form = BookForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择类别、日期和时段。"))
        return redirect("hall_booking:mine")
    data = form.cleaned_data
    try:
        booked = appointment_book(actor=request.user, category_id=data["category"],
                                  day=data["day"], slot_start=data["slot"])
    except HallError as exc:
        messages.error(request, exc.message)
        if exc.status == 403:
            raise Http404 from exc
    else:
        messages.success(request, _("预约成功，预约码 %(code)s。") % {"code": booked.code})
    return redirect("hall_booking:mine")


@applicants_only
@require_POST
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    try:
        appointment_cancel(actor=request.user, appointment_id=appointment_id)
    except HallError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预约已取消。"))
    return redirect("hall_booking:mine")
