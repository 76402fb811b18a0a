"""Time limits of an item (办结时限), in working days (行政许可法 第82条).

- 第42条: a licence is decided within 20 working days of acceptance unless a law or
  regulation sets its own limit; that is the default statutory limit (法定办结时限).
- The bureau's promised limit (承诺办结时限) may be shorter, never longer, than the statutory
  limit; it is what the bureau is supervised against (law.md §3).
- A promised limit of 0 marks an on-the-spot item (即办件); any other value a promised item
  (承诺件) (law.md §13).
"""

from __future__ import annotations

import enum

from .problems import Problem

DEFAULT_STATUTORY_LIMIT = 20  # 行政许可法 第42条
DEFAULT_STATUTORY_BASIS = "《中华人民共和国行政许可法》第四十二条"
MAX_LIMIT = 365


class HandlingType(enum.StrEnum):
    """办件类型."""

    ON_THE_SPOT = "即办件"
    PROMISED = "承诺件"


def handling_type(promised_limit: int) -> HandlingType:
    """即办件 when the promised limit is 0, otherwise 承诺件 (law.md §13)."""
    return HandlingType.ON_THE_SPOT if promised_limit == 0 else HandlingType.PROMISED


def statutory_or_default(statutory: int | None) -> int:
    """The statutory limit, or the 20 working days of 行政许可法 第42条 when no law sets one."""
    return DEFAULT_STATUTORY_LIMIT if statutory is None else statutory


def _int_problem(value: object, field: str, minimum: int) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return Problem("not_integer", (field,), {"value": value})
    if value < minimum or value > MAX_LIMIT:
        return Problem("limit_range", (field,), {"value": value, "minimum": minimum,
                                                 "maximum": MAX_LIMIT})
    return None


def limit_problems(statutory: object, promised: object) -> list[Problem]:
    """Check the two limits: whole working days, the statutory at least 1 (the law always
    leaves the agency some days, 第42条), the promise between 0 and the statutory limit."""
    problems: list[Problem] = []
    bad_statutory = _int_problem(statutory, "statutory_limit_days", 1)
    bad_promised = _int_problem(promised, "promised_limit_days", 0)
    problems += [p for p in (bad_statutory, bad_promised) if p]
    if problems:
        return problems
    assert isinstance(statutory, int) and isinstance(promised, int)
    if promised > statutory:
        problems.append(Problem("promised_exceeds_statutory", ("promised_limit_days",),
                                {"promised": promised, "statutory": statutory}))
    return problems


def chain_limit_problems(promised: int, steps: list[tuple[int, bool]]) -> list[Problem]:
    """Check the limits of a review chain against the promised limit.

    `steps` are (limit_days, skippable_on_spot) in order. For a promised item the steps'
    limits add up to at most the promise; for an on-the-spot item (即办件, promise 0) every
    step that is not skipped must take 0 days, since the item is decided at once.
    """
    problems: list[Problem] = []
    for index, (days, _skippable) in enumerate(steps):
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            problems.append(Problem("step_limit_invalid", ("steps", index, "limit_days"),
                                    {"value": days}))
    if problems:
        return problems
    if promised == 0:
        for index, (days, skippable) in enumerate(steps):
            if days and not skippable:
                problems.append(Problem("on_the_spot_step", ("steps", index, "limit_days"),
                                        {"value": days}))
    else:
        total = sum(days for days, _ in steps)
        if total > promised:
            problems.append(Problem("steps_exceed_promise", ("steps",),
                                    {"total": total, "promised": promised}))
    return problems
