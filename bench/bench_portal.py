"""Online hall benchmark (网上办事大厅基准测试): 100 simulated applicants against the demo
server — `oneseal serve` (granian, 2 workers) on SQLite on 127.0.0.1, started here with the
demo data loaded into a data directory of its own.

Each simulated user loops, with a think time between pages (`BENCH_PORTAL_THINK`, mean 5 s,
uniform ±50 %), over a mixed applicant workload; the users are logged in and mid-visit
when the run begins (sessions made by bench/portal_probe.py, a random first step):

- 办事指南: the guide list, then one guide;
- 登录: the login page and the POST of the demo's `applicant` (a fresh session each round);
- 我的办件 (`/my/`);
- 进度查询: the progress page and a lookup (number and query code) that must find the case;
- 上传材料: the materials step of the user's own draft and a PDF uploaded (checked by
  content, replacing the file before);
- the framework floor, `/healthz` (no database, no session), in the same loop and so under
  the same load.

Each user comes from an address of its own through the trusted proxy (X-Forwarded-For with
ONESEAL_TRUSTED_PROXIES=127.0.0.1), as behind the district's reverse proxy: the progress
lookup's per-address limit (30 in 10 minutes) applies to each user, not to all at once.

Before the load, one user alone walks the visit three times without think time: each row's
note gives that median too (what a page costs on an idle server). Reported: p95 per page
(target ≤ 200 ms) against the floor's p95, requests per second, the time of one Argon2
password check (the floor of a login), and errors (a wrong status, a lookup that found
nothing, a refused upload, a broken connection; target 0).

Run alone: `.venv/bin/python bench/bench_portal.py [--quick]` (`--quick`: 20 s instead of
60 s); `make bench` runs it with the rest.
"""

from __future__ import annotations

import http.client
import io
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cases import Server
from common import bench_env, probe, report, row, run_command

BIN = Path(sys.executable).parent
PROBE = Path(__file__).resolve().parent / "portal_probe.py"
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
USERS = int(os.environ.get("BENCH_PORTAL_USERS", "100"))
SECONDS = 20.0 if QUICK else 60.0
THINK = float(os.environ.get("BENCH_PORTAL_THINK", "5.0"))  # mean seconds between pages
TARGET_MS = 200.0
PASSWORD = "oneseal-demo"  # noqa: S105 (the demo logins' published password)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGES = ["办事指南列表 /items/", "办事指南 /items/<id>/", "登录页 /accounts/login/",
         "登录 POST", "我的办件 /my/", "进度查询页 /progress/", "进度查询 POST",
         "上传材料页", "上传材料 POST", "框架基线 /healthz"]
FLOOR = PAGES[-1]


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "OneSeal bench: 场所平面图")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class Conn:
    """One keep-alive connection with its cookies, from one client address."""

    def __init__(self, port: int, address: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str = "") -> tuple[int, str, float]:
        head = {"X-Forwarded-For": self.address}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            head["Content-Type"] = content_type
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=head)
        resp = self.conn.getresponse()
        raw = resp.read()
        elapsed = time.perf_counter() - start
        for value in resp.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return resp.status, raw.decode("utf-8", "replace"), elapsed

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, str, float]:
        return self.request("POST", path, urlencode(fields).encode(),
                            "application/x-www-form-urlencoded")

    def upload(self, path: str, fields: dict[str, str], name: str,
               content: bytes) -> tuple[int, str, float]:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 .encode() for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                     + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            f"multipart/form-data; boundary={boundary}")

    def close(self) -> None:
        self.conn.close()


def _csrf(body: str) -> str:
    found = CSRF.search(body)
    return found.group(1) if found else ""


def _user(index: int, port: int, setup: dict[str, Any], pdf: bytes, stop: threading.Event,
          out: dict[str, Any], think: float = THINK, rounds: int = 0) -> None:
    """One applicant: already logged in when the run begins (a session made by the probe),
    somewhere in his visit (a random first step), then round and round the visit."""
    rnd = random.Random(index)
    address = f"10.77.{index // 250}.{index % 250 + 1}"
    draft, material = setup["drafts"][index % len(setup["drafts"])]
    materials = f"/apply/drafts/{draft}/materials/"
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    conn = Conn(port, address)
    conn.cookies["sessionid"] = setup["sessions"][index % len(setup["sessions"])]
    page = ""  # the body of the last GET: its CSRF token for the POST after it

    def step(number: int) -> tuple[str, tuple[int, str, float], bool]:
        nonlocal conn
        if number == 0:
            r = conn.request("GET", "/items/")
            return PAGES[0], r, r[0] == 200
        if number == 1:
            r = conn.request("GET", f"/items/{rnd.choice(setup['items'])}/")
            return PAGES[1], r, r[0] == 200
        if number == 2:
            conn.close()
            conn = Conn(port, address)  # a new visit: a fresh session
            r = conn.request("GET", "/accounts/login/")
            return PAGES[2], r, r[0] == 200
        if number == 3:
            r = conn.form("/accounts/login/", {"csrfmiddlewaretoken": _csrf(page),
                                               "username": "applicant", "password": PASSWORD})
            return PAGES[3], r, r[0] == 302
        if number == 4:
            r = conn.request("GET", "/my/")
            return PAGES[4], r, r[0] == 200 and "我的办件" in r[1]
        if number == 5:
            r = conn.request("GET", "/progress/")
            return PAGES[5], r, r[0] == 200
        if number == 6:
            case_number, code = rnd.choice(setup["lookups"])
            r = conn.form("/progress/", {"csrfmiddlewaretoken": _csrf(page),
                                         "number": case_number, "query_code": code})
            return PAGES[6], r, r[0] == 200 and case_number in r[1] and "未找到" not in r[1]
        if number == 7:
            r = conn.request("GET", materials)
            return PAGES[7], r, r[0] == 200
        if number == 8:
            r = conn.upload(materials, {"csrfmiddlewaretoken": _csrf(page), "action": "upload",
                                        "material": str(material)}, "平面图.pdf", pdf)
            return PAGES[8], r, r[0] == 302
        r = conn.request("GET", "/healthz")
        return PAGES[9], r, r[0] == 200

    steps = len(PAGES)
    number = rnd.choice([0, 1, 2, 4, 5, 7, 9])  # never a POST without its page first
    left = rounds * steps if rounds else -1  # rounds > 0: that many rounds, then stop
    if rounds:
        number = 0
    try:
        while left and not stop.wait(rnd.uniform(think * 0.5, think * 1.5)):
            left -= 1
            try:
                name, result, ok = step(number)
                latencies[name].append(result[2])
                page = result[1]
                if not ok:
                    errors[name] += 1
            except (OSError, http.client.HTTPException) as exc:
                errors[f"connection: {type(exc).__name__}"] += 1
                conn.close()
                conn = Conn(port, address)
            number = (number + 1) % steps
    finally:
        conn.close()
        with out["lock"]:
            for name, values in latencies.items():
                out["latencies"][name].extend(values)
            out["errors"].update(errors)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[18]


def _load(port: int, setup: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"lock": threading.Lock(), "latencies": defaultdict(list),
                           "errors": Counter()}
    stop = threading.Event()
    pdf = _pdf()
    # one user alone first, without think time: what each page costs on an idle server
    alone: dict[str, Any] = {"lock": threading.Lock(), "latencies": defaultdict(list),
                             "errors": Counter()}
    _user(USERS, port, setup, pdf, stop, alone, think=0.0, rounds=3)
    out["alone"] = alone
    threads = [threading.Thread(target=_user, args=(i, port, setup, pdf, stop, out),
                                daemon=True) for i in range(USERS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    stop.wait(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(90)
    out["seconds"] = time.perf_counter() - start
    return out


def run() -> list[dict[str, Any]]:
    data = Path(tempfile.mkdtemp(prefix="oneseal-bench-portal-"))
    env = {**bench_env(data), "ONESEAL_TRUSTED_PROXIES": "127.0.0.1"}
    try:
        run_command(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
        run_command(env, str(BIN / "oneseal"), "load-demo")
        setup = probe(PROBE, env, "setup", str(USERS))
        with Server(env) as server:
            load = _load(server.port, setup)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    latencies, errors = load["latencies"], load["errors"]
    total = sum(len(v) for v in latencies.values())
    floor = p95(latencies[FLOOR]) * 1000 if latencies[FLOOR] else None
    note = (f"{USERS} users, think time {THINK:.1f} s mean, {load['seconds']:.1f} s, SQLite, "
            f"2 granian workers, {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.1f}")
    rows = [row("requests per second (all pages)", total / load["seconds"], "req/s",
                note=note)]
    for page in PAGES:
        values = latencies[page]
        value = p95(values) * 1000
        median = statistics.median(values) * 1000 if values else 0.0
        solo = load["alone"]["latencies"][page]
        rows.append(row(f"{page}: p95", value, "ms", target=TARGET_MS,
                        baseline=None if page == FLOOR else floor, higher_is_better=False,
                        note=f"{len(values)} requests, median {median:.1f} ms, "
                             f"{errors[page]} errors; one user alone: median "
                             f"{statistics.median(solo) * 1000 if solo else 0:.1f} ms"))
    rows.append(row("Argon2 password check alone (the floor of 登录 POST)",
                    setup["password_check_ms"], "ms", higher_is_better=False,
                    note=f"median of 5 in the probe, the demo applicant's stored hash: "
                         f"{setup.get('password_hash', '?')} — a deliberate cost per login"))
    errors.update(load["alone"]["errors"])
    connection = sum(v for k, v in errors.items() if k.startswith("connection"))
    rows.append(row("errors (every page and connection)", float(sum(errors.values())),
                    "errors", target=0, higher_is_better=False,
                    note=f"{connection} connection errors; "
                         + (", ".join(f"{k}: {v}" for k, v in errors.items()) or "none")))
    return rows


if __name__ == "__main__":
    report("portal", run())
