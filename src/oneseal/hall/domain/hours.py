"""Opening hours, appointment slots and the booking rules of the hall, pure Python.

- A day is open only when the working-day calendar says it is a working day (weekends and
  public holidays closed, 调休 working weekend days open); such a weekend day opens with its
  own row when it has one, else with Monday's hours.
- Slots run from opening to the lunch break and from the end of the lunch break to closing,
  `slot_minutes` each; a slot that would cross the lunch break or closing time is dropped.
- Repeated no-shows (爽约): `limit` no-shows within `window_days` days block booking for
  `block_days` days counted from the day of the last of them.
- An appointment may be cancelled until an hour before its slot starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

CANCEL_BEFORE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class DayHours:
    """The hours of one day: open from `opens` to `closes`, with an optional lunch break."""

    opens: dt.time
    closes: dt.time
    lunch_start: dt.time | None = None
    lunch_end: dt.time | None = None

    def periods(self) -> list[tuple[dt.time, dt.time]]:
        """The open periods of the day, in order (two when there is a lunch break)."""
        if self.lunch_start and self.lunch_end and self.opens < self.lunch_start \
                < self.lunch_end < self.closes:
            return [(self.opens, self.lunch_start), (self.lunch_end, self.closes)]
        return [(self.opens, self.closes)]

    def is_open_at(self, moment: dt.time) -> bool:
        return any(start <= moment < end for start, end in self.periods())


def hours_for(day: dt.date, weekly: Mapping[int, DayHours | None],
              is_workday: Callable[[dt.date], bool]) -> DayHours | None:
    """The hours of `day`, or None when the hall is closed (see the module docstring)."""
    if not is_workday(day):
        return None
    own = weekly.get(day.weekday())
    if own is None and day.weekday() >= 5:
        return weekly.get(0)
    return own


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def slots(hours: DayHours, slot_minutes: int) -> list[tuple[dt.time, dt.time]]:
    """The appointment slots of a day with these hours."""
    if slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    result = []
    for start, end in hours.periods():
        at, stop = _minutes(start), _minutes(end)
        while at + slot_minutes <= stop:
            result.append((_time(at), _time(at + slot_minutes)))
            at += slot_minutes
    return result


def blocked_until(no_show_days: Sequence[dt.date], *, limit: int, window_days: int,
                  block_days: int) -> dt.date | None:
    """The first day booking is allowed again after repeated no-shows, or None when the
    no-shows never reached `limit` within any `window_days` days. The caller compares it
    with today: booking is refused while today is before it."""
    if limit <= 0:
        return None
    days = sorted(no_show_days)
    until: dt.date | None = None
    for i in range(limit - 1, len(days)):
        last = days[i]
        if (last - days[i - limit + 1]).days < window_days:
            until = last + dt.timedelta(days=block_days)
    return until


def may_cancel(slot_starts_at: dt.datetime, now: dt.datetime) -> bool:
    """Cancel allowed until an hour before the slot starts (inclusive)."""
    return now <= slot_starts_at - CANCEL_BEFORE


def ticket_number(letter: str, seq: int) -> str:
    """The printed number: the category's letter and at least three digits (A001)."""
    return f"{letter}{seq:03d}"
