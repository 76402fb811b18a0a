"""Hall benchmark (大厅叫号基准测试): 50 windows calling at once plus 100 screens refreshing,
against `oneseal serve` (granian, 2 workers) on SQLite on 127.0.0.1.

- 50 clerks, each signed in to a window (sessions made by bench/hall_probe.py), loop: 下一位
  (POST …/calling/next/, timed: the call latency), read the called ticket from the calling
  page, 过号 (skip) it — for a minute (`--quick`: 10 s).
- 100 screens (50 hall screens, 50 window screens) poll their state JSON once a second
  with If-None-Match, as screen.js does: the refresh latency and the share of 304s.
- Duplicate tickets: a ticket handed to two windows (seen by two clerks, or called twice in
  the database) — must be 0.
- The framework floor: `/healthz` (no database, no session) by 50 clients in the same run.

Run alone: `.venv/bin/python bench/bench_hall.py [--quick]`.
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cases import Server
from common import bench_env, probe, report, row, run_command

BIN = Path(sys.executable).parent
PROBE = Path(__file__).resolve().parent / "hall_probe.py"
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
WINDOWS = 50
SCREENS = 100
SECONDS = 10.0 if QUICK else 60.0
FLOOR_SECONDS = 3.0 if QUICK else 10.0
TICKETS = 3_000 if QUICK else 20_000
POLL = 1.0  # seconds between two polls of one screen (screen.js)
TICKET_ID = re.compile(r'name="ticket" value="(\d+)"')


class Conn:
    """One keep-alive connection with its cookies."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
        head = dict(headers or {})
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            head["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=head)
        resp = self.conn.getresponse()
        raw = resp.read()
        for value in resp.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return resp.status, raw.decode("utf-8", "replace"), resp.headers


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[18]


def _floor(port: int) -> tuple[float, float]:
    """/healthz by WINDOWS clients for FLOOR_SECONDS: (p95 ms, requests per second)."""
    stop = threading.Event()
    times: list[float] = []
    lock = threading.Lock()

    def loop() -> None:
        conn = Conn(port)
        mine = []
        while not stop.is_set():
            t0 = time.perf_counter()
            conn.request("GET", "/healthz")
            mine.append(time.perf_counter() - t0)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=loop) for _ in range(WINDOWS)]
    for t in threads:
        t.start()
    time.sleep(FLOOR_SECONDS)
    stop.set()
    for t in threads:
        t.join()
    return p95(times) * 1000, len(times) / FLOOR_SECONDS


def _window(port: int, setup: dict[str, Any], session: str, stop: threading.Event,
            out: dict[str, Any]) -> None:
    conn = Conn(port, {setup["cookie"]: session})
    status, _body, _ = conn.request("GET", "/workbench/hall/calling/")
    if status != 200:
        out["errors"].append(f"calling page {status}")
        return
    csrf = conn.cookies[setup["csrf_cookie"]]
    headers = {"X-CSRFToken": csrf}
    latencies, tickets = [], []
    while not stop.is_set():
        t0 = time.perf_counter()
        status, _body, _ = conn.request("POST", "/workbench/hall/calling/next/",
                                        {"csrfmiddlewaretoken": csrf}, headers)
        elapsed = time.perf_counter() - t0
        if status != 302:
            out["errors"].append(f"next {status}")
            break
        status, body, _ = conn.request("GET", "/workbench/hall/calling/")
        found = TICKET_ID.search(body)
        if not found:
            break  # nobody waits any more
        latencies.append(elapsed)
        tickets.append(found[1])
        status, _body, _ = conn.request("POST", "/workbench/hall/calling/skip/",
                                        {"csrfmiddlewaretoken": csrf, "ticket": found[1]},
                                        headers)
        if status != 302:
            out["errors"].append(f"skip {status}")
            break
    with out["lock"]:
        out["latencies"].extend(latencies)
        out["tickets"].append(tickets)


def _screen(port: int, url: str, stop: threading.Event, out: dict[str, Any]) -> None:
    conn = Conn(port)
    etag = ""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    due = time.perf_counter()
    while not stop.is_set():
        t0 = time.perf_counter()
        status, _body, headers = conn.request(
            "GET", url, headers={"If-None-Match": etag} if etag else None)
        latencies.append(time.perf_counter() - t0)
        statuses[status] += 1
        if status == 200:
            etag = headers.get("ETag", "")
        due += POLL
        stop.wait(max(0.0, due - time.perf_counter()))
    with out["lock"]:
        out["screen_latencies"].extend(latencies)
        out["statuses"].update(statuses)


def _load(port: int, setup: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"lock": threading.Lock(), "latencies": [], "tickets": [],
                           "errors": [], "screen_latencies": [], "statuses": Counter()}
    stop = threading.Event()
    hall = setup["hall"]
    urls = [f"/hall/screen/{hall}/state.json" if n % 2 else
            f"/hall/screen/{hall}/state.json?window={n // 2 % WINDOWS + 1}"
            for n in range(SCREENS)]
    threads = [threading.Thread(target=_screen, args=(port, u, stop, out)) for u in urls]
    threads += [threading.Thread(target=_window, args=(port, setup, s, stop, out))
                for s in setup["sessions"]]
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(SECONDS)
    stop.set()
    for t in threads:
        t.join()
    out["seconds"] = time.perf_counter() - started
    return out


def run() -> list[dict[str, Any]]:
    data_dir = Path(tempfile.mkdtemp(prefix="oneseal-bench-hall-"))
    env = bench_env(data_dir, "", 1)
    run_command(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
    setup = probe(PROBE, env, "setup", str(WINDOWS), str(TICKETS))
    with Server(env) as server:
        floor_p95, floor_rps = _floor(server.port)
        load = _load(server.port, setup)
    check = probe(PROBE, env, "check")
    seen: Counter[str] = Counter(t for tickets in load["tickets"] for t in tickets)
    duplicates = sum(n - 1 for n in seen.values() if n > 1) + check["called_more_than_once"]
    calls = len(load["latencies"])
    call_p95 = p95(load["latencies"]) * 1000
    screen_p95 = p95(load["screen_latencies"]) * 1000
    statuses = load["statuses"]
    polls = sum(statuses.values())
    errors = Counter(load["errors"])
    note = (f"{WINDOWS} windows, {SCREENS} screens, {load['seconds']:.1f} s, SQLite, "
            f"2 granian workers; machine load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} CPUs; errors: {dict(errors) or 'none'}")
    return [
        row("floor: /healthz p95", floor_p95, "ms", higher_is_better=False,
            note=f"{WINDOWS} clients, {floor_rps:,.0f} requests/s"),
        row("calls per second (下一位, 50 windows)", calls / load["seconds"], "calls/s",
            note=f"{calls} calls; each call is next + calling page + skip; {note}"),
        row("call latency p95 (POST next)", call_p95, "ms", target=1000.0,
            baseline=floor_p95, higher_is_better=False,
            note=f"median {statistics.median(load['latencies']) * 1000 if calls else 0:.1f} ms"),
        row("screen refresh p95 (100 screens, 1 poll/s)", screen_p95, "ms", target=1000.0,
            baseline=floor_p95, higher_is_better=False,
            note=f"{polls} polls: {statuses.get(304, 0)} × 304, {statuses.get(200, 0)} × 200, "
                 f"other {polls - statuses.get(304, 0) - statuses.get(200, 0)}; a call shows "
                 f"within one poll (1 s) + this latency"),
        row("screen polls answered 304", 100.0 * statuses.get(304, 0) / polls if polls else 0,
            "%"),
        row("duplicate tickets", float(duplicates), "tickets", target=0.0,
            higher_is_better=False,
            note=f"{len(seen)} distinct tickets called; {check['called']} called in the DB"),
    ]


if __name__ == "__main__":
    report("hall", run())
