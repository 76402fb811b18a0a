"""Appointments (services.appointments): working days only, capacity per slot, cancel until
an hour before, no-shows that block booking, the reminder. Dates of the 2026 calendar worked
out by hand (国庆节 2026-10-01..07 off; Saturday 2026-10-10 worked)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from oneseal.hall.errors import HallError
from oneseal.hall.models import Appointment, NoShow
from oneseal.hall.services.appointments import (
    appointment_book,
    appointment_cancel,
    mark_no_shows,
    remind_tomorrow,
)

from ..factories import UserFactory
from .hall_setup import make_hall

TZ = timezone.get_default_timezone()
NOW = dt.datetime(2026, 9, 28, 8, 0, tzinfo=TZ)  # Monday
d = dt.date.fromisoformat


@pytest.fixture
def hall(cast):
    return make_hall(cast["sysadmin"])


def _book(user, hall, day, start, now=NOW, category="comprehensive"):
    return appointment_book(actor=user, category_id=hall["cats"][category].pk, day=d(day),
                            slot_start=start, now=now)


def _refused(code, fn, *args, **kwargs):
    before = sorted(Appointment.objects.values_list("id", "state"))
    with pytest.raises(HallError) as exc:
        fn(*args, **kwargs)
    assert exc.value.code == code
    assert sorted(Appointment.objects.values_list("id", "state")) == before


def test_booking_gives_a_code_and_the_slot_end(hall, cast):
    booked = _book(cast["applicant"], hall, "2026-09-29", dt.time(13, 30))
    assert booked.slot_end == dt.time(14) and len(booked.code) == 8 and booked.code.isdigit()
    assert booked.state == "booked"


@pytest.mark.parametrize("day", ["2026-10-01", "2026-10-05", "2026-10-04"])
def test_holidays_and_weekends_refused(hall, cast, day):
    _refused("closed_day", _book, cast["applicant"], hall, day, dt.time(9))


def test_a_tiaoxiu_saturday_is_bookable(hall, cast):
    assert _book(cast["applicant"], hall, "2026-10-10", dt.time(9)).day == d("2026-10-10")


def test_slot_not_of_the_day_refused(hall, cast):
    _refused("slot_unknown", _book, cast["applicant"], hall, "2026-09-29", dt.time(12))
    _refused("slot_unknown", _book, cast["applicant"], hall, "2026-09-29", dt.time(9, 15))


def test_started_slot_and_far_day_refused(hall, cast):
    _refused("slot_past", _book, cast["applicant"], hall, "2026-09-28", dt.time(9),
             now=dt.datetime(2026, 9, 28, 9, 0, tzinfo=TZ))
    _refused("day_out_of_range", _book, cast["applicant"], hall, "2026-10-13", dt.time(9))


def test_capacity_per_slot(hall, cast):
    _book(cast["applicant"], hall, "2026-09-29", dt.time(9))
    _book(cast["company"], hall, "2026-09-29", dt.time(9))
    third = UserFactory(username="third", roles=["applicant"])
    _refused("slot_full", _book, third, hall, "2026-09-29", dt.time(9))
    assert _book(third, hall, "2026-09-29", dt.time(9, 30)).slot_start == dt.time(9, 30)


def test_one_active_appointment_per_category_and_day(hall, cast):
    _book(cast["applicant"], hall, "2026-09-29", dt.time(9))
    _refused("already_booked", _book, cast["applicant"], hall, "2026-09-29", dt.time(10))


def test_staff_and_anonymous_cannot_book(hall, cast):
    from django.contrib.auth.models import AnonymousUser

    for user in (cast["clerk"], cast["sysadmin"], cast["outsider"], AnonymousUser()):
        _refused("not_applicant", _book, user, hall, "2026-09-29", dt.time(9))


def test_cancel_until_an_hour_before(hall, cast):
    booked = _book(cast["applicant"], hall, "2026-09-29", dt.time(10))
    _refused("cancel_too_late", appointment_cancel, actor=cast["applicant"],
             appointment_id=booked.pk, now=dt.datetime(2026, 9, 29, 9, 1, tzinfo=TZ))
    _refused("appointment_unknown", appointment_cancel, actor=cast["company"],
             appointment_id=booked.pk, now=NOW)
    cancelled = appointment_cancel(actor=cast["applicant"], appointment_id=booked.pk,
                                   now=dt.datetime(2026, 9, 29, 9, 0, tzinfo=TZ))
    assert cancelled.state == "cancelled"
    _refused("appointment_state", appointment_cancel, actor=cast["applicant"],
             appointment_id=booked.pk, now=NOW)


def test_no_shows_are_marked_after_the_slot_and_block_booking(hall, cast):
    user = cast["applicant"]
    for day in ("2026-09-14", "2026-09-21", "2026-09-28"):  # three Mondays
        _book(user, hall, day, dt.time(9), now=dt.datetime.fromisoformat(day + "T07:00+08:00"))
    assert mark_no_shows(now=dt.datetime(2026, 9, 28, 9, 29, tzinfo=TZ)) == 2  # 28th runs
    assert mark_no_shows(now=dt.datetime(2026, 9, 28, 9, 30, tzinfo=TZ)) == 1
    assert mark_no_shows(now=dt.datetime(2026, 9, 28, 18, 0, tzinfo=TZ)) == 0  # idempotent
    assert NoShow.objects.filter(user=user).count() == 3
    # three within 30 days: blocked for 14 days from 2026-09-28, i.e. until 2026-10-12
    _refused("noshow_blocked", _book, user, hall, "2026-10-09", dt.time(9),
             now=dt.datetime(2026, 10, 9, 7, 0, tzinfo=TZ))
    assert _book(user, hall, "2026-10-12", dt.time(9),
                 now=dt.datetime(2026, 10, 12, 7, 0, tzinfo=TZ)).state == "booked"


def test_reminder_the_day_before_by_text_message_once(hall, cast, settings, tmp_path):
    settings.ONESEAL_SMS_BACKEND = "file"
    settings.ONESEAL_SMS_FILE = str(tmp_path / "sms.jsonl")
    cast["applicant"].phone = "13800000000"
    cast["applicant"].save(update_fields=["phone"])
    booked = _book(cast["applicant"], hall, "2026-09-29", dt.time(9))
    _book(cast["company"], hall, "2026-09-30", dt.time(9))
    assert remind_tomorrow(now=dt.datetime(2026, 9, 28, 7, 0, tzinfo=TZ)) == 0  # night
    assert remind_tomorrow(now=dt.datetime(2026, 9, 28, 20, 0, tzinfo=TZ)) == 0
    evening = dt.datetime(2026, 9, 28, 18, 0, tzinfo=TZ)
    assert remind_tomorrow(now=evening) == 1
    assert remind_tomorrow(now=evening) == 0
    lines = [json.loads(x) for x in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert len(lines) == 1 and lines[0]["phone"] == "13800000000"
    assert booked.code in lines[0]["text"]
    booked.refresh_from_db()
    assert booked.reminded_at == evening
