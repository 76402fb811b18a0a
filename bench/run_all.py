"""`make bench`: run every bench/bench_*.py module's run(), print one table each and write
bench/results/<name>.json, then a summary of targets met."""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import report, table  # noqa: E402


def main() -> int:
    only = set(sys.argv[1:])
    everything = []
    failed = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"\n>>> {name}", flush=True)
        try:
            rows = importlib.import_module(path.stem).run()
        except Exception:  # one broken benchmark must not hide the others
            traceback.print_exc()
            failed.append(name)
            continue
        report(name, rows)
        everything += [{**r, "benchmark": f"{name}: {r['benchmark']}"} for r in rows]
    targets = [r for r in everything if r.get("target") is not None]
    if targets:
        print("\n## targets\n")
        print(table(targets))
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
