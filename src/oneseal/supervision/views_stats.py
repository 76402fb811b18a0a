"""Statistics pages (统计分析): the supervisor's and the bureau head's statistics by item,
department, channel, street and period, with charts and the Excel export; and the public
monthly figures (办件数据公开) on the portal, without login."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role

from . import stats
from .domain.stats import Period, PeriodInvalid, PeriodKind, parse_period

STATS_ROLES = (Role.SUPERVISOR, Role.HEAD)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _quarters(today: dt.date, count: int = 12) -> list[tuple[str, str]]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(count):
        out.append((f"{year}-Q{quarter}", _("%(year)d年第%(q)d季度") % {"year": year,
                                                                      "q": quarter}))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return out


class StatsForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("统计周期"), required=False, choices=[
        (PeriodKind.MONTH.value, gettext_lazy("月度")),
        (PeriodKind.QUARTER.value, gettext_lazy("季度")),
        (PeriodKind.YEAR.value, gettext_lazy("年度")),
        (PeriodKind.CUSTOM.value, gettext_lazy("自定义"))])
    month = forms.CharField(label=gettext_lazy("月份"), required=False,
                            widget=forms.DateInput(attrs={"type": "month"}))
    quarter = forms.ChoiceField(label=gettext_lazy("季度"), required=False)
    year = forms.ChoiceField(label=gettext_lazy("年度"), required=False)
    start = forms.DateField(label=gettext_lazy("开始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("结束日期"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    item = forms.ChoiceField(label=gettext_lazy("事项"), required=False)
    department = forms.ChoiceField(label=gettext_lazy("部门"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("收件渠道"), required=False)
    street = forms.ChoiceField(label=gettext_lazy("街道"), required=False)

    def __init__(self, data: Any, today: dt.date) -> None:
        quarter = (today.month - 1) // 3 + 1
        super().__init__(data, initial={"period": PeriodKind.MONTH.value,
                                        "month": f"{today:%Y-%m}",
                                        "quarter": f"{today.year}-Q{quarter}",
                                        "year": str(today.year)})
        self.today = today
        everything = [("", _("全部"))]
        choices = stats.filter_choices()
        for name in ("item", "department", "channel", "street"):
            self.fields[name].choices = everything + choices[name]
        self.fields["quarter"].choices = _quarters(today)
        years = sorted(set(stats.public_years()) | {today.year}, reverse=True)
        self.fields["year"].choices = [(str(y), _("%(year)d年") % {"year": y}) for y in years]

    def period_value(self) -> Period:
        d = self.cleaned_data
        kind = d.get("period") or PeriodKind.MONTH.value
        value = {"month": d.get("month") or "", "quarter": d.get("quarter") or "",
                 "year": d.get("year") or ""}.get(kind, "")
        start, end = d.get("start"), d.get("end")
        try:
            return parse_period(kind, value, start.isoformat() if start else "",
                                end.isoformat() if end else "", self.today)
        except PeriodInvalid:
            self.add_error(None, _("统计周期不正确：开始日期不能晚于结束日期，自定义范围最长三年，"
                                   "月份格式为 2026-11。"))
            return parse_period("month", "", "", "", self.today)

    def filters(self) -> stats.StatFilters:
        d = self.cleaned_data

        def number(name: str) -> int | None:
            return int(d[name]) if d.get(name) not in (None, "") else None

        return stats.StatFilters(item_id=number("item"), department_id=number("department"),
                                 channel=d.get("channel") or "", street_id=number("street"))

    def describe(self) -> str:
        """The chosen filters in words (the export's heading)."""
        parts = []
        for name in ("item", "department", "channel", "street"):
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                label = dict(self.fields[name].choices).get(value, value)  # type: ignore[attr-defined]
                parts.append(f"{self.fields[name].label}：{label}")
        return "；".join(parts) or _("全部")


def _load(request: HttpRequest) -> tuple[StatsForm, Period, stats.StatFilters]:
    form = StatsForm(request.GET or None, timezone.localdate())
    if form.is_bound and form.is_valid():
        return form, form.period_value(), form.filters()
    if not form.is_bound:
        form.cleaned_data = {}
    return form, parse_period("month", "", "", "", timezone.localdate()), stats.StatFilters()


def _pairs(counters: stats.Counters) -> list[tuple[str, str]]:
    """(column, value as shown) of one row: the cards, and the labels of a table's cells
    when it turns into cards on a phone."""
    return list(zip(stats.columns(), stats.shown(stats.cells(counters)), strict=True))


@require_roles(*STATS_ROLES)
def stats_page(request: HttpRequest) -> HttpResponse:
    form, period, filters = _load(request)
    result = stats.report(period, filters)
    labels = stats.dimension_labels()
    return render(request, "supervision/stats/page.html", {
        "form": form, "period": period, "result": result, "columns": stats.columns(),
        "totals": _pairs(result.totals),
        "trend": [(f"{m:%Y-%m}", _pairs(c)) for m, c in result.trend],
        "tables": [{"label": labels[dim], "rows": [(name, _pairs(c)) for name, c in rows]}
                   for dim, rows in result.tables.items()],
        "trend_chart": mark_safe(stats.trend_chart(result)),  # noqa: S308 (escaped there)
        "share_chart": mark_safe(stats.share_chart(result.totals)),  # noqa: S308
        "query": request.GET.urlencode(),
    }, status=400 if form.errors else 200)


@require_roles(*STATS_ROLES)
def stats_export(request: HttpRequest) -> HttpResponse:
    form, period, filters = _load(request)
    if form.errors:
        message = " ".join(str(e) for e in form.non_field_errors()) or _("筛选条件不正确。")
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    result = stats.report(period, filters)
    body = stats.workbook(result, form.describe() if form.is_bound else _("全部"))
    name = f"case-stats-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    return HttpResponse(body, headers={"Content-Type": XLSX,
                                       "Content-Disposition": f'attachment; filename="{name}"'})


def _public_columns() -> list[str]:
    return [_("收件"), _("受理"), _("办结"), _("按期办结率"), _("网上办理占比"), _("满意率")]


def _public_cells(c: stats.Counters) -> list[tuple[str, str]]:
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.1f}%"

    values = [str(c.received), str(c.accepted), str(c.decided), pct(c.promise_rate),
              pct(c.online_share), pct(c.satisfaction)]
    return list(zip(_public_columns(), values, strict=True))


def public_figures(request: HttpRequest) -> HttpResponse:
    """办件数据公开: the bureau's monthly figures of a year, for everyone (no login)."""
    today = timezone.localdate()
    years = sorted(set(stats.public_years()) | {today.year}, reverse=True)
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if year not in years:
        year = today.year
    rows = [(m, c) for m, c in stats.public_months(year) if m <= today]
    total = stats.Counters()
    for _m, c in rows:
        total.add(c)
    result = stats.Report(Period(PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31)),
                          stats.StatFilters(), total, rows)
    return render(request, "supervision/stats/public.html", {
        "year": year, "years": years, "columns": _public_columns(),
        "rows": [(f"{m:%Y-%m}", _public_cells(c)) for m, c in rows],
        "total": _public_cells(total),
        "trend_chart": mark_safe(stats.trend_chart(result, "public-trend")),  # noqa: S308
    })
