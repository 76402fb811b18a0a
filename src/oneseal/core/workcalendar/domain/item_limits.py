"""An item's own decision limit (事项的法定办结时限): its unit, the day it starts from and its
own extension cap, each set by the law that sets the limit.

行政许可法 第42条 gives 20 working days from acceptance, extendable once by 10 — "但是，法律、
法规另有规定的，依照其规定": a law or regulation may set a limit of its own, and then its
words decide how it is counted:

- the unit: 第82条 counts in working days only the limits *this law* sets ("本法规定的…期限
  以工作日计算"); a limit another law states in 日 or 月 is a period of the civil law, counted
  in calendar days or months (《民法典》第200–203条): it starts the next day (第201条), a month
  ends on the corresponding day (第202条) and a last day that is a statutory rest day moves to
  the next working day (第203条). E.g. 《建筑法》第8条 "自收到申请之日起七日内" is 7 calendar
  days; 《民办教育促进法》第17条 "三个月" is three months, not 60 working days.
- the start: 受理 (acceptance, 第42条) or 收到申请 (receipt, e.g. 《建筑法》第8条,
  《环境影响评价法》第22条). A limit from receipt counts from the day the complete
  materials arrived: after a correction notice, from the day the corrections arrived
  (《建筑工程施工许可管理办法》第5条: "审批时间可以自证明文件补正齐全后作相应顺延").
- the extension: where the item's own law allows one (e.g. 《食品经营许可和备案管理办法》: 5
  working days) that law's cap applies; where it sets a limit but no extension (建筑法), the
  cap is 0; where the item has no limit of its own, 第42条's 10 (15 for joint handling).
  An extension of a limit in days or months is counted in calendar days.

Special procedures (第45条) are taken out of every limit: for a limit in days or months the
due date moves by the calendar days they lasted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .calendar import WorkCalendar
from .civil import LimitUnit, add_months, roll_past_rest_days
from .deadline import EXTENSION_CAP, Deadline, Extension, Handling, check_extensions
from .errors import ExtensionRejected, InvalidPeriod
from .i18n import gettext_noop
from .periods import Suspension, merge_suspensions


class LimitStart(StrEnum):
    """The day an item's decision limit counts from."""

    ACCEPTANCE = "acceptance"  # 自受理之日起 (行政许可法 第42条)
    RECEIPT = "receipt"  # 自收到申请之日起 (e.g. 《建筑法》第8条)


@dataclass(frozen=True, slots=True)
class ItemLimit:
    """A decision limit: `amount` `unit`s from `start`, extendable by at most
    `extension_cap` (None: 行政许可法 第42条's cap for the handling, 10 or 15)."""

    amount: int
    unit: LimitUnit = LimitUnit.WORKING_DAYS
    start: LimitStart = LimitStart.ACCEPTANCE
    extension_cap: int | None = None

    @property
    def is_default_kind(self) -> bool:
        """Counted as 第42条 counts: working days from acceptance, 第42条's extension."""
        return (self.unit is LimitUnit.WORKING_DAYS and self.start is LimitStart.ACCEPTANCE
                and self.extension_cap is None)


def extension_cap(limit: ItemLimit, handling: Handling = Handling.ORDINARY) -> int:
    """The most an extension of `limit` may add: the item's own cap, or 第42条's (10; 15
    for joint handling, 第42条第二款)."""
    if handling is Handling.JOINT or limit.extension_cap is None:
        return EXTENSION_CAP[handling]
    return limit.extension_cap


def check_item_extension(
    extensions: Sequence[Extension], limit: ItemLimit, handling: Handling = Handling.ORDINARY
) -> int:
    """The days the extensions add to `limit`, or `ExtensionRejected`: once only, approved,
    and within the item's own cap (see `extension_cap`)."""
    if handling is Handling.JOINT or limit.extension_cap is None:
        return check_extensions(extensions, handling)
    if not extensions:
        return 0
    cap = limit.extension_cap
    if cap == 0:
        raise ExtensionRejected(gettext_noop(
            "本事项的办理期限由法律、法规另行规定，且未规定可以延长（《行政许可法》第42条"
            "“法律、法规另有规定的，依照其规定”），不能延长。"))
    if len(extensions) > 1:
        raise ExtensionRejected(
            gettext_noop("依照《行政许可法》第42条，办理期限只能延长一次，不能再次延长。"))
    ext = extensions[0]
    if not ext.approved_by.strip():
        raise ExtensionRejected(gettext_noop(
            "延长办理期限须经批准（《行政许可法》第42条），未记录批准人，不予延长。"))
    if not 1 <= ext.days <= cap:
        raise ExtensionRejected(gettext_noop(
            "本事项的办理期限依法最多延长%(cap)d日，不能延长%(days)d日。"),
            cap=cap, days=ext.days)
    return ext.days


def _suspended_days(ranges: Sequence[tuple[int, int]], first: int, last: int) -> int:
    """Calendar days of the (merged) suspensions inside [first, last] (ordinals)."""
    return sum(max(0, min(b, last) - max(a, first) + 1) for a, b in ranges)


def _civil_due(calendar: WorkCalendar, start: dt.date, limit: ItemLimit,
               suspensions: Sequence[Suspension], extra_days: int) -> dt.date:
    """The last day of a limit in calendar days or months (民法典 第201–203条), moved by the
    calendar days of the suspensions that fall inside it (第45条) and by `extra_days`."""
    if limit.unit is LimitUnit.DAYS:
        nominal = start + dt.timedelta(days=limit.amount)
    else:
        nominal = add_months(start, limit.amount)
    end = nominal.toordinal() + extra_days
    ranges = merge_suspensions(suspensions, start.toordinal())
    counted = 0
    while True:  # each extension of the end may bring in more suspended days
        inside = _suspended_days(ranges, start.toordinal() + 1, end)
        if inside == counted:
            break
        end += inside - counted
        counted = inside
    return roll_past_rest_days(calendar, dt.date.fromordinal(end))


def limit_deadline(
    calendar: WorkCalendar,
    start: dt.date,
    limit: ItemLimit,
    *,
    suspensions: Sequence[Suspension] = (),
    extensions: Sequence[Extension] = (),
    handling: Handling = Handling.ORDINARY,
) -> Deadline:
    """The deadline of `limit` counted from `start` (the day of receipt or of acceptance, as
    `limit.start` says; the caller picks it). Working days: the `amount`-th working day after
    `start` (第82条) with the suspensions' working days skipped; days and months: the civil
    period (民法典 第201–203条) moved by the suspended calendar days. The extension is checked
    against the item's own cap (`check_item_extension`). `Deadline.days` is the amount in the
    limit's unit."""
    if limit.amount < 1:
        raise InvalidPeriod(gettext_noop("期限必须至少为1：%(days)d。"), days=limit.amount)
    sus = tuple(suspensions)
    ext = tuple(extensions)
    extra = check_item_extension(ext, limit, handling)
    if limit.unit is LimitUnit.WORKING_DAYS:
        due = calendar.due_date(start, limit.amount + extra, sus)
    else:
        due = _civil_due(calendar, start, limit, sus, extra)
    return Deadline(start, limit.amount, due, sus, ext, calendar.version, handling,
                    calendar.provisional_in(start, due), str(limit.unit))
