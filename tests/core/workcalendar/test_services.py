"""The calendar table: seeded from chinesecalendar, entered and corrected by versions,
built into a cached WorkCalendar, and what a correction changes (行政许可法 第82条)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oneseal.core.models import AuditEvent
from oneseal.core.workcalendar.domain import (
    CalendarNotCovered,
    DeadlineInput,
    Suspension,
    compute_deadline,
)
from oneseal.core.workcalendar.models import CalendarDay, CalendarYear, EntryChannel
from oneseal.core.workcalendar.package import package_years
from oneseal.core.workcalendar.schedule_format import ScheduleFormatError, parse_schedule
from oneseal.core.workcalendar.selectors import (
    calendar_read_once,
    calendar_with,
    get_work_calendar,
    missing_next_year_warning,
)
from oneseal.core.workcalendar.services import (
    correction_changes,
    enter_year,
    seed_calendar_from_package,
)

from .conftest import SCHEDULE_2027, d

pytestmark = pytest.mark.django_db


def _snapshot():
    return (list(CalendarYear.objects.order_by("year", "version")
                 .values_list("year", "version", "is_current", "digest")),
            CalendarDay.objects.count(), AuditEvent.objects.count())


def test_art82_seed_covers_every_package_year_once_and_is_idempotent(seeded):
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert years == set(package_years())
    before = _snapshot()
    assert seed_calendar_from_package() == []
    assert _snapshot() == before
    row = CalendarYear.objects.get(year=2026)
    assert (row.version, row.is_current, row.entered_via) == (1, True, EntryChannel.PACKAGE)
    assert "chinesecalendar" in row.source


def test_art82_table_calendar_equals_package_calendar(seeded):
    cal = get_work_calendar()
    assert cal.add_working_days(d("2026-09-28"), 20) == d("2026-10-30")
    assert cal.year_versions[2026] == "1"
    assert get_work_calendar() is cal  # cached per version


def test_art82_deadline_into_a_year_without_schedule_is_provisional(seeded):
    deadline = compute_deadline(get_work_calendar(), d("2026-12-20"), 20)
    assert deadline.provisional_years == (2027,)


def test_art82_deadline_far_beyond_the_table_fails_loudly(seeded):
    with pytest.raises(CalendarNotCovered) as err:
        compute_deadline(get_work_calendar(), d("2040-01-02"), 20)
    assert err.value.year == 2040


def test_art82_entering_a_new_year_extends_the_calendar_and_is_audited(seeded, cast):
    admin = cast["sysadmin"]
    row, created = enter_year(actor=admin, schedule=parse_schedule(SCHEDULE_2027))
    assert created and (row.year, row.version, row.is_current) == (2027, 1, True)
    assert row.entered_by == admin and row.entered_via == EntryChannel.WEB
    cal = get_work_calendar()
    # 2026-12-31 (Thu) + 1: 2027-01-01..03 are holidays, Monday 01-04 is the first day.
    assert cal.add_working_days(d("2026-12-31"), 1) == d("2027-01-04")
    event = AuditEvent.objects.filter(kind="calendar.year_entered").get()
    assert event.subject == "calendar_year:2027" and event.actor_id == admin.pk


def test_art82_correction_adds_a_version_keeps_the_old_and_invalidates_the_cache(seeded, cast):
    admin = cast["sysadmin"]
    enter_year(actor=admin, schedule=parse_schedule(SCHEDULE_2027))
    old_cal = get_work_calendar()
    corrected = SCHEDULE_2027.replace("放假,2027-01-01,2027-01-03,元旦",
                                      "放假,2027-01-01,2027-01-04,元旦")
    row, created = enter_year(actor=admin, schedule=parse_schedule(corrected))
    assert created and row.version == 2
    versions = list(CalendarYear.objects.filter(year=2027).order_by("version")
                    .values_list("version", "is_current"))
    assert versions == [(1, False), (2, True)]
    assert CalendarDay.objects.filter(calendar_year__year=2027, calendar_year__version=1,
                                      date=d("2027-01-04")).count() == 0
    new_cal = get_work_calendar()
    assert new_cal.version != old_cal.version and new_cal.year_versions[2027] == "2"
    assert new_cal.add_working_days(d("2026-12-31"), 1) == d("2027-01-05")
    assert AuditEvent.objects.filter(kind="calendar.year_corrected").count() == 1
    # The old version can still be used to recompute what was computed with it.
    assert calendar_with({2027: 1}).add_working_days(d("2026-12-31"), 1) == d("2027-01-04")


def test_art82_same_schedule_again_changes_nothing(seeded, cast):
    enter_year(actor=cast["sysadmin"], schedule=parse_schedule(SCHEDULE_2027))
    before = _snapshot()
    row, created = enter_year(actor=cast["sysadmin"], schedule=parse_schedule(SCHEDULE_2027))
    assert not created and row.version == 1
    assert _snapshot() == before


@pytest.mark.parametrize("name", ["clerk", "head", "catalog_admin", "supervisor", "outsider"])
def test_art82_only_a_sysadmin_enters_the_calendar(seeded, cast, name):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        enter_year(actor=cast[name], schedule=parse_schedule(SCHEDULE_2027))
    assert _snapshot() == before


def test_art82_service_refuses_an_inconsistent_schedule_and_writes_nothing(seeded, cast):
    from oneseal.core.workcalendar.schedule_format import Schedule

    bad = Schedule(2027, "x", {d("2027-01-01"): ""}, {d("2027-01-04"): ""})  # a Monday
    before = _snapshot()
    with pytest.raises(ScheduleFormatError, match="不是星期六或星期日"):
        enter_year(actor=cast["sysadmin"], schedule=bad)
    assert _snapshot() == before


def test_art82_correction_lists_the_deadlines_that_change(seeded, cast):
    admin = cast["sysadmin"]
    enter_year(actor=admin, schedule=parse_schedule(SCHEDULE_2027))
    corrected = SCHEDULE_2027.replace("放假,2027-01-01,2027-01-03,元旦",
                                      "放假,2027-01-01,2027-01-04,元旦")
    enter_year(actor=admin, schedule=parse_schedule(corrected))
    inputs = [
        DeadlineInput(d("2026-12-25"), 5, ref="case:1"),  # 12-28..12-31, then 01-04 → 01-05
        DeadlineInput(d("2026-09-28"), 20, ref="case:2"),  # all in 2026: unchanged
        DeadlineInput(d("2027-01-05"), 3, ref="case:3"),  # after the change: unchanged
        DeadlineInput(d("2026-12-28"), 10,  # suspended over the change: still moves
                      suspensions=(Suspension(d("2026-12-29"), d("2026-12-30")),), ref="case:4"),
    ]
    changes = correction_changes(year=2027, inputs=inputs)
    assert [(c.input.ref, c.before, c.after) for c in changes] == [
        ("case:1", d("2027-01-04"), d("2027-01-05")),
        ("case:4", d("2027-01-13"), d("2027-01-14")),
    ]
    assert changes[0].before_version != changes[0].after_version


@pytest.mark.parametrize(("today", "warns"), [
    ("2026-10-31", False), ("2026-11-01", True), ("2026-12-31", True), ("2025-11-15", False),
])
def test_art82_missing_next_year_warning_from_november_only(seeded, today, warns):
    warning = missing_next_year_warning(d(today))
    assert (warning is not None) == warns
    if warns:
        assert "2027年" in warning


def test_art82_warning_stops_once_next_year_is_entered(seeded, cast):
    enter_year(actor=cast["sysadmin"], schedule=parse_schedule(SCHEDULE_2027))
    assert missing_next_year_warning(d("2026-11-15")) is None


# --- read once per request (issue 19) --------------------------------------------------------


def test_art82_calendar_read_once_answers_the_same_calendar_without_asking_again(seeded):
    get_work_calendar()  # built once into the per-process cache (its days read)
    with CaptureQueriesContext(connection) as outside:
        get_work_calendar()
        get_work_calendar()
    assert len(outside) == 2  # outside a block every call asks which versions are current
    with calendar_read_once(), CaptureQueriesContext(connection) as inside:
        first = get_work_calendar()
        with calendar_read_once():  # a nested block shares the outer read
            assert get_work_calendar() is first
        assert get_work_calendar() is first
    assert len(inside) == 1


def test_art82_calendar_read_once_serves_the_new_schedule_right_after_an_admin_enters_it(
        seeded, cast):
    with calendar_read_once():
        before = get_work_calendar()
        assert 2027 not in before.year_versions  # 2027 only provisional
        assert before.add_working_days(d("2026-12-31"), 6) == d("2027-01-11")
        enter_year(actor=cast["sysadmin"], schedule=parse_schedule(SCHEDULE_2027))
        after = get_work_calendar()
        assert after.year_versions[2027] == "1"
        # 2027-01-09 (Sat) is a make-up workday in the entered schedule
        assert after.add_working_days(d("2026-12-31"), 6) == d("2027-01-09")


def test_art82_calendar_read_once_does_not_outlive_its_block(seeded):
    """Another process's correction (no cache cleared here) is seen by the next block."""
    with calendar_read_once():
        before = get_work_calendar()
    row = CalendarYear.objects.get(year=2026, is_current=True)
    CalendarYear.objects.filter(pk=row.pk).update(is_current=False)
    CalendarYear.objects.create(year=2026, version=2, source=row.source, note="",
                                digest="other", is_current=True,
                                entered_via=EntryChannel.WEB, entered_by_name="x")
    with calendar_read_once():
        after = get_work_calendar()
    assert before.year_versions[2026] == "1" and after.year_versions[2026] == "2"
