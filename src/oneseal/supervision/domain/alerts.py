"""Lights and alerts of electronic supervision (电子监察, work-plan measure 十三).

A clock (the case's own due date, an open step's, a 差评 follow-up's) is green while more
than its warning period remains, yellow once at most that many working days remain (the
due day itself counted, 行政许可法 第82条 working days) and red the day after its due date.
The warning period is the configured number of working days (default 1) or, when a share
of the limit is configured, that share of the clock's limit in working days rounded up,
whichever is longer.

An alert is raised once per clock, due date and colour: the crossing of a threshold.
When a due date moves (an extension, 第42条第一款) the clock is a new one and may be
alerted again; a clock that goes back from red to yellow raises nothing new.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Protocol

from oneseal.core.workcalendar.domain.i18n import gettext_noop

YELLOW = "yellow"
RED = "red"
GREEN = "green"

ALERT_LIGHTS = (YELLOW, RED)
LIGHT_LABELS = {
    YELLOW: gettext_noop("黄灯（临近期限）"),
    RED: gettext_noop("红灯（已超期）"),
    GREEN: gettext_noop("绿灯（正常）"),
}

# the states of a case whose watched due date is the delivery one (第44条)
DELIVERY_STATES = frozenset({"decided", "ready"})
# the states that never light (办结 or ended)
TERMINAL_STATES = frozenset({"not_accepted", "delivered", "withdrawn", "terminated"})


class Counting(Protocol):
    def add_working_days(self, start: dt.date, days: int) -> dt.date: ...


@dataclass(frozen=True)
class Threshold:
    """When a clock turns yellow: `days` working days before its due date, or `share` of
    its limit (0 < share < 1) when that is longer."""

    days: int = 1
    share: float | None = None

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("warning days must not be negative")
        if self.share is not None and not 0 < self.share < 1:
            raise ValueError("the warning share must be between 0 and 1")

    def warn_days(self, limit_days: int | None) -> int:
        """The warning period of a clock whose limit is `limit_days` working days."""
        if self.share is None or not limit_days:
            return self.days
        return max(self.days, math.ceil(self.share * limit_days))


def yellow_until(calendar: Counting, today: dt.date, warn_days: int) -> dt.date:
    """The latest due date that is yellow on `today`: every due date from `today` up to
    this one has at most `warn_days` working days left after `today` (第82条; the due day
    counted, `today` not, 民法典 第201条) — the day before the (warn_days + 1)-th working day
    after `today`. Raises the calendar's `CalendarNotCovered` past its last year."""
    return calendar.add_working_days(today, warn_days + 1) - dt.timedelta(days=1)


def light(calendar: Counting, due: dt.date, today: dt.date, warn_days: int) -> str:
    """The colour of a running clock due on `due`, seen on `today`."""
    if today > due:
        return RED
    if due <= yellow_until(calendar, today, warn_days):
        return YELLOW
    return GREEN


def watched_due(state: str, *, promised_due: dt.date | None, correction_due: dt.date | None,
                delivery_due: dt.date | None) -> dt.date | None:
    """The due date supervision watches for a case in `state` (the same one as the case
    lists' light): the delivery one once decided (第44条), otherwise the promised one, and
    the correction-notice one (第32条) while no promised date is known."""
    if state in TERMINAL_STATES:
        return None
    if state in DELIVERY_STATES:
        return delivery_due
    return promised_due if promised_due is not None else correction_due
