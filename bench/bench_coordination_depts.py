"""部门协同 benchmark (issue 16, h16b) on SQLite: a district's year of pushed decisions.

- The claim inbox of one department (the 待认领 tab as `views_depts.inbox` builds it: the
  overdue count, the first page of 25 ordered by claim deadline, each with its light from
  the working calendar) with 200,000 tickets over 20 departments (10,000 for the department,
  half of them claimed): p95 over BENCH_COORD_REPEAT rounds.
- A decision pushed into the inbox (`claims.push_decision`, the receiver's work in the
  decision's transaction: one lookup, the 2-working-day deadline, one insert).
- The expert draw: the pure computation (`domain/draw.draw_order`, HMAC-SHA256 per eligible
  expert) over 2,000 eligible experts, and the whole `experts.run_draw` (eligible list,
  recusal against 300 earlier draws, audit event) on a pool of 2,000.
- Baseline in the same run: one ticket read by primary key.

Data is written in bulk (no services) into a temporary SQLite file. Run alone with
`.venv/bin/python bench/bench_coordination_depts.py`; `BENCH_QUICK=1` for a short run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report, row

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-COORD-RESULT "
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
TICKETS = 20_000 if QUICK else 200_000
DEPARTMENTS = 20
EXPERTS = 2_000
DRAWS = 300
REPEAT = int(os.environ.get("BENCH_COORD_REPEAT", "20" if QUICK else "100"))
TARGET_INBOX_MS = 100.0


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="oneseal-bench-coord-") as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
               "ONESEAL_DATA_DIR": tmp, "ONESEAL_DEV": "1", "LOG_LEVEL": "WARNING",
               "DJANGO_SETTINGS_MODULE": "oneseal.config.settings"}
        env.pop("ONESEAL_TESTING", None)
        out = subprocess.run([sys.executable, __file__, "--child"], env=env, cwd=ROOT,
                             capture_output=True, text=True)
        sys.stderr.write(out.stderr[-4000:])
        if out.returncode != 0:
            raise RuntimeError(f"benchmark child failed: {out.stderr[-2000:]}")
        m = json.loads(next(x for x in out.stdout.splitlines()
                            if x.startswith(MARK))[len(MARK):])
    base = m["floor_p95"]
    tail = (f"baseline: one ticket by primary key (p95 {base:.3f} ms); load average "
            f"{m['load']:.1f} on a shared 2-core machine (other engineers' tests running)")
    return [
        row(f"claim inbox, {TICKETS:,} tickets, first page + lights", m["inbox_p95"],
            "ms p95", target=TARGET_INBOX_MS, baseline=base, higher_is_better=False,
            note=f"p50 {m['inbox_p50']:.2f} ms; {m['open']:,} open for the department; "
                 f"{REPEAT} rounds; {tail}"),
        row("push a decision into the inbox", m["push_p95"], "ms p95", baseline=base,
            higher_is_better=False,
            note=f"p50 {m['push_p50']:.2f} ms; {REPEAT} rounds, each in a transaction; {tail}"),
        row(f"draw order over {EXPERTS:,} eligible experts (HMAC-SHA256)", m["order_p95"],
            "ms p95", baseline=base, higher_is_better=False,
            note=f"p50 {m['order_p50']:.2f} ms; {REPEAT} rounds; {tail}"),
        row(f"run a draw: pool {EXPERTS:,}, {DRAWS} earlier draws, audit", m["run_p95"],
            "ms p95", baseline=base, higher_is_better=False,
            note=f"rounds (ms): {', '.join(f'{x:.0f}' for x in m['run'])}; {tail}"),
    ]


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


def child() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.db import transaction
    from django.utils import timezone

    from oneseal.accounts.models import RoleGrant, User
    from oneseal.coordination import claims, experts
    from oneseal.coordination.domain import draw as algo
    from oneseal.coordination.models import ClaimTicket, DrawState, Expert, ExpertDraw
    from oneseal.core.workcalendar.selectors import get_work_calendar
    from oneseal.org.models import Unit, UnitKind
    from oneseal.org.seed import load_org_tree

    org = load_org_tree()
    bureau = org["bureau"]
    depts = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("id"))[:DEPARTMENTS]
    while len(depts) < DEPARTMENTS:
        n = len(depts)
        depts.append(Unit.objects.create(code=f"bench-dept-{n}", name=f"部门{n}",
                                         kind=UnitKind.DEPARTMENT, parent=bureau.parent))
    dept = depts[0]
    officer = User.objects.create(username="bench-dept", unit=dept)
    RoleGrant.objects.create(user=officer, role="dept_officer")
    chief = User.objects.create(username="bench-chief", unit=bureau)
    RoleGrant.objects.create(user=chief, role="chief")
    cal = get_work_calendar()
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for i in range(TICKETS):
            received = today - dt.timedelta(days=i % 365)
            claimed = (i // DEPARTMENTS) % 2 == 0
            rows.append(ClaimTicket(
                department=depts[i % DEPARTMENTS], kind="decision", source=f"bench:{i}",
                title=f"事项{i % 97}：申请人{i}（准予许可）", received_on=received,
                received_at=now, claim_due=received + dt.timedelta(days=3),
                claimed_at=now if claimed else None, claimed_on=today if claimed else None,
                claimed_by=officer if claimed else None))
        ClaimTicket.objects.bulk_create(rows, batch_size=2000)
        Expert.objects.bulk_create([Expert(name=f"专家{i}", field="环境工程", title="高级工程师",
                                           unit_name=f"单位{i % 400}",
                                           relations=[f"单位{(i + 7) % 400}"])
                                    for i in range(EXPERTS)], batch_size=1000)
        ids = list(Expert.objects.values_list("pk", flat=True))
        ExpertDraw.objects.bulk_create([ExpertDraw(
            field="环境工程", count=3, commitment="0" * 64, seed="00" * 32,
            state=DrawState.DRAWN, committed_at=now, drawn_at=now,
            drawn_on=today - dt.timedelta(days=k % 200), selected_ids=ids[k * 3:k * 3 + 3],
            created_by=chief) for k in range(DRAWS)])
    cal.is_workday(today)

    def inbox() -> int:
        qs = claims.inbox(officer).filter(claimed_at__isnull=True)
        overdue = qs.filter(claim_due__lt=today).count()
        page = list(qs.order_by("claim_due", "id")[:25])
        cal = get_work_calendar()  # read once per page, as the view does
        lights = [claims.ticket_light(t, today, cal) for t in page]
        return overdue + len(lights)

    open_count = claims.inbox(officer).filter(claimed_at__isnull=True).count()
    inbox_wall = _time(inbox, REPEAT)

    counter = iter(range(10**9))

    def push() -> None:
        with transaction.atomic():
            claims._push(department_id=dept.pk, kind="decision",
                         source=f"bench-push:{next(counter)}", case=None, licence=None,
                         title="事项：申请人（准予许可）", detail="", at=now, on=today)

    push_wall = _time(push, REPEAT)
    seed = os.urandom(32)
    order_wall = _time(lambda: algo.draw_order(seed, ids), REPEAT)
    run = []
    for _ in range(3 if QUICK else 10):
        d = experts.commit_draw(actor=chief, field="环境工程", count=5,
                                related_names=["单位1", "单位2"])
        started = time.perf_counter()
        experts.run_draw(actor=chief, draw_id=d.pk)
        run.append((time.perf_counter() - started) * 1000)
    one = ClaimTicket.objects.order_by("id")[TICKETS // 2].pk
    floor = _time(lambda: ClaimTicket.objects.filter(pk=one).first(), REPEAT)
    print(MARK + json.dumps({
        "inbox_p50": statistics.median(inbox_wall), "inbox_p95": _p95(inbox_wall),
        "open": open_count, "push_p50": statistics.median(push_wall),
        "push_p95": _p95(push_wall), "order_p50": statistics.median(order_wall),
        "order_p95": _p95(order_wall), "run": run, "run_p95": _p95(run),
        "floor_p95": _p95(floor), "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        report("coordination_depts", run())
