"""What a calendar correction changes (日历更正的影响): the same deadline inputs computed
with the calendar before and after, and the ones whose due dates differ (行政许可法 第82条).

Cases do not exist yet; the case app will feed its open clocks' inputs here and recompute the
changed ones with an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from .calendar import WorkCalendar
from .deadline import Extension, Handling, compute_deadline
from .errors import ClockError
from .periods import Suspension


@dataclass(frozen=True)
class DeadlineInput:
    """What a deadline is computed from; `ref` names it for the caller (e.g. "case:12")."""

    start: dt.date
    days: int
    suspensions: tuple[Suspension, ...] = ()
    extensions: tuple[Extension, ...] = ()
    handling: Handling = Handling.ORDINARY
    ref: str = ""


@dataclass(frozen=True)
class DeadlineChange:
    """A deadline whose result differs between two calendars: a due date that moved, or one
    that can only be computed with one of them (the error message is kept)."""

    input: DeadlineInput
    before: dt.date | None
    after: dt.date | None
    before_error: str = ""
    after_error: str = ""
    before_version: str = field(default="")
    after_version: str = field(default="")


def _due(cal: WorkCalendar, item: DeadlineInput) -> tuple[dt.date | None, str]:
    try:
        return compute_deadline(cal, item.start, item.days, suspensions=item.suspensions,
                                extensions=item.extensions, handling=item.handling).due, ""
    except ClockError as err:
        return None, err.message()


def deadline_changes(
    before: WorkCalendar, after: WorkCalendar, inputs: Iterable[DeadlineInput]
) -> list[DeadlineChange]:
    """The inputs whose deadline is not the same under `before` and `after`, in input order."""
    changes: list[DeadlineChange] = []
    for item in inputs:
        old, old_error = _due(before, item)
        new, new_error = _due(after, item)
        if old != new or old_error != new_error:
            changes.append(DeadlineChange(item, old, new, old_error, new_error,
                                          before.version, after.version))
    return changes
