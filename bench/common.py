"""Shared helpers for the benchmarks: a result row, a table printer, JSON output."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def row(
    benchmark: str,
    value: float,
    unit: str,
    *,
    target: float | None = None,
    baseline: float | None = None,
    higher_is_better: bool = True,
    note: str = "",
) -> dict[str, Any]:
    """One measured number, with its target and the baseline measured in the same run."""
    ratio = None
    if baseline:
        ratio = value / baseline if higher_is_better else baseline / value if value else None
    met = None
    if target is not None:
        met = value >= target if higher_is_better else value <= target
    return {
        "benchmark": benchmark, "value": value, "unit": unit, "target": target,
        "baseline": baseline, "ratio": ratio, "met": met, "note": note,
    }


class MissingTool(RuntimeError):
    """A program the benchmark needs is not installed: the benchmark is reported as not
    run (with the tool's name and how to get it), and the others still run."""

    def __init__(self, tool: str, hint: str) -> None:
        super().__init__(f"{tool} 未安装 / {tool} is missing: {hint}")
        self.tool = tool
        self.hint = hint


def require_tool(tool: str, hint: str) -> str:
    """The path of `tool`, or MissingTool."""
    import shutil

    path = shutil.which(tool)
    if path is None:
        raise MissingTool(tool, hint)
    return path


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:,.2f}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    cols = ["benchmark", "value", "unit", "target", "baseline", "ratio", "met"]
    cells = [[_fmt(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(x[i]) for x in cells)) if cells else len(c)
              for i, c in enumerate(cols)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)) + " |"
              for c in cells]
    return "\n".join(lines)


def write(name: str, rows: list[dict[str, Any]]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    doc = {
        "name": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "rows": rows,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def report(name: str, rows: list[dict[str, Any]]) -> None:
    """The table, then each row's note (every round of a timing, the counts behind a
    rate), then the JSON file."""
    print(f"\n## {name}\n")
    print(table(rows))
    notes = [f"- {r['benchmark']}: {r['note']}" for r in rows if r.get("note")]
    if notes:
        print("\n" + "\n".join(notes))
    print(f"\n→ {write(name, rows)}")


ROOT = Path(__file__).resolve().parent.parent


def bench_env(data_dir: Path, db_url: str = "", rounds: int = 3) -> dict[str, str]:
    """The environment of a benchmark's subprocesses: their own data directory and
    database, production-like settings (DEBUG off), quiet logs."""
    return {**os.environ, "ONESEAL_DATA_DIR": str(data_dir), "ONESEAL_DEV": "1", "DEBUG": "0",
            "DATABASE_URL": db_url, "LOG_LEVEL": "WARNING", "BENCH_ROUNDS": str(rounds)}


def run_command(env: dict[str, str], *args: str) -> str:
    """Run a command in the project folder; its output, or RuntimeError with its tail."""
    import subprocess

    out = subprocess.run(list(args), env=env, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"{' '.join(args[:4])} failed:\n{out.stdout[-2000:]}\n"
                           f"{out.stderr[-4000:]}")
    return out.stdout


def probe(script: Path, env: dict[str, str], *args: str) -> Any:
    """Run an in-Django probe script and return the JSON of its last `RESULT ` line."""
    import sys

    out = run_command(env, sys.executable, str(script), *args)
    line = [x for x in out.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_target() -> str | None:
    """The PostgreSQL server a benchmark's second round uses: `DATABASE_URL` when it names one,
    else `BENCH_PG_URL`, else the local default; None when no server answers (the round is
    then reported as skipped)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("BENCH_PG_URL", PG_DEFAULT)
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return url
    except Exception:  # no server
        return None
