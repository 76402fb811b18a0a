"""Opening hours, slots and the no-show block (hall/domain/hours.py), pure, with dates of the
2026 calendar worked out by hand: 国庆节 2026-10-01..07 off, Saturday 2026-10-10 worked
(调休), Sunday 2026-10-11 off."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from oneseal.hall.domain.hours import DayHours, blocked_until, hours_for, may_cancel, slots

T = dt.time
MONDAY = DayHours(T(9), T(17), T(12), T(13, 30))
WEEKLY = {0: MONDAY, 1: MONDAY, 2: MONDAY, 3: DayHours(T(9), T(17)), 4: MONDAY, 5: None,
          6: None}


def is_workday(day: dt.date) -> bool:
    return bool(chinese_calendar.is_workday(day))


@pytest.mark.parametrize(("day", "expected"), [
    ("2026-09-30", MONDAY),                       # Wednesday, a working day
    ("2026-10-01", None),                         # Thursday, 国庆节
    ("2026-10-05", None),                         # Monday inside the holiday
    ("2026-10-08", DayHours(T(9), T(17))),        # Thursday, first day back: Thursday's row
    ("2026-10-10", MONDAY),                       # Saturday 调休上班: Monday's hours
    ("2026-10-11", None),                         # Sunday
])
def test_hours_follow_the_working_day_calendar(day, expected):
    assert hours_for(dt.date.fromisoformat(day), WEEKLY, is_workday) == expected


def test_slots_skip_the_lunch_break_and_the_end_of_day():
    got = slots(DayHours(T(9), T(11, 45), T(10, 15), T(10, 40)), 30)
    # 9:00–10:15 holds two slots (10:00–10:30 would cross the break), 10:40–11:45 two
    assert got == [(T(9), T(9, 30)), (T(9, 30), T(10)), (T(10, 40), T(11, 10)),
                   (T(11, 10), T(11, 40))]
    assert len(slots(MONDAY, 30)) == 6 + 7
    assert MONDAY.is_open_at(T(11, 59)) and not MONDAY.is_open_at(T(12, 30))


def test_no_show_block_needs_limit_within_the_window():
    d = dt.date.fromisoformat
    # three no-shows within 30 days: blocked 14 days from the third
    assert blocked_until([d("2026-09-01"), d("2026-09-10"), d("2026-09-30")], limit=3,
                         window_days=30, block_days=14) == d("2026-10-14")
    # the first and the third are 30 days apart: not within 30 days
    assert blocked_until([d("2026-09-01"), d("2026-09-10"), d("2026-10-01")], limit=3,
                         window_days=30, block_days=14) is None
    assert blocked_until([d("2026-09-01")], limit=0, window_days=30, block_days=14) is None


def test_cancel_until_an_hour_before():
    starts = dt.datetime(2026, 9, 28, 10, 0)
    assert may_cancel(starts, dt.datetime(2026, 9, 28, 9, 0))
    assert not may_cancel(starts, dt.datetime(2026, 9, 28, 9, 0, 1))
