"""Seal benchmarks (电子印章基准测试), on SQLite in a fresh data directory.

a. Render and sign one licence (template, QR code, embedded CJK font; PAdES with the
   visible seal): p50, target ≤ 60 ms; baseline in the same run: rendering alone. And one
   case document (the 准予行政许可决定书): p50, target ≤ 50 ms (a unit test used to time it).
   Each timing runs ROUNDS rounds; the table shows the median round and every round.
b. Verify one signed licence as /verify does (signature, our seal, changes after signing,
   the seal ledger, the licence's state): p50, target ≤ 25 ms; baseline: parsing the file
   and finding its signature without cryptography.
c. The signing worker's throughput: cases granted by the head queue their signing jobs
   (decision + licence) after commit; `oneseal worker --batch` drains the queue. Licences
   (and all documents) signed per second with 1 and with 2 worker processes; baseline:
   the same signing in one process without the queue.

Run alone: `.venv/bin/python bench/bench_seal.py [--quick]`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, probe, report, row, run_command, write

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROBE = Path(__file__).resolve().parent / "seal_probe.py"
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
RUNS = 30 if QUICK else 100
BATCH = 10 if QUICK else 40  # cases per throughput round
ROUNDS = 2 if QUICK else 3


def _env(data_dir: Path, db_url: str = "") -> dict[str, str]:
    return bench_env(data_dir, db_url, ROUNDS)


def _run(env: dict[str, str], *args: str) -> str:
    return run_command(env, *args)


def _probe(env: dict[str, str], *args: str) -> Any:
    return probe(PROBE, env, *args)


def _workers(env: dict[str, str], processes: int) -> float:
    """Start `processes` workers that exit when the queue is empty; seconds until all did."""
    cmd = [str(BIN / "oneseal"), "worker", "--batch", "--no-startup-delay",
           "--interval", "0.05"]
    started = time.perf_counter()
    procs = [subprocess.Popen([*cmd, "--worker-id", f"bench-{i}"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for i in range(processes)]
    for proc in procs:
        _out, err = proc.communicate(timeout=900)
        if proc.returncode:
            raise RuntimeError(f"worker failed:\n{err[-3000:]}")
    return time.perf_counter() - started


def _signed(counts: dict[str, Any], key: str = "uses") -> int:
    return int(counts[key].get("signed", 0))


def throughput(env: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    # baseline: one process signs what BATCH grants queued, without the queue
    _probe(env, "make", str(BATCH))
    base = _probe(env, "inproc")
    base_rate = base["licences"] / base["seconds"]
    base_docs = base["signed"] / base["seconds"]
    _workers(env, 1)  # drain the now no-op jobs of the baseline's uses (untimed)
    for processes in (1, 2):
        before = _probe(env, "make", str(BATCH))
        seconds = _workers(env, processes)
        after = _probe(env, "count")
        licences = _signed(after, "licence_uses") - _signed(before, "licence_uses")
        documents = _signed(after) - _signed(before)
        if after["uses"].get("authorised") or after["queued"]:
            raise RuntimeError(f"the workers left work behind: {after}")
        rows.append(row(f"signing worker × {processes}: licences/s", licences / seconds,
                        "licences/s", baseline=base_rate,
                        note=f"{licences} licences, {documents} documents in {seconds:.1f} s "
                             f"(process start included); ready cases: {after['ready_cases']}"))
        rows.append(row(f"signing worker × {processes}: documents/s", documents / seconds,
                        "docs/s", baseline=base_docs))
    rows.insert(0, row("in-process signing, no queue (baseline)", base_rate, "licences/s",
                       note=f"{base['signed']} documents ({base['licences']} licences) in "
                            f"{base['seconds']:.2f} s"))
    return rows


def _timing_row(label: str, timing: dict[str, Any], *, target: float | None = None,
                baseline: float | None = None, note: str = "") -> dict[str, Any]:
    """The median round's p50, with every round's p50 and p95 in the note and the JSON."""
    rounds = ", ".join(f"{a:.1f}/{b:.1f}" for a, b in zip(timing["rounds_p50"],
                                                          timing["rounds_p95"], strict=True))
    line = row(label, timing["p50"], "ms p50", target=target, baseline=baseline,
               higher_is_better=False,
               note=f"rounds p50/p95 ms: {rounds}" + (f"; {note}" if note else ""))
    line["rounds"] = {"p50": timing["rounds_p50"], "p95": timing["rounds_p95"]}
    return line


def run() -> list[dict[str, Any]]:
    tmp = Path(tempfile.mkdtemp(prefix="oneseal-bench-seal-"))
    try:
        env = _env(tmp)
        _run(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
        _probe(env, "setup")
        _probe(env, "make", "3")
        _probe(env, "inproc")
        signing = _probe(env, "sign", str(RUNS))
        checking = _probe(env, "verify", str(RUNS))
        rows = [
            _timing_row("render one licence (baseline)", signing["render"]),
            _timing_row("render + sign one licence", signing["render_sign"], target=60,
                        baseline=signing["render"]["p50"], note="ratio = render / total"),
            _timing_row("render one case document (决定书)", signing["render_document"],
                        target=50),
            _timing_row("parse + find the signature (baseline)", checking["parse"]),
            _timing_row("verify one licence (/verify)", checking["verify"], target=25,
                        baseline=checking["parse"]["p50"], note="ratio = parse / total"),
        ]
        rows += throughput(env)
        chain = _probe(env, "chain")
        rows.append(row("audit chain verifies after the run", float(chain["ok"]), "ok",
                        note=f"{chain['rows']} events"))
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    result = run()
    report("seal", result)
    print(f"\nJSON: {write('seal', result)}")
