"""Case statistics (办件统计), pure Python: what each case event adds to the rollup
counters, the measures derived from the counters, and the reporting periods.

Counters (each counted on the day its event happened):

- received: a case received (收件, event ``submit``); ``online`` when it came in online or
  through the platform interface (网上申请 / 接口提交), the 网上办理 share;
- accepted: accepted (受理, 行政许可法 第32条), including an on-the-spot case (即办件);
- not_accepted: 不予受理 (第32条);
- decided: a decision made (第37–38条, ``decide`` and ``decide_on_spot``), ``refused`` when
  it was 不予许可 (第38条第二款);
- on_time_promise / on_time_statute: decided on or before the promised limit (承诺时限;
  an item without a promise is held to its statute) / the statutory limit (第42条, with
  suspensions 第45条 and extensions as the case's clocks count them);
- days_used: working days from acceptance to decision (第82条 working days, the day of
  acceptance not counted, 民法典 第201条; elapsed days: a special procedure's days are in),
  summed, so the average is ``days_used / decided``;
- ratings / satisfied: ratings (好差评, 国办发〔2019〕51号) and those not 差评 (基本满意 or
  better), the 满意率.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum

ONLINE_CHANNELS = frozenset({"online", "api"})
BAD_LEVELS = frozenset({"dissatisfied", "very_dissatisfied"})
DECISION_KINDS = frozenset({"decide", "decide_on_spot"})
COUNTED_KINDS = frozenset({"submit", "accept", "refuse"}) | DECISION_KINDS
MAX_CUSTOM_DAYS = 366 * 3  # a custom range covers at most three years


@dataclass
class Counters:
    received: int = 0
    online: int = 0
    accepted: int = 0
    not_accepted: int = 0
    decided: int = 0
    refused: int = 0
    on_time_promise: int = 0
    on_time_statute: int = 0
    days_used: int = 0
    ratings: int = 0
    satisfied: int = 0

    def add(self, other: Counters | Mapping[str, int]) -> None:
        get = other.get if isinstance(other, Mapping) else other.__dict__.get
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + int(get(f.name, 0) or 0))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return None if whole == 0 else part / whole

    @property
    def granted(self) -> int:
        return self.decided - self.refused

    @property
    def online_share(self) -> float | None:
        return self._share(self.online, self.received)

    @property
    def promise_rate(self) -> float | None:
        return self._share(self.on_time_promise, self.decided)

    @property
    def statute_rate(self) -> float | None:
        return self._share(self.on_time_statute, self.decided)

    @property
    def satisfaction(self) -> float | None:
        return self._share(self.satisfied, self.ratings)

    @property
    def average_days(self) -> float | None:
        return None if self.decided == 0 else self.days_used / self.decided


COUNTER_NAMES = tuple(f.name for f in fields(Counters))


def event_counts(kind: str, *, channel: str, outcome: str, on: dt.date,
                 accepted_on: dt.date | None, promised_due: dt.date | None,
                 statutory_due: dt.date | None,
                 working_days: Callable[[dt.date, dt.date], int]) -> dict[str, int]:
    """What one case event adds to the counters of its day (empty for an event that counts
    nothing). ``working_days(first, last)`` counts the working days in (first, last]."""
    if kind == "submit":
        return {"received": 1, "online": int(channel in ONLINE_CHANNELS)}
    if kind == "accept":
        return {"accepted": 1}
    if kind == "refuse":
        return {"not_accepted": 1}
    if kind not in DECISION_KINDS:
        return {}
    counts = {"decided": 1, "refused": int(outcome == "refused")}
    if kind == "decide_on_spot":
        counts["accepted"] = 1
    promise = promised_due or statutory_due
    counts["on_time_promise"] = int(promise is not None and on <= promise)
    counts["on_time_statute"] = int(statutory_due is not None and on <= statutory_due)
    start = on if kind == "decide_on_spot" or accepted_on is None else accepted_on
    counts["days_used"] = max(0, working_days(start, on)) if start < on else 0
    return counts


def rating_counts(level: str) -> dict[str, int]:
    """A rating adds one rating, and one satisfied rating unless it is a 差评."""
    return {"ratings": 1, "satisfied": int(level not in BAD_LEVELS)}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from `start`'s to `end`'s."""
    out, current = [], month_start(start)
    while current <= end:
        out.append(current)
        current = month_end(current) + dt.timedelta(days=1)
    return out


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: dt.date
    end: dt.date

    @property
    def whole_months(self) -> bool:
        """Whether the period is made of whole months (read from the monthly rollup)."""
        return self.start.day == 1 and self.end == month_end(self.end)

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


class PeriodInvalid(ValueError):
    pass


def parse_period(kind: str, value: str, start: str, end: str, today: dt.date) -> Period:
    """The period a query asks for: ``month`` ``2026-11``, ``quarter`` ``2026-Q4``,
    ``year`` ``2026``, or ``custom`` from ``start`` to ``end`` (inclusive, at most three
    years). An empty value means the current month, quarter or year. Raises
    `PeriodInvalid` when the value cannot be read."""
    try:
        chosen = PeriodKind(kind or PeriodKind.MONTH)
    except ValueError:
        raise PeriodInvalid(kind) from None
    value = (value or "").strip()
    try:
        if chosen is PeriodKind.MONTH:
            first = (dt.date.fromisoformat(f"{value}-01") if value else month_start(today))
            return Period(chosen, first, month_end(first))
        if chosen is PeriodKind.QUARTER:
            if value:
                year_text, _sep, q_text = value.upper().partition("-Q")
                year, quarter = int(year_text), int(q_text)
            else:
                year, quarter = today.year, (today.month - 1) // 3 + 1
            if not 1 <= quarter <= 4:
                raise PeriodInvalid(value)
            first = dt.date(year, 3 * quarter - 2, 1)
            return Period(chosen, first, month_end(dt.date(year, 3 * quarter, 1)))
        if chosen is PeriodKind.YEAR:
            year = int(value) if value else today.year
            return Period(chosen, dt.date(year, 1, 1), dt.date(year, 12, 31))
        first = dt.date.fromisoformat(start) if start else month_start(today)
        last = dt.date.fromisoformat(end) if end else today
    except ValueError:
        raise PeriodInvalid(value) from None
    if first > last or (last - first).days > MAX_CUSTOM_DAYS:
        raise PeriodInvalid(f"{start}..{end}")
    return Period(chosen, first, last)
