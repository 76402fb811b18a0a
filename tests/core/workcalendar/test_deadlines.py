"""Deadlines with suspensions (行政许可法 第45条), extensions (第42条), the working days left
and the light, worked by hand around National Day 2026.

Base case: from Monday 2026-09-28, 20 working days end on Friday 2026-10-30
(09-29, 09-30; holiday 10-01..10-07; 10-08, 10-09, make-up Sat 10-10; then four full weeks
minus one: 10-12..10-16, 10-19..10-23, 10-26..10-30)."""

from __future__ import annotations

import pytest

from oneseal.core.workcalendar.domain import (
    Extension,
    ExtensionRejected,
    Handling,
    InvalidPeriod,
    Light,
    SpecialProcedure,
    Suspension,
    compute_deadline,
    light_at,
    remaining_working_days,
)

from .conftest import d

START = d("2026-09-28")
HEARING = SpecialProcedure.HEARING


def due(cal, *suspensions, days=20, extensions=(), handling=Handling.ORDINARY):
    return compute_deadline(cal, START, days, suspensions=suspensions, extensions=extensions,
                            handling=handling).due


def test_art42_base_case_twenty_working_days(cal):
    assert due(cal) == d("2026-10-30")


def test_art45_hearing_week_is_not_counted(cal):
    assert due(cal, Suspension(d("2026-10-12"), d("2026-10-16"), HEARING)) == d("2026-11-06")


def test_art45_suspension_starting_on_a_holiday(cal):
    # 10-05..10-09 takes out the working days 10-08 and 10-09 only.
    assert due(cal, Suspension(d("2026-10-05"), d("2026-10-09"))) == d("2026-11-03")


def test_art45_suspension_ending_on_a_holiday(cal):
    # 09-30..10-04 takes out 09-30 only.
    assert due(cal, Suspension(d("2026-09-30"), d("2026-10-04"))) == d("2026-11-02")


def test_art45_suspension_inside_a_holiday_changes_nothing(cal):
    assert due(cal, Suspension(d("2026-10-02"), d("2026-10-06"))) == d("2026-10-30")


def test_art45_suspension_over_a_makeup_day_takes_it_out(cal):
    assert due(cal, Suspension(d("2026-10-10"), d("2026-10-11"))) == d("2026-11-02")


def test_art45_back_to_back_suspensions(cal):
    expected = due(cal, Suspension(d("2026-10-12"), d("2026-10-16")))
    assert due(
        cal,
        Suspension(d("2026-10-12"), d("2026-10-14"), HEARING),
        Suspension(d("2026-10-15"), d("2026-10-16"), SpecialProcedure.EXPERT_REVIEW),
    ) == expected == d("2026-11-06")


def test_art45_overlapping_suspensions_count_the_union_once(cal):
    assert due(
        cal,
        Suspension(d("2026-10-14"), d("2026-10-16"), SpecialProcedure.TESTING),
        Suspension(d("2026-10-12"), d("2026-10-15"), HEARING),
    ) == d("2026-11-06")
    # One inside the other.
    assert due(
        cal,
        Suspension(d("2026-10-12"), d("2026-10-16")),
        Suspension(d("2026-10-13"), d("2026-10-14")),
    ) == d("2026-11-06")


def test_art45_suspension_starting_before_the_start_counts_only_after_it(cal):
    # 09-21..09-30 suspends 09-29 and 09-30 of this clock; the rest was before the start.
    assert due(cal, Suspension(d("2026-09-21"), d("2026-09-30"))) == d("2026-11-03")
    assert due(cal, Suspension(d("2026-09-01"), d("2026-09-28"))) == d("2026-10-30")


def test_art45_suspension_after_the_due_date_changes_nothing(cal):
    assert due(cal, Suspension(d("2026-11-02"), d("2026-11-06"))) == d("2026-10-30")


def test_art45_suspension_on_the_due_day_moves_it_to_the_next_working_day(cal):
    assert due(cal, Suspension(d("2026-10-30"), d("2026-10-30"))) == d("2026-11-02")


def test_art45_suspension_ending_before_it_starts_is_refused(cal):
    with pytest.raises(InvalidPeriod, match="早于开始日期"):
        due(cal, Suspension(d("2026-10-16"), d("2026-10-12")))


def test_art45_suspension_into_an_uncovered_year_fails_loudly(cal):
    from oneseal.core.workcalendar.domain import CalendarNotCovered

    with pytest.raises(CalendarNotCovered) as err:
        due(cal, Suspension(d("2026-10-12"), d("2027-02-01")))
    assert err.value.year == 2027


def test_art42_extension_of_ten_days_with_approval(cal):
    result = compute_deadline(cal, START, 20, extensions=[Extension(10, "张局长")])
    assert result.due == d("2026-11-13")
    assert result.total_days == 30 and result.days == 20
    assert result.calendar_version == cal.version


def test_art42_extension_beyond_ten_days_is_refused_for_an_ordinary_item(cal):
    with pytest.raises(ExtensionRejected, match="最多延长10个工作日"):
        due(cal, extensions=[Extension(11, "张局长")])
    with pytest.raises(ExtensionRejected):
        due(cal, extensions=[Extension(0, "张局长")])


def test_art42_extension_without_recorded_approval_is_refused(cal):
    with pytest.raises(ExtensionRejected, match="须经批准"):
        due(cal, extensions=[Extension(5, "  ")])


def test_art42_only_one_extension(cal):
    with pytest.raises(ExtensionRejected, match="只能延长一次"):
        due(cal, extensions=[Extension(5, "张局长"), Extension(5, "张局长")])


def test_art42_second_paragraph_joint_handling_45_days_plus_15(cal):
    # From Monday 2025-03-03: 45 working days end Thursday 2025-05-08 (Tomb-sweeping
    # 04-04..04-06; make-up Sunday 04-27; Labour Day 05-01..05-05).
    start = d("2025-03-03")
    assert compute_deadline(cal, start, 45, handling=Handling.JOINT).due == d("2025-05-08")
    extended = compute_deadline(cal, start, 45, handling=Handling.JOINT,
                                extensions=[Extension(15, "区人民政府")])
    assert extended.due == d("2025-05-29")
    with pytest.raises(ExtensionRejected, match="最多延长15个工作日"):
        compute_deadline(cal, start, 45, handling=Handling.JOINT,
                         extensions=[Extension(16, "区人民政府")])


def test_art82_limit_of_zero_days_is_refused(cal):
    with pytest.raises(InvalidPeriod):
        compute_deadline(cal, START, 0)


def test_art82_remaining_working_days(cal):
    due_day = d("2026-10-30")
    assert remaining_working_days(cal, due_day, d("2026-10-09")) == 16
    assert remaining_working_days(cal, due_day, d("2026-10-29")) == 1
    assert remaining_working_days(cal, due_day, due_day) == 0
    assert remaining_working_days(cal, due_day, d("2026-11-03")) == -2


def test_art45_remaining_working_days_skip_the_suspension(cal):
    sus = [Suspension(d("2026-10-12"), d("2026-10-16"), HEARING)]
    due_day = due(cal, *sus)
    assert remaining_working_days(cal, due_day, d("2026-10-09"), sus) == 16


def test_art82_light_green_yellow_red(cal):
    due_day = d("2026-10-30")
    assert light_at(cal, due_day, d("2026-10-28")) is Light.GREEN
    assert light_at(cal, due_day, d("2026-10-29")) is Light.YELLOW
    assert light_at(cal, due_day, due_day) is Light.YELLOW
    assert light_at(cal, due_day, d("2026-10-31")) is Light.RED
    # K is configurable per item.
    assert light_at(cal, due_day, d("2026-10-27"), warn_days=3) is Light.YELLOW
    assert light_at(cal, due_day, d("2026-10-26"), warn_days=3) is Light.GREEN
    assert light_at(cal, due_day, due_day, warn_days=0) is Light.YELLOW
    assert light_at(cal, due_day, d("2026-10-29"), warn_days=0) is Light.GREEN


def test_art82_light_yellow_over_the_weekend_before_a_monday_due_date(cal):
    assert light_at(cal, d("2026-11-02"), d("2026-10-31")) is Light.YELLOW
    assert light_at(cal, d("2026-11-02"), d("2026-10-29")) is Light.GREEN
