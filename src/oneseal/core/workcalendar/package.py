"""Build a `WorkCalendar` from the `chinesecalendar` package (the State Council schedules it
carries, 2004 up to the latest year it knows). No Django here: tests and the benchmark use it
directly; the seeding service copies it into the calendar table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from importlib.metadata import version as _dist_version

import chinese_calendar
from chinese_calendar import constants

from .domain import WorkCalendar
from .domain.i18n import gettext_noop

PACKAGE_VERSION = _dist_version("chinesecalendar")
SOURCE = f"chinesecalendar {PACKAGE_VERSION}（国务院办公厅部分节假日安排的通知）"

# The package names holidays in English; the calendar speaks Chinese, with the names of the
# State Council notices (清明节, not 清明).
_OFFICIAL = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
# Marked for translation so explanations read in English too (the domain translates names).
HOLIDAY_NAMES = (
    gettext_noop("元旦"), gettext_noop("春节"), gettext_noop("清明节"), gettext_noop("劳动节"),
    gettext_noop("端午节"), gettext_noop("中秋节"), gettext_noop("国庆节"),
    gettext_noop("中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
)
_CHINESE = {h.value: _OFFICIAL.get(h.chinese, h.chinese) for h in constants.Holiday}


def package_years() -> range:
    """The years the installed package knows."""
    return range(min(constants.holidays).year, max(constants.holidays).year + 1)


def package_schedule(year: int) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """(holidays, make-up working days) of `year`, each day with its holiday's Chinese name."""
    holidays = {d: _CHINESE.get(n, n) for d, n in constants.holidays.items() if d.year == year}
    makeup = {d: _CHINESE.get(n, n) for d, n in constants.workdays.items() if d.year == year}
    return holidays, makeup


def calendar_from_package(years: Iterable[int] | None = None) -> WorkCalendar:
    """A `WorkCalendar` with the package's schedule for `years` (default: all it knows)."""
    chosen = sorted(years if years is not None else package_years())
    holidays: dict[dt.date, str] = {}
    makeup: set[dt.date] = set()
    for year in chosen:
        h, m = package_schedule(year)
        holidays.update(h)
        makeup.update(m)
    return WorkCalendar(
        years=chosen, holidays=holidays, makeup_workdays=makeup,
        holiday_names=holidays, version=f"chinesecalendar-{PACKAGE_VERSION}",
    )


def is_workday(day: dt.date) -> bool:
    """The package's own answer (the day-by-day baseline of tests and benchmark)."""
    return bool(chinese_calendar.is_workday(day))
