"""Supervision pages of the workbench (电子监察): 时限监督 (every open case with its light,
filters, counts, Excel), the alerts (超期预警) with acknowledge and close, and each staff
member's own alerts (我的预警). The supervisor sees and handles everything; the bureau head
views; whoever an alert was sent to acknowledges and closes it from 我的预警."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles, staff_required
from oneseal.accounts.roles import Role
from oneseal.core.workcalendar.domain import ClockError
from oneseal.core.workcalendar.selectors import get_work_calendar

from . import alerts as alert_service
from . import board, clock_sources
from .errors import SupervisionRefused
from .models import Alert, AlertClock, AlertDelivery, AlertLight, AlertState

VIEWERS = (Role.SUPERVISOR, Role.HEAD)


def _calendar_or_error(request: HttpRequest) -> object | None:
    try:
        return get_work_calendar()
    except ClockError as exc:
        messages.error(request, exc.message(_))
        return None


@require_roles(*VIEWERS)
def board_page(request: HttpRequest) -> HttpResponse:
    """时限监督: all open cases, most urgent first, with the counts of each light."""
    today = board.today()
    calendar = _calendar_or_error(request)
    filters = board.parse_filters(request.GET)
    if calendar is None:
        return render(request, "supervision/board.html", {"rows": [], "counts": {}})
    conditions = board.light_conditions(calendar, today)
    base = board.filtered(filters, conditions, with_light=False)
    counts = board.counts(base, conditions)
    qs = board.by_urgency(board.filtered(filters, conditions), conditions).select_related(
        "department", "version", "created_by")
    page = Paginator(qs, board.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/board.html", {
        "rows": board.decorate(list(page.object_list), today, calendar), "page": page,
        "counts": counts, "filters": filters, "choices": board.filter_choices(),
        "query": query.urlencode(), "today": today,
        "light_links": [(light, label, counts.get(light, 0))
                        for light, label in board.filter_choices()["lights"]],
        "open_alerts": Alert.objects.exclude(state=AlertState.CLOSED).count(),
        "claim_alerts": board.open_claim_alerts(),
    })


@require_roles(*VIEWERS)
def board_export(request: HttpRequest) -> HttpResponse:
    today = board.today()
    try:
        calendar = get_work_calendar()
    except ClockError as exc:
        return HttpResponse(exc.message(_), status=409, content_type="text/plain; charset=utf-8")
    filters = board.parse_filters(request.GET)
    conditions = board.light_conditions(calendar, today)
    qs = board.by_urgency(board.filtered(filters, conditions), conditions).select_related(
        "department", "version", "created_by")
    rows: list[dict[str, object]] = []
    for start in range(0, qs.count(), 2000):
        rows.extend(board.decorate(list(qs[start:start + 2000]), today, calendar))
    body = board.workbook(rows, today)
    name = f"deadline-supervision-{today.isoformat()}.xlsx"
    return HttpResponse(body, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="{name}"'})


def _linked(alerts: Any) -> list[Alert]:
    """The alerts of a page with the page each one opens: the record of a clock another app
    owns (a claim: 认领记录, `clock_sources`), else the case."""
    rows = list(alerts)
    for alert in rows:
        alert.link = (clock_sources.link_for(alert.clock, alert.clock_key)  # type: ignore[attr-defined]
                      or reverse("cases:case", args=[alert.case_id]))
    return rows


@require_roles(*VIEWERS)
def alert_list(request: HttpRequest) -> HttpResponse:
    """超期预警: every alert, open ones first; filter by state, colour and clock."""
    qs = Alert.objects.select_related("case", "handler", "department", "closed_by",
                                      "acknowledged_by")
    state = request.GET.get("state", "active")
    if state == "active":
        qs = qs.exclude(state=AlertState.CLOSED)
    elif state in AlertState.values:
        qs = qs.filter(state=state)
    light = request.GET.get("light", "")
    if light in AlertLight.values:
        qs = qs.filter(light=light)
    clock = request.GET.get("clock", "")
    if clock in AlertClock.values:
        qs = qs.filter(clock=clock)
    number = (request.GET.get("number") or "").strip()
    if number:
        qs = qs.filter(case__number__icontains=number)
    raw = request.GET.get("department") or ""
    department = int(raw) if raw.isdigit() else None
    if department:
        qs = qs.filter(department_id=department)
    page = Paginator(qs.order_by("-raised_on", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/alerts.html", {
        "page": page, "alerts": _linked(page.object_list), "state": state, "light": light,
        "clock": clock, "number": number, "states": AlertState.choices,
        "department": department,
        "lights": AlertLight.choices, "clocks": AlertClock.choices,
        "query": query.urlencode(), "can_handle": request.user.has_role(Role.SUPERVISOR),
        "mine": False})


@staff_required
def my_alerts(request: HttpRequest) -> HttpResponse:
    """我的预警: the alerts sent to me (the message box of alerts)."""
    ids = (AlertDelivery.objects.filter(user=request.user, channel="inbox")
           .values_list("alert_id", flat=True))
    qs = Alert.objects.filter(pk__in=ids).select_related("case", "handler", "department")
    show = request.GET.get("state", "active")
    if show == "active":
        qs = qs.exclude(state=AlertState.CLOSED)
    page = Paginator(qs.order_by("-raised_on", "-id"), 50).get_page(request.GET.get("page"))
    AlertDelivery.objects.filter(user=request.user, channel="inbox", read_at__isnull=True,
                                 alert_id__in=[a.pk for a in page.object_list]).update(
        read_at=timezone.now())
    return render(request, "supervision/alerts.html", {
        "page": page, "alerts": _linked(page.object_list), "state": show, "mine": True,
        "can_handle": True, "states": AlertState.choices, "query": ""})


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/workbench/") and "//" not in target:
        return redirect(target)
    return redirect("supervision:alerts")


@staff_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    try:
        alert_service.acknowledge(actor=request.user, alert_id=alert_id)
    except SupervisionRefused as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预警已确认。"))
    return _back(request)


@staff_required
@require_POST
def alert_close(request: HttpRequest, alert_id: int) -> HttpResponse:
    try:
        alert_service.close(actor=request.user, alert_id=alert_id,
                            note=request.POST.get("note", ""))
    except SupervisionRefused as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预警已关闭。"))
    return _back(request)
