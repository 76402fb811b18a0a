"""Hall statistics pages (大厅统计) for the supervisor and the system administrator: the
four tables of a date range, and the same as an Excel workbook."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role

from . import stats
from .displays import current_hall


def _load(request: HttpRequest) -> tuple[int, dt.date, dt.date, str]:
    hall = current_hall()
    if hall is None:
        raise Http404(_("大厅尚未设置。"))
    found = stats.parse_range(request.GET.get("from"), request.GET.get("to"),
                              timezone.localdate())
    error = ""
    if found is None:
        error = _("日期范围不正确（开始不晚于结束，最长一年）。")
        found = (timezone.localdate(), timezone.localdate())
    return hall.pk, found[0], found[1], error


@require_roles(Role.SUPERVISOR, Role.SYSADMIN)
def stats_page(request: HttpRequest) -> HttpResponse:
    hall_id, start, end, error = _load(request)
    tables = stats.report(hall_id, start, end)
    labels = stats.dimension_labels()
    return render(request, "hall/stats/page.html", {
        "start": start, "end": end, "error": error, "columns": stats.columns(),
        "tables": [{"label": labels[d], "rows": stats.rows_for_template(rows)}
                   for d, rows in tables.items()],
        "query": request.GET.urlencode(),
    }, status=400 if error else 200)


@require_roles(Role.SUPERVISOR, Role.SYSADMIN)
def stats_export(request: HttpRequest) -> HttpResponse:
    hall_id, start, end, error = _load(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    body = stats.workbook(stats.report(hall_id, start, end), start, end)
    name = f"hall-stats-{start.isoformat()}-{end.isoformat()}.xlsx"
    return HttpResponse(body, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="{name}"'})
