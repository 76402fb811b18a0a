"""Alert sweep benchmark (电子监察): the hourly sweep over 100,000 open cases (each with its
open review step), on SQLite and PostgreSQL. Target: a sweep in at most 2 s.

The cases are generated with bulk_create (due dates spread from 20 days ago to 80 days on,
so about a fifth are overdue). Measured in the same run:
- baseline: a plain indexed count over the same table (open cases due by the yellow limit,
  index ``cases_case_due`` (state, promised_due));
- the first sweep, which raises every yellow and red at once (a one-off: the day the
  feature is switched on), with its alerts and deliveries;
- the hourly sweep (a later run of the same day, nothing crossed), median of 5;
- the daily full pass with nothing to raise (every clock due by the yellow limit looked at
  and found alerted), median of 3;
- the next day's sweep (a full pass with one day of crossings);
- how the rows are written: the benchmark's alerts are reset and the first sweep raised
  again three times — as the sweep does it (`bulk_create` of the alerts, one prepared
  INSERT run over all deliveries by `executemany`), with the deliveries through
  `AlertDelivery.objects.bulk_create` (model instances: the sweep before December 2026),
  and with every alert and delivery inserted on its own (a loop of single INSERTs) — the
  ratios in the same run.

One open case in 20 also has an unclaimed decision in its department's claim inbox
(coordination's 部门认领时限, a clock registered with the sweep), due from 5 days ago to 10
days on, so the sweep covers the registered clocks too.

Each database runs in a child process with its own settings (as bench_search.py): SQLite in
a temporary file; PostgreSQL in a scratch database beside DATABASE_URL or BENCH_PG_URL.
Run alone: `.venv/bin/python bench/bench_supervision_sweep.py`; BENCH_QUICK=1: 20,000 cases.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pg_target, report, row

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-SWEEP-RESULT "
QUICK = os.environ.get("BENCH_QUICK") == "1" or "--quick" in sys.argv
CASES = int(os.environ.get("BENCH_SWEEP_CASES", "20000" if QUICK else "100000"))
TARGET_S = 2.0


def _child(database_url: str, data_dir: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "ONESEAL_DATA_DIR": data_dir,
           "ONESEAL_DEV": "1", "DJANGO_SETTINGS_MODULE": "oneseal.config.settings"}
    env.pop("ONESEAL_TESTING", None)
    out = subprocess.run([sys.executable, __file__, "--child"], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    sys.stderr.write(out.stderr[-3000:])
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({out.returncode}): {out.stderr[-2000:]}")
    line = next(x for x in out.stdout.splitlines() if x.startswith(MARK))
    return dict(json.loads(line[len(MARK):]))


def _rows(label: str, m: dict[str, Any]) -> list[dict[str, Any]]:
    n = f"{m['cases']:,} open cases"
    note = (f"baseline: indexed count of the same window ({m['baseline_ms']:.1f} ms); "
            f"load average {m['load']:.1f} on a shared 2-core machine")
    return [
        row(f"hourly sweep (nothing crossed), {n}, {label}", m["steady_s"], "s",
            target=TARGET_S, baseline=m["baseline_ms"] / 1000, higher_is_better=False,
            note=note),
        row(f"full pass, nothing to raise, {n}, {label}", m["full_s"], "s",
            target=TARGET_S, baseline=m["baseline_ms"] / 1000, higher_is_better=False,
            note=note),
        row(f"next-day sweep ({m['next_raised']:,} alerts), {n}, {label}", m["next_s"], "s",
            target=TARGET_S, baseline=m["baseline_ms"] / 1000, higher_is_better=False,
            note=note),
        row(f"first sweep ({m['first_raised']:,} alerts, {m['deliveries']:,} deliveries), "
            f"{n}, {label}", m["first_s"], "s", baseline=m["baseline_ms"] / 1000,
            higher_is_better=False, note="one-off: every yellow and red raised at once"),
        row(f"first sweep again ({m['now_raised']:,} alerts), deliveries by executemany, "
            f"{n}, {label}", m["now_s"], "s", baseline=m["bulk_s"], higher_is_better=False,
            note=f"baseline: the same sweep with the deliveries through bulk_create of "
                 f"model instances ({m['bulk_s']:.2f} s, {m['bulk_s'] / m['now_s']:.1f}× "
                 f"slower)"),
        row(f"first sweep again ({m['now_raised']:,} alerts), every row inserted on its "
            f"own, {n}, {label}", m["single_s"], "s", baseline=m["now_s"],
            higher_is_better=False,
            note=f"{m['single_s'] / m['now_s']:.1f}× the sweep as written"),
    ]


def run() -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="oneseal-bench-sweep-") as tmp:
        results += _rows("SQLite", _child(f"sqlite:///{tmp}/bench.sqlite3", tmp))
        url = pg_target()
        if url is None:
            print("PostgreSQL 不可用，跳过 / no PostgreSQL server: round skipped",
                  file=sys.stderr)
            return results
        import psycopg

        parts = urlsplit(url)
        name = "oneseal_bench_sweep"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            results += _rows("PostgreSQL",
                             _child(urlunsplit(parts._replace(path=f"/{name}")), tmp))
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return results


# --- child ------------------------------------------------------------------------------

def _generate(n: int, today: dt.date) -> None:
    import random

    from django.db import transaction
    from django.utils import timezone
    from django.utils.module_loading import autodiscover_modules

    from oneseal.accounts.models import User
    from oneseal.applicants.models import Person
    from oneseal.cases.models import Case, CaseStep
    from oneseal.catalog.selectors import versions_in_force
    from oneseal.core import demo

    autodiscover_modules("demo")
    ctx = demo.DemoContext(write=lambda _m: None)
    for name, loader in demo.registered():
        if name in ("cases", "supervision"):
            continue
        with transaction.atomic():
            loader(ctx)
    versions = [v for v in versions_in_force().select_related("item")
                if v.variants.exists() and v.promised_limit_days][:20]
    person = Person.objects.get(user__username="applicant")
    reviewers = list(User.objects.filter(role_grants__role__in=["reviewer", "chief"]))
    rng = random.Random(14)
    now = timezone.now()
    batch: list[Case] = []
    for i in range(n):
        version = versions[i % len(versions)]
        due = today + dt.timedelta(days=rng.randint(-20, 80))
        batch.append(Case(
            number=f"BENCH{i:09d}", query_code="000000", item_id=version.item_id,
            version=version, variant=version.variants.first() if i < len(versions) else
            batch[i % len(versions)].variant, department_id=version.competent_department_id
            or version.implementing_unit_id, item_name=version.name[:200], variant_name="新办",
            applicant_kind="person", person=person, applicant_name=person.name,
            channel="online" if i % 2 else "window", state="reviewing", received_at=now,
            received_on=due - dt.timedelta(days=20), accepted_on=due - dt.timedelta(days=19),
            promised_due=due, statutory_due=due + dt.timedelta(days=10)))
    with transaction.atomic():
        cases = Case.objects.bulk_create(batch, batch_size=2000)
        if cases[0].pk is None:
            cases = list(Case.objects.filter(number__startswith="BENCH").order_by("pk"))
        CaseStep.objects.bulk_create([
            CaseStep(case=c, department_id=c.department_id, order=2, name="审查",
                     role="reviewer", limit_days=5, state="claimed", opened_on=c.accepted_on,
                     due_on=c.promised_due - dt.timedelta(days=3),
                     assignee=reviewers[k % len(reviewers)])
            for k, c in enumerate(cases)], batch_size=2000)
        _claims(cases[::20], today, rng)


def _claims(cases: list[Any], today: dt.date, rng: Any) -> None:
    """An unclaimed decision of every given case in its department's claim inbox."""
    from django.utils import timezone

    from oneseal.coordination.models import ClaimTicket

    now = timezone.now()
    ClaimTicket.objects.bulk_create([
        ClaimTicket(department_id=c.department_id, kind="decision", source=f"bench:{c.pk}",
                    case_id=c.pk, title=f"{c.item_name}：{c.applicant_name}",
                    received_on=today, received_at=now,
                    claim_due=today + dt.timedelta(days=rng.randint(-5, 10)))
        for c in cases if c.department_id], batch_size=2000)


def _writing(how: str) -> Any:
    """The sweep with its rows written another way: ``bulk_create`` (the deliveries as
    model instances through `bulk_create`) or ``single`` (every alert and delivery
    inserted on its own)."""
    from contextlib import contextmanager

    from django.db.models import QuerySet

    from oneseal.supervision import alerts
    from oneseal.supervision.models import AlertDelivery

    def instances(rows: list[Any], now: Any) -> list[Any]:
        return [AlertDelivery(alert_id=a, user_id=u, role=r, channel=c, address=ad,
                              state="sent" if c == "inbox" else "pending",
                              sent_at=now if c == "inbox" else None, next_attempt_at=now)
                for a, u, r, c, ad in rows]

    def via_bulk_create(rows: list[Any], now: Any, batch: int = 2000) -> None:
        AlertDelivery.objects.bulk_create(instances(rows, now), batch_size=batch)

    def one_by_one(self: Any, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        rows = list(objs)
        for obj in rows:
            obj.save(force_insert=True, using=self.db)
        return rows

    @contextmanager
    def patched() -> Any:
        saved = alerts._insert_deliveries, QuerySet.bulk_create
        alerts._insert_deliveries = via_bulk_create  # type: ignore[assignment]
        if how == "single":
            QuerySet.bulk_create = one_by_one  # type: ignore[method-assign]
        try:
            yield
        finally:
            alerts._insert_deliveries, QuerySet.bulk_create = saved  # type: ignore[method-assign]

    return patched()


def _timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def child() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from oneseal.cases.models import Case
    from oneseal.core.workcalendar.selectors import get_work_calendar
    from oneseal.supervision import alerts
    from oneseal.supervision.domain import alerts as rules
    from oneseal.supervision.models import Alert, AlertDelivery, SweepMark

    calendar = get_work_calendar()
    today = dt.date(2026, 9, 16)
    _generate(CASES, today)
    upper = rules.yellow_until(calendar, today, 1)

    def baseline() -> int:
        return Case.objects.filter(state="reviewing", promised_due__lte=upper).count()

    base = [(_timed(baseline)[0]) for _ in range(7)]
    first_s, first = _timed(lambda: alerts.sweep(today=today))
    steady = [(_timed(lambda: alerts.sweep(today=today))[0]) for _ in range(5)]
    full = [(_timed(lambda: alerts.sweep(today=today, full=True))[0]) for _ in range(3)]
    nxt = calendar.add_working_days(today, 1)
    next_s, next_result = _timed(lambda: alerts.sweep(today=nxt))
    deliveries = AlertDelivery.objects.count()

    def reset() -> None:  # the benchmark's own alerts (the demo's are kept: a log cites one)
        AlertDelivery.objects.filter(alert__case__number__startswith="BENCH").delete()
        Alert.objects.filter(case__number__startswith="BENCH").delete()
        SweepMark.objects.all().delete()

    reset()
    now_s, written = _timed(lambda: alerts.sweep(today=today))
    per_alert = AlertDelivery.objects.filter(alert__case__number__startswith="BENCH").count()
    reset()
    with _writing("bulk_create"):
        bulk_s, bulk = _timed(lambda: alerts.sweep(today=today))
    reset()
    with _writing("single"):
        single_s, single = _timed(lambda: alerts.sweep(today=today))
    assert single.raised == bulk.raised == written.raised, (single.raised, bulk.raised)
    assert AlertDelivery.objects.filter(
        alert__case__number__startswith="BENCH").count() == per_alert
    print(MARK + json.dumps({
        "cases": CASES, "baseline_ms": statistics.median(base) * 1000,
        "first_s": first_s, "first_raised": first.raised,
        "deliveries": deliveries, "steady_s": statistics.median(steady),
        "now_s": now_s, "now_raised": written.raised, "bulk_s": bulk_s, "single_s": single_s,
        "claim_alerts": Alert.objects.filter(clock="claim").count(),
        "full_s": statistics.median(full),
        "next_s": next_s, "next_raised": next_result.raised, "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        report("supervision_sweep", run())
