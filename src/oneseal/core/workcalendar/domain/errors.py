"""Errors of the statutory clock, each with a Chinese message (msgid plus parameters)."""

from __future__ import annotations

from .i18n import Translate, gettext_noop, identity


class ClockError(Exception):
    """Base class: `msgid % params` is the Chinese message; `message(gettext)` translates."""

    msgid: str = gettext_noop("期限计算出错。")

    def __init__(self, msgid: str | None = None, **params: object) -> None:
        if msgid is not None:
            self.msgid = msgid
        self.params = params
        super().__init__(self.message())

    def message(self, translate: Translate = identity) -> str:
        text = translate(self.msgid)
        return text % self.params if self.params else text


class CalendarNotCovered(ClockError):
    """The computation needs a year whose holiday schedule has not been entered.

    行政许可法 第82条: limits are counted in working days, which only the official yearly
    schedule defines; we never fall back to weekends-only.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            gettext_noop(
                "工作日历未包含%(year)d年的放假调休安排，无法计算期限。"
                "请系统管理员先录入%(year)d年的节假日安排。"
            ),
            year=year,
        )


class InvalidCalendar(ClockError):
    """The schedule given to build a calendar contradicts itself."""


class InvalidPeriod(ClockError):
    """A limit, suspension or event sequence that cannot be computed."""


class ExtensionRejected(ClockError):
    """An extension the law does not allow (行政许可法 第42条)."""
