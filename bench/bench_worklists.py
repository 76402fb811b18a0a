"""The workbench home's counts (我的待办: 待办 / 即将超期 / 已超期 per role, issue 14) and the
lists they link to (due filter, capped total, partial case-number search), at the selector
level, against the plain first page of the case list measured in the same run (the ratio
is baseline p95 / query p95: below 1 means slower than the baseline).

Data: the demo foundation plus `bench_cases_generate` cases (N = 200,000; BENCH_QUICK=1 or
--quick: 20,000), on SQLite, and on PostgreSQL when BENCH_WORKLISTS_PG (default
postgresql://postgres@127.0.0.1:5432/oneseal_bench_worklists) answers.

Run alone: `.venv/bin/python bench/bench_worklists.py [--quick]`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, probe, report, row, run_command

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
COUNT = 20_000 if QUICK else 200_000
RUNS = 10 if QUICK else 30
PG_URL = os.environ.get("BENCH_WORKLISTS_PG",
                        "postgresql://postgres@127.0.0.1:5432/oneseal_bench_worklists")
HERE = Path(__file__).resolve().parent
BASELINE = "baseline: case list, first page"


def _measure(env: dict[str, str], label: str) -> list[dict[str, Any]]:
    run_command(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
    probe(HERE / "worklists_probe.py", env, "setup")
    run_command(env, str(BIN / "oneseal"), "manage", "bench_cases_generate", "--count",
                str(COUNT))
    result = probe(HERE / "worklists_probe.py", env, str(RUNS))
    timings = result["timings"]
    base = timings[BASELINE]["p95"]
    rows = []
    for name, t in timings.items():
        rows.append(row(f"{label} {result['cases']:,} cases: {name} (p95)", t["p95"], "ms",
                        baseline=None if name == BASELINE else base,
                        higher_is_better=False,
                        note=f"rounds p95 {[round(x, 1) for x in t['rounds_p95']]}"))
    return rows


def run() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-worklists-") as tmp:
        rows += _measure(bench_env(Path(tmp) / "sqlite"), "SQLite")
    try:
        run_command({**os.environ}, sys.executable, str(ROOT / "scripts" /
                                                        "ensure_pg_database.py"), PG_URL)
    except RuntimeError as exc:
        rows.append(row("PostgreSQL", 0, "-", note=f"skipped: {str(exc)[:200]}"))
        return rows
    with tempfile.TemporaryDirectory(prefix="bench-worklists-pg-") as tmp:
        rows += _measure(bench_env(Path(tmp) / "pg", PG_URL), "PostgreSQL")
    return rows


if __name__ == "__main__":
    report("bench_worklists", run())
