"""The provisional schedule (暂定安排) of a year whose official holiday schedule is not
published yet (law.md §1).

行政许可法 第82条 counts limits in working days, and only the State Council's yearly schedule
says exactly which days those are (it moves weekends: 调休). Until that schedule is entered, a
deadline reaching into the year is computed *provisionally* — never blank, never silently
guessed, and always flagged — from what the law itself fixes by date:

《全国年节及纪念日放假办法》(国务院令第795号修订, 2024, effective 2025-01-01):

- 第二条 the holidays of all citizens: 元旦 1 January (1 day); 春节 除夕 to 正月初三 (4 days);
  清明节 the day of the 清明 solar term (1 day); 劳动节 1–2 May (2 days); 端午节 the 5th of the
  5th lunar month (1 day); 中秋节 the 15th of the 8th lunar month (1 day); 国庆节 1–3 October
  (3 days);
- 第六条 (补假): a holiday of all citizens that falls on a Saturday or Sunday is made up on a
  working day — here the next working day(s) after the holiday, as the State Council's
  schedules do;
- no 调休: moving weekends is decided by each year's schedule, so none is assumed.

Lunar dates and the solar term come from `lunar_python` (lunar-python, maintained, pure
Python, MIT): it converts lunar to solar dates and computes the 24 solar terms
astronomically (寿星天文历 algorithm) for any year, so no hand table ages out. lunardate only
converts lunar dates (no solar terms, so 清明 would need a second source), and cnlunar brings
an almanac (宜忌, 八字 …) far beyond this need; both were considered and set aside.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from lunar_python import Lunar  # type: ignore[import-untyped]

from .i18n import gettext_noop

_SATURDAY = 5

NEW_YEAR = gettext_noop("元旦")
SPRING_FESTIVAL = gettext_noop("春节")
QINGMING = gettext_noop("清明节")
LABOUR_DAY = gettext_noop("劳动节")
DRAGON_BOAT = gettext_noop("端午节")
MID_AUTUMN = gettext_noop("中秋节")
NATIONAL_DAY = gettext_noop("国庆节")

PROVISIONAL_BASIS = gettext_noop(
    "《全国年节及纪念日放假办法》（2024年修订）第二条、第六条，不含调休"
)


def _solar(lunar: object) -> dt.date:
    solar = lunar.getSolar()  # type: ignore[attr-defined]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _lunar_date(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of lunar `month`/`day` of the lunar year that starts in `year`."""
    return _solar(Lunar.fromYmd(year, month, day))


def lunar_new_years_eve(year: int) -> dt.date:
    """除夕: the day before 正月初一 of the lunar year that starts in Gregorian `year`."""
    return _lunar_date(year, 1, 1) - dt.timedelta(days=1)


def qingming(year: int) -> dt.date:
    """The day of the 清明 solar term in `year`."""
    table = Lunar.fromYmd(year, 3, 1).getJieQiTable()
    solar = table["清明"]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def dragon_boat(year: int) -> dt.date:
    """端午: the 5th day of the 5th lunar month."""
    return _lunar_date(year, 5, 5)


def mid_autumn(year: int) -> dt.date:
    """中秋: the 15th day of the 8th lunar month."""
    return _lunar_date(year, 8, 15)


def statutory_holidays(year: int) -> list[tuple[str, tuple[dt.date, ...]]]:
    """The holidays of all citizens in `year` and their days, in order (第二条)."""
    eve = lunar_new_years_eve(year)
    return [
        (NEW_YEAR, (dt.date(year, 1, 1),)),
        (SPRING_FESTIVAL, tuple(eve + dt.timedelta(days=i) for i in range(4))),
        (QINGMING, (qingming(year),)),
        (LABOUR_DAY, (dt.date(year, 5, 1), dt.date(year, 5, 2))),
        (DRAGON_BOAT, (dragon_boat(year),)),
        (MID_AUTUMN, (mid_autumn(year),)),
        (NATIONAL_DAY, tuple(dt.date(year, 10, d) for d in (1, 2, 3))),
    ]


@lru_cache(maxsize=32)
def provisional_schedule(year: int) -> dict[dt.date, str]:
    """Every rest day of `year` besides the ordinary weekends under the provisional rule:
    the statutory holidays (第二条) and, for each holiday day on a Saturday or Sunday, one
    make-up day (补假, 第六条) on the next working day after that holiday. A day two holidays
    share (中秋 on 10-03 in 2028) counts once: no rule grants an extra day for it, so none is
    assumed (the official schedule decides). Days that would fall into the next year stay out.

    Weekend holiday days are listed too (they only name the holiday in explanations)."""
    days: dict[dt.date, str] = {}
    owed: list[tuple[str, dt.date, int]] = []
    for name, holiday in statutory_holidays(year):
        weekend = sum(1 for day in holiday if day.weekday() >= _SATURDAY and day not in days)
        for day in holiday:
            days.setdefault(day, name)  # a day two holidays share (中秋 on 10-03) counts once
        owed.append((name, holiday[-1], weekend))
    for name, last, count in owed:
        cursor = last
        while count:
            cursor += dt.timedelta(days=1)
            if cursor.year != year:
                break
            if cursor.weekday() >= _SATURDAY or cursor in days:
                continue
            days[cursor] = name
            count -= 1
    return dict(sorted(days.items()))


PROVISIONAL_HORIZON = 4  # years past the last official one (or this year) filled provisionally


def years_to_fill(official: Iterable[int], this_year: int,
                  horizon: int = PROVISIONAL_HORIZON) -> list[int]:
    """The years a calendar fills provisionally: every year missing between the first
    official year and `horizon` years after the later of the last official year and
    `this_year` (a deadline running a few years ahead stays computable, and flagged)."""
    known = set(official)
    if not known:
        return list(range(this_year, this_year + horizon + 1))
    last = max(max(known), this_year) + horizon
    return [y for y in range(min(known), last + 1) if y not in known]
