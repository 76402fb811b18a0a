"""Archives benchmark (电子档案基准测试), on SQLite:

- packages built per second (the worker's `build_package`: collect, hash, write a BagIt bag,
  make it read-only, record it with its audit event) — for generated closed cases (no
  documents: the floor of the work) and, in the full run, for the demo's closed cases (signed
  PDFs, uploads) — against a plain copy of the same package folders;
- `oneseal backup` and `oneseal restore` (restore includes checking every checksum and then
  verifying the audit chain and every package) of a 100,000-case database (`--quick` /
  BENCH_QUICK=1: 10,000) and of the demo (full run), each against a plain copy of the same
  bytes (`shutil.copytree` of the backup folder there and back).

The generated cases come from `oneseal manage bench_cases_generate` (bulk rows, no audit
events). The machine is shared: every number is one run on a busy 2-core box.

Run alone: `.venv/bin/python bench/bench_archives.py [--quick]`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, probe, report, row, run_command

BIN = Path(sys.executable).parent
PROBE = Path(__file__).resolve().parent / "archives_probe.py"
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
CASES = 10_000 if QUICK else 100_000
BUILD = 200 if QUICK else 1_000


def _timed(env: dict[str, str], *args: str) -> float:
    t0 = time.perf_counter()
    run_command(env, str(BIN / "oneseal"), *args)
    return time.perf_counter() - t0


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _copy_both_ways(source: Path) -> tuple[float, float]:
    """The baseline: the backup folder's bytes copied to another folder, and back."""
    there = Path(tempfile.mkdtemp(prefix="oneseal-bench-plain-")) / "copy"
    t0 = time.perf_counter()
    shutil.copytree(source, there)
    out = time.perf_counter() - t0
    back = there.parent / "back"
    t0 = time.perf_counter()
    shutil.copytree(there, back)
    back_seconds = time.perf_counter() - t0
    shutil.rmtree(there.parent, ignore_errors=True)
    return out, back_seconds


def _backup_restore(label: str, env: dict[str, str], data_dir: Path) -> list[dict[str, Any]]:
    start = _timed(env, "manage", "check")  # the floor inside both: starting Django
    dest = data_dir.parent / f"{data_dir.name}-backups"
    backup_s = _timed(env, "backup", "--dest", str(dest))
    folder = sorted(dest.iterdir())[-1]
    size = _size(folder)
    fresh = data_dir.parent / f"{data_dir.name}-restored"
    restore_env = bench_env(fresh, "", 1)
    restore_s = _timed(restore_env, "restore", str(folder))
    copy_out, copy_back = _copy_both_ways(folder)
    shutil.rmtree(fresh, ignore_errors=True)
    note = (f"{size / 1e6:,.1f} MB in the backup; plain copy {copy_out:.2f} s / "
            f"{copy_back:.2f} s; starting the command alone (oneseal manage check) {start:.2f} s")
    return [
        row(f"{label}: oneseal backup", backup_s, "s", baseline=copy_out,
            higher_is_better=False, note=note),
        row(f"{label}: oneseal restore (+ verify chain and packages)", restore_s, "s",
            baseline=copy_back, higher_is_better=False, note=note),
    ]


def _build_rows(label: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    rate = result["count"] / result["seconds"] if result["seconds"] else 0.0
    copy_rate = result["count"] / result["copy_seconds"] if result["copy_seconds"] else 0.0
    return [row(f"{label}: packages built per second", rate, "pkg/s", baseline=copy_rate,
                note=f"{result['count']} packages, {result['bytes'] / 1e6:,.1f} MB in "
                     f"{result['seconds']:.2f} s; plain copy of the same folders "
                     f"{result['copy_seconds']:.2f} s")]


def run() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    base = Path(tempfile.mkdtemp(prefix="oneseal-bench-archives-"))
    try:
        data = base / "large"
        env = bench_env(data, "", 1)
        run_command(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
        probe(PROBE, env, "foundation")
        t0 = time.perf_counter()
        run_command(env, str(BIN / "oneseal"), "manage", "bench_cases_generate", "--count",
                    str(CASES))
        generated = time.perf_counter() - t0
        rows += _build_rows(f"{CASES:,} cases", probe(PROBE, env, "build", str(BUILD)))
        rows += _backup_restore(f"{CASES:,} cases", env, data)
        rows[-1]["note"] += f"; generating the cases took {generated:.0f} s"
        if not QUICK or os.environ.get("BENCH_ARCHIVES_DEMO") == "1":
            demo_dir = base / "demo"
            demo_env = bench_env(demo_dir, "", 1)
            run_command(demo_env, str(BIN / "oneseal"), "manage", "migrate", "--noinput",
                        "-v", "0")
            run_command(demo_env, str(BIN / "oneseal"), "load-demo")
            rows += _build_rows("demo", probe(PROBE, demo_env, "rebuild"))
            rows += _backup_restore("demo", demo_env, demo_dir)
    finally:
        for path in base.rglob("*"):
            if path.is_dir():
                path.chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)
    return rows


if __name__ == "__main__":
    report("bench_archives", run())
