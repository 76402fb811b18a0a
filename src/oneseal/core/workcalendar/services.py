"""Writes to the calendar table: seeding from `chinesecalendar`, entering and correcting a
year (a correction adds a version and keeps the old ones), and what a correction changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from oneseal.core.audit import append_event
from oneseal.core.roles import Role

from .domain import DeadlineChange, DeadlineInput, InvalidCalendar, WorkCalendar, gettext_noop
from .domain import deadline_changes as _deadline_changes
from .models import CalendarDay, CalendarYear, DayKind, EntryChannel
from .schedule_format import LineError, Schedule, ScheduleFormatError
from .selectors import calendar_with, clear_calendar_cache, forget_read_once


def _actor_name(actor: Any) -> str:
    if actor is None:
        return ""
    return str(getattr(actor, "display_name", "") or actor.get_username())


def _create_version(
    *, schedule: Schedule, version: int, via: str, actor: Any, actor_name: str,
    using: str = DEFAULT_DB_ALIAS,
) -> CalendarYear:
    row = CalendarYear.objects.using(using).create(
        year=schedule.year, version=version, source=schedule.source, note=schedule.note,
        digest=schedule.digest(), is_current=True, entered_via=via, entered_by=actor,
        entered_by_name=actor_name or _actor_name(actor),
    )
    CalendarDay.objects.using(using).bulk_create(
        [CalendarDay(calendar_year=row, date=d, kind=DayKind.HOLIDAY, name=n)
         for d, n in sorted(schedule.holidays.items())]
        + [CalendarDay(calendar_year=row, date=d, kind=DayKind.WORKDAY, name=n)
           for d, n in sorted(schedule.workdays.items())]
    )
    forget_read_once()  # this request's next deadline reads the new version, even uncommitted
    return row


def seed_calendar_from_package(*, actor: Any = None, using: str = DEFAULT_DB_ALIAS,
                               ) -> list[CalendarYear]:
    """Add, as version 1, every year `chinesecalendar` knows and the table has no version of
    (行政许可法 第82条: the official schedules). Idempotent; never touches an entered year.
    Reference data shipped with the software, so no audit event (the rows say their source)."""
    from .package import SOURCE, package_schedule, package_years

    added: list[CalendarYear] = []
    with transaction.atomic(using=using):
        present = set(CalendarYear.objects.using(using).values_list("year", flat=True))
        for year in package_years():
            if year in present:
                continue
            holidays, workdays = package_schedule(year)
            schedule = Schedule(year=year, source=SOURCE, holidays=holidays, workdays=workdays)
            added.append(_create_version(schedule=schedule, version=1,
                                         via=EntryChannel.PACKAGE, actor=actor,
                                         actor_name="chinesecalendar", using=using))
    if added:
        transaction.on_commit(clear_calendar_cache, using=using)
    return added


def seed_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate receiver: seed once the table exists (also after a test flush)."""
    if CalendarYear._meta.db_table not in connections[using].introspection.table_names():
        return
    seed_calendar_from_package(using=using)


def check_can_edit_calendar(actor: Any) -> None:
    """Only a system administrator (系统管理员) enters or corrects the calendar; `None` is the
    operator at the server's console (`oneseal calendar import`)."""
    if actor is not None and not actor.has_role(Role.SYSADMIN):
        raise PermissionDenied(_("只有系统管理员可以录入或更正工作日历。"))


def enter_year(
    *, actor: Any, schedule: Schedule, via: str = EntryChannel.WEB, actor_name: str = "",
) -> tuple[CalendarYear, bool]:
    """Enter a year's schedule, or correct it: the new version becomes current and the old
    ones are kept (行政许可法 第82条). Returns (the current version, whether it is new): the
    same days from the same source again change nothing."""
    check_can_edit_calendar(actor)
    try:  # the same rules the arithmetic relies on, whoever the caller is
        WorkCalendar(years=[schedule.year], holidays=schedule.holidays,
                     makeup_workdays=schedule.workdays, version="check")
    except InvalidCalendar as err:
        raise ScheduleFormatError([LineError(0, err.msgid, err.params)]) from err
    if not schedule.source.strip():
        raise ScheduleFormatError([LineError(0, gettext_noop(
            "文件中缺少“来源”一行（例如：来源,国办发明电〔2026〕12号）。"))])
    with transaction.atomic():
        versions = list(CalendarYear.objects.select_for_update()
                        .filter(year=schedule.year).order_by("-version"))
        current = next((v for v in versions if v.is_current), None)
        if (current is not None and current.digest == schedule.digest()
                and current.source == schedule.source):
            return current, False
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        row = _create_version(
            schedule=schedule, version=(versions[0].version + 1) if versions else 1,
            via=via, actor=actor, actor_name=actor_name,
        )
        append_event(
            actor=actor,
            kind="calendar.year_corrected" if current else "calendar.year_entered",
            subject=f"calendar_year:{row.year}",
            payload={
                "year": row.year, "version": row.version, "source": row.source,
                "digest": row.digest, "via": via, "entered_by": row.entered_by_name,
                "previous_version": current.version if current else None,
                "holidays": len(schedule.holidays), "workdays": len(schedule.workdays),
            },
        )
        transaction.on_commit(clear_calendar_cache)
    return row, True


def correction_changes(
    *, year: int, inputs: Iterable[DeadlineInput], before_version: int | None = None,
    after_version: int | None = None,
) -> list[DeadlineChange]:
    """The deadlines among `inputs` whose due date differs between two versions of `year`
    (by default the previous version and the current one), all other years as they are now.
    The case app will feed its open clocks here after a correction."""
    versions = {v.version: v for v in CalendarYear.objects.filter(year=year)}
    current = next((v for v in versions.values() if v.is_current), None)
    if current is None:
        raise CalendarYear.DoesNotExist(year)
    after = after_version or current.version
    before = before_version or max((v for v in versions if v < after), default=after)
    return _deadline_changes(calendar_with({year: before}), calendar_with({year: after}),
                             inputs)


# --- after a year is entered: recompute what depends on the calendar -------------------------

@dataclass(frozen=True)
class MovedDate:
    """A stored due date that moved when a year's schedule was entered or corrected."""

    case_number: str
    applicant: str
    what: str  # the due date's label, e.g. 承诺办结期限
    before: dt.date | None
    after: dt.date | None
    was_provisional: bool = False
    provisional: bool = False
    applicant_told: bool = False


@dataclass(frozen=True)
class RecomputeReport:
    """What one dependant (e.g. the open cases) recomputed after a calendar change."""

    title: str
    checked: int
    moved: list[MovedDate] = field(default_factory=list)


CalendarHook = Callable[[Any, int], RecomputeReport]
_HOOKS: list[CalendarHook] = []


def on_calendar_entered(hook: CalendarHook) -> CalendarHook:
    """Register `hook(actor, year)`, run after a year's schedule is entered or corrected (an
    app that stores dates computed from the calendar registers here in its `ready()`; the
    calendar itself knows nothing of cases)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def enter_year_and_recompute(
    *, actor: Any, schedule: Schedule, via: str = EntryChannel.WEB, actor_name: str = "",
) -> tuple[CalendarYear, bool, list[RecomputeReport]]:
    """`enter_year`, then, in the same job, every registered recomputation (law.md §1: when
    the official schedule is entered every open case is recomputed and the dates that moved
    are listed). The year stays entered if a recomputation fails: `oneseal recompute-clocks`
    runs it again."""
    row, created = enter_year(actor=actor, schedule=schedule, via=via, actor_name=actor_name)
    if not created:
        return row, created, []
    clear_calendar_cache()  # the new version counts from now, not only after commit
    return row, created, [hook(actor, row.year) for hook in list(_HOOKS)]
