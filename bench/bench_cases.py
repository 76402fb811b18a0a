"""Case benchmarks (办件基准测试).

a. The whole lifecycle through the HTTP API, served by `oneseal serve` (granian, 2 workers)
   on SQLite, with one `oneseal worker` signing: submit, check the materials, accept,
   claim + complete 审查, claim + complete 审核, claim + decide (批准) — 9 requests — then
   wait until the worker has sealed the decision and the licence (the case is `ready`) and
   deliver (送达), by N parallel keep-alive clients, in ROUNDS windows each reported (no
   best-of); cases delivered per second and the time
   from submission to delivery, with the framework floor (`/healthz` by the same clients)
   measured in the same run. Then, with the worker stopped, the API part alone (submit →
   decide), plain and with `Prefer: return=minimal`.
b. The case list and the task lists at 10,000 and at 1,000,000 cases (bench data from
   `bench_cases_generate`), on SQLite and on PostgreSQL, at the selector level (p95 of
   each list query) and through `GET /api/v1/cases`; the ratio 1M / 10k per query.
c. Concurrency: 20 clients press "accept" on the same case at once: exactly one 200, the
   others 409 (illegal_transition / conflict), and the audit chain still verifies; on
   SQLite (served) and on PostgreSQL.

Run alone: `.venv/bin/python bench/bench_cases.py [--quick]` (`--quick`, or
BENCH_QUICK=1: small sizes, a smoke run of about a minute). PostgreSQL:
BENCH_CASES_PG (default postgresql://postgres@127.0.0.1:5432/oneseal_bench_cases), created
and dropped here; skipped with a note when the server does not answer.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, probe, report, row, run_command, table

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROBE = Path(__file__).resolve().parent / "cases_probe.py"
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
PG_URL = os.environ.get("BENCH_CASES_PG",
                        "postgresql://postgres@127.0.0.1:5432/oneseal_bench_cases")
SMALL, LARGE = (1_000, 20_000) if QUICK else (10_000, 1_000_000)
CLIENTS = 8
SECONDS = 4.0 if QUICK else 15.0
LIST_RUNS = 10 if QUICK else 40
HTTP_RUNS = 15 if QUICK else 100
ROUNDS = 2 if QUICK else 3  # rounds per timing, each one reported
SEAL_WAIT = 300.0  # seconds a delivered case may wait for the worker's seal, at most
RACERS = 20


# ------------------------------------------------------------------ processes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data_dir: Path, db_url: str = "") -> dict[str, str]:
    return bench_env(data_dir, db_url, ROUNDS)


def _run(env: dict[str, str], *args: str) -> str:
    return run_command(env, *args)


def _probe(env: dict[str, str], *args: str) -> Any:
    return probe(PROBE, env, *args)


def _prepare(env: dict[str, str]) -> dict[str, Any]:
    """Migrate and load the demo foundation; the tokens and the lifecycle's item."""
    _run(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
    return dict(_probe(env, "setup"))


def _generate(env: dict[str, str], count: int) -> tuple[subprocess.Popen[str], float]:
    proc = subprocess.Popen(
        [str(BIN / "oneseal"), "manage", "bench_cases_generate", "--count", str(count)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, time.perf_counter()


def _finish(started: tuple[subprocess.Popen[str], float]) -> tuple[str, float]:
    """Wait for a generator; its output and its time (as it reports it, else wall time)."""
    proc, t0 = started
    out, _ = proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"bench_cases_generate failed:\n{out[-3000:]}")
    found = re.search(r"用时 ([\d.]+) 秒", out)
    return out, float(found[1]) if found else time.perf_counter() - t0


class Server:
    """`oneseal serve --workers 2` (granian) on a free port, stopped on exit."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [str(BIN / "oneseal"), "serve", "--workers", "2", "--port", str(self.port),
             "--no-collectstatic"],
            # the benchmark starts the signing worker itself, when it measures signing
            env={**env, "ONESEAL_SERVE_WORKER": "0"}, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> Server:
        deadline = time.time() + 40
        while time.time() < deadline:
            try:
                status, _ = Client(self.port).get("/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("server did not start")

    def __exit__(self, *exc: Any) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class SigningWorker:
    """One `oneseal worker` draining the signing queue, stopped on exit."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [str(BIN / "oneseal"), "worker", "--no-startup-delay", "--interval", "0.05",
             "--no-schedule", "--worker-id", "bench-cases"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def __enter__(self) -> SigningWorker:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"the signing worker died:\n{self.proc.stderr.read()[-3000:]}")
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int, token: str = "", minimal: bool = False) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = token
        self.minimal = minimal  # send `Prefer: return=minimal` (RFC 7240)

    def request(self, method: str, path: str, body: Any = None,
                token: str | None = None) -> tuple[int, Any]:
        headers = {"Accept": "application/json"}
        if self.minimal:
            headers["Prefer"] = "return=minimal"
        tok = self.token if token is None else token
        if tok:
            headers["Authorization"] = f"Bearer {tok}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        raw = resp.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw[:200]
        return resp.status, payload

    def get(self, path: str) -> tuple[int, Any]:
        return self.request("GET", path)


# ------------------------------------------------------------------ a. lifecycle


class Failed(Exception):
    pass


def _ok(result: tuple[int, Any], what: str) -> Any:
    status, body = result
    if status not in (200, 201):
        raise Failed(f"{what}: {status} {body}")
    return body


def submit_ready(c: Client, t: dict[str, str], item_id: int, person_id: int) -> int:
    """Submit a case and check its materials: ready to be accepted."""
    case = _ok(c.request("POST", "/api/v1/cases", {
        "item_id": item_id, "variant_code": "01", "applicant": {"person_id": person_id}},
        t["clerk"]), "submit")
    results = [{"material": m["id"], "status": "ok" if m["required"] else "not_needed"}
               for m in case["materials"] if m["status"] == "pending"]
    if results:
        _ok(c.request("POST", f"/api/v1/cases/{case['id']}/check-materials",
                      {"results": results}, t["clerk"]), "check-materials")
    return int(case["id"])


def lifecycle(c: Client, t: dict[str, str], item_id: int, person_id: int,
              minimal: bool = False, deliver: bool = False,
              times: list[tuple[float, float]] | None = None) -> int:
    """One case from submission to the decision, or with `deliver` on to its delivery;
    returns the number of requests made. A decided case is delivered only once its decision
    and licence are signed by the background worker (the case becomes `ready`): the client
    asks for the case every 50 ms until then, and appends (submission → delivery, waiting
    for the seal) in seconds to `times`. With `minimal`, as a lean client makes it:
    `Prefer: return=minimal` on every call and the material check sent with the acceptance
    (8 requests instead of 9 to the decision)."""
    started = time.perf_counter()
    c.minimal = minimal
    if minimal:
        case = _ok(c.request("POST", "/api/v1/cases", {
            "item_id": item_id, "variant_code": "01", "applicant": {"person_id": person_id}},
            t["clerk"]), "submit")
        cid = int(case["id"])
        accept_body: Any = {"results": [
            {"material": m["id"], "status": "ok" if m["required"] else "not_needed"}
            for m in case["materials"] if m["status"] == "pending"]}
    else:
        cid, accept_body = submit_ready(c, t, item_id, person_id), None
    base = f"/api/v1/cases/{cid}"
    _ok(c.request("POST", f"{base}/accept", accept_body, t["clerk"]), "accept")
    for who in ("reviewer", "chief"):
        _ok(c.request("POST", f"{base}/claim", None, t[who]), f"claim ({who})")
        _ok(c.request("POST", f"{base}/complete-step",
                      {"opinion": "agree", "comment": "经审查，符合法定条件。"}, t[who]),
            f"complete-step ({who})")
    _ok(c.request("POST", f"{base}/claim", None, t["head"]), "claim (head)")
    body = _ok(c.request("POST", f"{base}/decide",
                         {"outcome": "granted", "reasons": "符合法定条件、标准，准予许可。"},
                         t["head"]), "decide")
    if body.get("state", "decided") not in ("decided", "ready"):
        raise Failed(f"state {body['state']}")
    requests = 8 if minimal else 9
    if not deliver:
        return requests
    decided = time.perf_counter()
    while True:
        state = _ok(c.request("GET", base, None, t["clerk"]), "poll")["state"]
        requests += 1
        if state == "ready":
            break
        if state != "decided" or time.perf_counter() - decided > SEAL_WAIT:
            raise Failed(f"case {cid} not sealed: {state}")
        time.sleep(0.05)
    sealed = time.perf_counter()
    _ok(c.request("POST", f"{base}/deliver",
                  {"method": "electronic", "address": "bench@example.org"}, t["clerk"]),
        "deliver")
    if times is not None:
        times.append((time.perf_counter() - started, sealed - decided))
    return requests + 1


def _pressure(port: int, seconds: float, work: Any) -> tuple[int, int, list[str]]:
    """CLIENTS threads calling work(client) until `seconds` pass: (units, requests, errors)."""
    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    units, requests, errors = [0], [0], []

    def loop() -> None:
        client = Client(port)
        while time.perf_counter() < stop:
            try:
                n = work(client)
            except (Failed, OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(str(exc)[:300])
                client = Client(port)
                continue
            with lock:
                units[0] += 1
                requests[0] += n
    threads = [threading.Thread(target=loop) for _ in range(CLIENTS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return units[0], requests[0], errors


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def bench_lifecycle(tmp: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    env = _env(tmp / "lifecycle")
    info = _prepare(env)
    if not info["item_id"]:
        raise RuntimeError("no bureau item with the chain 受理/审查/审核/批准 in the demo")
    tokens, item, person = info["tokens"], info["item_id"], info["person_id"]
    _probe(env, "seals", str(item))
    rows: list[dict[str, Any]] = []
    server = Server(env)
    with server:
        def floor_work(c: Client) -> int:
            status, _ = c.get("/healthz")
            if status != 200:
                raise Failed(f"healthz {status}")
            return 1

        _pressure(server.port, 1.0, floor_work)  # warm-up
        started = time.perf_counter()
        n_floor, _, _ = _pressure(server.port, SECONDS / 2, floor_work)
        floor = n_floor / (time.perf_counter() - started)
        rows.append(row(f"floor: GET /healthz, {CLIENTS} clients", floor, "req/s"))

        # the whole lifecycle, to delivery, with the signing worker running
        times: list[tuple[float, float]] = []
        rates: list[float] = []  # every round's rate is reported; none is picked
        cases = requests = 0
        errors: list[str] = []
        elapsed = 0.0
        with SigningWorker(env):
            lifecycle(Client(server.port), tokens, item, person, deliver=True)  # warm-up
            for _ in range(ROUNDS):
                started = time.perf_counter()
                n, r, e = _pressure(
                    server.port, SECONDS,
                    lambda c: lifecycle(c, tokens, item, person, deliver=True, times=times))
                spent = time.perf_counter() - started  # cases in flight finish: included
                rates.append(n / spent)
                cases, requests, elapsed = cases + n, requests + r, elapsed + spent
                errors += e
        total = [t for t, _ in times]
        sealing = [w for _, w in times]
        rows.append(row(f"lifecycle submit→decide→seal→deliver via HTTP, SQLite, {CLIENTS} "
                        "clients, 1 signing worker", cases / elapsed, "cases/s", target=50.0,
                        note=f"{cases} cases delivered in {elapsed:.1f} s over {ROUNDS} rounds "
                             f"(cases/s per round: {_rounds(rates)}; the cases in flight at "
                             f"the end of a round included), {requests} requests with the "
                             f"polls, {len(errors)} errors"
                             + (f": {errors[0]}" if errors else "")))
        rows.append(row("lifecycle to delivery: submission → delivery per case, p50",
                        statistics.median(total) if total else 0.0, "s",
                        higher_is_better=False,
                        note=f"p95 {_pct(total, 0.95):.2f} s, max {max(total, default=0):.2f} s"))
        rows.append(row("lifecycle to delivery: waiting for the seal per case, p50",
                        statistics.median(sealing) if sealing else 0.0, "s",
                        higher_is_better=False,
                        note=f"p95 {_pct(sealing, 0.95):.2f} s: decided → ready (decision "
                             "and licence signed by the worker)"))
        if errors:
            rows.append(row("lifecycle to delivery: errors", float(len(errors)), "errors",
                            target=0.0, higher_is_better=False, note=errors[0]))

        # the API part alone (no worker: the decided cases wait, unsigned)
        lifecycle(Client(server.port), tokens, item, person)  # warm-up
        started = time.perf_counter()
        cases, requests, errors = _pressure(
            server.port, SECONDS, lambda c: lifecycle(c, tokens, item, person))
        elapsed = time.perf_counter() - started
        rows.append(row(f"lifecycle API requests (to the decision), {CLIENTS} clients",
                        requests / elapsed, "req/s", baseline=floor,
                        note="9 requests per case; ratio = share of the floor"))
        rows.append(row(f"lifecycle API part (submit→decide) via HTTP, SQLite, {CLIENTS} "
                        "clients", cases / elapsed, "cases/s", target=50.0,
                        note=f"{cases} cases in {elapsed:.1f} s, {len(errors)} errors"
                             + (f": {errors[0]}" if errors else "")))
        if errors:
            rows.append(row("lifecycle errors", float(len(errors)), "errors", target=0.0,
                            higher_is_better=False, note=errors[0]))

        def lean(c: Client) -> int:
            return lifecycle(c, tokens, item, person, minimal=True)

        lean(Client(server.port))  # warm-up
        started = time.perf_counter()
        cases, requests, errors = _pressure(server.port, SECONDS, lean)
        elapsed = time.perf_counter() - started
        rows.append(row(f"lifecycle API part, Prefer: return=minimal, via HTTP, SQLite, "
                        f"{CLIENTS} clients", cases / elapsed, "cases/s", target=50.0,
                        note=f"8 requests per case (check sent with accept), {cases} cases in "
                             f"{elapsed:.1f} s, {len(errors)} errors, "
                             f"{requests / elapsed:.0f} req/s = "
                             f"{requests / elapsed / floor:.3f} of the floor"
                             + (f": {errors[0]}" if errors else "")))
        rows += race(server.port, tokens, item, person, env, "SQLite")
    # the application's own cost, without HTTP and without concurrency (diagnostic)
    inproc = _probe(env, "inproc", "5" if QUICK else "20", str(item), str(person))
    per_request = inproc["ms_per_case"] / 9
    queries = sum(inproc["queries"].values()) / len(inproc["queries"])
    rows.append(row("lifecycle in-process (Django test client, 1 thread, no HTTP)",
                    inproc["cases_per_s"], "cases/s",
                    note=f"{per_request:.1f} ms and ~{queries:.0f} queries per request; "
                         + ", ".join(f"{k} {v:.1f} ms/{inproc['queries'][k]} q"
                                     for k, v in inproc["ms"].items())))
    return rows, info


# ------------------------------------------------------------------ c. concurrency


def race(port: int, tokens: dict[str, str], item: int, person: int, env: dict[str, str],
         label: str) -> list[dict[str, Any]]:
    """RACERS clients press accept on the same case at the same moment."""
    cid = submit_ready(Client(port), tokens, item, person)
    clients = [Client(port, tokens["clerk"]) for _ in range(RACERS)]
    for c in clients:
        c.conn.connect()
    barrier = threading.Barrier(RACERS)

    def press(c: Client) -> tuple[int, str]:
        barrier.wait()
        status, body = c.request("POST", f"/api/v1/cases/{cid}/accept")
        return status, (body or {}).get("code", "") if isinstance(body, dict) else ""

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(press, clients))
    ok = sum(1 for s, _ in results if s == 200)
    refused = sum(1 for s, code in results
                  if s == 409 and code in ("illegal_transition", "conflict"))
    state = Client(port, tokens["clerk"]).get(f"/api/v1/cases/{cid}")[1]["state"]
    accepts = sum(1 for e in Client(port, tokens["clerk"]).get(f"/api/v1/cases/{cid}")[1]
                  ["events"] if e["kind"] == "accept")
    verified = _probe(env, "verify")
    good = ok == 1 and refused == RACERS - 1 and state == "reviewing" and accepts == 1
    other = sorted({f"{s} {c}" for s, c in results if s != 200})
    return [
        row(f"race, {label}: {RACERS} clients accept one case: exactly one 200, "
            f"{RACERS - 1} × 409", 1.0 if good else 0.0, "ok", target=1.0,
            note=f"200: {ok}, 409 illegal_transition/conflict: {refused}, others: {other}, "
                 f"accept events: {accepts}"),
        row(f"race, {label}: audit chain verifies afterwards", 1.0 if verified["ok"] else 0.0,
            "ok", target=1.0, note=f"{verified['rows']} rows checked"),
    ]


# ------------------------------------------------------------------ b. lists


def _http_lists(env: dict[str, str], token: str, top_id: int) -> dict[str, dict[str, Any]]:
    """p95 in ms of each round per list request, and the median round's as `p95`."""
    with Server(env) as server:
        c = Client(server.port, token)
        out = {}
        for label, path in (("GET /api/v1/cases, first page", "/api/v1/cases?limit=50"),
                            ("GET /api/v1/cases, deep page",
                             f"/api/v1/cases?limit=50&cursor={top_id // 2}"),
                            ("GET /api/v1/cases?state=reviewing",
                             "/api/v1/cases?limit=50&state=reviewing")):
            for _ in range(5):
                c.get(path)
            rounds = []
            for _ in range(ROUNDS):  # every round is reported
                times = []
                for _ in range(HTTP_RUNS):
                    started = time.perf_counter()
                    status, _ = c.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        raise RuntimeError(f"{path}: {status}")
                rounds.append(_pct(times, 0.95))
            out[label] = {"p95": statistics.median(rounds), "rounds_p95": rounds}
        return out


def _rounds(values: list[float]) -> str:
    return "/".join(f"{v:.2f}" for v in values)


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True,
                         connect_timeout=5) as conn:
        conn.execute(sql)


def _pg_reset(url: str) -> bool:
    name = urlsplit(url).path.lstrip("/")
    try:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(url, f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no PostgreSQL here: skip that half
        print(f"PostgreSQL unavailable ({exc}); skipped", file=sys.stderr)
        return False
    return True


def bench_lists(tmp: Path) -> list[dict[str, Any]]:
    dbs: dict[str, dict[str, str]] = {"SQLite": _env(tmp / "lists-sqlite")}
    if _pg_reset(PG_URL):
        dbs["PostgreSQL"] = _env(tmp / "lists-pg", PG_URL)
    infos = {name: _prepare(env) for name, env in dbs.items()}
    measured: dict[str, dict[int, Any]] = {name: {} for name in dbs}
    gen_seconds: dict[str, float] = {}
    for size, add in ((SMALL, SMALL), (LARGE, LARGE - SMALL)):
        procs = {name: _generate(env, add) for name, env in dbs.items()}  # both at once
        for name, proc in procs.items():
            _out, seconds = _finish(proc)
            if size == LARGE:
                gen_seconds[name] = seconds
        for name, env in dbs.items():
            result = _probe(env, "lists", str(LIST_RUNS))
            result["http"] = _http_lists(env, infos[name]["tokens"]["clerk"], result["cases"])
            measured[name][size] = result
    rows: list[dict[str, Any]] = []
    detail = []
    for name in dbs:
        small, large = measured[name][SMALL], measured[name][LARGE]
        pairs = [(k, small["timings"][k], large["timings"][k],
                  f", rows {small['timings'][k]['rows']} / {large['timings'][k]['rows']}")
                 for k in small["timings"]]
        pairs += [(k, small["http"][k], large["http"][k], "") for k in small["http"]]
        for label, a, b, rows_note in pairs:
            ratio = b["p95"] / a["p95"] if a["p95"] else float("inf")
            detail.append({"benchmark": f"{name}: {label}", "value": b["p95"],
                           "unit": "ms p95", "baseline": a["p95"], "ratio": ratio,
                           "target": None, "met": None})
            line = row(f"{name}: {label}: p95 {LARGE:,} / {SMALL:,}", ratio, "×",
                       target=None if QUICK else 1.5, higher_is_better=False,
                       note=f"p95 per round {_rounds(a['rounds_p95'])} ms at "
                            f"{small['cases']:,} cases, {_rounds(b['rounds_p95'])} ms at "
                            f"{large['cases']:,}; median rounds compared{rows_note}")
            line["rounds_p95"] = {"small": a["rounds_p95"], "large": b["rounds_p95"]}
            rows.append(line)
        if name in gen_seconds:
            rows.append(row(f"{name}: bench_cases_generate {LARGE - SMALL:,} cases",
                            gen_seconds[name], "s", higher_is_better=False,
                            target=300.0 if name == "SQLite" and not QUICK else None,
                            note="generated concurrently with the other database"))
    print("\n### list p95 in ms, median of the rounds (baseline = small database, ratio = "
          "large / small)\n")
    print(table(detail))
    if "PostgreSQL" in dbs:
        info = infos["PostgreSQL"]
        with Server(dbs["PostgreSQL"]) as server:
            rows += race(server.port, info["tokens"], info["item_id"], info["person_id"],
                         dbs["PostgreSQL"], "PostgreSQL")
    return rows


def run() -> list[dict[str, Any]]:
    tmp = Path(tempfile.mkdtemp(prefix="oneseal-bench-cases-"))
    try:
        rows, _info = bench_lifecycle(tmp)
        rows += bench_lists(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not os.environ.get("BENCH_KEEP_PG"):
            name = urlsplit(PG_URL).path.lstrip("/")
            try:
                _pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:  # noqa: S110 — nothing to drop without PostgreSQL
                pass
    return rows


if __name__ == "__main__":
    report("cases", run())
