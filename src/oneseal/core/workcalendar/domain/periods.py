"""Suspensions of a clock (期限中止): the special procedures of 行政许可法 第45条."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from .errors import InvalidPeriod
from .i18n import gettext_noop


class SpecialProcedure(StrEnum):
    """特别程序 whose time is not counted in the limits (行政许可法 第45条)."""

    HEARING = "hearing"  # 听证
    TENDERING = "tendering"  # 招标
    AUCTION = "auction"  # 拍卖
    INSPECTION = "inspection"  # 检验
    TESTING = "testing"  # 检测
    QUARANTINE = "quarantine"  # 检疫
    APPRAISAL = "appraisal"  # 鉴定
    EXPERT_REVIEW = "expert_review"  # 专家评审


PROCEDURE_LABELS: dict[str, str] = {
    SpecialProcedure.HEARING: gettext_noop("听证"),
    SpecialProcedure.TENDERING: gettext_noop("招标"),
    SpecialProcedure.AUCTION: gettext_noop("拍卖"),
    SpecialProcedure.INSPECTION: gettext_noop("检验"),
    SpecialProcedure.TESTING: gettext_noop("检测"),
    SpecialProcedure.QUARANTINE: gettext_noop("检疫"),
    SpecialProcedure.APPRAISAL: gettext_noop("鉴定"),
    SpecialProcedure.EXPERT_REVIEW: gettext_noop("专家评审"),
}

# What the clerk says happened in that period ("2026年10月12日至10月16日举行听证").
PROCEDURE_ACTIONS: dict[str, str] = {
    SpecialProcedure.HEARING: gettext_noop("举行听证"),
    SpecialProcedure.TENDERING: gettext_noop("进行招标"),
    SpecialProcedure.AUCTION: gettext_noop("进行拍卖"),
    SpecialProcedure.INSPECTION: gettext_noop("进行检验"),
    SpecialProcedure.TESTING: gettext_noop("进行检测"),
    SpecialProcedure.QUARANTINE: gettext_noop("进行检疫"),
    SpecialProcedure.APPRAISAL: gettext_noop("进行鉴定"),
    SpecialProcedure.EXPERT_REVIEW: gettext_noop("进行专家评审"),
}
GENERIC_ACTION = gettext_noop("中止计算")


class Suspension(NamedTuple):
    """A date range, both ends included, whose working days do not count (第45条).

    `kind` is a `SpecialProcedure` value (or "" for a suspension of another kind).
    """

    first: dt.date
    last: dt.date
    kind: str = ""
    reason: str = ""


def merge_suspensions(
    suspensions: Iterable[Suspension], after: int
) -> list[tuple[int, int]]:
    """The union of the suspensions as sorted, disjoint ordinal ranges, clipped to the days
    strictly after ordinal `after` (days up to the start never count anyway)."""
    ranges: list[tuple[int, int]] = []
    for s in suspensions:
        a = s[0].toordinal()
        b = s[1].toordinal()
        if b < a:
            raise InvalidPeriod(
                gettext_noop("中止期间的结束日期%(last)s早于开始日期%(first)s。"),
                first=s[0].isoformat(), last=s[1].isoformat(),
            )
        if b <= after:
            continue
        ranges.append((a if a > after else after + 1, b))
    if len(ranges) < 2:
        return ranges
    ranges.sort()
    merged = [ranges[0]]
    for a, b in ranges[1:]:
        la, lb = merged[-1]
        if a <= lb + 1:
            if b > lb:
                merged[-1] = (la, b)
        else:
            merged.append((a, b))
    return merged
