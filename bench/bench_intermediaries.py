"""Intermediary marketplace benchmark (中介超市, issue 17): a market of 5,000 intermediaries,
one round on SQLite and one on PostgreSQL (skipped when no server answers).

- Directory search (`/intermediaries/` as `views_public.directory` does it: the count and the
  first page of 20) for the searches a visitor makes: p95 over BENCH_MARKET_REPEAT rounds.
- A draw with 1,000 bidders: the pure computation (`domain/draw.draw`) and the whole close
  of a posting (`services.selection.close_posting`: lock, 1,000 bids read and stamped with
  the credit at close, the draw, the award, the contract and the audit events), each round on
  a fresh posting.
- Baseline in the same run: one intermediary read by primary key.

The data is written in bulk (no services, no audit) into a temporary SQLite file, then into
a PostgreSQL database made for the round and dropped after it. Run alone
with `.venv/bin/python bench/bench_intermediaries.py`; `BENCH_QUICK=1` for a short run.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pg_target, report, row

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-MARKET-RESULT "
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
INTERMEDIARIES = 5_000
BIDDERS = 1_000
REPEAT = int(os.environ.get("BENCH_MARKET_REPEAT", "30" if QUICK else "200"))
CLOSE_ROUNDS = 3 if QUICK else 10
TARGET_SEARCH_MS = 50.0
TARGET_CLOSE_MS = 2_000.0

SEARCHES: list[tuple[str, dict[str, Any]]] = [
    ("no filter, first page", {}),
    ("name 环境", {"q": "环境"}),
    ("credit code prefix", {"q": "91530112MA8"}),
    ("service filter", {"service": "first"}),
    ("service + credit >= 90", {"service": "first", "min_credit": 90}),
    ("standing warning", {"standing": "warning"}),
    ("no match 航天", {"q": "航天"}),
]
WORDS = ["环境", "测绘", "检测", "评价", "咨询", "工程", "设计", "审图", "安全", "节能", "水利",
         "生态", "消防", "卫生", "地理信息"]


def _child(db_url: str, tmp: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": db_url, "ONESEAL_DATA_DIR": tmp, "ONESEAL_DEV": "1",
           "DJANGO_SETTINGS_MODULE": "oneseal.config.settings"}
    env.pop("ONESEAL_TESTING", None)
    out = subprocess.run([sys.executable, __file__, "--child"], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    sys.stderr.write(out.stderr[-4000:])
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {out.stderr[-2000:]}")
    return dict(json.loads(next(x for x in out.stdout.splitlines()
                                if x.startswith(MARK))[len(MARK):]))


def _rows(engine: str, m: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of one round; every ratio is against the primary-key read of that round."""
    base = m["floor_p95"]
    note_tail = (f"baseline: one intermediary by primary key on {engine} (p95 {base:.3f} ms, "
                 f"p50 {m['floor_p50']:.3f} ms); "
                 f"load average {m['load']:.1f} on a shared 2-core machine")
    rows = [row(f"directory search: {label}, {engine}", p95, "ms p95",
                target=TARGET_SEARCH_MS, baseline=base, higher_is_better=False,
                note=f"p50 {m['p50'][label]:.2f} ms; {m['hits'][label]} hits of "
                     f"{m['count']:,}; {REPEAT} rounds; {note_tail}")
            for label, p95 in m["p95"].items()]
    rows.append(row(f"draw computation, {BIDDERS:,} bidders, {engine}", m["draw_p95"],
                    "ms p95", baseline=base, higher_is_better=False,
                    note=f"p50 {m['draw_p50']:.3f} ms; {REPEAT} rounds; {note_tail}"))
    rows.append(row(f"close a posting with {BIDDERS:,} bidders (draw + award), {engine}",
                    m["close_p95"], "ms p95", target=TARGET_CLOSE_MS, baseline=base,
                    higher_is_better=False,
                    note=f"rounds (ms): {', '.join(f'{x:.0f}' for x in m['close'])}; "
                         f"{note_tail}"))
    return rows


def run() -> list[dict[str, Any]]:
    """A round on SQLite, then one on PostgreSQL (`common.pg_target`: DATABASE_URL when it
    names a server, else BENCH_PG_URL, else the local default) in a database of its own,
    `<that database>_bench_market`, dropped afterwards; skipped when no server answers."""
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="oneseal-bench-market-") as tmp:
        results += _rows("SQLite", _child(f"sqlite:///{tmp}/bench.sqlite3", tmp))
        url = pg_target()
        if url is None:
            print("PostgreSQL 不可用，跳过 / no PostgreSQL server: round skipped",
                  file=sys.stderr)
            return results
        import psycopg

        parts = urlsplit(url)
        base = parts.path.lstrip("/") or "postgres"
        name = f"{base}_bench_market" if base != "postgres" else "oneseal_bench_market"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            results += _rows("PostgreSQL",
                             _child(urlunsplit(parts._replace(path=f"/{name}")), tmp))
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return results


# --- child ------------------------------------------------------------------------------

def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def _time(fn: Any, repeat: int) -> list[float]:
    fn()
    wall = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
    return wall


def _generate() -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone
    from stdnum.cn import uscc

    from oneseal.accounts.models import User
    from oneseal.intermediaries.models import (
        FeeSchedule,
        Intermediary,
        Qualification,
        Service,
    )

    rng = random.Random(17)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        services = Service.objects.bulk_create(
            Service(code=f"ZJ{i:02d}", name=f"中介服务{i}", legal_basis="依据") for i in range(12))
        rows = []
        for i in range(INTERMEDIARIES):
            body = f"91530112MA{8 if i % 2 else 9}{i:06d}"
            score = rng.choice([100, 100, 98, 95, 90, 85, 72, 104, 110])
            rows.append(Intermediary(
                name=f"云南{rng.choice(WORDS)}{rng.choice(WORDS)}有限公司{i}",
                credit_code=body + uscc.calc_check_digit(body), legal_representative="张三",
                credit_score=score, standing="warning" if score < 80 else "good",
                no_ties_declared=True, entered_on=today))
        Intermediary.objects.bulk_create(rows, batch_size=1000)
        found = list(Intermediary.objects.order_by("pk"))
        quals, fees = [], []
        for i, x in enumerate(found):
            for s in {services[i % 12], services[rng.randrange(12)]}:
                quals.append(Qualification(
                    intermediary=x, service=s, name="资质", certificate_number=f"C{i}-{s.pk}",
                    valid_from=today - datetime.timedelta(days=100),
                    valid_to=today + datetime.timedelta(days=500), state="approved",
                    submitted_at=now))
                fees.append(FeeSchedule(intermediary=x, service=s, max_fee=90000, basis="标准",
                                        promised_days=30, published_on=today))
        Qualification.objects.bulk_create(quals, batch_size=1000)
        FeeSchedule.objects.bulk_create(fees, batch_size=1000)
        owner = User.objects.create(username="bench-owner", display_name="业主")
    return {"services": services, "found": found, "owner": owner}


def _posting_with_bids(data: dict[str, Any], n: int) -> int:
    from django.utils import timezone

    from oneseal.intermediaries.domain import draw as drawing
    from oneseal.intermediaries.models import Bid, Posting

    now = timezone.now()
    seed = drawing.new_seed()
    p = Posting.objects.create(
        number=f"B{n:08d}", owner=data["owner"], owner_name="业主", service=data["services"][0],
        project="基准", scope="基准", budget_cap=90000, method="weighted_draw",
        offers_close_at=now - datetime.timedelta(minutes=1), seed=seed,
        commitment=drawing.commitment(seed), posted_at=now - datetime.timedelta(days=3))
    bidders = random.Random(n).sample(data["found"], BIDDERS)
    Bid.objects.bulk_create(
        (Bid(posting=p, intermediary=x, price=50000 + k, days=20, submitted_at=now,
             submitted_by=data["owner"]) for k, x in enumerate(bidders)), batch_size=500)
    return int(p.pk)


def child() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.utils import timezone

    from oneseal.intermediaries import selectors
    from oneseal.intermediaries.domain import draw as drawing
    from oneseal.intermediaries.models import Intermediary
    from oneseal.intermediaries.services.selection import close_posting

    data = _generate()
    today = timezone.localdate()
    p50, p95, hits = {}, {}, {}
    for label, raw in SEARCHES:
        params = dict(raw)
        if params.pop("service", None):
            params["service_id"] = data["services"][0].pk

        def search(params: dict[str, Any] = params) -> int:
            rows = selectors.directory(**params, today=today)
            page = [(x.pk, x.name, x.credit_code, x.credit_score, x.standing)
                    for x in rows[0:20]]
            return rows.count() if page or True else 0

        hits[label] = search()
        wall = _time(search, REPEAT)
        p50[label], p95[label] = statistics.median(wall), _p95(wall)
    pairs = [(x.pk, x.credit_score) for x in random.Random(1).sample(data["found"], BIDDERS)]
    seed = drawing.new_seed()
    draw_wall = _time(lambda: drawing.draw(seed, "B0", pairs), REPEAT)
    close = []
    for n in range(CLOSE_ROUNDS):
        pk = _posting_with_bids(data, n)
        started = time.perf_counter()
        close_posting(posting_id=pk)
        close.append((time.perf_counter() - started) * 1000)
    one = data["found"][len(data["found"]) // 2].pk
    floor = _time(lambda: Intermediary.objects.filter(pk=one).first(), REPEAT)
    print(MARK + json.dumps({
        "p50": p50, "p95": p95, "hits": hits, "count": INTERMEDIARIES,
        "draw_p50": statistics.median(draw_wall), "draw_p95": _p95(draw_wall),
        "close": close, "close_p95": _p95(close) if len(close) > 1 else close[0],
        "floor_p95": _p95(floor), "floor_p50": statistics.median(floor),
        "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        report("intermediaries", run())
