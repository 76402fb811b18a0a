"""Profile of the write path (写入路径剖析, issue 19).

Runs the lifecycle of one case — create, check the materials, accept, claim + complete 审查,
claim + complete 审核, claim + decide, the worker's signing, deliver — through the API with
the Django test client, in this process, on a fresh database, and measures for each
operation:

- the queries (`CaptureQueriesContext`: their number is deterministic, the headline);
- the wall time, the time spent inside the outermost transaction (from the moment it opens
  to its commit), and the database's own time (all statements, timed by an execute wrapper);
- on SQLite, the wait for the write lock (`BEGIN IMMEDIATE`);
- the Python profile of one run (cProfile): the top functions by cumulative time, in
  OneSeal's own code, and the top by own time anywhere.

Then, with `--writers N` (default 8; 0 to skip), N processes run the same lifecycle at once
against the same database for a few seconds: the share of each write operation spent waiting
for the write lock (busy-wait share), and p50/p95/p99 of each operation: the tail under N
writers.

    .venv/bin/python bench/profile_writes.py [--label before|after] [--runs N] [--writers N]

Writes `bench/results/profile_writes.json` (or `profile_writes-<label>.json`) and replaces
the section `<label>` of `docs/perf/write-profile.md`. DATABASE_URL picks PostgreSQL (a
database created and dropped here, as `BENCH_PROFILE_PG`). The machine is shared: times
are noisy, query counts are not.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "perf" / "write-profile.md"
OPS = ["submit", "check-materials", "accept", "claim", "complete-step", "decide",
       "sign (worker)", "deliver"]
TIMES = {"claim": 3, "complete-step": 2}  # per lifecycle (审查, 审核 and 批准 are claimed)
MINIMAL = [False]  # --minimal: every operation sent with `Prefer: return=minimal`


def _configure(data_dir: str, db_url: str) -> None:
    os.environ.update({"ONESEAL_DATA_DIR": data_dir, "ONESEAL_DEV": "1", "DEBUG": "0",
                       "DATABASE_URL": db_url, "LOG_LEVEL": "WARNING",
                       "DJANGO_SETTINGS_MODULE": "oneseal.config.settings"})
    sys.path.insert(0, str(HERE))


class Meter:
    """Times statements, the outermost transaction and the lock waits: on SQLite BEGIN
    (IMMEDIATE: the database write lock), everywhere the statements that lock the two usual
    hot rows — the audit chain head and the case-number counter — and how long each of those
    rows stays locked (from its locking statement to the commit)."""

    HOT = {"head": "core_auditchainhead", "counter": "cases_casenumbercounter"}

    def __init__(self) -> None:
        from django.db import DEFAULT_DB_ALIAS, connections

        connection = connections[DEFAULT_DB_ALIAS]
        self.reset()
        self._opened: float | None = None
        self._held: dict[str, float] = {}
        original = type(connection).set_autocommit

        meter = self

        def set_autocommit(conn: Any, autocommit: bool, *args: Any, **kw: Any) -> Any:
            if not autocommit and meter._opened is None:
                meter._opened = time.perf_counter()
            result = original(conn, autocommit, *args, **kw)
            if autocommit and meter._opened is not None:
                now = time.perf_counter()
                meter.txn += now - meter._opened
                for name, since in meter._held.items():
                    meter.hold[name] += now - since
                meter._held.clear()
                meter._opened = None
            return result

        type(connection).set_autocommit = set_autocommit  # type: ignore[method-assign]

    def reset(self) -> None:
        self.db = self.txn = self.lock = 0.0
        self.statements = 0
        self.wait = dict.fromkeys(self.HOT, 0.0)
        self.hold = dict.fromkeys(self.HOT, 0.0)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.db += spent
            self.statements += 1
            if sql.startswith("BEGIN"):
                self.lock += spent
            for name, table in self.HOT.items():
                # the statement that locks the row: a SELECT (FOR UPDATE), or an UPDATE …
                # RETURNING that locks and increments at once
                if table in sql and (sql.startswith("SELECT") or "RETURNING" in sql):
                    self.wait[name] += spent
                    if self._opened is not None:
                        self._held.setdefault(name, started)


class Lifecycle:
    """The API calls of one case, each yielding (operation, callable)."""

    def __init__(self, item_id: int, person_id: int) -> None:
        from cases_probe import LIFECYCLE_ROLES
        from django.test import Client

        from oneseal.accounts.models import User
        from oneseal.accounts.services import create_token

        self.item_id, self.person_id = item_id, person_id
        self.tokens = {u: create_token(actor=None, user=User.objects.get(username=u),
                                       name="profile")[0] for u in LIFECYCLE_ROLES}
        self.client = Client(HTTP_HOST="127.0.0.1")

    def post(self, path: str, body: Any, who: str) -> Any:
        extra = {"HTTP_PREFER": "return=minimal"} if MINIMAL[0] else {}
        response = self.client.post(path, data=json.dumps(body) if body is not None else None,
                                    content_type="application/json",
                                    HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}", **extra)
        if response.status_code not in (200, 201):
            raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
        return response.json() if response.content else None

    def steps(self) -> Iterator[tuple[str, Callable[[], Any]]]:
        state: dict[str, Any] = {}

        def submit() -> None:
            state["case"] = self.post("/api/v1/cases", {
                "item_id": self.item_id, "variant_code": "01",
                "applicant": {"person_id": self.person_id}}, "clerk")

        yield "submit", submit
        base = f"/api/v1/cases/{state['case']['id']}"
        results = [{"material": m["id"], "status": "ok" if m["required"] else "not_needed"}
                   for m in state["case"]["materials"] if m["status"] == "pending"]
        yield "check-materials", lambda: self.post(base + "/check-materials",
                                                   {"results": results}, "clerk")
        yield "accept", lambda: self.post(base + "/accept", None, "clerk")
        for who in ("reviewer", "chief"):
            yield "claim", lambda who=who: self.post(base + "/claim", None, who)
            yield "complete-step", lambda who=who: self.post(
                base + "/complete-step", {"opinion": "agree", "comment": "经审查，符合法定条件。"},
                who)
        yield "claim", lambda: self.post(base + "/claim", None, "head")
        yield "decide", lambda: self.post(base + "/decide", {
            "outcome": "granted", "reasons": "符合法定条件、标准，准予许可。"}, "head")

        def sign() -> None:
            from oneseal.licences.signing import sign_pending

            if not sign_pending(int(state["case"]["id"])):
                raise RuntimeError("nothing to sign: are the seals set up?")

        yield "sign (worker)", sign
        yield "deliver", lambda: self.post(base + "/deliver", {
            "method": "electronic", "address": "bench@example.org"}, "clerk")


def _prepare() -> tuple[int, int]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    import cases_probe

    info = cases_probe.setup()
    cases_probe.seals(info["item_id"])
    return int(info["item_id"]), int(info["person_id"])


def _repeated(statements: list[str]) -> list[list[Any]]:
    """Statements run more than once in one operation (numbers and literals blanked)."""
    import re
    from collections import Counter

    shapes = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", q)[:160] for q in statements)
    return [[shape, n] for shape, n in shapes.most_common() if n > 1]


def _profile_top(profile: cProfile.Profile) -> dict[str, list[dict[str, Any]]]:
    stats = pstats.Stats(profile)
    entries = stats.stats  # type: ignore[attr-defined]
    rows = []
    for (path, line, name), (_cc, calls, tottime, cumtime, _callers) in entries.items():
        short = path.split("site-packages/")[-1].split("/src/")[-1]
        rows.append({"function": f"{short}:{line}({name})", "calls": calls,
                     "own_ms": round(tottime * 1000, 2), "cum_ms": round(cumtime * 1000, 2),
                     "ours": "oneseal/" in path and "/site-packages/" not in path})
    wrappers = ("middleware.py", "bounds.py", "<lambda>", "profile_writes", "api.py",
                "views_", "permissions.py(wrapper")
    ours = sorted((r for r in rows if r["ours"]
                   and not any(w in r["function"] for w in wrappers)),
                  key=lambda r: -r["cum_ms"])[:8]
    own = sorted(rows, key=lambda r: -r["own_ms"])[:6]
    return {"ours_by_cumulative": ours, "anywhere_by_own_time": own}


def measure(runs: int) -> dict[str, Any]:
    """Run `runs` lifecycles (after a warm-up) and one under cProfile."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item, person = _prepare()
    meter = Meter()
    life = Lifecycle(item, person)
    for _op, fn in life.steps():  # warm-up
        fn()
    sql: dict[str, list[str]] = {}
    samples: dict[str, list[dict[str, float]]] = {op: [] for op in OPS}
    queries: dict[str, list[int]] = {op: [] for op in OPS}
    rounds: list[float] = []  # wall of each whole lifecycle: every round, no best-of
    floor = []  # the framework floor in the same run: GET /healthz through the same client
    for _ in range(60):
        started = time.perf_counter()
        life.client.get("/healthz")
        floor.append(time.perf_counter() - started)
    with connection.execute_wrapper(meter):
        for _ in range(runs):
            rounds.append(0.0)
            for op, fn in life.steps():
                meter.reset()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    fn()
                    wall = time.perf_counter() - started
                rounds[-1] += wall
                samples[op].append({"wall": wall, "txn": meter.txn, "db": meter.db,
                                    "lock": meter.lock, "head_hold": meter.hold["head"],
                                    "counter_hold": meter.hold["counter"]})
                queries[op].append(len(captured))
                sql[op] = [q["sql"] for q in captured.captured_queries]
    profiles: dict[str, cProfile.Profile] = {}
    for op, fn in life.steps():
        profile = profiles.setdefault(op, cProfile.Profile())
        profile.enable()
        fn()
        profile.disable()
    dump = os.environ.get("PROFILE_DUMP")  # a folder: the raw profiles, for pstats
    if dump:
        for op, profile in profiles.items():
            profile.dump_stats(str(Path(dump) / f"{op.split()[0]}.prof"))
    out: dict[str, Any] = {"vendor": connection.vendor, "runs": runs, "ops": {},
                           "rounds_wall_ms": [round(r * 1000, 1) for r in rounds],
                           "minimal": MINIMAL[0],
                           "floor_ms": round(statistics.median(floor) * 1000, 3),
                           "item_id": item, "person_id": person}
    for op in OPS:
        s = samples[op]

        def med(key: str, s: list[dict[str, float]] = s) -> float:
            return round(statistics.median(x[key] for x in s) * 1000, 2)

        out["ops"][op] = {
            "queries": max(queries[op]), "queries_min": min(queries[op]),
            "wall_ms": med("wall"), "txn_ms": med("txn"), "db_ms": med("db"),
            "lock_ms": med("lock"), "head_hold_ms": med("head_hold"),
            "counter_hold_ms": med("counter_hold"), "profile": _profile_top(profiles[op]),
            "repeated": _repeated(sql[op]), "sql": sql[op]}
    return out


# ------------------------------------------------------------------ N writers


def _writer(args: tuple[str, str, int, int, int, float, bool]
            ) -> dict[str, list[list[float]]]:
    data_dir, db_url, item, person, n, seconds, minimal = args
    MINIMAL[0] = minimal
    _configure(data_dir, db_url)
    import django

    django.setup()
    from django.db import connection

    meter = Meter()
    life = Lifecycle(item, person)
    times: dict[str, list[list[float]]] = {op: [] for op in OPS}
    errors: list[str] = []
    try:
        for _op, fn in life.steps():  # warm-up: imports, templates, fonts, keys
            fn()
    except Exception as exc:  # e.g. a deadlock: counted; never leave the others waiting
        errors.append(f"warm-up: {str(exc)[:160]}")
    ready = Path(data_dir) / f"writers-ready-{n}"
    ready.mkdir(exist_ok=True)
    (ready / str(os.getpid())).touch()
    give_up = time.time() + 600
    while len(list(ready.iterdir())) < n and time.time() < give_up:  # all set up first
        time.sleep(0.02)
    stop = time.time() + seconds
    with connection.execute_wrapper(meter):
        while time.time() < stop:
            try:
                for op, fn in life.steps():
                    meter.reset()
                    started = time.perf_counter()
                    fn()
                    times[op].append([time.perf_counter() - started, meter.lock,
                                      meter.wait["head"], meter.wait["counter"],
                                      meter.hold["head"], meter.hold["counter"]])
            except Exception as exc:  # e.g. a deadlock (500): counted, the next case goes on
                errors.append(f"{op}: {str(exc)[:160]}")
    times["errors"] = errors  # type: ignore[assignment]
    return times


def writers(n: int, seconds: float, data_dir: str, db_url: str, item: int,
            person: int) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(n) as pool:
        parts = pool.map(_writer, [(data_dir, db_url, item, person, n, seconds,
                                    MINIMAL[0])] * n)
    out: dict[str, Any] = {"writers": n, "seconds": seconds, "ops": {}}
    for op in OPS:
        values = [x for part in parts for x in part[op]] or [[0.0] * 6]
        walls = sorted(v[0] for v in values)
        total = sum(v[0] for v in values) or 1.0
        lock, head_wait, counter_wait, head_hold, counter_hold = (
            sum(v[i] for v in values) for i in range(1, 6))

        def pct(q: float, walls: list[float] = walls) -> float:
            return round(walls[min(len(walls) - 1, round(q * (len(walls) - 1)))] * 1000, 1)

        out["ops"][op] = {"count": len(walls), "p50_ms": pct(0.5), "p95_ms": pct(0.95),
                          "p99_ms": pct(0.99),
                          "busy_share": round(lock / total, 3),
                          "head_wait_share": round(head_wait / total, 3),
                          "counter_wait_share": round(counter_wait / total, 3),
                          "head_hold_share": round(head_hold / total, 3),
                          "counter_hold_share": round(counter_hold / total, 3)}
    errors = [e for part in parts for e in part.get("errors", [])]
    out["errors"] = len(errors)
    out["error_samples"] = errors[:5]
    out["cases"] = out["ops"]["deliver"]["count"]
    out["cases_per_s"] = round(out["cases"] / seconds, 2)
    out["cases_per_writer"] = [len(part["deliver"]) for part in parts]
    return out


# ------------------------------------------------------------------ report


def markdown(key: str, label: str, result: dict[str, Any]) -> str:
    ops = result["profile"]["ops"]
    lines = [f"<!-- section:{key} -->", f"## {label}", "",
             f"{result['when']}, {result['profile']['vendor']}, median of "
             f"{result['profile']['runs']} runs per operation, one process, no HTTP (Django "
             "test client); the machine is shared by other busy work, so times are noisy "
             "and the query counts are the firm figures."
             + (" Every operation sent with `Prefer: return=minimal`."
                if result["profile"].get("minimal") else "")
             + (f" Framework floor in the same run (GET /healthz, same client): "
                f"{result['profile']['floor_ms']} ms; `× floor` = wall / floor."
                if result["profile"].get("floor_ms") else ""), "",
             "| operation | queries | wall ms | × floor | in transaction ms | database ms | "
             "write-lock wait ms | audit head held ms | number counter held ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    floor = result["profile"].get("floor_ms") or 0.0
    for op, o in ops.items():
        q = str(o["queries"]) if o["queries"] == o["queries_min"] else \
            f"{o['queries_min']}–{o['queries']}"
        times = f" (×{TIMES[op]})" if op in TIMES else ""
        ratio = f"{o['wall_ms'] / floor:.0f}" if floor else "–"
        lines.append(f"| {op}{times} | {q} | {o['wall_ms']} | {ratio} | {o['txn_ms']} | "
                     f"{o['db_ms']} | "
                     f"{o['lock_ms']} | {o.get('head_hold_ms', '–')} | "
                     f"{o.get('counter_hold_ms', '–')} |")

    def total(key: str) -> float:
        return sum(o[key] * TIMES.get(op, 1) for op, o in ops.items())

    lines += [f"| **one whole lifecycle** | **{total('queries'):.0f}** | "
              f"**{total('wall_ms'):.1f}** | | **{total('txn_ms'):.1f}** | "
              f"**{total('db_ms'):.1f}** | | | |", ""]
    if result["profile"].get("rounds_wall_ms"):
        lines += ["Every round (wall ms of one whole lifecycle, API calls and the "
                  "signing): "
                  + ", ".join(str(r) for r in result["profile"]["rounds_wall_ms"]) + ".", ""]
    lines += ["Top of the Python profile (cumulative ms, OneSeal's own functions):", ""]
    for op, o in ops.items():
        top = ", ".join(f"`{r['function']}` {r['cum_ms']}"
                        for r in o["profile"]["ours_by_cumulative"][:4])
        lines.append(f"- {op}: {top}")
    rounds = result.get("writer_rounds") or ([result["writers"]] if result.get("writers")
                                             else [])
    if result.get("load"):
        lines += ["", f"Load average before the writer rounds (`uptime`): {result['load']}."]
    for w in rounds:
        lines += ["", f"{w['writers']} writer processes at once for {w['seconds']:.0f} s: "
                  f"{w['cases']} cases delivered ({w['cases_per_s']} cases/s), "
                  f"{w.get('errors', 0)} failed operations"
                  + (f" (e.g. {w['error_samples'][0]})" if w.get("error_samples") else "")
                  + (f"; delivered per process: {w['cases_per_writer']}"
                     if w.get("cases_per_writer") else "")
                  + ". Busy-wait share "
                  "= time waiting for the write lock (BEGIN IMMEDIATE on SQLite; 0 where the "
                  "database takes row locks) / time of the operation.", "",
                  "Head/counter wait = time in the statement that locks the audit chain "
                  "head / the case-number counter (on PostgreSQL, waiting for another "
                  "transaction's row lock); held = from that statement to the commit.", "",
                  "| operation | count | p50 ms | p95 ms | p99 ms | busy-wait share | "
                  "head wait | head held | counter wait | counter held |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for op, o in w["ops"].items():
            lines.append(f"| {op} | {o['count']} | {o['p50_ms']} | {o['p95_ms']} | "
                         f"{o['p99_ms']} | {o['busy_share']:.1%} | "
                         f"{o['head_wait_share']:.1%} | {o['head_hold_share']:.1%} | "
                         f"{o['counter_wait_share']:.1%} | {o['counter_hold_share']:.1%} |")
    lines += ["", f"<!-- /section:{key} -->"]
    return "\n".join(lines)


def _update_doc(label: str, section: str) -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else (
        "# Write-path profile (issue 19)\n\nMade by `bench/profile_writes.py`; each section "
        "is replaced when the script runs again with the same `--label`.\n")
    start, end = f"<!-- section:{label} -->", f"<!-- /section:{label} -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--label", default="latest")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--writers", default="8",
                        help="writer processes, or several rounds: 1,2,4 (0: none)")
    parser.add_argument("--pg", action="store_true",
                        help="PostgreSQL: the server of bench/common.py pg_target(), a "
                             "database oneseal_profile_writes created and dropped here")
    parser.add_argument("--minimal", action="store_true",
                        help="send every operation with `Prefer: return=minimal`")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--render", metavar="JSON",
                        help="only write the doc's section again from a result file")
    args = parser.parse_args()
    if args.render:
        result = json.loads(Path(args.render).read_text(encoding="utf-8"))
        pg = result["profile"]["vendor"] == "postgresql"
        key = result["label"] + ("-pg" if pg else "")
        _update_doc(key, markdown(key, result["label"] + (" (PostgreSQL)" if pg else
                                                          " (SQLite)"), result))
        return
    MINIMAL[0] = args.minimal
    data_dir = tempfile.mkdtemp(prefix="oneseal-profile-writes-")
    db_url = os.environ.get("DATABASE_URL", "")
    if args.pg:
        sys.path.insert(0, str(HERE))
        from common import pg_target

        server = pg_target()
        if server is None:
            raise SystemExit("PostgreSQL unavailable")
        parts = urlsplit(server)
        db_url = os.environ.get("BENCH_PROFILE_PG") or urlunsplit(
            parts._replace(path="/oneseal_profile_writes"))
    if db_url:
        db_url = os.environ.get("BENCH_PROFILE_PG", db_url)
        from bench_cases import _pg_reset

        sys.path.insert(0, str(HERE))
        if not _pg_reset(db_url):
            raise SystemExit("PostgreSQL unavailable")
    _configure(data_dir, db_url)
    result: dict[str, Any] = {"label": args.label,
                              "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    result["profile"] = measure(args.runs)
    counts = [int(n) for n in str(args.writers).split(",") if int(n)]
    if counts:
        result["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    result["writer_rounds"] = [
        writers(n, args.seconds, data_dir, db_url, result["profile"]["item_id"],
                result["profile"]["person_id"]) for n in counts]
    (HERE / "results").mkdir(exist_ok=True)
    name = "profile_writes" + ("" if args.label == "latest" else f"-{args.label}")
    if db_url:
        name += "-pg"
    if args.minimal:
        name += "-minimal"
    (HERE / "results" / f"{name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    key = args.label + ("-pg" if db_url else "") + ("-minimal" if args.minimal else "")
    section = markdown(key, args.label + (" (PostgreSQL" if db_url else " (SQLite")
                       + (", Prefer: return=minimal)" if args.minimal else ")"), result)
    _update_doc(key, section)
    print(section)


if __name__ == "__main__":
    main()
