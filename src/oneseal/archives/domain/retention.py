"""Retention periods (保管期限) and the archive number (档号).

Retention: 永久, 30 年 (定期30年), 10 年 (定期10年) — the three periods of 《机关文件材料归档
范围和文书档案保管期限规定》(国家档案局令第8号, 2006) 第八条, with the codes DA/T 22-2015
《归档文件整理规则》 uses in the archive number: ``Y`` (永久), ``D30``, ``D10``. A period is
counted from 1 January of the year after the file was closed (the filing year, 归档年度), so
a 10-year file closed in 2026 may be appraised for destruction from 2037-01-01.

The archive number (档号, DA/T 22-2015 §6.4 / DA/T 13 ``全宗号-年度-保管期限-机构（问题）-件号``)
here: ``<fonds>-<year>-<retention code>-<item code>-<sequence, 4 digits>``, e.g.
``X001-2026-D30-000123456789-0007``; the sequence (件号) runs per fonds, year, retention and
item from 1 without gaps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import StrEnum


class Retention(StrEnum):
    PERMANENT = "permanent"  # 永久
    Y30 = "30y"  # 定期30年
    Y10 = "10y"  # 定期10年


RETENTION_CODES: Mapping[Retention, str] = {
    Retention.PERMANENT: "Y", Retention.Y30: "D30", Retention.Y10: "D10",
}
RETENTION_YEARS: Mapping[Retention, int | None] = {
    Retention.PERMANENT: None, Retention.Y30: 30, Retention.Y10: 10,
}


class Result(StrEnum):
    """How the case ended, the key of a retention rule next to the item."""

    GRANTED = "granted"  # 准予许可, delivered
    REFUSED = "refused"  # 不予许可, delivered
    NOT_ACCEPTED = "not_accepted"  # 不予受理
    WITHDRAWN = "withdrawn"  # 撤回
    TERMINATED = "terminated"  # 终止


# When the catalogue sets nothing for an item: decisions (准予 / 不予许可) 30 years, the
# rest 10 years (国家档案局令第8号 第八条: files of the agency's main duties kept 30 years or
# for good, routine files 10 years). A bureau sets its own per item (RetentionRule).
DEFAULT_RETENTION: Mapping[Result, Retention] = {
    Result.GRANTED: Retention.Y30, Result.REFUSED: Retention.Y30,
    Result.NOT_ACCEPTED: Retention.Y10, Result.WITHDRAWN: Retention.Y10,
    Result.TERMINATED: Retention.Y10,
}


def result_of(state: str, outcome: str) -> Result:
    """The result of a closed case from its state and decision outcome."""
    if state == "delivered":
        return Result.REFUSED if outcome == "refused" else Result.GRANTED
    return Result(state)


def expires_on(filing_year: int, retention: Retention) -> dt.date | None:
    """The first day the file may be appraised for destruction, or None (永久)."""
    years = RETENTION_YEARS[retention]
    if years is None:
        return None
    return dt.date(filing_year + 1 + years, 1, 1)


def is_due_for_appraisal(filing_year: int, retention: Retention, today: dt.date) -> bool:
    due = expires_on(filing_year, retention)
    return due is not None and today >= due


_FONDS = re.compile(r"^[0-9A-Z]{1,10}$")
_ITEM = re.compile(r"^[0-9A-Za-z]{1,31}$")


def archive_number(fonds: str, year: int, retention: Retention, item_code: str,
                   sequence: int) -> str:
    """档号 ``fonds-year-retention-item-sequence``; refuses parts that would make it
    ambiguous (a hyphen in the fonds or the item code, a sequence outside 1..999999;
    past 9999 the sequence simply has more digits)."""
    if not _FONDS.match(fonds):
        raise ValueError(f"fonds code must be 1-10 capital letters or digits: {fonds!r}")
    if not _ITEM.match(item_code):
        raise ValueError(f"item code must be letters or digits: {item_code!r}")
    if not 1 <= sequence <= 999_999:
        raise ValueError(f"sequence out of range: {sequence}")
    if not 1900 <= year <= 9999:
        raise ValueError(f"year out of range: {year}")
    return f"{fonds}-{year}-{RETENTION_CODES[retention]}-{item_code}-{sequence:04d}"
