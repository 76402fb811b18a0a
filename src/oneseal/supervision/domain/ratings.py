"""Satisfaction ratings (好差评): the levels, the reasons to tick, and the two 5-working-day
periods (国办发〔2019〕51号; Yunnan: 云政办发〔2020〕6号; law.md §10).

- Five levels, 非常满意 to 非常不满意; 不满意 and 非常不满意 are 差评 (bad ratings).
- Online one rating per matter (一事一评), at the window one per visit (一次一评): one rating
  per case and channel.
- 云政办发〔2020〕6号: a service not rated within 5 working days counts as 基本满意. The days
  are counted from the delivery (第82条 working days; the delivery day itself is not counted,
  民法典 第201条): the applicant may rate until the end of the 5th working day after it, and
  the rating is deemed from the next day on.
- 国办发〔2019〕51号: every 差评 is owned by whoever handled the case (谁办理、谁负责) and put
  on the follow-up ledger with a deadline, here 5 working days after the rating.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Protocol

from oneseal.core.workcalendar.domain.i18n import gettext_noop

RATING_PERIOD_DAYS = 5  # 云政办发〔2020〕6号: unrated after 5 working days -> 基本满意
FOLLOW_UP_DAYS = 5  # the follow-up deadline of a 差评 (local rules: 5 to 15 working days)
MAX_TEXT = 500


class WorkingDays(Protocol):
    def add_working_days(self, start: dt.date, days: int) -> dt.date: ...


class Level(StrEnum):
    """评价等级 (the five levels of 国办发〔2019〕51号)."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASIC = "basic"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"


LEVEL_LABELS: dict[Level, str] = {
    Level.VERY_SATISFIED: gettext_noop("非常满意"),
    Level.SATISFIED: gettext_noop("满意"),
    Level.BASIC: gettext_noop("基本满意"),
    Level.DISSATISFIED: gettext_noop("不满意"),
    Level.VERY_DISSATISFIED: gettext_noop("非常不满意"),
}

BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})
DEEMED_LEVEL = Level.BASIC


class RatingChannel(StrEnum):
    """一事一评 online (the portal and the API), 一次一评 at the window."""

    ONLINE = "online"
    WINDOW = "window"


CHANNEL_LABELS: dict[RatingChannel, str] = {
    RatingChannel.ONLINE: gettext_noop("网上评价（一事一评）"),
    RatingChannel.WINDOW: gettext_noop("窗口评价（一次一评）"),
}

# Reasons to tick (the usual items of the national 好差评 system's forms).
REASONS: dict[str, str] = {
    "fast": gettext_noop("办理快捷"),
    "courteous": gettext_noop("服务热情周到"),
    "clear_guide": gettext_noop("办事指南清楚"),
    "one_visit": gettext_noop("最多跑一次"),
    "slow": gettext_noop("办理时间长"),
    "many_visits": gettext_noop("多次跑动"),
    "unclear_materials": gettext_noop("材料要求不清楚"),
    "poor_attitude": gettext_noop("服务态度差"),
    "system_trouble": gettext_noop("系统不好用"),
    "other": gettext_noop("其他"),
}


class RatingInvalid(ValueError):
    """A rating that breaks a rule of its form; `code` names the rule."""

    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params


def is_bad(level: str) -> bool:
    """差评: 不满意 or 非常不满意 (国办发〔2019〕51号)."""
    return level in BAD_LEVELS


def clean_rating(level: str, reasons: list[str], text: str) -> tuple[Level, list[str], str]:
    """The level, the ticked reasons (known, each once, in the form's order) and the text
    (stripped, at most `MAX_TEXT` characters), or `RatingInvalid`."""
    try:
        chosen = Level(level)
    except ValueError:
        raise RatingInvalid(gettext_noop("请选择评价等级。"), "invalid_level") from None
    unknown = [r for r in reasons if r not in REASONS]
    if unknown:
        raise RatingInvalid(gettext_noop("评价理由不正确：%(reasons)s。"), "invalid_reason",
                            reasons="、".join(unknown))
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise RatingInvalid(gettext_noop("评价内容不能超过 %(limit)d 个字。"), "text_too_long",
                            limit=MAX_TEXT)
    if chosen in BAD_LEVELS and not reasons and not text:
        raise RatingInvalid(gettext_noop("差评请勾选理由或写明情况，以便整改。"),
                            "bad_rating_needs_reason")
    return chosen, [r for r in REASONS if r in reasons], text


def last_rating_day(calendar: WorkingDays, delivered_on: dt.date) -> dt.date:
    """The last day the applicant may rate: the 5th working day after delivery
    (云政办发〔2020〕6号; the delivery day not counted, 民法典 第201条)."""
    return calendar.add_working_days(delivered_on, RATING_PERIOD_DAYS)


def is_deemed(calendar: WorkingDays, delivered_on: dt.date, today: dt.date) -> bool:
    """Whether an unrated case counts as 基本满意 on `today` (云政办发〔2020〕6号)."""
    return today > last_rating_day(calendar, delivered_on)


def follow_up_due(calendar: WorkingDays, rated_on: dt.date) -> dt.date:
    """The deadline of a 差评's follow-up: 5 working days after the rating
    (国办发〔2019〕51号, 谁办理、谁负责)."""
    return calendar.add_working_days(rated_on, FOLLOW_UP_DAYS)
