"""The working-day calendar (工作日历): which days are working days, and fast arithmetic on them.

行政许可法 第82条: every time limit of the agency is counted in working days, excluding
statutory holidays; China moves weekends to make up for long holidays (调休), so a Saturday can
be a working day and a Monday a holiday. A `WorkCalendar` is built from the official yearly
schedule for the years it covers; asking about any other year raises `CalendarNotCovered`
(never a silent weekends-only guess).

For speed each run of consecutive covered years (a *segment*) is precomputed once:
`cum[i]` is the number of working days from the segment's first day up to and including day
`i`, and `workdays` lists the ordinals of its working days in order. Then

- working days in (a, b]                      = cum[b] - cum[a]                 (O(1))
- the N-th working day strictly after S       = workdays[cum[S] + N - 1]        (O(1))

and a suspension only moves the cursor: O(k log k) for k suspensions, never a day-by-day loop.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import CalendarNotCovered, InvalidCalendar, InvalidPeriod
from .i18n import gettext_noop
from .periods import Suspension, merge_suspensions

_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class NonWorkingRun:
    """A maximal run of consecutive non-working days; `holiday` when it holds a statutory
    holiday (法定节假日), otherwise it is an ordinary weekend. `names` are the holidays' names."""

    first: dt.date
    last: dt.date
    holiday: bool
    names: tuple[str, ...] = ()


class _Segment:
    __slots__ = ("base", "cum", "end", "first_year", "last_year", "run_first", "run_holiday",
                 "run_last", "run_names", "workdays")

    def __init__(
        self, first_year: int, last_year: int, holidays: frozenset[dt.date],
        makeup: frozenset[dt.date], names: Mapping[dt.date, str],
    ) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.base = dt.date(first_year, 1, 1).toordinal()
        self.end = dt.date(last_year, 12, 31).toordinal()
        cum: list[int] = []
        workdays: list[int] = []
        run_first: list[int] = []
        run_last: list[int] = []
        run_holiday: list[bool] = []
        run_names: list[tuple[str, ...]] = []
        count = 0
        in_run = False
        for o in range(self.base, self.end + 1):
            day = dt.date.fromordinal(o)
            working = day in makeup or (day.weekday() < _SATURDAY and day not in holidays)
            if working:
                count += 1
                workdays.append(o)
                in_run = False
            else:
                if not in_run:
                    run_first.append(o)
                    run_last.append(o)
                    run_holiday.append(False)
                    run_names.append(())
                    in_run = True
                run_last[-1] = o
                if day in holidays:
                    run_holiday[-1] = True
                    name = names.get(day, "")
                    if name and name not in run_names[-1]:
                        run_names[-1] = (*run_names[-1], name)
            cum.append(count)
        self.cum = cum
        self.workdays = workdays
        self.run_first = run_first
        self.run_last = run_last
        self.run_holiday = run_holiday
        self.run_names = run_names


class WorkCalendar:
    """The official working-day schedule for a set of years (行政许可法 第82条).

    - `years`: the years whose schedule is known (the calendar *covers* them);
    - `holidays`: the rest days of the statutory holidays (法定节假日); days that fall on a
      weekend may be listed too (they only name the holiday in explanations);
    - `makeup_workdays`: weekend days that are working days (调休上班);
    - `version`: identifies exactly this schedule; every deadline records it;
    - `provisional_years`: years among `years` whose official schedule is not known yet,
      filled by the provisional rule (law.md §1, `provisional.provisional_schedule`): every
      deadline that counts days of them is flagged provisional (暂定).

    Immutable once built; build one per calendar version and share it.
    """

    __slots__ = ("_first_provisional", "_main", "_makeup", "_segments", "holiday_names",
                 "holidays", "makeup_workdays", "provisional_years", "version",
                 "year_versions", "years")

    def __init__(
        self,
        *,
        years: Iterable[int],
        holidays: Iterable[dt.date],
        makeup_workdays: Iterable[dt.date],
        version: str,
        holiday_names: Mapping[dt.date, str] | None = None,
        year_versions: Mapping[int, str] | None = None,
        provisional_years: Iterable[int] = (),
    ) -> None:
        self.years = frozenset(years)
        self.provisional_years = frozenset(provisional_years)
        self._first_provisional = min(self.provisional_years, default=10_000)
        self.holidays = frozenset(holidays)
        self.makeup_workdays = frozenset(makeup_workdays)
        self.version = version
        self.holiday_names = dict(holiday_names or {})
        self.year_versions = dict(year_versions or {})
        if not self.years:
            raise InvalidCalendar(gettext_noop("工作日历至少要包含一个年份。"))
        if not self.provisional_years <= self.years:
            raise InvalidCalendar(gettext_noop("暂定年份必须包含在工作日历的年份内。"))
        for day in self.holidays | self.makeup_workdays:
            if day.year not in self.years:
                raise InvalidCalendar(
                    gettext_noop("日期%(day)s不在工作日历覆盖的年份内。"), day=day.isoformat()
                )
        for day in self.makeup_workdays:
            if day.weekday() < _SATURDAY:
                raise InvalidCalendar(
                    gettext_noop("调休工作日%(day)s不是星期六或星期日。"), day=day.isoformat()
                )
            if day in self.holidays:
                raise InvalidCalendar(
                    gettext_noop("%(day)s不能既是节假日又是调休工作日。"), day=day.isoformat()
                )
        ordered = sorted(self.years)
        segments: list[_Segment] = []
        first = prev = ordered[0]
        for year in [*ordered[1:], None]:
            if year is not None and year == prev + 1:
                prev = year
                continue
            segments.append(
                _Segment(first, prev, self.holidays, self.makeup_workdays, self.holiday_names)
            )
            if year is not None:
                first = prev = year
        self._segments = tuple(segments)
        self._main = segments[-1]  # the current years: the usual case, checked first
        self._makeup = sorted(d.toordinal() for d in self.makeup_workdays)

    def __repr__(self) -> str:
        return f"<WorkCalendar {self.version} {min(self.years)}–{max(self.years)}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return (self.version, self.years, self.holidays, self.makeup_workdays) == (
            other.version, other.years, other.holidays, other.makeup_workdays
        )

    def __hash__(self) -> int:
        return hash((self.version, self.years))

    # --- lookups ------------------------------------------------------------------------

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_provisional(self, year: int) -> bool:
        """Whether `year` is counted by the provisional rule (no official schedule yet)."""
        return year in self.provisional_years

    def provisional_in(self, start: dt.date, last: dt.date) -> tuple[int, ...]:
        """The provisional years among the days counted in (start, last] (民法典 第201条:
        the start day is not counted): a deadline ending on `last` is provisional (暂定)
        exactly when this is not empty (law.md §1)."""
        if last.year < self._first_provisional or last <= start:
            return ()
        first = start.year + 1 if (start.month, start.day) == (12, 31) else start.year
        return tuple(y for y in range(first, last.year + 1) if y in self.provisional_years)

    def _segment(self, o: int) -> _Segment:
        seg = self._main
        if seg.base <= o <= seg.end:
            return seg
        for seg in self._segments:
            if seg.base <= o <= seg.end:
                return seg
        raise CalendarNotCovered(dt.date.fromordinal(o).year)

    def is_workday(self, day: dt.date) -> bool:
        """Whether `day` is a working day (第82条); raises `CalendarNotCovered`."""
        o = day.toordinal()
        seg = self._segment(o)
        i = o - seg.base
        return seg.cum[i] != (seg.cum[i - 1] if i else 0)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day strictly after `start` (民法典 第201条: the start day is
        not counted; 行政许可法 第82条: working days). `days == 0` gives `start` itself."""
        if days < 0:
            raise InvalidPeriod(gettext_noop("工作日数不能为负数：%(days)d。"), days=days)
        if days == 0:
            return start
        return self.due_date(start, days)

    def count_working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days in (first, last]: the start day is not counted (民法典 第201条).
        Negative when `last` is before `first`."""
        a = first.toordinal()
        b = last.toordinal()
        if b < a:
            return -self.count_working_days(last, first)
        seg = self._segment(a)
        if b > seg.end:
            raise CalendarNotCovered(seg.last_year + 1)
        return seg.cum[b - seg.base] - seg.cum[a - seg.base]

    def due_date(
        self, start: dt.date, days: int, suspensions: Sequence[Suspension] = ()
    ) -> dt.date:
        """The day a limit of `days` working days from `start` ends: the `days`-th working day
        strictly after `start` that is not inside a suspension (民法典 第201条, 行政许可法
        第82条 and 第45条). The fast path of every deadline."""
        if days < 1:
            raise InvalidPeriod(gettext_noop("期限的工作日数必须至少为1：%(days)d。"), days=days)
        o = start.toordinal()
        seg = self._main
        if not seg.base <= o <= seg.end:
            seg = self._segment(o)
        cum = seg.cum
        base = seg.base
        pos = cum[o - base]
        rem = days
        if suspensions:
            if len(suspensions) == 1:  # the common case, without the merge
                a = suspensions[0][0].toordinal()
                b = suspensions[0][1].toordinal()
                if b < a or b <= o:
                    ranges = merge_suspensions(suspensions, o)  # raises, or nothing left
                else:
                    ranges = [(a if a > o else o + 1, b)]
            else:
                ranges = merge_suspensions(suspensions, o)
            for a, b in ranges:
                if a > seg.end:
                    break
                avail = cum[a - 1 - base] - pos
                if rem <= avail:
                    break
                rem -= avail
                if b >= seg.end:
                    raise CalendarNotCovered(seg.last_year + 1)
                pos = cum[b - base]
        k = pos + rem - 1
        workdays = seg.workdays
        if k >= len(workdays):
            raise CalendarNotCovered(seg.last_year + 1)
        return dt.date.fromordinal(workdays[k])

    def counted_working_days(
        self, first: dt.date, last: dt.date, suspensions: Sequence[Suspension] = ()
    ) -> int:
        """Working days in (first, last] outside every suspension (第45条); 0 when
        `last <= first`."""
        a = first.toordinal()
        b = last.toordinal()
        if b <= a:
            return 0
        seg = self._segment(a)
        if b > seg.end:
            raise CalendarNotCovered(seg.last_year + 1)
        cum = seg.cum
        base = seg.base
        total = cum[b - base] - cum[a - base]
        for sa, sb in merge_suspensions(suspensions, a):
            if sa > b:
                break
            total -= cum[min(sb, b) - base] - cum[sa - 1 - base]
        return total

    def nonworking_runs(self, first: dt.date, last: dt.date) -> list[NonWorkingRun]:
        """The runs of non-working days inside (first, last], clipped to that range."""
        a = first.toordinal()
        b = last.toordinal()
        if b <= a:
            return []
        seg = self._segment(a)
        if b > seg.end:
            raise CalendarNotCovered(seg.last_year + 1)
        runs: list[NonWorkingRun] = []
        i = bisect_right(seg.run_last, a)
        while i < len(seg.run_first) and seg.run_first[i] <= b:
            runs.append(NonWorkingRun(
                dt.date.fromordinal(max(seg.run_first[i], a + 1)),
                dt.date.fromordinal(min(seg.run_last[i], b)),
                seg.run_holiday[i],
                seg.run_names[i],
            ))
            i += 1
        return runs

    def makeup_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The make-up working days (调休工作日) inside (first, last]."""
        a = first.toordinal()
        b = last.toordinal()
        i = bisect_right(self._makeup, a)
        out: list[dt.date] = []
        while i < len(self._makeup) and self._makeup[i] <= b:
            out.append(dt.date.fromordinal(self._makeup[i]))
            i += 1
        return out
