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


def _with_lights(cases: list[Any]) -> list[dict[str, Any]]:
    today, calendar = timezone.localdate(), _calendar()
    return [{"case": c, "light": clocks.case_light(c, today, calendar)} for c in cases]


@require_roles(*CASE_READERS)
def case_list(request: HttpRequest) -> HttpResponse:
    """办件查询: filters by state, item and number / applicant."""
    form = forms.CaseFilterForm(request.GET or None, items=_item_choices())
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CaseFilters(state=data.get("state", ""), item_id=data.get("item"),
                                    q=data.get("q", ""))
    page = selectors.case_list(request.user, filters, cursor=_cursor(request), limit=PAGE)
    return render(request, "cases/case_list.html", {
        "form": form, "rows": _with_lights(page.items), "next_cursor": page.next_cursor,
        "paged": bool(_cursor(request))})


@require_roles(*STEP_HANDLERS)
def tasks(request: HttpRequest) -> HttpResponse:
    """我的任务 (steps I claimed) and 待认领 (open steps for my roles), with each case's
    light and due date, filtered by item; the tab is the step's state."""
    tab = "open" if request.GET.get("tab") == "open" else "mine"
    form = forms.CaseFilterForm(request.GET or None, items=_item_choices())
    data = form.cleaned_data if form.is_valid() else {}
    page = selectors.task_list(request.user, mine=tab == "mine", cursor=_cursor(request),
                               limit=PAGE, **_task_filters(data))
    today, calendar = timezone.localdate(), _calendar()
    rows = [{"step": s, "case": s.case, "light": step_light(s, today, calendar)}
            for s in page.items]
    return render(request, "cases/tasks.html", {
        "tab": tab, "form": form, "rows": rows, "next_cursor": page.next_cursor,
        "paged": bool(_cursor(request))})


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
    page = selectors.delivery_queue(request.user, cursor=_cursor(request), limit=PAGE,
                                    point_id=point.pk if point else None)
    return render(request, "cases/delivery_queue.html", {
        "rows": _with_lights(page.items), "next_cursor": page.next_cursor,
        "paged": bool(_cursor(request)), "points": points, "point": point})


@require_roles(Role.CLERK)
def online_queue(request: HttpRequest) -> HttpResponse:
    """网上预审: online applications waiting for acceptance (第32条, 5 working days from the
    online receipt). Each opens on the case page, with the window's accept, one-time
    correction notice and 不予受理."""
    page = selectors.online_queue(request.user, cursor=_cursor(request), limit=PAGE)
    return render(request, "cases/online_queue.html", {
        "rows": _with_lights(page.items), "next_cursor": page.next_cursor,
        "paged": bool(_cursor(request))})


@require_roles(Role.CLERK)
def deliver(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case at the delivery window: what to hand over and the delivery record; after
    delivery, the 送达回证 to print. The form posts to the case's `deliver` operation."""
    return render_case(request, load_case(request, case_id), delivery_page=True)
