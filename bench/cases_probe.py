"""The in-Django half of bench/bench_cases.py, run as a subprocess against one database
(ONESEAL_DATA_DIR / DATABASE_URL from the environment). Prints one line `RESULT <json>`.

    python bench/cases_probe.py setup            foundation demo (no demo cases) + tokens
    python bench/cases_probe.py seals ITEM       the seals and a licence type for ITEM
    python bench/cases_probe.py lists RUNS       p95 of the list selectors
    python bench/cases_probe.py verify           verify the audit chain
    python bench/cases_probe.py explain          the query plans of the list selectors
    python bench/cases_probe.py inproc N ITEM PERSON   N lifecycles in-process (no HTTP)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils.module_loading import autodiscover_modules  # noqa: E402

from oneseal.accounts.models import User  # noqa: E402
from oneseal.accounts.services import create_token  # noqa: E402
from oneseal.applicants.models import Person  # noqa: E402
from oneseal.cases import selectors  # noqa: E402
from oneseal.cases.models import Case, CaseStep  # noqa: E402
from oneseal.catalog.models import ChainStep  # noqa: E402
from oneseal.catalog.selectors import versions_in_force  # noqa: E402
from oneseal.core import demo  # noqa: E402
from oneseal.core.audit_verify import verify_chain  # noqa: E402

LIFECYCLE_ROLES = ["clerk", "reviewer", "chief", "head"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def setup() -> dict[str, Any]:
    """The demo foundation (calendar, org, staff, applicants, catalogue; not the demo cases),
    API tokens for the staff the lifecycle needs, and the item it uses: a bureau item whose
    variant 01 runs 受理 → 审查 → 审核 → 批准 without a site visit."""
    autodiscover_modules("demo")
    ctx = demo.DemoContext(write=lambda _m: None)
    # Only the loaders ordered before the demo cases (calendar, org, applicants, catalogue,
    # seals): later ones (the online hall, the departments, the marketplace, the exchange…)
    # make cases of their own, and bench_cases_generate refuses a database holding cases
    # that are neither benchmark rows nor the cases loader's.
    for name, loader in demo.registered():
        if demo.order_of(name) >= demo.order_of("cases"):
            continue
        with transaction.atomic():
            loader(ctx)
    tokens = {}
    for username in [*LIFECYCLE_ROLES, "dept"]:
        user = User.objects.get(username=username)
        tokens[username] = create_token(actor=None, user=user, name="bench")[0]
    item_id = None
    for version in versions_in_force().filter(competent_department__isnull=False):
        variant = version.variants.filter(code="01").first()
        if variant is None or version.is_on_the_spot:
            continue
        steps = list(ChainStep.objects.filter(variant=variant).order_by("order"))
        if [s.role for s in steps] == LIFECYCLE_ROLES and not any(s.site_visit for s in steps):
            item_id = version.item_id
            break
    person = Person.objects.get(user__username="applicant")
    return {"tokens": tokens, "item_id": item_id, "person_id": person.pk}


def seals(item_id: int) -> dict[str, Any]:
    """What signing and delivery need: the bureau's seals (`oneseal seal init`) and a
    licence type for the lifecycle's item, so that each grant is sealed as the decision and
    the licence, as in production."""
    from oneseal.licences.models import LicenceType
    from oneseal.org.selectors import bureau
    from oneseal.seal.keys import init_seals

    unit = bureau()
    init_seals(bureau_name=unit.name if unit else settings.ONESEAL_SITE_NAME,
               bureau_code=settings.ONESEAL_BUREAU_CODE)
    if not LicenceType.objects.filter(item_id=item_id, active=True).exists():
        LicenceType.objects.create(code="11100000000000098", name="基准测试许可证",
                                   item_id=item_id, defining_authority="基准测试",
                                   validity_months=36, scope_label="许可范围")
    return {"item_id": item_id}


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _timed(fn: Callable[[], Any], runs: int, rounds: int = ROUNDS) -> dict[str, Any]:
    """p50 and p95 in ms of each of `rounds` rounds (`rounds_p50`, `rounds_p95`), and the
    median round's figures as `p50` and `p95`: every round is reported, none is picked."""
    for _ in range(3):
        fn()
    p50s, p95s = [], []
    for _ in range(rounds):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        p50s.append(statistics.median(times))
        p95s.append(p95(times))
    return {"p50": statistics.median(p50s), "p95": statistics.median(p95s),
            "rounds_p50": p50s, "rounds_p95": p95s, "rows": 0}


def _middle(qs: Any) -> str | None:
    """A cursor in the middle of `qs` (newest first) that still leaves a full page after
    it, or None (first page) when there are not two pages."""
    ids = list(qs.order_by("-id").values_list("id", flat=True))
    if len(ids) < 2 * 51:
        return None
    return str(ids[min(len(ids) // 2, len(ids) - 52)])


def _queries() -> dict[str, Callable[[], Any]]:
    users = {u.username: u for u in User.objects.filter(
        username__in=["clerk", "reviewer", "chief", "dept", "applicant"])}
    clerk = users["clerk"]
    f = selectors.CaseFilters
    top = Case.objects.order_by("-id").values_list("id", flat=True).first() or 1
    mid = str(top // 2)
    r_mid = _middle(Case.objects.filter(state="reviewing"))
    sample = Case.objects.order_by("-id").values("number", "item_id", "department_id",
                                                 "applicant_name").first() or {}
    step_mid = _middle(CaseStep.objects.filter(state="open", role="reviewer"))
    name = (sample.get("applicant_name") or "王")[:2]
    # the same item and department at every size: the lowest ids that have cases
    sample["item_id"] = Case.objects.order_by("item_id").values_list("item_id",
                                                                      flat=True).first()
    sample["department_id"] = Case.objects.order_by("department_id").values_list(
        "department_id", flat=True).first()

    def cases(user: Any, filters: Any = None, cursor: str | None = None) -> Callable[[], Any]:
        return lambda: selectors.case_list(user, filters, cursor=cursor, limit=50).items

    def tasks(user: Any, mine: bool, cursor: str | None = None) -> Callable[[], Any]:
        return lambda: [s.case.number for s in
                        selectors.task_list(user, mine=mine, cursor=cursor, limit=50).items]

    return {
        "case list, first page": cases(clerk),
        "case list, deep page (cursor)": cases(clerk, None, mid),
        "case list, state=reviewing": cases(clerk, f(state="reviewing")),
        "case list, state=reviewing, deep": cases(clerk, f(state="reviewing"), r_mid),
        "case list, item": cases(clerk, f(item_id=sample.get("item_id"))),
        "case list, department+state": cases(clerk, f(department_id=sample.get(
            "department_id"), state="delivered")),
        "case list, q=number": cases(clerk, f(q=sample.get("number", ""))),
        "case list, q=applicant name": cases(clerk, f(q=name)),
        "case list, overdue": cases(clerk, f(overdue=True)),
        "case list, dept officer (own dept)": cases(users["dept"]),
        "case list, applicant (own cases)": cases(users["applicant"]),
        "task list, reviewer open": tasks(users["reviewer"], False),
        "task list, chief open (2 roles)": tasks(users["chief"], False),
        "task list, clerk open (受理)": tasks(clerk, False),
        "task list, reviewer open, deep": tasks(users["reviewer"], False, step_mid),
        "task list, reviewer mine": tasks(users["reviewer"], True),
    }


def lists(runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {"cases": Case.objects.count(), "vendor": connection.vendor,
                           "timings": {}}
    for label, fn in _queries().items():
        timing = _timed(fn, runs)
        timing["rows"] = len(fn())
        out["timings"][label] = timing
    return out


def explain() -> dict[str, Any]:
    """The plan of each list query (for the report when a ratio is over target)."""
    from django.db.backends.utils import CursorWrapper

    plans = {}
    captured: list[tuple[str, Any]] = []
    original = CursorWrapper.execute

    def spy(self: Any, sql: str, params: Any = None) -> Any:
        captured.append((sql, params))
        return original(self, sql, params)

    CursorWrapper.execute = spy  # type: ignore[method-assign]
    try:
        for label, fn in _queries().items():
            captured.clear()
            fn()
            sql, params = captured[-1] if captured else ("SELECT 1", None)
            prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql"
                      else "EXPLAIN QUERY PLAN ")
            with connection.cursor() as cur:
                original(cur, prefix + sql, params)
                plans[label] = {"sql": sql, "params": [str(p) for p in params or ()],
                                "plan": [" ".join(str(c) for c in row)
                                         for row in cur.fetchall()]}
    finally:
        CursorWrapper.execute = original  # type: ignore[method-assign]
    return plans


def inproc(runs: int, item_id: int, person_id: int) -> dict[str, Any]:
    """The lifecycle's 9 requests (to the decision; delivery waits for the seal) through
    Django in this process (no HTTP, one thread):
    the application's own cost per request and its query count."""
    from django.db import reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    tokens = {u: create_token(actor=None, user=User.objects.get(username=u), name="inproc")[0]
              for u in LIFECYCLE_ROLES}
    client = Client(HTTP_HOST="127.0.0.1")
    per: dict[str, list[float]] = {}
    queries: dict[str, int] = {}

    def call(label: str, path: str, body: Any, who: str) -> Any:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(path, data=json.dumps(body) if body is not None else None,
                                   content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")
            per.setdefault(label, []).append((time.perf_counter() - started) * 1000)
        queries[label] = len(captured)
        if response.status_code not in (200, 201):
            raise RuntimeError(f"{label}: {response.status_code} {response.content[:300]!r}")
        reset_queries()
        return response.json()

    def one() -> None:
        case = call("submit", "/api/v1/cases", {
            "item_id": item_id, "variant_code": "01",
            "applicant": {"person_id": person_id}}, "clerk")
        base = f"/api/v1/cases/{case['id']}"
        results = [{"material": m["id"], "status": "ok" if m["required"] else "not_needed"}
                   for m in case["materials"] if m["status"] == "pending"]
        call("check-materials", base + "/check-materials", {"results": results}, "clerk")
        call("accept", base + "/accept", None, "clerk")
        for who in ("reviewer", "chief"):
            call("claim", base + "/claim", None, who)
            call("complete-step", base + "/complete-step", {"opinion": "agree"}, who)
        call("claim", base + "/claim", None, "head")
        call("decide", base + "/decide", {"outcome": "granted", "reasons": "符合"}, "head")

    one()  # warm-up
    per.clear()
    started = time.perf_counter()
    for _ in range(runs):
        one()
    seconds = time.perf_counter() - started
    return {"cases_per_s": runs / seconds, "ms_per_case": seconds * 1000 / runs,
            "ms": {k: statistics.mean(v) for k, v in per.items()}, "queries": queries}


def main() -> None:
    what = sys.argv[1]
    if what == "setup":
        result: Any = setup()
    elif what == "seals":
        result = seals(int(sys.argv[2]))
    elif what == "lists":
        result = lists(int(sys.argv[2]) if len(sys.argv) > 2 else 30)
    elif what == "verify":
        r = verify_chain()
        result = {"ok": r.ok, "rows": r.rows_checked}
    elif what == "explain":
        result = explain()
    elif what == "inproc":
        result = inproc(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
    print("RESULT " + json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
