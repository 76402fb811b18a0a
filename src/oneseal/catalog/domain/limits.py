"""Time limits of an item (办结时限), in working days (行政许可法 第82条).

- 第42条: a licence is decided within 20 working days of acceptance unless a law or
  regulation sets its own limit; that is the default statutory limit (法定办结时限).
- The bureau's promised limit (承诺办结时限) may be shorter, never longer, than the statutory
  limit; it is what the bureau is supervised against (law.md §3).
- A promised limit of 0 marks an on-the-spot item (即办件); any other value a promised item
  (承诺件) (law.md §13).
- A law that sets an item's own limit (第42条 "法律、法规另有规定的，依照其规定") also sets
  its unit (working days, or calendar days or months: 民法典 第201–203条, e.g. 《建筑法》第8条
  "七日"), its start (受理 or 收到申请) and its extension (none, or its own cap): see
  `oneseal.core.workcalendar.domain.item_limits`. The promise stays in working days.
"""

from __future__ import annotations

import enum

from oneseal.core.workcalendar.domain.civil import LimitUnit
from oneseal.core.workcalendar.domain.item_limits import LimitStart

from .problems import Problem

DEFAULT_STATUTORY_LIMIT = 20  # 行政许可法 第42条
DEFAULT_STATUTORY_BASIS = "《中华人民共和国行政许可法》第四十二条"
DEFAULT_UNIT = LimitUnit.WORKING_DAYS.value
DEFAULT_START = LimitStart.ACCEPTANCE.value
LIMIT_UNITS = tuple(u.value for u in LimitUnit)
LIMIT_STARTS = tuple(s.value for s in LimitStart)
MAX_LIMIT = 365
MAX_MONTHS = 24
# The most working days a month can hold (23 weekdays; 调休 moves days, never adds a week).
MONTH_WORKING_DAYS = 23


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


def _int_problem(value: object, field: str, minimum: int,
                 maximum: int = MAX_LIMIT) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return Problem("not_integer", (field,), {"value": value})
    if value < minimum or value > maximum:
        return Problem("out_of_range" if maximum != MAX_LIMIT else "limit_range", (field,),
                       {"value": value, "minimum": minimum, "maximum": maximum})
    return None


def is_default_limit(days: object, unit: object = DEFAULT_UNIT,
                     start: object = DEFAULT_START, extension: object = None) -> bool:
    """The limit of 行政许可法 第42条 itself: 20 working days from acceptance, 第42条's
    extension. Anything else needs the law that sets it."""
    return (days == DEFAULT_STATUTORY_LIMIT and unit == DEFAULT_UNIT and start == DEFAULT_START
            and extension is None)


def limit_problems(statutory: object, promised: object,
                   unit: object = DEFAULT_UNIT) -> list[Problem]:
    """Check the two limits: whole numbers, the statutory at least 1 (the law always leaves
    the agency some days, 第42条), the promise (in working days) between 0 and the statutory
    limit — for a statutory limit in calendar days or months, at most the working days such a
    period can hold (N days hold at most N; a month at most 23)."""
    problems: list[Problem] = []
    maximum = MAX_MONTHS if unit == LimitUnit.MONTHS else MAX_LIMIT
    bad_statutory = _int_problem(statutory, "statutory_limit_days", 1, maximum)
    bad_promised = _int_problem(promised, "promised_limit_days", 0)
    problems += [p for p in (bad_statutory, bad_promised) if p]
    if unit not in LIMIT_UNITS:
        problems.append(Problem("not_a_choice", ("statutory_limit_unit",), {"value": unit}))
    if problems:
        return problems
    assert isinstance(statutory, int) and isinstance(promised, int)
    if unit == LimitUnit.WORKING_DAYS and promised > statutory:
        problems.append(Problem("promised_exceeds_statutory", ("promised_limit_days",),
                                {"promised": promised, "statutory": statutory}))
    elif unit == LimitUnit.DAYS and promised > statutory:
        problems.append(Problem("promised_exceeds_statutory_days", ("promised_limit_days",),
                                {"promised": promised, "statutory": statutory}))
    elif unit == LimitUnit.MONTHS and promised > statutory * MONTH_WORKING_DAYS:
        problems.append(Problem("promised_exceeds_statutory_months", ("promised_limit_days",),
                                {"promised": promised, "statutory": statutory}))
    return problems


def extension_problems(cap: object, basis: object) -> list[Problem]:
    """An item's own extension cap (延长期限): empty for 第42条's (10, or 15 for joint
    handling), else a whole number of 0 (the item's law allows none) or more, with the law
    that sets it."""
    if cap is None or cap == "":
        return []
    problem = _int_problem(cap, "extension_limit_days", 0)
    if problem is not None:
        return [problem]
    if not (isinstance(basis, str) and basis.strip()):
        return [Problem("extension_basis_missing", ("extension_limit_basis",))]
    return []


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
