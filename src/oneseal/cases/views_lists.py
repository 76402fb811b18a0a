"""The lists of the workbench: every case I may see (办件查询), my tasks and the steps
waiting to be claimed (后台分类审批), and the delivery window (统一出件, 第26、44条).
Keyset pagination: "下一页" carries the cursor the selector returned."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.catalog import selectors as catalog_selectors
from oneseal.core.workcalendar.domain import ClockError, WorkCalendar
from oneseal.core.workcalendar.selectors import get_work_calendar
from oneseal.org.service_points import service_points

from . import clocks, forms, selectors
from .due import DUE_CHOICES, DueWindow, due_window
from .views_case import load_case, render_case

CASE_READERS = (Role.CLERK, Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.DEPT_OFFICER,
                Role.SUPERVISOR, Role.HELPER)
STEP_HANDLERS = (Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.DEPT_OFFICER)
PAGE = 50


def _cursor(request: HttpRequest) -> str | None:
    raw = request.GET.get("cursor", "").strip()
    return raw[:200] or None


def _item_choices() -> list[tuple[int, str]]:
    rows = (catalog_selectors.versions_in_force().order_by("name")
            .values_list("item_id", "name"))
    return list(rows[:1000])


def _calendar() -> WorkCalendar | None:
    """The working-day calendar, read once per list rather than once per row."""
    try:
        return get_work_calendar()
    except ClockError:
        return None


def _with_lights(cases: list[Any], calendar: WorkCalendar | None = None
                 ) -> list[dict[str, Any]]:
    today, calendar = timezone.localdate(), calendar or _calendar()
    return [{"case": c, "light": clocks.case_light(c, today, calendar)} for c in cases]


def _clock_context(request: HttpRequest) -> tuple[WorkCalendar | None, DueWindow, str]:
    """The calendar (read once per page), today's 即将超期 window, and the due filter asked
    for (?due=soon|overdue, see `due.py`)."""
    calendar = _calendar()
    due = request.GET.get("due", "")
    return calendar, due_window(timezone.localdate(), calendar), (
        due if due in DUE_CHOICES else "")


def _page_context(page: selectors.Page, request: HttpRequest, calendar: WorkCalendar | None,
                  due: str) -> dict[str, Any]:
    return {"next_cursor": page.next_cursor, "paged": bool(_cursor(request)),
            "total": page.total, "total_capped": page.total_capped,
            "cap": selectors.COUNT_CAP, "today": timezone.localdate(), "calendar": calendar,
            "due": due}


@require_roles(*CASE_READERS)
def case_list(request: HttpRequest) -> HttpResponse:
    """办件查询: filters by state, item, deadline (在办 / 即将超期 / 已超期 by the promised
    due date) and number / applicant (a part of a case number finds it); the total on top,
    each case's handler (who holds its step now) and days left in words (第82条)."""
    form = forms.CaseFilterForm(request.GET or None, items=_item_choices())
    data = form.cleaned_data if form.is_valid() else {}
    calendar, window, _due = _clock_context(request)
    due = data.get("due", "")
    extension = request.GET.get("extension") == "pending"
    filters = selectors.CaseFilters(state=data.get("state", ""), item_id=data.get("item"),
                                    q=data.get("q", ""), due=due,
                                    extension_pending=extension)
    page = selectors.case_list(request.user, filters, cursor=_cursor(request), limit=PAGE,
                               window=window, count=True)
    rows = _with_lights(page.items, calendar)
    handlers = selectors.current_handlers([r["case"].pk for r in rows])
    for row in rows:
        row["handler"] = handlers.get(row["case"].pk, "")
    return render(request, "cases/case_list.html", {
        "form": form, "rows": rows, "extension": extension,
        **_page_context(page, request, calendar, due)})


@require_roles(*STEP_HANDLERS)
def tasks(request: HttpRequest) -> HttpResponse:
    """我的任务 (steps I claimed) and 待认领 (open steps for my roles), with each case's
    light and due date, filtered by item; the tab is the step's state."""
    tab = "open" if request.GET.get("tab") == "open" else "mine"
    form = forms.CaseFilterForm(request.GET or None, items=_item_choices())
    data = form.cleaned_data if form.is_valid() else {}
    calendar, window, due = _clock_context(request)
    page = selectors.task_list(request.user, mine=tab == "mine", cursor=_cursor(request),
                               limit=PAGE, due=due, window=window, count=True,
                               **_task_filters(data))
    today = timezone.localdate()
    rows = [{"step": s, "case": s.case, "light": step_light(s, today, calendar)}
            for s in page.items]
    return render(request, "cases/tasks.html", {
        "tab": tab, "form": form, "rows": rows,
        **_page_context(page, request, calendar, due)})


SEVERITY = {"green": 0, "yellow": 1, "red": 2}


def step_light(step: Any, today: Any, calendar: WorkCalendar | None = None) -> str:
    """The light of a task row (电子监察): the worse of the case's light and the step's own
    limit (yellow one working day before, red after it)."""
    calendar = calendar or _calendar()
    case_light = clocks.case_light(step.case, today, calendar)
    if case_light not in SEVERITY or step.due_on is None:
        return case_light
    if today > step.due_on:
        own = "red"
    else:
        if calendar is None:
            return case_light
        try:
            left = calendar.counted_working_days(today, step.due_on, ())
        except ClockError:
            return case_light
        own = "yellow" if left <= 1 else "green"
    return max(case_light, own, key=SEVERITY.__getitem__)


def _task_filters(data: dict[str, Any]) -> dict[str, Any]:
    """The filters `selectors.task_list` takes (the item)."""
    return {"item_id": data["item"]} if data.get("item") else {}


@require_roles(Role.CLERK)
def delivery_queue(request: HttpRequest) -> HttpResponse:
    """统一出件: decided cases waiting to be delivered (newest first, keyset pages)."""
    points = list(service_points())
    raw = request.GET.get("point", "").strip()
    point = next((p for p in points if str(p.pk) == raw), None)  # unknown: the whole queue
    calendar, window, due = _clock_context(request)
    page = selectors.delivery_queue(request.user, cursor=_cursor(request), limit=PAGE,
                                    point_id=point.pk if point else None, due=due,
                                    window=window, count=True)
    return render(request, "cases/delivery_queue.html", {
        "rows": _with_lights(page.items, calendar), "points": points, "point": point,
        **_page_context(page, request, calendar, due)})


@require_roles(Role.CLERK)
def online_queue(request: HttpRequest) -> HttpResponse:
    """网上预审: online applications waiting for acceptance (第32条, 5 working days from the
    online receipt). Each opens on the case page, with the window's accept, one-time
    correction notice and 不予受理."""
    calendar, window, due = _clock_context(request)
    page = selectors.online_queue(request.user, cursor=_cursor(request), limit=PAGE, due=due,
                                  window=window, count=True)
    return render(request, "cases/online_queue.html", {
        "rows": _with_lights(page.items, calendar), "queue": "online",
        **_page_context(page, request, calendar, due)})


@require_roles(Role.CLERK)
def window_queue(request: HttpRequest) -> HttpResponse:
    """待受理: applications received at a window, waiting for the decision on acceptance
    within 5 working days of receipt (行政许可法 第32条): the day received, the five-day
    point and the days left; search by a part of the case number."""
    calendar, window, due = _clock_context(request)
    q = request.GET.get("q", "").strip()[:100]
    page = selectors.window_queue(request.user, cursor=_cursor(request), limit=PAGE, due=due,
                                  q=q, window=window, count=True)
    return render(request, "cases/online_queue.html", {
        "rows": _with_lights(page.items, calendar), "queue": "window", "q": q,
        **_page_context(page, request, calendar, due)})


@require_roles(Role.CLERK)
def deliver(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case at the delivery window: what to hand over and the delivery record; after
    delivery, the 送达回证 to print. The form posts to the case's `deliver` operation."""
    return render_case(request, load_case(request, case_id), delivery_page=True)
