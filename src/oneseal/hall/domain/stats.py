"""Hall statistics (大厅统计), pure Python: tickets, served, no-shows, waiting and service
time (median, p90), appointment use and ratings, grouped per day, window, category or clerk.

The selector turns each ticket row into a `TicketFact`; `summarise` does the arithmetic,
so the numbers are tested without a database. Percentiles use the nearest-rank rule (the
p-th percentile of n sorted values is the ⌈p·n/100⌉-th one): a value that really occurred,
the usual definition in service-level reports.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

BAD_LEVELS = frozenset({"dissatisfied", "very_dissatisfied"})


class Dimension(StrEnum):
    """What a statistics table is grouped by."""

    DAY = "day"
    WINDOW = "window"
    CATEGORY = "category"
    CLERK = "clerk"


@dataclass(frozen=True)
class TicketFact:
    """One ticket as the statistics see it. `issued_at` is when it joined its queue,
    `called_at` its first call, `finished_at` the end of its service; `wait` and `service`
    are derived from them."""

    day: dt.date
    window: str
    category: str
    clerk: str
    issued_at: dt.datetime
    called_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    served: bool = False
    no_show: bool = False
    appointment: bool = False
    rating: str | None = None
    started_at: dt.datetime | None = None  # the service began (开始办理); else the call

    @property
    def wait(self) -> float | None:
        """Seconds from taking the ticket to its first call."""
        if self.called_at is None:
            return None
        return max(0.0, (self.called_at - self.issued_at).total_seconds())

    @property
    def service(self) -> float | None:
        """Seconds from the start of the service (else the call) to its end (served tickets
        only)."""
        start = self.started_at or self.called_at
        if not self.served or start is None or self.finished_at is None:
            return None
        return max(0.0, (self.finished_at - start).total_seconds())


@dataclass
class StatRow:
    """One line of a statistics table (seconds for the times; None when nothing to time)."""

    key: str
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    appointments: int = 0
    wait_median: float | None = None
    wait_p90: float | None = None
    service_median: float | None = None
    service_p90: float | None = None
    ratings: int = 0
    bad_ratings: int = 0
    levels: dict[str, int] = field(default_factory=dict)

    @property
    def satisfaction(self) -> float | None:
        """Share of ratings that are not 差评 (0..1), None without ratings."""
        if not self.ratings:
            return None
        return (self.ratings - self.bad_ratings) / self.ratings


def percentile(values: Iterable[float], pct: float) -> float | None:
    """Nearest-rank percentile (pct in (0, 100]); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 < pct <= 100:
        raise ValueError("pct must be in (0, 100]")
    rank = math.ceil(pct * len(ordered) / 100)
    return ordered[max(rank, 1) - 1]


def median(values: Iterable[float]) -> float | None:
    """The median (mean of the two middle values for an even count); None for no values."""
    ordered = list(values)
    return statistics.median(ordered) if ordered else None


def _key(dimension: Dimension) -> Callable[[TicketFact], str]:
    if dimension is Dimension.DAY:
        return lambda f: f.day.isoformat()
    if dimension is Dimension.WINDOW:
        return lambda f: f.window
    if dimension is Dimension.CATEGORY:
        return lambda f: f.category
    return lambda f: f.clerk


def _row(key: str, facts: list[TicketFact]) -> StatRow:
    waits = [w for w in (f.wait for f in facts) if w is not None]
    services = [s for s in (f.service for f in facts) if s is not None]
    levels: dict[str, int] = {}
    for f in facts:
        if f.rating:
            levels[f.rating] = levels.get(f.rating, 0) + 1
    return StatRow(
        key=key, tickets=len(facts), served=sum(f.served for f in facts),
        no_shows=sum(f.no_show for f in facts), appointments=sum(f.appointment for f in facts),
        wait_median=median(waits), wait_p90=percentile(waits, 90),
        service_median=median(services), service_p90=percentile(services, 90),
        ratings=sum(levels.values()),
        bad_ratings=sum(n for level, n in levels.items() if level in BAD_LEVELS),
        levels=levels)


def summarise(facts: Iterable[TicketFact], by: Dimension | str) -> list[StatRow]:
    """One row per value of `by` (sorted by it; tickets without a window or clerk under the
    empty key), then a total row with the key ``*``."""
    dimension = Dimension(by)
    key = _key(dimension)
    groups: dict[str, list[TicketFact]] = {}
    everything: list[TicketFact] = []
    for fact in facts:
        groups.setdefault(key(fact), []).append(fact)
        everything.append(fact)
    rows = [_row(k, groups[k]) for k in sorted(groups)]
    rows.append(_row("*", everything))
    return rows
