"""The in-Django half of bench/bench_stats.py, run as a subprocess against one database
(ONESEAL_DATA_DIR / DATABASE_URL from the environment). Prints one line `RESULT <json>`.

    python bench/stats_probe.py setup          the demo foundation, no demo cases
    python bench/stats_probe.py scale N        bench only: the rollups × N (more items)
    python bench/stats_probe.py bulk           bench only: the rollups by INSERT … SELECT
    python bench/stats_probe.py rebuild        rebuild_rollups, timed; rows and cases
    python bench/stats_probe.py measure RUNS   p95 of the dashboards and the list baseline
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import autodiscover_modules  # noqa: E402

from oneseal.accounts.models import User  # noqa: E402
from oneseal.cases import selectors  # noqa: E402
from oneseal.cases.models import Case  # noqa: E402
from oneseal.core import demo  # noqa: E402
from oneseal.supervision import stats, stats_rollup  # noqa: E402
from oneseal.supervision.domain.stats import COUNTER_NAMES, parse_period  # noqa: E402
from oneseal.supervision.models import CaseDayRollup, CaseMonthRollup  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases_probe import _timed  # noqa: E402

FOUNDATION = ("workcalendar", "org", "applicants", "catalog", "catalog-forms")


def setup() -> dict[str, Any]:
    """The demo foundation only (calendar, organisation and staff, applicants, catalogue):
    the loaders that make cases are left out, so the generator accepts the database."""
    autodiscover_modules("demo")
    ctx = demo.DemoContext(write=lambda _m: None)
    ran = []
    for name, loader in demo.registered():
        if name in FOUNDATION:
            with transaction.atomic():
                loader(ctx)
            ran.append(name)
    return {"loaders": ran}


def rebuild() -> dict[str, Any]:
    started = time.perf_counter()
    written = stats_rollup.rebuild()
    return {"seconds": time.perf_counter() - started, **written,
            "cases": Case.objects.count(), "vendor": connection.vendor}


def bulk() -> dict[str, Any]:
    """Bench data only: the rollups of the generated cases written by two INSERT … SELECT in
    the database (no Python per case), for the 1,000,000-case run where `rebuild_rollups`
    (timed at 100,000 in the quick run) would take most of the benchmark's time on a
    shared machine. Same rows and keys as the rebuild: received on the day of receipt,
    accepted on acceptance, 不予受理 on closing, decisions with their on-time counts on the
    day of the decision; the working days used are estimated as 5/7 of the calendar days
    (the rebuild counts them on the working calendar); the bench data has no ratings."""
    started = time.perf_counter()
    pg = connection.vendor == "postgresql"
    days = "(decided_on - accepted_on)" if pg else \
        "CAST(julianday(decided_on) - julianday(accepted_on) AS INTEGER)"
    month = "CAST(date_trunc('month', day) AS date)" if pg else "date(day, 'start of month')"
    zeros = "0, 0, 0, 0, 0, 0, 0, 0"
    counters = ", ".join(COUNTER_NAMES)
    sums = ", ".join(f"SUM({c})" for c in COUNTER_NAMES)
    keys = "item_id, department_id, channel"
    select = f"""
        SELECT received_on AS day, {keys}, 1 AS received,
               CASE WHEN channel IN ('online', 'api') THEN 1 ELSE 0 END AS online,
               0 AS accepted, 0 AS not_accepted, 0 AS decided, 0 AS refused,
               0 AS on_time_promise, 0 AS on_time_statute, 0 AS days_used, 0 AS ratings,
               0 AS satisfied
          FROM cases_case
        UNION ALL
        SELECT accepted_on, {keys}, 0, 0, 1, {zeros} FROM cases_case
         WHERE accepted_on IS NOT NULL
        UNION ALL
        SELECT closed_on, {keys}, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 FROM cases_case
         WHERE state = 'not_accepted' AND closed_on IS NOT NULL
        UNION ALL
        SELECT decided_on, {keys}, 0, 0, 0, 0, 1,
               CASE WHEN outcome = 'refused' THEN 1 ELSE 0 END,
               CASE WHEN decided_on <= COALESCE(promised_due, statutory_due) THEN 1 ELSE 0 END,
               CASE WHEN decided_on <= statutory_due THEN 1 ELSE 0 END,
               CASE WHEN accepted_on IS NULL THEN 0 ELSE ({days}) * 5 / 7 END, 0, 0
          FROM cases_case WHERE decided_on IS NOT NULL"""  # noqa: S608 (fixed names)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM supervision_casedayrollup")
        cursor.execute("DELETE FROM supervision_casemonthrollup")
        cursor.execute(
            f"INSERT INTO supervision_casedayrollup (day, {keys}, street_id, {counters}) "  # noqa: S608
            f"SELECT day, {keys}, 0, {sums} FROM ({select}) AS events "
            f"GROUP BY day, {keys}")
        cursor.execute(
            f"INSERT INTO supervision_casemonthrollup (month, {keys}, street_id, {counters}) "  # noqa: S608
            f"SELECT {month}, {keys}, 0, {sums} FROM supervision_casedayrollup "
            f"GROUP BY {month}, {keys}")
    return {"seconds": time.perf_counter() - started, "days": CaseDayRollup.objects.count(),
            "months": CaseMonthRollup.objects.count(), "cases": Case.objects.count(),
            "vendor": connection.vendor}


def scale(times: int) -> dict[str, Any]:
    """Bench only: copy every rollup row `times` - 1 times under other item ids, so the
    rollups hold the rows of `times` × as many cases (more items, the same days): the
    dashboards' cost depends on the rollup rows alone."""
    keys = "item_id, department_id, channel, street_id"
    counters = ", ".join(COUNTER_NAMES)
    with transaction.atomic(), connection.cursor() as cursor:
        for table, period in (("supervision_casedayrollup", "day"),
                              ("supervision_casemonthrollup", "month")):
            for copy in range(1, times):
                cursor.execute(
                    f"INSERT INTO {table} ({period}, {keys}, {counters}) "  # noqa: S608
                    f"SELECT {period}, item_id + %s, department_id, channel, street_id, "
                    f"{counters} FROM {table} WHERE item_id < %s",
                    [copy * 1_000_000_000, 1_000_000_000])
    return {"days": CaseDayRollup.objects.count(), "months": CaseMonthRollup.objects.count()}


def _dashboard(kind: str, value: str = "", start: str = "", end: str = "",
               **filters: Any) -> Callable[[], Any]:
    """One statistics page's worth of queries (totals, the 12-month trend, the four tables)
    and its charts, as the view computes them."""
    today = timezone.localdate()

    def run() -> Any:
        period = parse_period(kind, value, start, end, today)
        result = stats.report(period, stats.StatFilters(**filters))
        stats.trend_chart(result)
        stats.share_chart(result.totals)
        return result

    return run


def _scan(start: dt.date, end: dt.date) -> Callable[[], Any]:
    """What the totals would cost without rollups: counting the cases themselves."""
    def run() -> Any:
        return Case.objects.aggregate(
            received=Count("id", filter=Q(received_on__gte=start, received_on__lte=end)),
            decided=Count("id", filter=Q(decided_on__gte=start, decided_on__lte=end)),
            on_time=Count("id", filter=Q(decided_on__gte=start, decided_on__lte=end)
                          & Q(decided_on__lte=F("promised_due"))))
    return run


def measure(runs: int) -> dict[str, Any]:
    today = timezone.localdate()
    clerk = User.objects.get(username="clerk")
    item = (CaseMonthRollup.objects.values("item_id").annotate(n=Count("id"))
            .order_by("-n").values_list("item_id", flat=True).first())
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    queries: dict[str, Callable[[], Any]] = {
        "dashboard, month (all)": _dashboard("month", last_month),
        "dashboard, quarter, one item": _dashboard("quarter", "", item_id=item),
        "dashboard, year (all)": _dashboard("year", str(today.year)),
        "dashboard, custom 90 days (daily rollup)": _dashboard(
            "custom", "", (today - dt.timedelta(days=90)).isoformat(), today.isoformat()),
        "dashboard, custom 90 days, online channel": _dashboard(
            "custom", "", (today - dt.timedelta(days=90)).isoformat(), today.isoformat(),
            channel="online"),
        "public figures, year": lambda: stats.public_months(today.year),
        "baseline: case list, first page": lambda: selectors.case_list(clerk, None,
                                                                       limit=50).items,
        "baseline: case list, item": lambda: selectors.case_list(
            clerk, selectors.CaseFilters(item_id=item), limit=50).items,
    }
    out: dict[str, Any] = {"cases": Case.objects.count(), "vendor": connection.vendor,
                           "day_rows": CaseDayRollup.objects.count(),
                           "month_rows": CaseMonthRollup.objects.count(), "timings": {}}
    for label, fn in queries.items():
        out["timings"][label] = _timed(fn, runs)
    year_start = dt.date(today.year, 1, 1)
    out["timings"]["without rollups: count a year from the cases"] = _timed(
        _scan(year_start, today), max(3, runs // 10), rounds=1)
    return out


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        result = setup()
    elif command == "scale":
        result = scale(int(sys.argv[2]))
    elif command == "bulk":
        result = bulk()
    elif command == "rebuild":
        result = rebuild()
    elif command == "measure":
        result = measure(int(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
    print("RESULT " + json.dumps(result, default=str))
