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
- the next day's sweep (a full pass with one day of crossings).

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
    from oneseal.supervision.models import AlertDelivery

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
    print(MARK + json.dumps({
        "cases": CASES, "baseline_ms": statistics.median(base) * 1000,
        "first_s": first_s, "first_raised": first.raised,
        "deliveries": AlertDelivery.objects.count(), "steady_s": statistics.median(steady),
        "full_s": statistics.median(full),
        "next_s": next_s, "next_raised": next_result.raised, "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        report("supervision_sweep", run())
