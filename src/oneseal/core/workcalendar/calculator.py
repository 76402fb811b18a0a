"""The deadline calculator (办理时限计算器): one operation behind three faces — the command
`oneseal deadline`, the endpoint `GET /api/v1/calendar/deadline` and the public page
/tools/deadline/. Each face parses its text input here, computes here, and shows the same
result (a JSON-ready dict) or the same Chinese error."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .domain import (
    PROCEDURE_LABELS,
    CalendarNotCovered,
    ClockError,
    Extension,
    Handling,
    SpecialProcedure,
    Suspension,
    WorkCalendar,
    compute_deadline,
    explain,
    format_explanation,
    gettext_noop,
)
from .selectors import get_work_calendar

MAX_DAYS = 999
_RANGE_SPLIT = re.compile(r"\s*(?::|：|至|~|～)\s*")
_KINDS: dict[str, str] = {
    **{k.value: k.value for k in SpecialProcedure},
    **{label: code for code, label in PROCEDURE_LABELS.items()},
}


class CalculatorInputError(ClockError):
    """Input the calculator cannot read; the message says which and why, in Chinese."""


class ProvisionalRefused(ClockError):
    """`strict` asked for an official result, but the count reaches a year whose holiday
    schedule is not published yet, so the due date could only be provisional (law.md §1)."""

    def __init__(self, years: Sequence[int], due: dt.date) -> None:
        self.years = tuple(years)
        self.due = due
        super().__init__(
            gettext_noop("期限计算跨入%(years)s年，该年的放假调休安排尚未录入，只能暂定为"
                         "%(due)s（暂定）；严格模式不接受暂定结果。请待国务院办公厅公布并由"
                         "系统管理员录入后再计算。"),
            years="、".join(str(y) for y in self.years), due=due.isoformat(),
        )


@dataclass(frozen=True)
class CalculatorRequest:
    start: dt.date
    days: int
    suspensions: tuple[Suspension, ...] = ()
    extend: int = 0
    joint: bool = False
    strict: bool = False


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CalculatorInputError(
            gettext_noop("%(what)s“%(value)s”不是有效日期，请写成 2026-09-28 的形式。"),
            what=_(what), value=value,
        ) from None


def _int(value: str | int | None, what: str, low: int, high: int) -> int:
    text = str(value).strip() if value is not None else ""
    if not text.lstrip("-").isdigit() or not low <= int(text) <= high:
        raise CalculatorInputError(
            gettext_noop("%(what)s“%(value)s”无效，应为%(low)d到%(high)d之间的整数。"),
            what=_(what), value=text, low=low, high=high,
        )
    return int(text)


def parse_suspension(text: str) -> Suspension:
    """"2026-10-12:2026-10-16" (or 至, ~), optionally ":听证" / ":hearing"; one date alone
    is a one-day suspension."""
    parts = [p for p in _RANGE_SPLIT.split(text.strip()) if p]
    kind = ""
    if parts and not parts[-1][:1].isdigit():
        label = parts.pop()
        if label not in _KINDS:
            raise CalculatorInputError(
                gettext_noop("未知的特别程序“%(kind)s”，应为：听证、招标、拍卖、检验、检测、"
                             "检疫、鉴定或专家评审。"), kind=label)
        kind = _KINDS[label]
    if len(parts) not in (1, 2):
        raise CalculatorInputError(
            gettext_noop("中止期间“%(value)s”无效，请写成 开始日期:结束日期，"
                         "例如 2026-10-12:2026-10-16。"), value=text)
    first = _date(parts[0], gettext_noop("中止开始日期"))
    last = _date(parts[-1], gettext_noop("中止结束日期"))
    if last < first:
        raise CalculatorInputError(
            gettext_noop("中止期间“%(value)s”的结束日期早于开始日期。"), value=text)
    return Suspension(first, last, kind)


def parse_request(
    *, start: str | None, days: str | int | None, suspend: Sequence[str] = (),
    extend: str | int | None = None, joint: bool = False, strict: bool = False,
) -> CalculatorRequest:
    """The calculator's input from text, or `CalculatorInputError` in Chinese."""
    if not start or not str(start).strip():
        raise CalculatorInputError(gettext_noop("请填写起算日期。"))
    if days is None or not str(days).strip():
        raise CalculatorInputError(gettext_noop("请填写期限（工作日数）。"))
    extension = 0
    if extend is not None and str(extend).strip():
        extension = _int(extend, gettext_noop("延长天数"), 0, 15)
    return CalculatorRequest(
        start=_date(str(start), gettext_noop("起算日期")),
        days=_int(days, gettext_noop("期限"), 1, MAX_DAYS),
        suspensions=tuple(parse_suspension(s) for s in suspend if s.strip()),
        extend=extension,
        joint=joint,
        strict=strict,
    )


def calculate(request: CalculatorRequest, calendar: WorkCalendar | None = None) -> dict[str, Any]:
    """The deadline of `request` as one JSON-ready object: `due` (ISO date), the structured
    explanation and its Chinese sentence, and the calendar version used (行政许可法 第82条,
    第45条, 第42条). A due date that reaches a year without an official schedule is
    provisional (law.md §1): `provisional` and `provisional_years` say so, and
    `request.strict` refuses it (`ProvisionalRefused`). Raises `ClockError` subclasses."""
    calendar = calendar or get_work_calendar()
    extensions = [Extension(request.extend, _("试算"))] if request.extend else []
    deadline = compute_deadline(
        calendar, request.start, request.days, suspensions=request.suspensions,
        extensions=extensions, handling=Handling.JOINT if request.joint else Handling.ORDINARY,
    )
    if request.strict and deadline.provisional:
        raise ProvisionalRefused(deadline.provisional_years, deadline.due)
    explanation = explain(calendar, deadline)
    years = range(request.start.year, deadline.due.year + 1)
    return {
        "due": deadline.due.isoformat(),
        "provisional": deadline.provisional,
        "provisional_years": list(deadline.provisional_years),
        "start": request.start.isoformat(),
        "days": request.days,
        "extension_days": request.extend,
        "total_days": deadline.total_days,
        "handling": deadline.handling.value,
        "calendar_version": calendar.version,
        "calendar_years": {
            str(y): "provisional" if calendar.is_provisional(y)
            else calendar.year_versions.get(y, "") for y in years},
        "explanation": explanation.as_dict(),
        "explanation_text": format_explanation(explanation, _),
    }


def error_payload(err: ClockError) -> dict[str, Any]:
    """The JSON body of an error: the Chinese message, a code, and the missing year if any."""
    body: dict[str, Any] = {"detail": err.message(_), "code": _code(err)}
    if isinstance(err, CalendarNotCovered):
        body["missing_year"] = err.year
    if isinstance(err, ProvisionalRefused):
        body["provisional_years"] = list(err.years)
        body["provisional_due"] = err.due.isoformat()
    return body


def _code(err: ClockError) -> str:
    name = type(err).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
