"""Deadlines (办理期限): a limit in working days from a start date, with the time of special
procedures taken out (第45条) and an approved extension added (第42条); the working days left
at a given date, and the light (绿灯/黄灯/红灯) the electronic supervision shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from .calendar import WorkCalendar
from .errors import ExtensionRejected, InvalidPeriod
from .i18n import gettext_noop
from .periods import Suspension


class Handling(StrEnum):
    """How an item is handled, which sets the extension cap (行政许可法 第42条)."""

    ORDINARY = "ordinary"  # one agency decides: 20 days, extendable once by 10
    JOINT = "joint"  # 统一办理、联合办理、集中办理 (第42条第二款, 第26条): 45 days, +15


EXTENSION_CAP: dict[Handling, int] = {Handling.ORDINARY: 10, Handling.JOINT: 15}
_ORDINARY_CAP = EXTENSION_CAP[Handling.ORDINARY]  # plain ints: no enum hashing on the hot path
_JOINT_CAP = EXTENSION_CAP[Handling.JOINT]


@dataclass(frozen=True, slots=True)
class Extension:
    """An approved extension of the limit (延长办理期限, 行政许可法 第42条).

    `approved_by` names who approved it: the agency head (本行政机关负责人) for an ordinary
    item, the people's government (本级人民政府负责人) for joint handling."""

    days: int
    approved_by: str
    approved_on: dt.date | None = None
    reason: str = ""


def check_extensions(extensions: Sequence[Extension], handling: Handling) -> int:
    """The extra working days the extensions allow, or `ExtensionRejected`.

    行政许可法 第42条: a limit may be extended **once**, by at most 10 working days with the
    approval of the agency head; for joint handling (第42条第二款, 第26条) by at most 15 with
    the approval of the people's government. No approval recorded, no extension."""
    if not extensions:
        return 0
    if len(extensions) > 1:
        raise ExtensionRejected(
            gettext_noop("依照《行政许可法》第42条，办理期限只能延长一次，不能再次延长。")
        )
    ext = extensions[0]
    if not ext.approved_by.strip():
        raise ExtensionRejected(
            gettext_noop("延长办理期限须经批准（《行政许可法》第42条），未记录批准人，不予延长。")
        )
    cap = _JOINT_CAP if handling is Handling.JOINT else _ORDINARY_CAP
    if not 1 <= ext.days <= cap:
        if handling is Handling.JOINT:
            msgid = gettext_noop(
                "统一办理、联合办理、集中办理的事项最多延长15个工作日"
                "（《行政许可法》第42条第二款），不能延长%(days)d个工作日。"
            )
        else:
            msgid = gettext_noop(
                "办理期限最多延长10个工作日（《行政许可法》第42条），不能延长%(days)d个工作日。"
            )
        raise ExtensionRejected(msgid, days=ext.days)
    return ext.days


class Deadline(NamedTuple):
    """A computed deadline and everything it was computed from, including the calendar
    version, so that a later correction of the calendar can tell whether it changes.

    A NamedTuple rather than a frozen dataclass: equally immutable, and three times cheaper
    to build, which matters at hundreds of thousands of deadlines a second."""

    start: dt.date
    days: int
    due: dt.date
    suspensions: tuple[Suspension, ...]
    extensions: tuple[Extension, ...]
    calendar_version: str
    handling: Handling = Handling.ORDINARY
    provisional_years: tuple[int, ...] = ()
    # The unit of `days` (a `civil.LimitUnit` value): working days for the agency's own
    # limits (第82条); calendar days or months where an item's own law says so (民法典 第201–203条).
    unit: str = "working_days"

    @property
    def provisional(self) -> bool:
        """Whether the due date counts days of a year without an official schedule (暂定,
        law.md §1): supervision uses it, legal documents never print it."""
        return bool(self.provisional_years)

    @property
    def extension_days(self) -> int:
        return sum(e.days for e in self.extensions)

    @property
    def total_days(self) -> int:
        return self.days + self.extension_days


def compute_deadline(
    calendar: WorkCalendar,
    start: dt.date,
    days: int,
    *,
    suspensions: Sequence[Suspension] = (),
    extensions: Sequence[Extension] = (),
    handling: Handling = Handling.ORDINARY,
) -> Deadline:
    """The deadline of a limit of `days` working days from `start`.

    It ends on the `days`-th working day strictly after `start` (民法典 第201条; 行政许可法
    第82条), skipping the working days inside the suspensions (第45条) and adding the
    approved extension (第42条, checked by `check_extensions`). Raises `CalendarNotCovered`
    when the count reaches a year the calendar does not cover; a due date counted through a
    provisional year carries that year in `provisional_years` (law.md §1)."""
    if days < 1:
        raise InvalidPeriod(gettext_noop("期限的工作日数必须至少为1：%(days)d。"), days=days)
    sus = suspensions if type(suspensions) is tuple else tuple(suspensions)
    if extensions:
        ext = extensions if type(extensions) is tuple else tuple(extensions)
        due = calendar.due_date(start, days + check_extensions(ext, handling), sus)
    else:
        ext = ()
        due = calendar.due_date(start, days, sus)
    # tuple.__new__ skips the NamedTuple's Python-level __new__: this is the hot path.
    return _new_tuple(Deadline, (start, days, due, sus, ext, calendar.version, handling,
                                 calendar.provisional_in(start, due), "working_days"))


_new_tuple = tuple.__new__


def remaining_working_days(
    calendar: WorkCalendar,
    due: dt.date,
    at: dt.date,
    suspensions: Sequence[Suspension] = (),
) -> int:
    """Working days left at the end of day `at` until `due` (due day included), not
    counting suspended days (第45条): 0 on the due day itself; negative once overdue (the
    number of working days since `due`)."""
    if at <= due:
        return calendar.counted_working_days(at, due, suspensions)
    return -calendar.count_working_days(due, at)


class Light(StrEnum):
    """The light of electronic supervision (电子监察)."""

    GREEN = "green"  # 绿灯: in time
    YELLOW = "yellow"  # 黄灯: at most K working days left (K per item, default 1)
    RED = "red"  # 红灯: overdue


LIGHT_LABELS: dict[Light, str] = {
    Light.GREEN: gettext_noop("绿灯（正常）"),
    Light.YELLOW: gettext_noop("黄灯（临近期限）"),
    Light.RED: gettext_noop("红灯（已超期）"),
}


def light_at(
    calendar: WorkCalendar,
    due: dt.date,
    at: dt.date,
    *,
    warn_days: int = 1,
    suspensions: Sequence[Suspension] = (),
) -> Light:
    """Red once `at` is after `due`; yellow when at most `warn_days` working days remain
    (the due day itself included); green otherwise."""
    if warn_days < 0:
        raise InvalidPeriod(gettext_noop("黄灯预警天数不能为负数：%(days)d。"), days=warn_days)
    if at > due:
        return Light.RED
    if calendar.counted_working_days(at, due, suspensions) <= warn_days:
        return Light.YELLOW
    return Light.GREEN
