"""Hall statistics (大厅统计): the tickets of a date range read as `TicketFact`s (one query)
and summarised by `domain.stats`; the Excel workbook of the same tables.

Each day's queue starts at the hall's opening time with its own numbers (A001…, the
ticket counter is per category and day), so a day's statistics are that day's tickets. A
transferred ticket (转移) is counted once, by its successor in the target queue: its wait is
measured from the transfer (`queued_at`), not from the kiosk."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .domain.stats import Dimension, StatRow, TicketFact, summarise
from .models import Ticket, TicketState

MAX_DAYS = 366  # one report covers at most a year


def ticket_facts(hall_id: int, start: dt.date, end: dt.date) -> list[TicketFact]:
    """The hall's tickets from `start` to `end` (inclusive) as facts."""
    rows = (Ticket.objects.filter(hall_id=hall_id, day__gte=start, day__lte=end)
            .exclude(state=TicketState.TRANSFERRED)
            .values_list("day", "window__number", "category__name", "clerk__display_name",
                         "clerk__username", "queued_at", "called_at", "served_at",
                         "finished_at", "state", "appointment_id", "visit_rating__level"))
    return [TicketFact(day=day, window=window or "", category=category,
                       clerk=(name or username or ""), issued_at=queued, called_at=called,
                       started_at=started, finished_at=finished,
                       served=state == TicketState.DONE, no_show=state == TicketState.NO_SHOW,
                       appointment=appointment is not None, rating=level)
            for (day, window, category, name, username, queued, called, started, finished,
                 state, appointment, level) in rows.iterator()]


def report(hall_id: int, start: dt.date, end: dt.date) -> dict[Dimension, list[StatRow]]:
    """The four tables (per day, window, category and clerk) of the range."""
    facts = ticket_facts(hall_id, start, end)
    return {dimension: summarise(facts, dimension) for dimension in Dimension}


def dimension_labels() -> dict[Dimension, str]:
    return {Dimension.DAY: _("按日期"), Dimension.WINDOW: _("按窗口"),
            Dimension.CATEGORY: _("按类别"), Dimension.CLERK: _("按办理人")}


def columns() -> list[str]:
    return [_("取号数"), _("已办结"), _("过号"), _("预约"), _("等候时长中位数（分钟）"),
            _("等候时长P90（分钟）"), _("办理时长中位数（分钟）"), _("办理时长P90（分钟）"),
            _("评价数"), _("差评数"), _("满意率")]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def cells(row: StatRow) -> list[object]:
    """One table row's values in the order of `columns()`."""
    satisfaction = row.satisfaction
    return [row.tickets, row.served, row.no_shows, row.appointments,
            _minutes(row.wait_median), _minutes(row.wait_p90), _minutes(row.service_median),
            _minutes(row.service_p90), row.ratings, row.bad_ratings,
            None if satisfaction is None else round(satisfaction * 100, 1)]


def key_label(key: str) -> str:
    if key == "*":
        return _("合计")
    return key or _("（未分配）")


def workbook(tables: dict[Dimension, list[StatRow]], start: dt.date, end: dt.date) -> bytes:
    """The report as an .xlsx file: one sheet per table."""
    book = Workbook()
    book.remove(book.active)
    labels = dimension_labels()
    for dimension, rows in tables.items():
        sheet = book.create_sheet(title=str(labels[dimension])[:31])
        sheet.append([_("大厅统计"), f"{start.isoformat()} – {end.isoformat()}"])
        sheet.append([str(labels[dimension]), *columns()])
        for row in rows:
            sheet.append([key_label(row.key), *cells(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse_range(start: str | None, end: str | None, today: dt.date
                ) -> tuple[dt.date, dt.date] | None:
    """The report's range from the query (today by default); None when invalid: unparsable,
    start after end, or longer than `MAX_DAYS`."""
    try:
        first = dt.date.fromisoformat(start) if start else today
        last = dt.date.fromisoformat(end) if end else first
    except ValueError:
        return None
    if first > last or (last - first).days >= MAX_DAYS:
        return None
    return first, last


def rows_for_template(rows: Iterable[StatRow]) -> list[dict[str, object]]:
    return [{"key": key_label(r.key), "total": r.key == "*", "cells": cells(r)} for r in rows]
