"""The deadline calculator over HTTP: `GET /api/v1/calendar/deadline` (public, no token).

Same parsing, computation and JSON as `oneseal deadline --json`; errors are
`{"detail": <Chinese message>, "code": ...}` with status 400 (bad input, extension not
allowed) or 422 (the calendar does not cover a year the count reaches, `missing_year`; or
`strict=true` and the result is provisional, `provisional_years`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Query, Router, Schema

from .calculator import ProvisionalRefused, calculate, error_payload, parse_request
from .domain import CalendarNotCovered, ClockError

router = Router(tags=["calendar"])


class RangeOut(Schema):
    first: str
    last: str


class HolidayOut(RangeOut):
    names: list[str]


class SuspensionOut(RangeOut):
    kind: str
    reason: str
    excluded_working_days: int


class ExtensionOut(Schema):
    days: int
    approved_by: str
    approved_on: str | None
    reason: str


class ExplanationOut(Schema):
    start: str
    days: int
    extension_days: int
    total_days: int
    due: str
    calendar_version: str
    provisional_years: list[int]
    unit: str
    holidays: list[HolidayOut]
    weekends: list[RangeOut]
    makeup_workdays: list[str]
    suspensions: list[SuspensionOut]
    extensions: list[ExtensionOut]


class DeadlineOut(Schema):
    due: str
    provisional: bool
    provisional_years: list[int]
    start: str
    days: int
    extension_days: int
    total_days: int
    handling: str
    calendar_version: str
    calendar_years: dict[str, str]
    explanation: ExplanationOut
    explanation_text: str


class CalendarErrorOut(Schema):
    detail: str
    code: str
    missing_year: int | None = None
    provisional_years: list[int] | None = None
    provisional_due: str | None = None


class DeadlineQuery(Schema):
    start: str = ""
    days: str = ""
    suspend: list[str] = []
    extend: str = ""
    joint: bool = False
    strict: bool = False


@router.get(
    "/calendar/deadline", auth=None,
    response={200: DeadlineOut, 400: CalendarErrorOut, 422: CalendarErrorOut},
    summary="计算办理期限 / compute a deadline in working days",
)
def deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> Any:
    """The due date of a limit of `days` working days from `start` (起算日当日不计入，
    《民法典》第201条；工作日，《行政许可法》第82条), with suspensions `suspend=FROM:TO[:KIND]`
    (repeatable, 第45条), an approved extension `extend` (第42条: at most 10, or 15 with
    `joint=true`), its explanation in Chinese and the calendar version used.

    A count reaching a year whose official holiday schedule is not entered yet is computed
    provisionally (law.md §1) and answered with `"provisional": true` and the
    `provisional_years`; `strict=true` refuses such a result with 422
    (`code: provisional_refused`)."""
    try:
        parsed = parse_request(start=query.start, days=query.days, suspend=query.suspend,
                               extend=query.extend, joint=query.joint, strict=query.strict)
        return calculate(parsed)
    except (CalendarNotCovered, ProvisionalRefused) as err:
        return _error(err, 422)
    except ClockError as err:
        return _error(err, 400)


def _error(err: ClockError, status: int) -> JsonResponse:
    return JsonResponse(error_payload(err), status=status,
                        json_dumps_params={"ensure_ascii": False})
