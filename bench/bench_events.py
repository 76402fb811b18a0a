"""Events benchmark (事件推送基准测试), issue 16: the webhook delivery of the event outbox
against a local receiver (http.server, a separate process on 127.0.0.1), on SQLite.

- baseline: the raw insert rate — events written to the outbox (`events.emit`, one
  transaction each, one subscription so one delivery row each), events/second;
- the time to drain a backlog of 100,000 events (`--quick`: 5,000) after an hour's outage
  (the receiver down, delivery rounds every simulated minute backing off), and its rate,
  counted from the worker's first try after the receiver's backoff (the backoff still to
  wait when it came back is reported on its own row);
- live delivery: events delivered per second once the receiver is up (the worker's
  `deliver_all` on freshly emitted events);
- checks: every event received once, in order per stream (must be 0 duplicates, 0 out of
  order).

Run alone: `.venv/bin/python bench/bench_events.py [--quick]`. The machine is shared.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, probe, report, row, run_command

BIN = Path(sys.executable).parent
PROBE = Path(__file__).resolve().parent / "events_probe.py"
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
EVENTS = 5_000 if QUICK else 100_000
STREAMS = 500 if QUICK else 5_000  # cases: 10 / 20 events each
LIVE = 1_000 if QUICK else 5_000


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="oneseal-bench-events-") as tmp:
        env = bench_env(Path(tmp))
        run_command(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
        r = probe(PROBE, env, str(EVENTS), str(STREAMS), str(LIVE))
    insert_rate = r["events"] / r["insert_seconds"]
    drain_rate = r["events"] / r["drain_seconds"]
    live_rate = r["live"] / r["live_seconds"]
    final = r["final"]
    machine = "shared 2-core machine, other jobs running"
    return [
        row("outbox insert (events.emit, 1 tx each)", insert_rate, "events/s",
            note=f"{r['events']} events in {r['insert_seconds']:.1f} s on {r['db']} "
                 f"({machine})"),
        row(f"backlog drain after 1 h outage ({r['events']:,} events)", r["drain_seconds"],
            "s", note=f"{r['streams']} streams; {r['failed_tries']} failed tries during "
                      f"the outage (backoff); drained at {drain_rate:.0f} events/s"),
        row("receiver backoff left when it came back", r["backoff_wait_seconds"], "s",
            target=1800.0, higher_is_better=False,
            note="the worker's next try is when the receiver's backoff ends (at most 30 "
                 "min after the last failed try); the drain below starts then"),
        row("backlog drain rate", drain_rate, "events/s", baseline=insert_rate,
            note="ratio = drain rate / raw insert rate (>1: delivery outruns production)"),
        row("live delivery to a local receiver", live_rate, "events/s", baseline=insert_rate,
            note=f"{r['live']} events emitted then delivered in {r['live_seconds']:.1f} s"),
        row("duplicates received", float(final["dupes"]), "events", target=0.0,
            higher_is_better=False),
        row("out of order per stream", float(final["disorder"]), "events", target=0.0,
            higher_is_better=False),
        row("events received", float(final["received"]), "events",
            target=float(r["events"] + r["live"])),
    ]


if __name__ == "__main__":
    report("events", run())
