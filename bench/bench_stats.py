"""Statistics benchmark (统计分析基准测试): the statistics dashboard over 1,000,000 cases
answers from the rollups in p95 ≤ 200 ms, on SQLite and on PostgreSQL, against the case list
query (the workbench's 办件查询, first page and by item) at the same size in the same run.

Per database: migrate, load the demo foundation (no demo cases, bench/stats_probe.py setup),
generate the cases with their events in bulk (`bench_cases_generate`: executemany on
SQLite, COPY on PostgreSQL), build the rollups — quick run: `rebuild_rollups` from the
history, timed; 1,000,000 run: INSERT … SELECT in the database (bench only, working days
estimated), as the rebuild would take most of the run on a shared machine — then time
in-process (bench/stats_probe.py):

- the dashboard of a month, of a quarter filtered by item, of a year (monthly rollup), of a
  custom 90-day range, all and online only (daily rollup): totals, the 12-month trend, the
  four tables by item, department, channel and street, and both SVG charts;
- the public monthly figures of the year;
- the baseline: the case list, first page and filtered by item (50 rows);
- for scale, the same year's totals counted from the case table (no rollups).

`BENCH_QUICK=1` (or `--quick`): 100,000 cases. PostgreSQL: BENCH_STATS_PG (default
postgresql://postgres@127.0.0.1:5432/oneseal_bench_stats), created and dropped here;
skipped with a note when the server does not answer. The SQLite database lives in a
temporary folder that is removed at the end.

Run alone: `.venv/bin/python bench/bench_stats.py [--quick]`. The machine is shared (2
cores, other work running): the numbers are an upper bound.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cases import _pg_admin, _pg_reset
from common import bench_env, probe, report, row, run_command, table

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
COUNT = 100_000 if QUICK else 1_000_000
# BENCH_STATS_SCALE=N: then copy the rollups N × (the rows of N × as many cases) and time
# the dashboards again; on a machine too busy to generate 1,000,000 cases in time.
SCALE = int(os.environ.get("BENCH_STATS_SCALE", "1"))
RUNS = 20 if QUICK else 40
ROUNDS = 2 if QUICK else 3
TARGET_MS = 200.0
PG_URL = os.environ.get("BENCH_STATS_PG",
                        "postgresql://postgres@127.0.0.1:5432/oneseal_bench_stats")


def _one(name: str, env: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    run_command(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
    probe(HERE / "stats_probe.py", env, "setup")
    started = time.perf_counter()
    out = run_command(env, str(BIN / "oneseal"), "manage", "bench_cases_generate",
                      "--count", str(COUNT))
    found = re.search(r"用时 ([\d.]+) 秒", out)
    generated = float(found[1]) if found else time.perf_counter() - started
    # rebuild_rollups is timed at 100,000 (quick); the 1,000,000 run builds the rows in SQL
    built = probe(HERE / "stats_probe.py", env, "rebuild" if QUICK else "bulk")
    measured = probe(HERE / "stats_probe.py", env, "measure", str(RUNS))
    timings = measured["timings"]
    baseline = timings["baseline: case list, first page"]["p95"]
    size = f"{measured['cases']:,} cases"
    rows: list[dict[str, Any]] = []
    detail: list[dict[str, Any]] = []
    for label, t in timings.items():
        dashboard = label.startswith(("dashboard", "public"))
        line = row(f"{name}: {label}, p95 ({size})", round(t["p95"], 2), "ms",
                   target=TARGET_MS if dashboard else None,
                   baseline=round(baseline, 2) if label != "baseline: case list, first page"
                   else None, higher_is_better=False,
                   note=f"p95 per round {[round(x, 1) for x in t['rounds_p95']]} ms, "
                        f"p50 {round(t['p50'], 2)} ms")
        detail.append(line)
        if dashboard or label.startswith(("baseline", "without")):
            rows.append(line)
    how = "rebuild_rollups" if QUICK else "rollups by INSERT … SELECT (bench only)"
    rows.append(row(f"{name}: {how} over {size}", round(built["seconds"], 1), "s",
                    higher_is_better=False,
                    note=f"{built['days']:,} day rows, {built['months']:,} month rows"))
    rows.append(row(f"{name}: bench_cases_generate {COUNT:,} cases", round(generated, 1), "s",
                    higher_is_better=False))
    if SCALE > 1:  # the rollups of SCALE × as many cases (more items): dashboards only
        scaled = probe(HERE / "stats_probe.py", env, "scale", str(SCALE))
        again = probe(HERE / "stats_probe.py", env, "measure", str(RUNS))["timings"]
        rows_note = f"{scaled['days']:,} day rows, {scaled['months']:,} month rows"
        for label, t in again.items():
            if not label.startswith(("dashboard", "public")):
                continue
            line = row(f"{name}: {label}, p95 (rollups ×{SCALE}: ~{SCALE * COUNT:,} cases)",
                       round(t["p95"], 2), "ms", target=TARGET_MS,
                       baseline=round(baseline, 2), higher_is_better=False,
                       note=f"{rows_note}; p95 per round "
                            f"{[round(x, 1) for x in t['rounds_p95']]} ms; baseline = the "
                            f"case list at {size}")
            rows.append(line)
            detail.append(line)
    return rows, detail


def run() -> list[dict[str, Any]]:
    """SQLite and PostgreSQL side by side (two processes get twice the share of a busy
    machine; the timings of one may overlap the other's generation: an upper bound)."""
    from concurrent.futures import ThreadPoolExecutor

    tmp = Path(tempfile.mkdtemp(prefix="oneseal-bench-stats-"))
    rows: list[dict[str, Any]] = []
    detail: list[dict[str, Any]] = []
    try:
        jobs = {"SQLite": bench_env(tmp / "sqlite", "", ROUNDS)}
        if _pg_reset(PG_URL):
            jobs["PostgreSQL"] = bench_env(tmp / "pg", PG_URL, ROUNDS)
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            futures = {name: pool.submit(_one, name, env) for name, env in jobs.items()}
            for name in jobs:
                r, more = futures[name].result()
                rows += r
                detail += more
        if "PostgreSQL" not in jobs:
            rows.append({**row("PostgreSQL: NOT RUN (server unavailable)", 0.0, "-"),
                         "value": None})
        print("\n### every timing (ratio = case list first page p95 / this p95)\n")
        print(table(detail))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        name = urlsplit(PG_URL).path.lstrip("/")
        try:
            _pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: S110 — nothing to drop without PostgreSQL
            pass
    return rows


if __name__ == "__main__":
    report("stats", run())
