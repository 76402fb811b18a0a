"""Catalogue search benchmark: p95 of one search (count + first page of 20, as
`GET /api/v1/items` does it) over 5,000 items, on SQLite and PostgreSQL. Target: p95 at most
20 ms on both (issue "Item catalogue").

Each database is measured in a child process with its own settings: SQLite in a temporary
file; PostgreSQL in a scratch database `<name>_bench_search` beside DATABASE_URL when that is
PostgreSQL, else beside BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
when a server answers there; dropped afterwards. The items are generated in bulk, each with a
published version and its search key (name, pinyin initials, full pinyin, code); a quarter
are transferred to the bureau.

Run alone with `.venv/bin/python bench/bench_search.py`; `make bench` calls run().
Sizes: BENCH_SEARCH_ITEMS (default 5,000), BENCH_SEARCH_REPEAT (default 200).
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
MARK = "BENCH-SEARCH-RESULT "
ITEMS = int(os.environ.get("BENCH_SEARCH_ITEMS", "5000"))
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "200"))
TARGET_MS = 20.0

# (label, filters): the searches a visitor makes.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("2 characters 食品", {"q": "食品"}),
    ("3 characters 许可证", {"q": "许可证"}),
    ("5 characters 食品经营许", {"q": "食品经营许"}),
    ("pinyin initials SPJY", {"q": "SPJY"}),
    ("full pinyin shipin", {"q": "shipin"}),
    ("no match 航天器", {"q": "航天器"}),
    ("no query, first page", {}),
    ("department + 审批", {"q": "审批", "department": "first"}),
    ("type + street + depth", {"item_type": "licensing", "street": True, "online_depth": 3}),
    ("transferred + 许可", {"q": "许可", "transferred": True}),
]


# --- parent -----------------------------------------------------------------------------

def _child(database_url: str, data_dir: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "ONESEAL_DATA_DIR": data_dir,
           "ONESEAL_DEV": "1", "DJANGO_SETTINGS_MODULE": "oneseal.config.settings"}
    env.pop("ONESEAL_TESTING", None)
    out = subprocess.run([sys.executable, __file__, "--child"], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    sys.stderr.write(out.stderr[-4000:])
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({out.returncode}): {out.stderr[-2000:]}")
    line = next(x for x in out.stdout.splitlines() if x.startswith(MARK))
    return dict(json.loads(line[len(MARK):]))


def _rows(label: str, m: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for case, p95 in m["p95"].items():
        out.append(row(f"{case}, {label}", p95, "ms p95", target=TARGET_MS,
                       baseline=m["floor_p95"], higher_is_better=False,
                       note=f"p50 {m['p50'][case]:.2f} ms, CPU p95 {m['cpu95'][case]:.2f} ms; "
                            f"{m['hits'][case]} hits of {m['items']:,} items; baseline: one "
                            f"row by primary key; load average {m['load']:.1f}"))
    return out


def run() -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="oneseal-bench-search-") as tmp:
        results += _rows("SQLite", _child(f"sqlite:///{tmp}/bench.sqlite3", tmp))
        url = pg_target()
        if url is None:
            print("PostgreSQL 不可用，跳过 / no PostgreSQL server: round skipped",
                  file=sys.stderr)
            return results
        import psycopg

        parts = urlsplit(url)
        base = parts.path.lstrip("/") or "postgres"
        name = f"{base}_bench_search" if base != "postgres" else "oneseal_bench_search"
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

SUBJECTS = ["食品", "药品", "医疗器械", "建设工程", "城市道路", "林木", "农药", "兽药", "取水",
            "排水", "广告", "娱乐场所", "体育", "旅行社", "出版物", "烟草", "危险化学品", "燃气",
            "消防", "特种设备", "测绘", "地质灾害", "河道", "渔业", "种子", "饲料", "道路运输",
            "出租汽车", "民办学校", "医疗机构", "公共场所", "饮用水", "放射", "职业卫生", "餐饮",
            "建筑垃圾", "绿化", "古树名木", "文物", "宗教活动场所"]
ACTIONS = ["经营", "生产", "设置", "占用", "挖掘", "迁移", "采伐", "使用", "运输", "储存"]
KINDS = ["许可", "许可证核发", "审批", "核准", "登记", "备案", "确认", "资格认定", "变更", "延续"]
TYPES = ["licensing"] * 6 + ["confirmation", "filing", "public_service", "other_power"]


def _generate(n: int) -> None:
    from django.db import transaction
    from django.utils import timezone
    from stdnum.cn import uscc

    from oneseal.catalog.domain.search import search_key
    from oneseal.catalog.models import Item, ItemListing, ItemVersion, TransferMemo
    from oneseal.org.models import Unit, UnitKind

    def code(i: int) -> str:
        body = f"11530112MB{i:07d}"
        return body + uscc.calc_check_digit(body)

    rng = random.Random(42)
    with transaction.atomic():
        bureau = Unit.objects.create(code="bureau", name="行政审批局", kind=UnitKind.BUREAU,
                                     credit_code=code(0))
        depts = Unit.objects.bulk_create(
            Unit(code=f"dept-{i}", name=f"部门{i}", kind=UnitKind.DEPARTMENT,
                 credit_code=code(i), sort_order=i) for i in range(1, 31))
        items, versions = [], []
        start = timezone.now() - datetime.timedelta(days=30)
        for i in range(n):
            body = bureau if i % 4 == 0 else depts[i % len(depts)]  # a quarter transferred
            basic = f"0001{i:05d}000"
            items.append(Item(implementation_code=f"{body.credit_code}4{basic}",
                              basic_code=basic, exercise_level=4, implementing_unit=body))
        Item.objects.bulk_create(items, batch_size=1000)
        items = list(Item.objects.order_by("pk"))
        for i, item in enumerate(items):
            dept = depts[i % len(depts)]
            name = ("食品经营许可" if i == 0 else
                    f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}{rng.choice(KINDS)}")
            versions.append(ItemVersion(
                item=item, number=1, status="published", name=name,
                item_type=rng.choice(TYPES), competent_department=dept,
                statutory_limit_days=20, promised_limit_days=rng.choice([0, 5, 10, 15]),
                online_depth=rng.randint(1, 4), visits_required=rng.randint(0, 2),
                street_available=rng.random() < 0.2, in_hall=True, valid_from=start,
                published_at=start, content_hash="0" * 64))
        ItemVersion.objects.bulk_create(versions, batch_size=1000)
        versions = list(ItemVersion.objects.select_related("item"))
        ItemListing.objects.bulk_create(
            (ItemListing(version=v, item_id=v.item_id, valid_from=start,
                         search_key=search_key(v.name, v.item.implementation_code),
                         competent_department_id=v.competent_department_id,
                         basic_code=v.item.basic_code, item_type=v.item_type,
                         street_available=v.street_available, online_depth=v.online_depth,
                         in_hall=v.in_hall, transferred=v.item.implementing_unit_id == bureau.pk)
             for v in versions), batch_size=1000)
        TransferMemo.objects.bulk_create(
            TransferMemo(item=item, from_department=depts[i % len(depts)], to_unit=bureau,
                         effective_on=start.date(), approval_duty="审批局", supervision_duty="部门")
            for i, item in enumerate(items) if i % 4 == 0)


def _time(fn: Any, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of `repeat` calls (after one warm-up call)."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def child() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from oneseal.catalog.api import _labels, summary
    from oneseal.catalog.selectors import ItemFilters, search_items
    from oneseal.org.models import Unit

    _generate(ITEMS)
    first_dept = Unit.objects.filter(kind="department").order_by("pk").first()
    p50, p95, cpu95, hits = {}, {}, {}, {}
    for label, raw in CASES:
        params = dict(raw)
        if params.get("department") == "first":
            params["department"] = first_dept.pk  # type: ignore[union-attr]
        filters = ItemFilters(**params)

        def search(filters: ItemFilters = filters) -> int:
            """What GET /api/v1/items does: the first page of 20, serialised, and the count."""
            result = search_items(filters)
            labels = _labels()
            page = [summary(v, labels) for v in result[0:20]]
            return result.count() if page or True else 0

        hits[label] = search()
        wall, cpu = _time(search, REPEAT)
        p50[label], p95[label], cpu95[label] = statistics.median(wall), _p95(wall), _p95(cpu)
    dept_pk = first_dept.pk  # type: ignore[union-attr]
    floor, _cpu = _time(lambda: Unit.objects.filter(pk=dept_pk).first(), REPEAT)
    print(MARK + json.dumps({"p50": p50, "p95": p95, "cpu95": cpu95, "hits": hits,
                             "items": ITEMS, "floor_p95": _p95(floor),
                             "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        report("search", run())
