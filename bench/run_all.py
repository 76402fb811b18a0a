"""`make bench`: run every bench/bench_*.py module's run(), print one table each and write
bench/results/<name>.json, then a summary of targets met and of what did not run.

    python bench/run_all.py [--quick] [NAME ...]

A benchmark that fails, or needs a program that is not installed (MissingTool), is listed
in the summary table as such, and the others still run; the exit status is then 1."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import MissingTool, report, row, table  # noqa: E402


def main() -> int:
    only = {a for a in sys.argv[1:] if not a.startswith("-")}
    if "--quick" in sys.argv:
        os.environ["BENCH_QUICK"] = "1"  # for the benchmarks' own subprocesses too
    everything = []
    not_run = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"\n>>> {name}", flush=True)
        try:
            rows = importlib.import_module(path.stem).run()
        except MissingTool as exc:
            print(exc, file=sys.stderr)
            not_run.append({**row(f"{name}: NOT RUN, {exc.tool} missing", 0.0, "-",
                                  note=exc.hint), "value": None})
            continue
        except (Exception, SystemExit) as exc:  # one broken benchmark must not hide the others
            traceback.print_exc()
            last = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
            not_run.append({**row(f"{name}: FAILED", 0.0, "-", note=last[:200]),
                            "value": None})
            continue
        report(name, rows)
        everything += [{**r, "benchmark": f"{name}: {r['benchmark']}"} for r in rows]
    targets = [r for r in everything if r.get("target") is not None]
    if targets:
        print("\n## targets\n")
        print(table(targets))
    if not_run:
        print("\n## not run\n")
        print(table(not_run))
        for r in not_run:
            print(f"- {r['benchmark']}: {r['note']}")
    return 1 if not_run else 0


if __name__ == "__main__":
    raise SystemExit(main())
