"""Reads of the calendar table, and the `WorkCalendar` built from it (cached per version)."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .domain import (
    WorkCalendar,
    provisional_schedule,
    years_to_fill,
)
from .models import CalendarDay, CalendarYear, DayKind
from .schedule_format import Schedule

_CACHE: dict[tuple[object, ...], WorkCalendar] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 8
# The calendar already read in this request or operation (`calendar_read_once`), or None
# outside one: then every `get_work_calendar()` asks the table which versions are current.
_READ_ONCE: ContextVar[dict[str, WorkCalendar] | None] = ContextVar(
    "oneseal_calendar_read_once", default=None)


def clear_calendar_cache() -> None:
    """Forget every built calendar (called after a year is entered or corrected), and the
    calendar read once by the request or operation now running."""
    with _CACHE_LOCK:
        _CACHE.clear()
    forget_read_once()


def forget_read_once() -> None:
    """Forget the calendar read once in this request or operation: the next
    `get_work_calendar()` reads the table again (called by the calendar's write services
    as soon as they write, before their commit)."""
    memo = _READ_ONCE.get()
    if memo is not None:
        memo.clear()


@contextmanager
def calendar_read_once() -> Iterator[None]:
    """Within this block `get_work_calendar()` reads the current versions once and answers
    the same calendar after (issue 19: a decision read them 5 times). For one request or one
    operation, never longer: another process's correction is seen by the next request; a
    correction entered inside the block (`enter_year`) forgets it at once. Nested blocks
    share the outer one's read."""
    if _READ_ONCE.get() is not None:
        yield
        return
    token = _READ_ONCE.set({})
    try:
        yield
    finally:
        _READ_ONCE.reset(token)


def current_years() -> QuerySet[CalendarYear]:
    """The current version of every year, with its counts of holidays and make-up days."""
    return (
        CalendarYear.objects.filter(is_current=True)
        .select_related("entered_by")
        .annotate(
            holiday_count=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            workday_count=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        )
        .order_by("-year")
    )


def version_counts() -> dict[int, int]:
    """How many versions each year has."""
    rows = CalendarYear.objects.values("year").annotate(n=Count("id"))
    return {r["year"]: r["n"] for r in rows}


def year_versions(year: int) -> list[CalendarYear]:
    """Every version of `year`, newest first."""
    return list(CalendarYear.objects.filter(year=year).select_related("entered_by")
                .order_by("-version"))


def schedule_of(calendar_year: CalendarYear) -> Schedule:
    """One version of a year as a `Schedule` (what the import format reads and writes)."""
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    for day in calendar_year.days.all():
        (holidays if day.kind == DayKind.HOLIDAY else workdays)[day.date] = day.name
    return Schedule(year=calendar_year.year, source=calendar_year.source, holidays=holidays,
                    workdays=workdays, note=calendar_year.note)


def calendar_version(key: Iterable[tuple[int, int, str]],
                     provisional: Iterable[int] = ()) -> str:
    """The identifier of a calendar made of these (year, version, digest) entries and these
    provisionally filled years (law.md §1)."""
    text = ";".join(f"{y}:{v}:{d}" for y, v, d in sorted(key))
    filled = sorted(provisional)
    if filled:
        text += ";provisional:" + ",".join(str(y) for y in filled)
    return "wc-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def build_calendar(rows: Iterable[CalendarYear], *, today: dt.date | None = None) -> WorkCalendar:
    """The `WorkCalendar` of these year versions, built once per combination and cached.

    Years without an official schedule — gaps, and the years after the last entered one — are
    filled by the provisional rule (law.md §1: weekends, the statutory holidays fixed by date
    and their 补假, no 调休); every deadline reaching into them is flagged 暂定."""
    chosen = sorted(rows, key=lambda r: r.year)
    this_year = (today or timezone.localdate()).year
    official = [r.year for r in chosen]
    filled = years_to_fill(official, this_year)
    key = (*((r.year, r.version, r.digest) for r in chosen), ("provisional", *filled))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    holidays: dict[dt.date, str] = {}
    workdays: set[dt.date] = set()
    days = CalendarDay.objects.filter(calendar_year__in=[r.pk for r in chosen])
    for day, kind, name in days.values_list("date", "kind", "name"):
        if kind == DayKind.HOLIDAY:
            holidays[day] = name
        else:
            workdays.add(day)
    for year in filled:
        holidays.update(provisional_schedule(year))
    calendar = WorkCalendar(
        years=[*official, *filled], holidays=holidays, makeup_workdays=workdays,
        holiday_names=holidays,
        version=calendar_version(((r.year, r.version, r.digest) for r in chosen), filled),
        year_versions={r.year: str(r.version) for r in chosen},
        provisional_years=filled,
    )
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = calendar
    return calendar


def get_work_calendar() -> WorkCalendar:
    """The calendar every deadline uses now: the current version of every entered year
    (read once per `calendar_read_once` block)."""
    memo = _READ_ONCE.get()
    if memo is not None and "current" in memo:
        return memo["current"]
    rows = CalendarYear.objects.filter(is_current=True).only("id", "year", "version", "digest")
    calendar = build_calendar(rows)
    if memo is not None:
        memo["current"] = calendar
    return calendar


def calendar_with(versions: Mapping[int, int]) -> WorkCalendar:
    """The current calendar with some years taken at other versions ({year: version}), e.g.
    to recompute with the schedule a deadline was first computed with."""
    rows = {r.year: r for r in CalendarYear.objects.filter(is_current=True)}
    for year, version in versions.items():
        rows[year] = CalendarYear.objects.get(year=year, version=version)
    return build_calendar(rows.values())


def missing_next_year_warning(today: dt.date | None = None) -> str | None:
    """From November on, the warning that next year's schedule is missing, else None.

    The State Council announces next year's holidays each November; until an administrator
    enters them, every deadline reaching into next year is only provisional (暂定, law.md §1,
    行政许可法 第82条)."""
    today = today or timezone.localdate()
    if today.month < 11:
        return None
    year = today.year + 1
    if CalendarYear.objects.filter(year=year, is_current=True).exists():
        return None
    return _("尚未录入%(year)d年的放假调休安排：跨入%(year)d年的期限只能按法定节假日暂定计算"
             "（不含调休），页面标注“暂定”，法律文书不写暂定日期。国务院办公厅通常在11月公布"
             "下一年的安排，请系统管理员及时录入。") % {"year": year}


def calendar_banner(*, is_admin: bool, today: dt.date | None = None) -> tuple[str, str] | None:
    """The banner staff pages show about next year's missing schedule, as (level, text):
    from November the administrators see a warning; in December every staff page carries
    it as a banner that cannot be dismissed (level "blocking") until the year is entered."""
    today = today or timezone.localdate()
    if today.month < 11 or (today.month == 11 and not is_admin):
        return None
    text = missing_next_year_warning(today)
    if text is None:
        return None
    return ("blocking" if today.month == 12 else "warning"), text
