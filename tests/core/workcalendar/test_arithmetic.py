"""Working-day arithmetic worked by hand against the State Council schedules of 2025 and 2026
(行政许可法 第82条: working days; 民法典 第201条: the start day is not counted)."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.core.workcalendar.domain import CalendarNotCovered, InvalidCalendar, WorkCalendar
from oneseal.core.workcalendar.package import calendar_from_package, is_workday

from .conftest import d


def test_art82_calendar_matches_package_on_every_day_2004_to_2026(cal):
    day, last = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
    while day <= last:
        assert cal.is_workday(day) == is_workday(day), day
        day += dt.timedelta(days=1)


def test_civil_code_art201_start_day_not_counted(cal):
    # Monday 2025-03-03: one working day ends Tuesday, not Monday.
    assert cal.add_working_days(d("2025-03-03"), 1) == d("2025-03-04")
    # Friday 2025-03-07: the weekend is skipped, Monday is the first day.
    assert cal.add_working_days(d("2025-03-07"), 1) == d("2025-03-10")
    assert cal.add_working_days(d("2025-03-03"), 5) == d("2025-03-10")
    assert cal.add_working_days(d("2025-03-03"), 0) == d("2025-03-03")


def test_art82_spring_festival_2025_with_makeup_sunday_and_saturday(cal):
    # Holiday Tue 01-28 .. Tue 02-04; make-up Sun 01-26 and Sat 02-08.
    start = d("2025-01-24")  # Friday
    assert cal.add_working_days(start, 1) == d("2025-01-26")  # the make-up Sunday
    assert cal.add_working_days(start, 2) == d("2025-01-27")
    assert cal.add_working_days(start, 3) == d("2025-02-05")  # after the holiday
    assert cal.add_working_days(start, 5) == d("2025-02-07")
    assert cal.add_working_days(start, 6) == d("2025-02-08")  # the make-up Saturday
    assert cal.add_working_days(start, 20) == d("2025-02-27")


def test_art82_labour_day_2025(cal):
    # Holiday Thu 05-01 .. Mon 05-05; make-up Sun 04-27.
    assert cal.add_working_days(d("2025-04-25"), 3) == d("2025-04-29")
    assert cal.add_working_days(d("2025-04-25"), 5) == d("2025-05-06")


def test_art82_national_day_with_mid_autumn_2025(cal):
    # Holiday Wed 10-01 .. Wed 10-08 (Mid-Autumn on 10-06); make-up Sun 09-28, Sat 10-11.
    assert cal.add_working_days(d("2025-09-26"), 10) == d("2025-10-16")
    assert cal.count_working_days(d("2025-09-26"), d("2025-10-16")) == 10


def test_art82_new_year_across_the_year_boundary(cal):
    # 2025-12-26 is a Friday; 2026 New Year Thu 01-01 .. Sat 01-03; make-up Sun 01-04.
    assert cal.add_working_days(d("2025-12-26"), 3) == d("2025-12-31")
    assert cal.add_working_days(d("2025-12-26"), 4) == d("2026-01-04")
    assert cal.add_working_days(d("2025-12-26"), 5) == d("2026-01-05")


def test_art82_spring_festival_2026(cal):
    # Holiday Sun 02-15 .. Mon 02-23; make-up Sat 02-14 and Sat 02-28.
    assert cal.add_working_days(d("2026-02-12"), 2) == d("2026-02-14")
    assert cal.add_working_days(d("2026-02-12"), 3) == d("2026-02-24")
    assert cal.count_working_days(d("2026-02-13"), d("2026-02-24")) == 2


def test_art82_labour_day_2026_with_makeup_saturday_after(cal):
    # Holiday Fri 05-01 .. Tue 05-05; make-up Sat 05-09.
    assert cal.add_working_days(d("2026-04-30"), 4) == d("2026-05-09")
    assert cal.add_working_days(d("2026-04-30"), 5) == d("2026-05-11")


def test_art82_mid_autumn_and_national_day_2026(cal):
    # Mid-Autumn Fri 09-25 .. Sun 09-27, make-up Sun 09-20; National Day 10-01 .. 10-07,
    # make-up Sat 10-10.
    assert cal.add_working_days(d("2026-09-18"), 1) == d("2026-09-20")
    assert cal.add_working_days(d("2026-09-18"), 5) == d("2026-09-24")
    assert cal.add_working_days(d("2026-09-18"), 7) == d("2026-09-29")
    assert cal.add_working_days(d("2026-09-28"), 20) == d("2026-10-30")


def test_civil_code_art201_start_on_a_holiday_counts_from_the_next_working_day(cal):
    assert cal.add_working_days(d("2026-10-03"), 1) == d("2026-10-08")
    assert cal.add_working_days(d("2026-10-10"), 1) == d("2026-10-12")  # start on make-up day


def test_art82_count_working_days_conventions(cal):
    assert cal.count_working_days(d("2026-10-09"), d("2026-10-09")) == 0
    assert cal.count_working_days(d("2026-10-09"), d("2026-10-30")) == 16
    assert cal.count_working_days(d("2026-10-30"), d("2026-10-09")) == -16


def test_art82_missing_year_raises_with_chinese_message_naming_the_year(cal):
    with pytest.raises(CalendarNotCovered) as err:
        cal.add_working_days(d("2026-12-24"), 10)
    assert err.value.year == 2027
    assert "2027年" in str(err.value)
    with pytest.raises(CalendarNotCovered) as err:
        cal.is_workday(d("2027-01-04"))  # a Monday: never guessed from the weekday
    assert err.value.year == 2027
    with pytest.raises(CalendarNotCovered) as err:
        cal.add_working_days(d("2003-12-30"), 1)
    assert err.value.year == 2003
    with pytest.raises(CalendarNotCovered):
        cal.count_working_days(d("2026-12-01"), d("2027-01-10"))


def test_art82_the_last_covered_days_still_compute(cal):
    # 2026-12-31 is a Thursday: the last working day the calendar knows.
    assert cal.add_working_days(d("2026-12-30"), 1) == d("2026-12-31")
    with pytest.raises(CalendarNotCovered):
        cal.add_working_days(d("2026-12-30"), 2)


def test_art82_gap_in_covered_years_is_not_bridged():
    gap = calendar_from_package([2024, 2026])
    assert gap.add_working_days(d("2026-03-02"), 1) == d("2026-03-03")
    with pytest.raises(CalendarNotCovered) as err:
        gap.add_working_days(d("2024-12-20"), 10)
    assert err.value.year == 2025
    with pytest.raises(CalendarNotCovered) as err:
        gap.is_workday(d("2025-06-03"))
    assert err.value.year == 2025


def test_art82_administrator_entered_year_extends_the_calendar():
    base = calendar_from_package([2026])
    # A hypothetical 2027 schedule: New Year Fri 01-01 .. Sun 01-03, make-up Sat 01-09.
    cal = WorkCalendar(
        years=[2026, 2027], version="test",
        holidays=[*base.holidays, d("2027-01-01"), d("2027-01-02"), d("2027-01-03")],
        makeup_workdays=[*base.makeup_workdays, d("2027-01-09")],
    )
    assert cal.add_working_days(d("2026-12-31"), 1) == d("2027-01-04")
    assert cal.add_working_days(d("2027-01-08"), 1) == d("2027-01-09")


def test_art82_invalid_schedules_are_refused():
    with pytest.raises(InvalidCalendar, match="不是星期六或星期日"):
        WorkCalendar(years=[2026], holidays=[], makeup_workdays=[d("2026-03-02")], version="x")
    with pytest.raises(InvalidCalendar, match="既是节假日又是调休工作日"):
        WorkCalendar(years=[2026], holidays=[d("2026-03-07")],
                     makeup_workdays=[d("2026-03-07")], version="x")
    with pytest.raises(InvalidCalendar, match="不在工作日历覆盖的年份内"):
        WorkCalendar(years=[2026], holidays=[d("2027-01-01")], makeup_workdays=[], version="x")
    with pytest.raises(InvalidCalendar):
        WorkCalendar(years=[], holidays=[], makeup_workdays=[], version="x")
