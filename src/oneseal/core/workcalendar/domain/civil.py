"""Periods counted in calendar days or months (《民法典》第201–203条), as opposed to the
agency's working-day limits (行政许可法 第82条).

- 第201条: a period counted in days starts on the next day (the start day is not counted);
- 第202条: a period counted in months ends on the corresponding day of the last month, or
  on that month's last day when it has no corresponding day;
- 第203条: when the last day of the period is a statutory rest day (法定休假日: a weekend day
  that is not a make-up working day, or a statutory holiday), the period ends on the day
  after the rest ends — the next working day.

Used for the applicant's 5-day hearing request window (行政许可法 第47条), the renewal
apply-by date (第50条: 30 days before expiry) and item limits in calendar days or months.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from enum import StrEnum

from .calendar import WorkCalendar
from .errors import InvalidPeriod
from .i18n import gettext_noop


class LimitUnit(StrEnum):
    """The unit of a time limit."""

    WORKING_DAYS = "working_days"  # 工作日 (行政许可法 第82条)
    DAYS = "days"  # 日 (民法典 第201条、第203条)
    MONTHS = "months"  # 月 (民法典 第202条、第203条)


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day `months` months after `start`, or the last day of that month
    when it has none (民法典 第202条)."""
    if months < 0:
        raise InvalidPeriod(gettext_noop("月数不能为负数：%(days)d。"), days=months)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = _gregorian.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def roll_past_rest_days(calendar: WorkCalendar, day: dt.date) -> dt.date:
    """`day` itself when it is a working day, otherwise the first working day after the rest
    days it falls in (民法典 第203条)."""
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def civil_period_end(
    calendar: WorkCalendar, start: dt.date, amount: int, unit: LimitUnit | str
) -> dt.date:
    """The last day of a period of `amount` `unit`s starting after `start`.

    Working days: the `amount`-th working day after `start` (行政许可法 第82条). Days: the
    `amount`-th day after `start` (民法典 第201条). Months: the corresponding day (第202条).
    For days and months a last day that is a statutory rest day moves to the next working
    day (第203条). Raises `CalendarNotCovered` when the calendar lacks the year needed."""
    unit = LimitUnit(unit)
    if amount < 1:
        raise InvalidPeriod(gettext_noop("期限的天数必须至少为1：%(days)d。"), days=amount)
    if unit is LimitUnit.WORKING_DAYS:
        return calendar.due_date(start, amount)
    if unit is LimitUnit.DAYS:
        nominal = start + dt.timedelta(days=amount)
    else:
        nominal = add_months(start, amount)
    return roll_past_rest_days(calendar, nominal)


def period_before(
    calendar: WorkCalendar, end: dt.date, days: int
) -> dt.date:
    """The last day on which something due `days` days before `end` can be done: `end`
    minus `days` (e.g. a renewal applied for 30 days before expiry, 行政许可法 第50条); when
    that day is a statutory rest day it moves to the next working day (民法典 第203条)."""
    if days < 1:
        raise InvalidPeriod(gettext_noop("期限的天数必须至少为1：%(days)d。"), days=days)
    return roll_past_rest_days(calendar, end - dt.timedelta(days=days))
