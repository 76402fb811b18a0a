"""Keeping the statistics rollups current (`models_stats`): incrementally from the case
services' events, and from scratch (`rebuild`, the `rebuild_rollups` command).

Incrementally: the receiver of `cases.signals.case_event_recorded` (and of a new `Rating`)
runs inside the service's transaction and adds the event's counts (`domain.stats`) to the
row of its day and the row of its month with one upsert each (INSERT … ON CONFLICT DO
UPDATE SET n = n + excluded.n, on SQLite and PostgreSQL alike): the counts commit or roll
back with the change, and two services counting into the same row at once are serialised by
the row's lock, never lost.

From scratch: the same counts, from the case history (办件记录) grouped in SQL and the
ratings, written in bulk. `rebuild` and the receivers give the same rows (a test proves it
on a worked scenario); the rebuild repairs the rollups after a bulk import or a change of
the working calendar (which moves due dates, hence the on-time counts)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.signals import post_save

from oneseal.cases.models import Case, CaseEvent
from oneseal.cases.signals import case_event_recorded
from oneseal.core.workcalendar.domain import ClockError
from oneseal.core.workcalendar.selectors import get_work_calendar
from oneseal.org.models import Unit

from .domain.stats import (
    COUNTED_KINDS,
    COUNTER_NAMES,
    DECISION_KINDS,
    Counters,
    event_counts,
    month_start,
    rating_counts,
)
from .models import Rating
from .models_stats import CaseDayRollup, CaseMonthRollup

logger = logging.getLogger("oneseal.supervision")

Key = tuple[int, int, str, int]  # item, department, channel, street


def street_map() -> dict[int, int]:
    """Service point id -> the id of its street (a community counts for its street)."""
    out: dict[int, int] = {}
    for pk, kind, parent in Unit.objects.filter(kind__in=("street", "community")).values_list(
            "pk", "kind", "parent_id"):
        out[pk] = parent if kind == "community" and parent else pk
    return out


def _street(point_id: int | None) -> int:
    if not point_id:
        return 0
    found = Unit.objects.filter(pk=point_id, kind__in=("street", "community")).values_list(
        "kind", "parent_id").first()
    if found is None:
        return 0
    return found[1] if found[0] == "community" and found[1] else point_id


def _working_days_counter() -> Callable[[dt.date, dt.date], int]:
    """`count_working_days`, 0 when the calendar cannot count (a year not entered)."""
    try:
        calendar = get_work_calendar()
    except ClockError:
        return lambda first, last: 0

    @lru_cache(maxsize=4096)
    def count(first: dt.date, last: dt.date) -> int:
        try:
            return calendar.count_working_days(first, last)
        except ClockError:
            return 0

    return count


def _upsert(model: type[Any], period_field: str, period: dt.date, key: Key,
            counts: Mapping[str, int]) -> None:
    counts = {k: v for k, v in counts.items() if v and k in COUNTER_NAMES}  # known names only
    if not counts:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    keys = [period_field, "item_id", "department_id", "channel", "street_id"]
    cols = keys + list(counts)
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
    marks = ", ".join(["%s"] * len(cols))
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks}) "  # noqa: S608
           f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}")  # column names only
    with connection.cursor() as cursor:
        cursor.execute(sql, [period, *key, *counts.values()])


def add(day: dt.date, key: Key, counts: Mapping[str, int]) -> None:
    """Add `counts` to the day's and the month's rollup rows of `key`."""
    _upsert(CaseDayRollup, "day", day, key, counts)
    _upsert(CaseMonthRollup, "month", month_start(day), key, counts)


def _key(case: Case) -> Key:
    return (case.item_id, case.department_id, case.channel, _street(case.service_point_id))


def count_event(case: Case, event: CaseEvent) -> None:
    if event.kind not in COUNTED_KINDS:
        return
    working_days = (_working_days_counter() if event.kind in DECISION_KINDS
                    else (lambda first, last: 0))
    counts = event_counts(event.kind, channel=case.channel, outcome=case.outcome or "",
                          on=event.on, accepted_on=case.accepted_on,
                          promised_due=case.promised_due, statutory_due=case.statutory_due,
                          working_days=working_days)
    add(event.on, _key(case), counts)


def _on_event(sender: Any, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    count_event(case, event)


def _on_rating(sender: Any, instance: Rating, created: bool, raw: bool = False,
               **kwargs: Any) -> None:
    if not created or raw:
        return
    case = Case.objects.only("item_id", "department_id", "channel", "service_point_id").get(
        pk=instance.case_id)
    add(instance.rated_on, _key(case), rating_counts(instance.level))


def connect() -> None:
    case_event_recorded.connect(_on_event, sender=Case,
                                dispatch_uid="supervision.stats_rollup.event")
    post_save.connect(_on_rating, sender=Rating, dispatch_uid="supervision.stats_rollup.rating")


# ------------------------------------------------------------------ rebuild


def _grouped_events() -> Iterable[tuple[dt.date, Key, dict[str, int]]]:
    streets = street_map()
    working_days = _working_days_counter()
    plain = (CaseEvent.objects.filter(kind__in=COUNTED_KINDS - DECISION_KINDS)
             .values_list("on", "kind", "case__item_id", "case__department_id",
                          "case__channel", "case__service_point_id")
             .annotate(n=Count("id")).order_by())
    for on, kind, item, dept, channel, point, n in plain.iterator():
        counts = event_counts(kind, channel=channel, outcome="", on=on, accepted_on=None,
                              promised_due=None, statutory_due=None,
                              working_days=working_days)
        yield on, (item, dept, channel, streets.get(point or 0, 0)), \
            {k: v * n for k, v in counts.items()}
    decided = (CaseEvent.objects.filter(kind__in=DECISION_KINDS)
               .values_list("on", "kind", "case__item_id", "case__department_id",
                            "case__channel", "case__service_point_id", "case__outcome",
                            "case__accepted_on", "case__promised_due", "case__statutory_due")
               .annotate(n=Count("id")).order_by())
    for on, kind, item, dept, channel, point, outcome, accepted, promised, statutory, n \
            in decided.iterator():
        counts = event_counts(kind, channel=channel, outcome=outcome or "", on=on,
                              accepted_on=accepted, promised_due=promised,
                              statutory_due=statutory, working_days=working_days)
        yield on, (item, dept, channel, streets.get(point or 0, 0)), \
            {k: v * n for k, v in counts.items()}
    ratings = (Rating.objects.values_list("rated_on", "level", "case__item_id",
                                          "case__department_id", "case__channel",
                                          "case__service_point_id")
               .annotate(n=Count("id")).order_by())
    for on, level, item, dept, channel, point, n in ratings.iterator():
        yield on, (item, dept, channel, streets.get(point or 0, 0)), \
            {k: v * n for k, v in rating_counts(level).items()}


def _rows(model: type[Any], period_field: str,
          table: Mapping[tuple[dt.date, Key], Counters]) -> Iterable[Any]:
    for (period, (item, dept, channel, street)), counters in table.items():
        yield model(**{period_field: period}, item_id=item, department_id=dept,
                    channel=channel, street_id=street, **counters.as_dict())


def rebuild() -> dict[str, int]:
    """Recompute both rollups from the case history and the ratings (in one transaction:
    readers see the old rows or the new ones). The number of rows written."""
    days: dict[tuple[dt.date, Key], Counters] = defaultdict(Counters)
    for on, key, counts in _grouped_events():
        days[(on, key)].add(counts)
    months: dict[tuple[dt.date, Key], Counters] = defaultdict(Counters)
    for (on, key), counters in days.items():
        months[(month_start(on), key)].add(counters)
    with transaction.atomic():
        CaseDayRollup.objects.all().delete()
        CaseMonthRollup.objects.all().delete()
        CaseDayRollup.objects.bulk_create(_rows(CaseDayRollup, "day", days), batch_size=2000)
        CaseMonthRollup.objects.bulk_create(_rows(CaseMonthRollup, "month", months),
                                            batch_size=2000)
    logger.info("rollups rebuilt: %s day rows, %s month rows", len(days), len(months))
    return {"days": len(days), "months": len(months)}


def snapshot() -> dict[str, dict[tuple[Any, ...], dict[str, int]]]:
    """Both rollups as plain dicts (for the tests and the rebuild check), zero rows left
    out."""
    out: dict[str, dict[tuple[Any, ...], dict[str, int]]] = {}
    for name, model, field in (("days", CaseDayRollup, "day"),
                               ("months", CaseMonthRollup, "month")):
        table: dict[tuple[Any, ...], dict[str, int]] = {}
        for r in model.objects.values():
            counts = {c: r[c] for c in COUNTER_NAMES if r[c]}
            if counts:
                table[(r[field], r["item_id"], r["department_id"], r["channel"],
                       r["street_id"])] = counts
        out[name] = table
    return out
