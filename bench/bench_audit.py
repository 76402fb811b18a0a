"""Audit chain benchmarks: append rate and verification speed.

SQLite, in a temporary database file: `append_event` events/s against an empty write
transaction (the database's own floor), then the chain is filled to 1,000,000 rows by a bulk
generator (rows chained in Python with the application's own `compute_hash`) and
`verify_chain()` is timed — as it runs by default (worker processes, one per CPU) and in one
process (jobs=1) — against a bare read of the same rows. When DATABASE_URL points to
PostgreSQL the same runs are made in a scratch database beside it (`<name>_bench_audit`,
dropped afterwards).

Run alone with `.venv/bin/python bench/bench_audit.py`; `make bench` calls run(). Each database
is measured in a child process, so that its settings are read before django.setup().
Sizes: BENCH_AUDIT_ROWS (default 1,000,000), BENCH_AUDIT_APPENDS (default 5,000),
BENCH_AUDIT_PG_ROWS (default: BENCH_AUDIT_ROWS).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report, row

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-AUDIT-RESULT "
ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "1000000"))
APPENDS = int(os.environ.get("BENCH_AUDIT_APPENDS", "5000"))
PG_ROWS = int(os.environ.get("BENCH_AUDIT_PG_ROWS", str(ROWS)))
APPEND_TARGET = 2_000.0
VERIFY_TARGET = 200_000.0


# --- parent: one child process per database ---------------------------------------------

def _child(database_url: str, data_dir: str, rows: int) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "ONESEAL_DATA_DIR": data_dir,
           "ONESEAL_DEV": "1", "DJANGO_SETTINGS_MODULE": "oneseal.config.settings",
           "BENCH_AUDIT_ROWS": str(rows)}
    env.pop("ONESEAL_TESTING", None)
    out = subprocess.run([sys.executable, __file__, "--child"], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({out.returncode}): {out.stderr[-2000:]}")
    line = next(x for x in out.stdout.splitlines() if x.startswith(MARK))
    return dict(json.loads(line[len(MARK):]))


def _rows(label: str, m: dict[str, Any], *, targets: bool) -> list[dict[str, Any]]:
    return [
        row(f"append_event, {label}", m["append_rate"], "events/s",
            target=APPEND_TARGET if targets else None, baseline=m["append_floor"],
            note="baseline: empty write transaction (BEGIN/UPDATE/COMMIT)"),
        row(f"verify_chain {m['rows']:,} rows, {label}", m["verify_rate"], "rows/s",
            target=VERIFY_TARGET if targets else None, baseline=m["read_floor"],
            note=f"best of 2, {min(m['cpus'], 4)} worker processes; baseline: bare read of "
                 f"the same rows in one process; {m['verify_seconds']:.2f} s"),
        row(f"verify_chain {m['rows']:,} rows, one process, {label}", m["verify_single_rate"],
            "rows/s", baseline=m["read_floor"],
            note=f"best of 2, jobs=1; {m['verify_single_seconds']:.2f} s"),
        row(f"bulk generation, {label}", m["generate_rate"], "rows/s",
            note="chained in Python with compute_hash, raw inserts"),
    ]


def _pg_scratch(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench_audit"
    return (urlunsplit(parts._replace(path=f"/{name}")),
            urlunsplit(parts._replace(path="/postgres")), name)


def run() -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="oneseal-bench-audit-") as tmp:
        sqlite = _child(f"sqlite:///{tmp}/bench.sqlite3", tmp, ROWS)
        results += _rows("SQLite", sqlite, targets=True)
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg

            scratch, admin, name = _pg_scratch(url)
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                pg = _child(scratch, tmp, PG_ROWS)
                results += _rows("PostgreSQL", pg, targets=False)
            finally:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return results


# --- child: measures one database ---------------------------------------------------------

def _append_floor(n: int) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    for _ in range(n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditchainhead SET seq = seq WHERE id = 1")
    return n / (time.perf_counter() - started)


def _append_rate(n: int) -> float:
    from oneseal.accounts.models import User
    from oneseal.core.audit import append_event

    clerk, _ = User.objects.get_or_create(username="bench-clerk",
                                          defaults={"display_name": "窗口人员甲"})
    started = time.perf_counter()
    for i in range(n):
        append_event(actor=clerk, kind="case.accept", subject=f"case:{i}",
                     payload={"from": "submitted", "to": "accepted", "window": i % 12,
                              "note": "材料齐全，予以受理"})
    return n / (time.perf_counter() - started)


def _generate(total: int) -> float:
    """Fill the chain up to `total` rows, chained with the application's hash function."""
    from django.db import connection, transaction
    from django.utils import timezone

    from oneseal.core.audit import canonical_json, compute_hash, format_time

    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM core_auditchainhead WHERE id = 1")
        seq, last = cursor.fetchone()
    todo = total - seq
    if todo <= 0:
        return 0.0
    adapt = connection.ops.adapt_datetimefield_value
    base = timezone.now()
    kinds = ["case.submit", "case.accept", "case.review", "case.decide", "seal.apply"]
    sql = ("INSERT INTO core_auditevent (seq, prev_hash, hash, at, actor_id, actor_name, kind, "
           "subject, payload) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)")
    started = time.perf_counter()
    batch: list[tuple[Any, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(todo):
            seq += 1
            at = base + timedelta(microseconds=i * 1_000)
            actor_id = 1 + i % 40
            name = f"工作人员{actor_id}"
            kind = kinds[i % 5]
            subject = f"case:{seq // 5}"
            payload = canonical_json({"step": i % 5, "note": "依法审查，材料齐全",
                                      "window": i % 12})
            own = compute_hash(seq, last, format_time(at), actor_id, name, kind, subject, payload)
            batch.append((seq, last, own, adapt(at), actor_id, name, kind, subject, payload))
            last = own
            if len(batch) == 20_000:
                _write(cursor, sql, batch)
                batch.clear()
        if batch:
            _write(cursor, sql, batch)
        cursor.execute("UPDATE core_auditchainhead SET seq = %s, hash = %s WHERE id = 1",
                       [seq, last])
    return todo / (time.perf_counter() - started)


def _write(cursor: Any, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """executemany on SQLite; COPY on PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        cursor.executemany(sql, rows)
        return
    columns = sql[sql.index("(") + 1:sql.index(")")]
    with cursor.cursor.copy(f"COPY core_auditevent ({columns}) FROM STDIN") as copy:
        for values in rows:
            copy.write_row(values)


def _read_floor() -> float:
    """The same reads as verification's fast pass, without hashing."""
    from oneseal.core.audit_verify import DEFAULT_BATCH, _Reader

    reader = _Reader("default")
    started = time.perf_counter()
    count, after = 0, -1
    with reader.bytes_mode():
        while rows := reader.by_id(after, DEFAULT_BATCH):
            count += len(rows)
            after = rows[-1][0]
    return count / (time.perf_counter() - started)


def child() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from oneseal.core.audit_verify import verify_chain

    rows = int(os.environ["BENCH_AUDIT_ROWS"])
    append_rate = _append_rate(APPENDS)
    append_floor = _append_floor(APPENDS)
    generate_rate = _generate(rows)
    read_floor = max(_read_floor() for _ in range(2))
    # Best of two each: the machine may be shared. The default splits the fast pass among
    # worker processes (one per CPU); jobs=1 is the same work in this process alone.
    runs = [verify_chain() for _ in range(2)]
    single_runs = [verify_chain(jobs=1) for _ in range(2)]
    if not all(r.ok and r.rows_checked == rows for r in runs + single_runs):
        raise SystemExit(f"generated chain does not verify: {runs + single_runs}")
    result = max(runs, key=lambda r: r.rows_per_second)
    single = max(single_runs, key=lambda r: r.rows_per_second)
    print(MARK + json.dumps({
        "append_rate": append_rate, "append_floor": append_floor,
        "generate_rate": generate_rate, "rows": result.rows_checked,
        "verify_rate": result.rows_per_second, "verify_seconds": result.seconds,
        "verify_single_rate": single.rows_per_second, "verify_single_seconds": single.seconds,
        "cpus": os.cpu_count(),
        "read_floor": read_floor,
    }), flush=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        report("audit", run())
