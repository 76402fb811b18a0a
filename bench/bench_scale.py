"""Province scale on PostgreSQL (issue 19): 10,000,000 cases against 1,000,000, in one run.

    python bench/bench_scale.py            1,000,000 and 10,000,000 cases (about an hour to
                                           generate the first time; the databases are kept)
    python bench/bench_scale.py --quick    20,000 and 200,000 cases (a few minutes)

Two PostgreSQL databases are kept between runs (`oneseal_scale_small` and
`oneseal_scale_large` on the server `bench/common.py pg_target()` names, with their data
directories under `var/bench-scale/`): each is migrated, given the demo foundation once
(calendar, organisation, staff, catalogue, seals — no demo cases) and filled by
`bench_cases_generate` up to its size; a later run only migrates and tops up, so the
measurement can be repeated on a new tree without an hour of generation. `--fresh` drops both.

Measured in the same run on both sizes (every round reported, none picked):

- the case lists and task lists at the selector level (`cases_probe.py lists`): p95 at the
  large size against the small one (the target: the ratio stays near 1, the lists are keyset
  paginated and indexed);
- the dashboards from the rollups (`stats_probe.py bulk` + `measure`): p95, and the time the
  rollups take to build from the cases by INSERT … SELECT;
- write throughput: whole lifecycles to the decision (submit → check → accept → two review
  steps → decide, 9 API requests through Django in-process, no HTTP) in 1, 2 and 4 app
  processes at once; cases/s summed over the processes and the mean ms of each operation.
  On this 2-core machine the point is that nothing gets worse with size or with processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, pg_target, probe, report, row, run_command

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CASES_PROBE = Path(__file__).resolve().parent / "cases_probe.py"
STATS_PROBE = Path(__file__).resolve().parent / "stats_probe.py"
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
FRESH = "--fresh" in sys.argv
SMALL, LARGE = (20_000, 200_000) if QUICK else (1_000_000, 10_000_000)
ROUNDS = 3
LIST_RUNS = 10 if QUICK else 30
STATS_RUNS = 10 if QUICK else 20
LIFECYCLES = 3 if QUICK else 8  # per process, after one warm-up
PROCESSES = (1, 2, 4)
STATE_DIR = ROOT / "var" / "bench-scale"


def _db_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_db_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _exists(server: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(_db_url(server, "postgres"), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [name]).fetchone() is not None


def _bench_cases(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT count(*) FROM cases_case WHERE number LIKE 'BENCH%%'"
                             ).fetchone()
        return int(found[0]) if found else 0


def _database(server: str, name: str, size: int) -> tuple[dict[str, str], dict[str, Any],
                                                             float]:
    """The kept database `name`, migrated, with its foundation, filled to `size` cases; its
    environment, the setup's answer, and the seconds spent generating in this run."""
    data_dir = STATE_DIR / name
    info_file = data_dir / "setup.json"
    if FRESH or not _exists(server, name):
        if _exists(server, name):
            _admin(server, f'DROP DATABASE "{name}" WITH (FORCE)')
        _admin(server, f'CREATE DATABASE "{name}"')
        info_file.unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    url = _db_url(server, name)
    env = bench_env(data_dir, url, ROUNDS)
    run_command(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
    if not info_file.exists():
        info = dict(probe(CASES_PROBE, env, "setup"))
        probe(CASES_PROBE, env, "seals", str(info["item_id"]))
        info_file.write_text(json.dumps(info))
    info = json.loads(info_file.read_text())
    seconds = 0.0
    have = _bench_cases(url)
    while have < size:
        add = size - have  # one call: the generator rebuilds the indexes once per call
        print(f"  {name}: {have:,} → {have + add:,} cases", file=sys.stderr, flush=True)
        started = time.perf_counter()
        out = run_command(env, str(BIN / "oneseal"), "manage", "bench_cases_generate",
                          "--count", str(add), "--yes-i-know")
        found = [line for line in out.splitlines() if "用时" in line]
        seconds += time.perf_counter() - started
        print("   ", found[-1] if found else out[-200:], file=sys.stderr, flush=True)
        have = _bench_cases(url)
    return env, info, seconds


def _lifecycles(env: dict[str, str], info: dict[str, Any], processes: int) -> dict[str, Any]:
    """`processes` app processes each running LIFECYCLES lifecycles at once."""
    procs = [subprocess.Popen(
        [sys.executable, str(CASES_PROBE), "inproc", str(LIFECYCLES), str(info["item_id"]),
         str(info["person_id"])], env=env, cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for _ in range(processes)]
    results = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode:
            raise RuntimeError(f"inproc failed:\n{out[-1500:]}\n{err[-3000:]}")
        line = [x for x in out.splitlines() if x.startswith("RESULT ")][-1]
        results.append(json.loads(line[len("RESULT "):]))
    ops: dict[str, list[float]] = {}
    for r in results:
        for op, ms in r["ms"].items():
            ops.setdefault(op, []).append(ms)
    return {"cases_per_s": sum(r["cases_per_s"] for r in results),
            "per_process": [round(r["cases_per_s"], 2) for r in results],
            "ms": {op: sum(v) / len(v) for op, v in ops.items()},
            "queries": results[0]["queries"]}


def _rounds(values: list[float]) -> str:
    return " / ".join(f"{v:.1f}" for v in values)


def run() -> list[dict[str, Any]]:
    server = pg_target()
    if server is None:
        print("PostgreSQL unavailable: bench_scale skipped", file=sys.stderr)
        return [row("bench_scale (PostgreSQL unavailable)", 0, "-", note="skipped")]
    suffix = "_quick" if QUICK else ""
    sizes = {"small": SMALL, "large": LARGE}
    envs, infos, gen = {}, {}, {}
    for key, size in sizes.items():
        envs[key], infos[key], gen[key] = _database(server, f"oneseal_scale_{key}{suffix}",
                                                    size)
    rows: list[dict[str, Any]] = []
    measured: dict[str, dict[str, Any]] = {}
    for key in sizes:
        lists = probe(CASES_PROBE, envs[key], "lists", str(LIST_RUNS))
        rollups = probe(STATS_PROBE, envs[key], "bulk")
        stats = probe(STATS_PROBE, envs[key], "measure", str(STATS_RUNS))
        measured[key] = {"lists": lists, "rollups": rollups, "stats": stats}
    small, large = measured["small"], measured["large"]
    n_small, n_large = small["lists"]["cases"], large["lists"]["cases"]
    for group in ("lists", "stats"):
        for label, a in small[group]["timings"].items():
            b = large[group]["timings"][label]
            rows.append(row(
                f"{label}: p95 at {n_large:,} cases", b["p95"], "ms",
                baseline=a["p95"], higher_is_better=False,
                note=f"p95 per round {_rounds(b['rounds_p95'])} ms at {n_large:,}; "
                     f"{_rounds(a['rounds_p95'])} ms at {n_small:,} (baseline); ratio = "
                     f"small / large, so below 1 means slower at the large size"))
    rows.append(row(f"rollups built by INSERT … SELECT at {n_large:,} cases",
                    large["rollups"]["seconds"], "s", baseline=small["rollups"]["seconds"],
                    higher_is_better=False,
                    note=f"{small['rollups']['seconds']:.1f} s at {n_small:,} cases; "
                         f"{large['rollups']['days']:,} day rows"))
    for key in sizes:
        base = None
        for n in PROCESSES:
            result = _lifecycles(envs[key], infos[key], n)
            base = base or result["cases_per_s"]
            ops = ", ".join(f"{op} {ms:.0f}" for op, ms in result["ms"].items())
            rows.append(row(
                f"lifecycles to the decision, {n} app process(es), "
                f"{measured[key]['lists']['cases']:,} cases", result["cases_per_s"],
                "cases/s", baseline=base,
                note=f"per process {result['per_process']} cases/s; mean ms per "
                     f"operation: {ops}; queries {sum(result['queries'].values())} per "
                     f"lifecycle (claims and steps counted once)"))
    for key in sizes:
        if gen[key]:
            rows.append(row(f"bench_cases_generate up to {sizes[key]:,} (this run)",
                            gen[key], "s", higher_is_better=False))
    return rows


if __name__ == "__main__":
    report("bench_scale" + ("_quick" if QUICK else ""), run())
