"""Case statistics (办件统计) read from the rollups (`models_stats`), never from the cases:
totals, per month, and per item, department, channel and street of a period, filtered; the
charts, the Excel workbook, and the public monthly figures (no personal data: the rollups
hold counts only).

A period of whole months (month, quarter, year) is read from the monthly rollup, any other
range from the daily one; either way a handful of grouped queries over a few thousand rows,
whatever the number of cases (bench/bench_stats.py)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook

from oneseal.cases.models import Channel
from oneseal.catalog.models import ItemVersion
from oneseal.org.models import Unit

from .domain.charts import Series, bar_chart, share_bars
from .domain.stats import COUNTER_NAMES, Counters, Period, month_end, month_start, months
from .models_stats import CaseDayRollup, CaseMonthRollup

DIMENSIONS = ("item", "department", "channel", "street")
TREND_MONTHS = 12  # the monthly chart of a month or a quarter shows the year up to it


@dataclass(frozen=True)
class StatFilters:
    item_id: int | None = None
    department_id: int | None = None
    channel: str = ""
    street_id: int | None = None  # 0: cases not received at a street point


@dataclass
class Report:
    period: Period
    filters: StatFilters
    totals: Counters
    trend: list[tuple[dt.date, Counters]]
    tables: dict[str, list[tuple[str, Counters]]] = field(default_factory=dict)


def _sums() -> dict[str, Any]:
    return {name: Sum(name) for name in COUNTER_NAMES}


def _counters(row: dict[str, Any]) -> Counters:
    return Counters(**{name: int(row.get(name) or 0) for name in COUNTER_NAMES})


def _filtered(qs: QuerySet[Any], f: StatFilters) -> QuerySet[Any]:
    if f.item_id:
        qs = qs.filter(item_id=f.item_id)
    if f.department_id:
        qs = qs.filter(department_id=f.department_id)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.street_id is not None:
        qs = qs.filter(street_id=f.street_id)
    return qs


def _parts(start: dt.date, end: dt.date) -> list[QuerySet[Any]]:
    """The rollup rows of the days from `start` to `end`: the whole months inside the range
    from the monthly rollup, the days before and after them from the daily one (so a custom
    range reads at most two partial months of daily rows)."""
    day = dt.timedelta(days=1)
    first = start if start.day == 1 else month_end(start) + day
    last = end if end == month_end(end) else month_start(end) - day
    if first > last:
        return [CaseDayRollup.objects.filter(day__gte=start, day__lte=end)]
    parts: list[QuerySet[Any]] = [CaseMonthRollup.objects.filter(month__gte=first,
                                                                  month__lte=last)]
    if start < first:
        parts.append(CaseDayRollup.objects.filter(day__gte=start, day__lt=first))
    if end > last:
        parts.append(CaseDayRollup.objects.filter(day__gt=last, day__lte=end))
    return parts


def _grouped(start: dt.date, end: dt.date, f: StatFilters, column: str
             ) -> dict[Any, Counters]:
    """The counters of the range grouped by `column` (``month``: per month)."""
    out: dict[Any, Counters] = {}
    for qs in _parts(start, end):
        qs = _filtered(qs, f)
        monthly = qs.model is CaseMonthRollup
        field_name = ("month" if monthly else "day") if column == "month" else column
        for r in qs.values(field_name).annotate(**_sums()).order_by():
            key = r[field_name]
            if column == "month" and not monthly:
                key = month_start(key)
            out.setdefault(key, Counters()).add(_counters(r))
    return out


def _by_month(start: dt.date, end: dt.date, f: StatFilters) -> list[tuple[dt.date, Counters]]:
    found = _grouped(start, end, f, "month")
    return [(m, found.get(m, Counters())) for m in months(start, end)]


def trend_range(period: Period) -> tuple[dt.date, dt.date]:
    """The months the chart shows: the period's, or the 12 months up to a month or quarter."""
    if period.kind in ("month", "quarter"):
        first = month_start(period.end)
        for _i in range(TREND_MONTHS - 1):
            first = month_start(first - dt.timedelta(days=1))
        return first, month_end(period.end)
    return period.start, period.end


def _combinations(start: dt.date, end: dt.date, f: StatFilters
                  ) -> dict[tuple[Any, ...], list[int]]:
    """The range's counters per (item, department, channel, street): one grouped query per
    part of the range, from which every table and the totals are summed in Python."""
    columns = ("item_id", "department_id", "channel", "street_id")
    out: dict[tuple[Any, ...], list[int]] = {}
    for qs in _parts(start, end):
        rows = _filtered(qs, f).values(*columns).annotate(**_sums()).order_by()
        for r in rows.values_list(*columns, *COUNTER_NAMES):
            key, values = r[:4], r[4:]
            found = out.get(key)
            if found is None:
                out[key] = [int(v or 0) for v in values]
            else:
                for i, v in enumerate(values):
                    found[i] += int(v or 0)
    return out


def report(period: Period, f: StatFilters) -> Report:
    """Totals, the trend and the four tables of the period: two grouped queries per part of
    the range (the combinations of the four dimensions, and the months of the trend)."""
    labels = dimension_names()
    per_dim: list[dict[Any, list[int]]] = [{} for _d in DIMENSIONS]
    total = [0] * len(COUNTER_NAMES)
    for key, values in _combinations(period.start, period.end, f).items():
        for i, value in enumerate(key):
            found = per_dim[i].setdefault(value, [0] * len(COUNTER_NAMES))
            for j, v in enumerate(values):
                found[j] += v
        for j, v in enumerate(values):
            total[j] += v
    tables: dict[str, list[tuple[str, Counters]]] = {}
    for i, dim in enumerate(DIMENSIONS):
        named = labels[dim]
        tables[dim] = sorted(
            ((named(key), Counters(*values)) for key, values in per_dim[i].items()),
            key=lambda pair: (-pair[1].received, -pair[1].decided, pair[0]))
    first, last = trend_range(period)
    return Report(period, f, Counters(*total), _by_month(first, last, f), tables)


# ------------------------------------------------------------------ names


def item_names() -> dict[int, str]:
    """Item id -> the name of its latest version."""
    names: dict[int, str] = {}
    for item_id, name in ItemVersion.objects.order_by("item_id", "number").values_list(
            "item_id", "name"):
        names[item_id] = name
    return names


def unit_names(kinds: tuple[str, ...] | None = None) -> dict[int, str]:
    qs = Unit.objects.all()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return {pk: short or name for pk, name, short in qs.values_list("pk", "name", "short_name")}


def dimension_names() -> dict[str, Any]:
    items, units = item_names(), unit_names()
    channels = dict(Channel.choices)
    return {
        "item": lambda pk: items.get(pk, _("事项 %(id)s") % {"id": pk}),
        "department": lambda pk: units.get(pk, _("部门 %(id)s") % {"id": pk}),
        "channel": lambda code: str(channels.get(code, code)),
        "street": lambda pk: (_("区行政审批局（非街道收件）") if not pk
                              else units.get(pk, str(pk))),
    }


def dimension_labels() -> dict[str, str]:
    return {"item": _("按事项"), "department": _("按部门"), "channel": _("按渠道"),
            "street": _("按街道")}


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the filter form: items and departments that have statistics, the
    channels, the streets."""
    used_items = set(CaseMonthRollup.objects.values_list("item_id", flat=True).distinct())
    used_depts = set(CaseMonthRollup.objects.values_list("department_id", flat=True)
                     .distinct())
    items, units = item_names(), unit_names()
    return {
        "item": sorted(((str(pk), items.get(pk, str(pk))) for pk in used_items),
                       key=lambda p: p[1]),
        "department": sorted(((str(pk), units.get(pk, str(pk))) for pk in used_depts),
                             key=lambda p: p[1]),
        "channel": [(str(v), str(label)) for v, label in Channel.choices],
        "street": [("0", _("区行政审批局（非街道收件）")), *sorted(
            ((str(pk), name) for pk, name in unit_names(("street",)).items()),
            key=lambda p: p[1])],
    }


# ------------------------------------------------------------------ presentation


def columns() -> list[str]:
    return [_("收件"), _("受理"), _("不予受理"), _("办结"), _("其中不予许可"),
            _("承诺时限内办结率"), _("法定时限内办结率"), _("平均办理用时（工作日）"),
            _("网上办理占比"), _("评价数"), _("满意率")]


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def cells(c: Counters) -> list[object]:
    average = c.average_days
    return [c.received, c.accepted, c.not_accepted, c.decided, c.refused,
            _pct(c.promise_rate), _pct(c.statute_rate),
            None if average is None else round(average, 1), _pct(c.online_share), c.ratings,
            _pct(c.satisfaction)]


PCT_COLUMNS = frozenset({5, 6, 8, 10})


def shown(values: list[object]) -> list[str]:
    """`cells` as the page shows them: — for nothing to compute, percentages with %."""
    return ["—" if v is None else f"{v}%" if i in PCT_COLUMNS else str(v)
            for i, v in enumerate(values)]


def trend_chart(result: Report, chart_id: str = "chart-trend") -> str:
    labels = [f"{m:%Y-%m}" for m, _c in result.trend]
    return bar_chart(chart_id, _("按月收件与办结"), labels, [
        Series(_("收件"), [c.received for _m, c in result.trend], "chart-a"),
        Series(_("办结"), [c.decided for _m, c in result.trend], "chart-b")])


def share_chart(totals: Counters, chart_id: str = "chart-shares") -> str:
    return share_bars(chart_id, _("办结率、网上办理占比和满意率"), [
        (_("承诺时限内办结率"), totals.promise_rate),
        (_("法定时限内办结率"), totals.statute_rate),
        (_("网上办理占比"), totals.online_share),
        (_("满意率"), totals.satisfaction)])


def workbook(result: Report, filters_text: str) -> bytes:
    """The report as .xlsx: the totals, the months, and one sheet per dimension."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("汇总"))
    sheet.append([_("办件统计"), result.period.label, filters_text])
    sheet.append(["", *columns()])
    sheet.append([_("合计"), *cells(result.totals)])
    months_sheet = book.create_sheet(title=str(_("按月")))
    months_sheet.append([_("月份"), *columns()])
    for month, counters in result.trend:
        months_sheet.append([f"{month:%Y-%m}", *cells(counters)])
    labels = dimension_labels()
    for dim, rows in result.tables.items():
        ws = book.create_sheet(title=labels[dim][:31])
        ws.append([labels[dim], *columns()])
        for name, counters in rows:
            ws.append([name, *cells(counters)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ public figures


def public_months(year: int) -> list[tuple[dt.date, Counters]]:
    """The bureau's figures per month of `year` (the whole district, every item)."""
    return _by_month(dt.date(year, 1, 1), dt.date(year, 12, 31), StatFilters())


def public_years() -> list[int]:
    found = CaseMonthRollup.objects.order_by("month").values_list("month", flat=True)
    first, last = found.first(), found.last()
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))
