"""The deadline a staff list shows (期限提示): how many working days are left before a stored
due date, in words, and the due-date windows the lists and the workbench home count.

- The days are working days (行政许可法 第82条 "期限以工作日计算，不含法定节假日"), counted
  by the working calendar (`oneseal.core.workcalendar`), the start day not counted (民法典
  第201条): a due date of tomorrow, a working day, leaves "剩 1 个工作日"; a due date of today
  is "今日到期"; a due date passed is "超期 N 个工作日" (never a negative number).
- 即将超期 (soon) is what the yellow light of `clocks.case_light` means: at most one working
  day left (today or the next working day); 已超期 (overdue) is a due date before today.

The windows are plain date ranges on the stored, indexed due dates (`correction_due`,
`promised_due`, `delivery_due`, a step's `due_on`), so counting them never replays a clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oneseal.core.workcalendar.domain import ClockError, WorkCalendar
from oneseal.core.workcalendar.selectors import get_work_calendar

#: The due filter of the lists: 全部 / 即将超期 / 已超期.
DUE_CHOICES = ("soon", "overdue")


def calendar_or_none() -> WorkCalendar | None:
    """The working calendar, or None when it cannot be read (the lists still render)."""
    try:
        return get_work_calendar()
    except ClockError:
        return None


@dataclass(frozen=True)
class DueWindow:
    """`today`, and the first day that is no longer 即将超期: the second working day after
    today (at most one working day left, 第82条). Without a calendar, only today is soon."""

    today: dt.date
    soon_before: dt.date

    def soon(self, due: dt.date | None) -> bool:
        return due is not None and self.today <= due < self.soon_before

    def overdue(self, due: dt.date | None) -> bool:
        return due is not None and due < self.today


def due_window(today: dt.date, calendar: WorkCalendar | None) -> DueWindow:
    """The 即将超期 window from `today` (第82条: working days; 民法典 第201条: today is not
    counted, so tomorrow, a working day, is one working day left)."""
    if calendar is not None:
        try:
            return DueWindow(today, calendar.add_working_days(today, 2))
        except ClockError:
            pass
    return DueWindow(today, today + dt.timedelta(days=1))


def filter_due(qs: QuerySet[Any], field: str, which: str, window: DueWindow) -> QuerySet[Any]:
    """`qs` narrowed to the rows whose `field` is 即将超期 (`soon`) or 已超期 (`overdue`);
    anything else leaves `qs` as it is."""
    if which == "overdue":
        return qs.filter(**{f"{field}__lt": window.today})
    if which == "soon":
        return qs.filter(**{f"{field}__gte": window.today, f"{field}__lt": window.soon_before})
    return qs


@dataclass(frozen=True)
class DaysLeft:
    text: str
    tone: str  # ok | soon | overdue | none


def days_left(due: dt.date | None, today: dt.date,
              calendar: WorkCalendar | None) -> DaysLeft:
    """The days left before `due` in words (第82条 working days, 民法典 第201条):
    "剩 3 个工作日", "今日到期", "超期 2 个工作日". Without a calendar for those days the
    words fall back to calendar days, said as such ("剩 5 天（自然日）")."""
    if due is None:
        return DaysLeft("", "none")
    if due == today:
        return DaysLeft(_("今日到期"), "soon")
    if calendar is None:
        return _natural_days(due, today)
    try:
        if due > today:
            left = calendar.counted_working_days(today, due, ())
            if left == 0:  # today is the last working day before a due date on a rest day
                return DaysLeft(_("今日到期"), "soon")
            text = ngettext("剩 %(n)d 个工作日", "剩 %(n)d 个工作日", left) % {"n": left}
            return DaysLeft(text, "soon" if left <= 1 else "ok")
        late = calendar.counted_working_days(due, today, ())
    except ClockError:
        return _natural_days(due, today)
    if late == 0:  # due on a working day, today a rest day right after it
        return DaysLeft(_("已超期"), "overdue")
    text = ngettext("超期 %(n)d 个工作日", "超期 %(n)d 个工作日", late) % {"n": late}
    return DaysLeft(text, "overdue")


def _natural_days(due: dt.date, today: dt.date) -> DaysLeft:
    """The fallback when the calendar lacks those years: calendar days, said as such."""
    days = (due - today).days
    if days > 0:
        return DaysLeft(_("剩 %(n)d 天（自然日）") % {"n": days}, "soon" if days <= 1 else "ok")
    return DaysLeft(_("超期 %(n)d 天（自然日）") % {"n": -days}, "overdue")
