"""Appointments (预约): booking a slot online, cancelling until an hour before, the
no-shows (爽约) that block booking for a while, and the reminder the day before."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from oneseal.core.roles import Role
from oneseal.core.sms import SmsError, send_sms

from ..domain.hours import blocked_until, may_cancel, slots
from ..errors import HallError
from ..models import Appointment, AppointmentState, Hall, NoShow, QueueCategory
from ..selectors import ACTIVE_APPOINTMENT_STATES, day_hours, get_hall, no_show_days

logger = logging.getLogger(__name__)
BOOKING_HORIZON_DAYS = 14
BOOKING_ROLES = (Role.APPLICANT, Role.AGENT)
QUIET_START, QUIET_END = dt.time(20), dt.time(9)  # reminders are sent from 9:00 to 20:00


def _aware(day: dt.date, moment: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, moment))


def booking_blocked_until(hall: Hall, user: Any, today: dt.date) -> dt.date | None:
    """The day booking is allowed again for `user`, when repeated no-shows block it now."""
    until = blocked_until(no_show_days(user), limit=hall.noshow_limit,
                          window_days=hall.noshow_window_days,
                          block_days=hall.noshow_block_days)
    return until if until is not None and today < until else None


def _new_code() -> str:
    while True:
        code = f"{secrets.randbelow(10**8):08d}"
        if not Appointment.objects.filter(code=code).exists():
            return code


def appointment_book(*, actor: Any, category_id: int, day: dt.date, slot_start: dt.time,
                     now: dt.datetime | None = None) -> Appointment:
    """Book a slot: an applicant's account, a bookable category, a day the hall opens
    within the next 14 days, a slot of that day not yet started and not full, no other
    active appointment of the account in that category that day, and not blocked by
    repeated no-shows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not (actor.is_authenticated and actor.has_role(*BOOKING_ROLES)):
        raise HallError(_("请以申请人身份登录后预约。"), code="not_applicant", status=403)
    with transaction.atomic():
        hall = Hall.objects.select_for_update().order_by("id").first()  # serialises bookings
        if hall is None:
            raise HallError(_("大厅尚未设置。"), code="no_hall", status=404)
        category = QueueCategory.objects.filter(pk=category_id, hall=hall, is_active=True,
                                                bookable=True).first()
        if category is None:
            raise HallError(_("该类别不可预约。"), code="category_unknown", status=404)
        until = booking_blocked_until(hall, actor, today)
        if until is not None:
            raise HallError(_("因多次预约未到，%(day)s 前不能预约。") % {"day": until},
                            code="noshow_blocked", until=until.isoformat())
        if not today <= day <= today + dt.timedelta(days=BOOKING_HORIZON_DAYS):
            raise HallError(_("只能预约今后 14 天内的日期。"), code="day_out_of_range",
                            status=400)
        hours = day_hours(hall, day)
        if hours is None:
            raise HallError(_("该日大厅不办公（非工作日）。"), code="closed_day", status=400)
        slot = next((s for s in slots(hours, hall.slot_minutes) if s[0] == slot_start), None)
        if slot is None:
            raise HallError(_("没有这个预约时段。"), code="slot_unknown", status=400)
        if _aware(day, slot_start) <= now:
            raise HallError(_("该时段已开始，不能预约。"), code="slot_past", status=400)
        if Appointment.objects.filter(user=actor, category=category, day=day,
                                      state__in=ACTIVE_APPOINTMENT_STATES).exists():
            raise HallError(_("您当天已预约该类别。"), code="already_booked")
        taken = Appointment.objects.filter(category=category, day=day, slot_start=slot_start,
                                           state__in=ACTIVE_APPOINTMENT_STATES).count()
        if taken >= hall.slot_capacity:
            raise HallError(_("该时段已约满，请选择其他时段。"), code="slot_full")
        return Appointment.objects.create(
            hall=hall, category=category, user=actor, day=day, slot_start=slot[0],
            slot_end=slot[1], code=_new_code(), created_at=now)


def appointment_cancel(*, actor: Any, appointment_id: int,
                       now: dt.datetime | None = None) -> Appointment:
    """Cancel one's own appointment, until an hour before the slot starts."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().filter(
            pk=appointment_id, user=actor).first() if actor.is_authenticated else None
        if appointment is None:
            raise HallError(_("预约不存在。"), code="appointment_unknown", status=404)
        if appointment.state != AppointmentState.BOOKED:
            raise HallError(_("该预约已不能取消。"), code="appointment_state",
                            state=appointment.state)
        if not may_cancel(_aware(appointment.day, appointment.slot_start), now):
            raise HallError(_("距预约时段开始不足 1 小时，不能取消。"), code="cancel_too_late")
        appointment.state, appointment.cancelled_at = AppointmentState.CANCELLED, now
        appointment.save(update_fields=["state", "cancelled_at"])
    return appointment


def mark_no_shows(*, now: dt.datetime | None = None) -> int:
    """爽约: every booked appointment whose slot has ended without check-in (idempotent)."""
    now = now or timezone.now()
    today, moment = timezone.localdate(now), timezone.localtime(now).time()
    count = 0
    due = Appointment.objects.filter(state=AppointmentState.BOOKED, day__lte=today)
    for appointment_id in due.values_list("id", flat=True):
        with transaction.atomic():
            appointment = Appointment.objects.select_for_update().get(pk=appointment_id)
            if appointment.state != AppointmentState.BOOKED or (
                    appointment.day == today and appointment.slot_end > moment):
                continue
            appointment.state = AppointmentState.NO_SHOW
            appointment.save(update_fields=["state"])
            NoShow.objects.create(user=appointment.user, appointment=appointment,
                                  day=appointment.day)
            count += 1
    return count


def remind_tomorrow(*, now: dt.datetime | None = None) -> int:
    """The reminder (预约提醒): a text message, the day before, to every booked appointment
    of tomorrow not yet reminded whose account has a phone; marks it reminded (the page
    我的预约 shows the reminder too). Idempotent; a failed message is tried again next run.
    The hourly job sends only between 09:00 and 20:00 (no text messages at night)."""
    now = now or timezone.now()
    if not QUIET_END <= timezone.localtime(now).time() < QUIET_START:
        return 0
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    hall = get_hall()
    count = 0
    due = Appointment.objects.filter(state=AppointmentState.BOOKED, day=tomorrow,
                                     reminded_at=None).select_related("user", "category")
    for appointment in due:
        phone = getattr(appointment.user, "phone", "") or ""
        if phone:
            text = _g("【%(hall)s】您已预约 %(day)s %(start)s 的%(category)s，预约码 %(code)s，"
                      "请按时到大厅取号机签到。") % {
                "hall": hall.name if hall else "", "day": appointment.day,
                "start": appointment.slot_start.strftime("%H:%M"),
                "category": appointment.category.name, "code": appointment.code}
            try:
                send_sms(phone, text)
            except SmsError:
                logger.warning("appointment reminder %s not sent", appointment.pk)
                continue
        updated = Appointment.objects.filter(pk=appointment.pk, reminded_at=None).update(
            reminded_at=now)
        count += updated
    return count
