"""HTTP benchmarks: the framework floor, the login page and an authenticated API call,
served by `oneseal serve` (granian, WSGI, 2 workers) on loopback, loaded by wrk.

Run alone with `.venv/bin/python bench/bench_http.py`; `make bench` runs it with the rest.
Targets come from the issue: these three rows are reported against the floor (the minimal
view) measured in the same run, so ratios are independent of the machine's speed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report, require_tool, row

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_HTTP_SECONDS", "8")
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.2f p50=%.3f p95=%.3f errors=%d non2xx=%d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oneseal(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([str(BIN / "oneseal"), *args], env=env, check=True,
                         capture_output=True, text=True)
    return out.stdout


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


def _wrk(url: str, connections: int, headers: dict[str, str], lua: Path) -> dict[str, float]:
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{DURATION}s",
           "-s", str(lua)]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) errors=(\d+) non2xx=(\d+)", out)
    if not m:
        raise RuntimeError(out)
    return {"rps": float(m[1]), "p50": float(m[2]), "p95": float(m[3]),
            "errors": int(m[4]), "non2xx": int(m[5])}


def run() -> list[dict[str, Any]]:
    require_tool("wrk", "scripts/ensure-bench-deps (as root) or apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="oneseal-bench-http-"))
    env = {**os.environ, "ONESEAL_DATA_DIR": str(tmp), "ONESEAL_DEV": "1", "DEBUG": "0",
           "DATABASE_URL": "", "LOG_LEVEL": "WARNING"}
    _oneseal(env, "manage", "migrate", "--noinput", "-v", "0")
    _oneseal(env, "load-demo")
    out = _oneseal(env, "token", "create", "--user", "clerk", "--name", "bench")
    token = re.findall(r"\b[A-Za-z0-9_\-]{32,}\b", out)[-1]
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "oneseal"), "serve", "--workers", "2", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    rows: list[dict[str, Any]] = []
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/healthz")
        lua = tmp / "report.lua"
        lua.write_text(LUA)
        cases = [
            ("minimal view (floor)", "/healthz", {}),
            ("login page", "/accounts/login/", {}),
            ("API GET /api/v1/me (bearer)", "/api/v1/me", {"Authorization": f"Bearer {token}"}),
        ]
        floor: dict[int, float] = {}
        for label, path, headers in cases:
            for conns in (1, 8):
                _wrk(base + path, conns, headers, lua)  # warm-up, discarded
                r = _wrk(base + path, conns, headers, lua)
                if r["errors"] or r["non2xx"]:
                    raise RuntimeError(f"{label}: {r}")
                if path == "/healthz":
                    floor[conns] = r["rps"]
                rows.append(row(f"{label}, {conns} conn: requests/s", r["rps"], "req/s",
                                baseline=floor[conns]))
                rows.append(row(f"{label}, {conns} conn: p50", r["p50"], "ms",
                                higher_is_better=False))
                rows.append(row(f"{label}, {conns} conn: p95", r["p95"], "ms",
                                higher_is_better=False))
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":
    report("http", run())
