"""The credit of an intermediary (信用评价) and the rules of warning, suspension and exit
(警示、暂停、清退). Work-plan measure 十一: "建立中介组织进场服务、评价退出机制"; law.md §14:
service is rated and poor performers are suspended or expelled.

Score (published in docs/intermediaries.md), starting from 100:

- ratings by the owners (1–5 stars): each adds ``2 x (stars - 4)`` (5 stars +2, 4 stars 0,
  3 stars -2, 1 star -6); the sum of the positive part is capped at +10;
- each service finished late (over its promised working days): ``-5``, and ``-1`` per
  working day late, at most ``-10`` per service;
- each complaint found justified (投诉属实): ``-10``;
- the result is clamped to 0..110.

Rules, applied after every change of the inputs:

- score below 80: warning (警示), published;
- score below 60: suspension (暂停) for 90 days: no offers meanwhile;
- score below 40, or below 60 again after an earlier suspension: exit (清退): struck off
  the directory, no offers, published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

BASE = 100
MAX_SCORE = 110
RATING_BONUS_CAP = 10
OVERRUN_BASE = 5
OVERRUN_CAP = 10
COMPLAINT_PENALTY = 10
WARNING_BELOW = 80
SUSPENSION_BELOW = 60
EXIT_BELOW = 40
SUSPENSION_DAYS = 90


class Standing(StrEnum):
    GOOD = "good"  # 正常
    WARNING = "warning"  # 警示
    SUSPENDED = "suspended"  # 暂停
    EXITED = "exited"  # 清退


@dataclass(frozen=True)
class CreditInputs:
    ratings: tuple[int, ...] = ()  # stars, 1..5
    overrun_days: tuple[int, ...] = ()  # working days late of each late service (>= 1)
    upheld_complaints: int = 0


def overrun_penalty(days_late: int) -> int:
    if days_late <= 0:
        return 0
    return min(OVERRUN_BASE + days_late, OVERRUN_CAP)


def score(inputs: CreditInputs) -> int:
    bonus = 0
    malus = 0
    for stars in inputs.ratings:
        if not 1 <= stars <= 5:
            raise ValueError("stars must be 1..5")
        delta = 2 * (stars - 4)
        if delta > 0:
            bonus += delta
        else:
            malus += -delta
    total = BASE + min(bonus, RATING_BONUS_CAP) - malus
    total -= sum(overrun_penalty(d) for d in inputs.overrun_days)
    total -= COMPLAINT_PENALTY * inputs.upheld_complaints
    return max(0, min(MAX_SCORE, total))


def standing(value: int, *, suspended_before: bool) -> Standing:
    """The standing the rules give a score (module docstring)."""
    if value < EXIT_BELOW or (value < SUSPENSION_BELOW and suspended_before):
        return Standing.EXITED
    if value < SUSPENSION_BELOW:
        return Standing.SUSPENDED
    if value < WARNING_BELOW:
        return Standing.WARNING
    return Standing.GOOD


def draw_weight(value: int) -> int:
    """The weight of a bidder in a credit-weighted draw: the score, at least 1."""
    return max(1, value)


def average(values: Iterable[int]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None
