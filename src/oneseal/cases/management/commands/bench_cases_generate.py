"""`oneseal manage bench_cases_generate --count N`: fill the case tables FAST with realistic
benchmark rows (压测数据), for the list and task-list benchmarks (bench/bench_cases.py).

THE documented exception to "only services write" (architecture rule 1): the rows are
written in bulk (executemany on SQLite, COPY on PostgreSQL), without audit-chain events,
documents or materials, because a million cases through the services would take hours. They
are benchmark data only, and the command guards against ever mixing them with real cases:

* it runs only on a development database (`DEBUG` or `ONESEAL_DEV=1`), or with
  `--yes-i-know`;
* it refuses, always, a database that holds a case which is neither benchmark data (numbers
  start with `BENCH`) nor demo data (submitted by the demo loader).

What is written, per case: the case (spread over the published items, their variants and
competent departments, over two years of receipts up to today, in every state with the
share a real bureau has: most old cases delivered, the recent ones still in intake or in
review), its review steps copied from the variant's chain (done, open or claimed by a
holder of the step's role, waiting), its main events (submit, accept, special_start,
decide, deliver, refuse, withdraw, terminate, correction_notice), the delivery record of a
delivered case and the running special procedure of a suspended one. Due dates come from
the working-day calendar (a deadline the calendar cannot compute gets `clock_error`, as the
services do). Applicants: a pool of generated persons (ID sequence codes 990-997 with a
valid check digit) and organisations. Numbers are `BENCH<year><id:09d>`: unique, never
colliding with the services' numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from stdnum.cn import ric

from oneseal.accounts.models import RoleGrant
from oneseal.applicants.models import Organisation, Person
from oneseal.catalog.selectors import versions_in_force
from oneseal.core import demo
from oneseal.core.identity import make_credit_code
from oneseal.core.workcalendar.domain import ClockError, WorkCalendar
from oneseal.core.workcalendar.selectors import get_work_calendar

from ...models import (
    Case,
    CaseEvent,
    CaseStep,
    Delivery,
    IdempotencyRecord,
    SpecialProcedureRun,
)

BENCH_PREFIX = "BENCH"
DEMO_KEY_PREFIX = "demo-case-"
SPAN_DAYS = 700
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
         "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红梅"]
ORG_WORDS = ["恒达", "碧鸡", "滇池", "西山", "春城", "海口", "马街", "团结", "金碧", "云岭",
             "润城", "前卫", "福海", "永昌", "棕树"]
ORG_KINDS = ["建筑工程", "物流", "餐饮管理", "商贸", "科技", "文化传媒", "环保科技", "物业服务",
             "农业开发", "体育文化"]
# Share of each state by the age of the case (days since receipt).
STATE_WEIGHTS = {
    "fresh": {"received": 35, "correcting": 10, "not_accepted": 4, "reviewing": 40,
              "special": 1, "decided": 3, "ready": 3, "delivered": 2, "withdrawn": 2},
    "recent": {"received": 2, "correcting": 4, "not_accepted": 4, "reviewing": 30,
               "special": 3, "decided": 2, "ready": 8, "delivered": 42, "withdrawn": 3,
               "terminated": 2},
    "old": {"reviewing": 0.5, "special": 0.3, "decided": 0.1, "ready": 0.1, "delivered": 88,
            "not_accepted": 4, "withdrawn": 4, "terminated": 3},
}
CLOSED_EARLY = {"received", "correcting", "not_accepted"}


@dataclass
class Chain:
    version_id: int
    item_id: int
    variant_id: int
    department_id: int
    item_name: str
    variant_name: str
    promised: int
    statutory: int
    on_the_spot: bool
    steps: list[tuple[str, str, int, bool]]  # (name, role, limit_days, site_visit)


class Table:
    """The columns of a model and a row builder that fills every column not given from the
    field's default (so a new nullable or defaulted column needs no change here)."""

    def __init__(self, model: type[models.Model], now_text: str, *, with_pk: bool = True
                 ) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [f.column for f in fields]
        self.defaults: dict[str, Any] = {}
        for f in fields:
            if f.primary_key:
                value: Any = None
            elif f.has_default():
                value = f.get_default()
                if isinstance(f, models.JSONField):
                    value = json.dumps(value)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now_text
            elif f.null:
                value = None
            elif isinstance(f, (models.CharField, models.TextField)):
                value = ""
            else:
                value = _REQUIRED
            self.defaults[f.column] = value

        self._get = operator.itemgetter(*self.columns)

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return self._get({**self.defaults, **values})  # type: ignore[no-any-return]

    def check(self, values: dict[str, Any]) -> None:
        missing = [c for c in self.columns
                   if c not in values and self.defaults[c] is _REQUIRED]
        if missing:
            raise CommandError(f"{self.name}: no value for {missing}")


_REQUIRED = object()


class Writer:
    """Bulk insert: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw = connection.connection
        if self.vendor == "sqlite" and not connection.in_atomic_block:
            cur = self.raw.cursor()
            for pragma in ("synchronous=OFF", "cache_size=-262144", "temp_store=MEMORY"):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

    def drop_indexes(self, tables: Sequence[str]) -> list[str]:
        """Drop the plain (non-constraint) indexes of `tables`, returning the statements
        that create them again: loading a million rows and then indexing them is several
        times faster than updating ~30 indexes row by row."""
        cur = self.raw.cursor()
        if self.vendor == "sqlite":
            marks = ", ".join("?" * len(tables))
            query = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "  # noqa: S608
                     f"sql IS NOT NULL AND tbl_name IN ({marks})")
            cur.execute(query, list(tables))
        else:
            cur.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE t.relname = ANY(%s) AND NOT x.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)", [list(tables)])
        found = [(str(name), str(sql)) for name, sql in cur.fetchall()]
        for name, _sql in found:
            cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cur.close()
        return [sql for _name, sql in found]

    def create_indexes(self, statements: Sequence[str]) -> None:
        cur = self.raw.cursor()
        for sql in statements:
            cur.execute(sql)
        cur.close()

    def insert(self, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        cols = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        if self.vendor == "postgresql":
            with self.raw.cursor() as cur, cur.copy(
                    f"COPY {connection.ops.quote_name(table.name)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(table.columns))
            cur = self.raw.cursor()
            sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})'  # noqa: S608
            cur.executemany(sql, rows)
            cur.close()


def _utc_text(moment: dt.datetime, vendor: str) -> str:
    text = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return text + "+00" if vendor == "postgresql" else text


def _chains(on: dt.datetime) -> list[Chain]:
    out = []
    versions = (versions_in_force(on).select_related("item")
                .prefetch_related("variants__steps"))
    for version in versions:
        for variant in version.variants.all():
            steps = [(s.name, s.role, s.limit_days, s.site_visit)
                     for s in sorted(variant.steps.all(), key=lambda s: s.order)]
            if steps:
                out.append(Chain(version.pk, version.item_id, variant.pk,
                                 version.competent_department_id, version.name, variant.name,
                                 version.promised_limit_days, version.statutory_limit_days,
                                 version.is_on_the_spot, steps))
    return out


PERSON_POOL_MAX = 140_000  # < 18,000 birth dates × 8 sequence codes of `_id_number`


def _id_number(index: int) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=index % 18000)
    body = f"530112{born:%Y%m%d}{990 + (index // 18000) % 8:03d}"
    return body + ric.calc_check_digit(body + "0")


def _credit_code(index: int) -> str:
    """A valid unified social credit code: 91 + 530112 (西山区) + 9 characters + check."""
    digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    n, tail = index, ""
    for _ in range(9):
        n, r = divmod(n, len(digits))
        tail = digits[r] + tail
    return make_credit_code(f"91530112{tail}")


def refusal_reason(number_of_real: int) -> str:
    return (f"拒绝生成压测数据：数据库中有 {number_of_real} 件非压测、非演示的办件。"
            "压测数据只能写入专用的压测数据库。 / refused: the database holds real cases; "
            "benchmark rows go into a dedicated benchmark database only.")


class Command(BaseCommand):
    help = ("批量生成压测办件（仅限压测数据库；绕过服务层，见模块说明）。 / Bulk-generate "
            "benchmark cases (benchmark databases only; bypasses the services, see the module "
            "docstring).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="办件数 / cases to add")
        parser.add_argument("--batch", type=int, default=10_000,
                            help="每批办件数 / cases per transaction (default 10000)")
        parser.add_argument("--seed", type=int, default=20261127, help="随机种子 / seed")
        parser.add_argument("--keep-indexes", action="store_true",
                            help="不临时删除索引（默认在生成 5 万件以上时先删后建） / do not drop "
                                 "and rebuild the indexes (done by default from 50,000 cases)")
        parser.add_argument("--yes-i-know", action="store_true",
                            help="在非开发环境中也运行 / run outside a development setting")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (demo.demo_allowed() or options["yes_i_know"]):
            raise CommandError(
                "拒绝生成压测数据：仅限开发环境（ONESEAL_DEV=1）或加 --yes-i-know。 / refused: "
                "development only (ONESEAL_DEV=1), or pass --yes-i-know.")
        real = real_case_count()
        if real:
            raise CommandError(refusal_reason(real))
        self.verbosity = options["verbosity"]
        count, batch = options["count"], max(100, options["batch"])
        if count < 1:
            raise CommandError("--count 至少为 1 / at least 1")
        started = time.perf_counter()
        rebuild = count >= 50_000 and not options["keep_indexes"]
        made = Generator(seed=options["seed"]).run(count, batch, self._progress,
                                                   rebuild_indexes=rebuild)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"已生成 {made['cases']:,} 件压测办件（{made['steps']:,} 个环节，{made['events']:,} "
            f"条记录），用时 {seconds:.1f} 秒（{made['cases'] / seconds:,.0f} 件/秒）。 / "
            f"generated {made['cases']:,} cases in {seconds:.1f} s")

    def _progress(self, done: int, total: int, seconds: float, what: str = "cases") -> None:
        if self.verbosity > 1 or (self.verbosity and done == total):
            self.stderr.write(f"  {what} {done:,}/{total:,}  {seconds:.1f}s")


def real_case_count() -> int:
    """Cases that are neither benchmark rows nor demo cases (the guard's test)."""
    demo_ids = IdempotencyRecord.objects.filter(key__startswith=DEMO_KEY_PREFIX).values("case_id")
    return (Case.objects.exclude(number__startswith=BENCH_PREFIX)
            .exclude(pk__in=demo_ids).count())


class Generator:
    def __init__(self, *, seed: int) -> None:
        self.rnd = random.Random(seed)  # noqa: S311 — sample data, not secrets
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.writer = Writer()
        self.vendor = self.writer.vendor
        now_text = _utc_text(self.now, self.vendor)
        self.t_case = Table(Case, now_text)
        self.t_step = Table(CaseStep, now_text)
        self.t_event = Table(CaseEvent, now_text)
        self.t_delivery = Table(Delivery, now_text, with_pk=False)
        self.t_special = Table(SpecialProcedureRun, now_text, with_pk=False)
        self.chains = _chains(self.now)
        if not self.chains:
            raise CommandError("没有已发布的事项，请先载入事项目录（oneseal load-demo）。 / "
                               "no published items: load the catalogue first")
        self.calendar: WorkCalendar = get_work_calendar()
        self.staff = self._staff()
        if not self.staff.get("clerk"):
            raise CommandError("没有窗口人员账户，请先载入演示人员。 / no clerk: load the demo")
        self._due_cache: dict[tuple[dt.date, int], dt.date | None] = {}
        self._text_cache: dict[dt.date, str] = {}
        self._moment_cache: dict[tuple[dt.date, int], str] = {}
        self.tz = timezone.get_current_timezone()

    # ------------------------------------------------------------------ reference data

    def _staff(self) -> dict[str, list[tuple[int, str, int | None]]]:
        out: dict[str, list[tuple[int, str, int | None]]] = {}
        grants = RoleGrant.objects.select_related("user").filter(user__is_active=True)
        for g in grants:
            u = g.user
            out.setdefault(g.role, []).append(
                (u.pk, (u.display_name or u.username)[:150], u.unit_id))
        return out

    def _applicants(self, count: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """A pool of persons and organisations (existing ones plus generated ones)."""
        # the generated ID numbers (`_id_number`) have 144,000 distinct values: beyond about
        # 8,000,000 cases the persons are shared by more cases instead of wrapping around
        want_p, want_o = min(max(50, count // 60), PERSON_POOL_MAX), max(20, count // 250)
        persons = list(Person.objects.values_list("pk", "name")[:want_p])
        orgs = list(Organisation.objects.values_list("pk", "name")[:want_o])
        taken = set(Person.objects.values_list("id_number", flat=True))
        start = Person.objects.count()
        new_p = []
        i = start
        while len(persons) + len(new_p) < want_p:
            number = _id_number(i)
            i += 1
            if number in taken:
                continue
            name = self.rnd.choice(SURNAMES) + self.rnd.choice(GIVEN)
            new_p.append(Person(name=name, id_number=number, phone=""))
        Person.objects.bulk_create(new_p, batch_size=5000)
        taken_o = set(Organisation.objects.values_list("credit_code", flat=True))
        new_o = []
        j = Organisation.objects.count() + 1000
        while len(orgs) + len(new_o) < want_o:
            code = _credit_code(j)
            j += 1
            if code in taken_o:
                continue
            name = (f"昆明{self.rnd.choice(ORG_WORDS)}{self.rnd.choice(ORG_KINDS)}有限公司"
                    f"（{j:05d}）")
            new_o.append(Organisation(name=name, credit_code=code, legal_representative="李明"))
        Organisation.objects.bulk_create(new_o, batch_size=5000)
        persons = list(Person.objects.values_list("pk", "name")[:max(want_p, len(persons))])
        orgs = list(Organisation.objects.values_list("pk", "name")[:max(want_o, len(orgs))])
        return persons, orgs

    # ------------------------------------------------------------------------- helpers

    def due(self, start: dt.date, days: int) -> dt.date | None:
        key = (start, days)
        if key not in self._due_cache:
            try:
                self._due_cache[key] = (start if days <= 0
                                        else self.calendar.due_date(start, days))
            except ClockError:
                self._due_cache[key] = None
        return self._due_cache[key]

    def d(self, day: dt.date | None) -> str | None:
        if day is None:
            return None
        text = self._text_cache.get(day)
        if text is None:
            text = self._text_cache[day] = day.isoformat()
        return text

    def moment(self, day: dt.date, minute: int) -> str:
        """`minute` minutes after 9:00 on `day`, local time, as stored (UTC text)."""
        key = (day, minute)
        text = self._moment_cache.get(key)
        if text is None:
            base = dt.datetime.combine(day, dt.time(9), tzinfo=self.tz)
            text = self._moment_cache[key] = _utc_text(base + dt.timedelta(minutes=minute),
                                                       self.vendor)
        return text

    def pick(self, role: str, department_id: int | None = None
             ) -> tuple[int | None, str]:
        people = self.staff.get(role) or []
        if role == "dept_officer" and department_id is not None:
            people = [p for p in people if p[2] == department_id] or []
        if not people:
            return None, ""
        pk, name, _unit = self.rnd.choice(people)
        return pk, name

    def state_for(self, age: int) -> str:
        bucket = "fresh" if age <= 7 else "recent" if age <= 45 else "old"
        weights = STATE_WEIGHTS[bucket]
        return self.rnd.choices(list(weights), list(weights.values()))[0]

    # --------------------------------------------------------------------------- run

    def run(self, count: int, batch: int, progress: Any, *,
            rebuild_indexes: bool = False) -> dict[str, int]:
        tables = [t.name for t in (self.t_case, self.t_step, self.t_event, self.t_delivery,
                                   self.t_special)]
        with transaction.atomic():
            dropped = self.writer.drop_indexes(tables) if rebuild_indexes else []
        try:
            return self._run(count, batch, progress)
        finally:
            if dropped:
                started = time.perf_counter()
                with transaction.atomic():
                    self.writer.create_indexes(dropped)
                progress(count, count, time.perf_counter() - started, "indexes")

    def _run(self, count: int, batch: int, progress: Any) -> dict[str, int]:
        persons, orgs = self._applicants(count)
        first_id = (Case.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        step_id = (CaseStep.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        event_id = (CaseEvent.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        start_day = self.today - dt.timedelta(days=SPAN_DAYS)
        made = {"cases": 0, "steps": 0, "events": 0}
        t0 = time.perf_counter()
        clerk = self.staff["clerk"][0]
        for lo in range(0, count, batch):
            n = min(batch, count - lo)
            cases: list[tuple[Any, ...]] = []
            steps: list[tuple[Any, ...]] = []
            events: list[tuple[Any, ...]] = []
            deliveries: list[tuple[Any, ...]] = []
            specials: list[tuple[Any, ...]] = []
            for k in range(n):
                i = lo + k
                case_id = first_id + i
                day = start_day + dt.timedelta(days=(i * SPAN_DAYS) // count)
                if day.weekday() >= 5:  # the hall is closed: the next Monday
                    day += dt.timedelta(days=7 - day.weekday())
                if day > self.today:
                    day = self.today
                built = self.case(case_id, day, persons, orgs, clerk, step_id, event_id)
                cases.append(built[0])
                steps += built[1]
                events += built[2]
                deliveries += built[3]
                specials += built[4]
                step_id += len(built[1])
                event_id += len(built[2])
            with transaction.atomic():
                self.writer.insert(self.t_case, cases)
                self.writer.insert(self.t_step, steps)
                self.writer.insert(self.t_event, events)
                self.writer.insert(self.t_delivery, deliveries)
                self.writer.insert(self.t_special, specials)
            made["cases"] += len(cases)
            made["steps"] += len(steps)
            made["events"] += len(events)
            progress(lo + n, count, time.perf_counter() - t0)
        self._finish()
        return made

    def _finish(self) -> None:
        with connection.cursor() as cur:
            if self.vendor == "postgresql":
                for sql in connection.ops.sequence_reset_sql(
                        no_style(), [Case, CaseStep, CaseEvent, Delivery, SpecialProcedureRun,
                                     Person, Organisation]):
                    cur.execute(sql)
                # As autovacuum would after a bulk load: statistics, and the visibility map
                # that lets an id-only query be an index-only scan. VACUUM cannot run inside
                # a transaction (e.g. in a test), where ANALYZE alone is done.
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                for table in (self.t_case, self.t_step, self.t_event, self.t_delivery):
                    cur.execute(f'{verb} "{table.name}"')

    def case(self, case_id: int, day: dt.date, persons: list[tuple[int, str]],
             orgs: list[tuple[int, str]], clerk: tuple[int, str, int | None], step_id: int,
             event_id: int) -> tuple[tuple[Any, ...], list[tuple[Any, ...]],
                                     list[tuple[Any, ...]], list[tuple[Any, ...]],
                                     list[tuple[Any, ...]]]:
        rnd = self.rnd
        chain = rnd.choice(self.chains)
        age = (self.today - day).days
        state = self.state_for(age)
        if chain.on_the_spot and state in ("reviewing", "special"):
            state = "delivered"
        if state == "special" and age < 3:
            state = "reviewing"
        is_org = rnd.random() < 0.35
        if is_org:
            applicant_id, applicant_name = rnd.choice(orgs)
        else:
            applicant_id, applicant_name = rnd.choice(persons)
        clerk_id, clerk_name = clerk[0], clerk[1]
        received_at = self.moment(day, rnd.randrange(0, 420))
        c: dict[str, Any] = {
            "id": case_id, "number": f"{BENCH_PREFIX}{day.year}{case_id:09d}",
            "query_code": "".join(rnd.choices(ALPHABET, k=8)),
            "item_id": chain.item_id, "version_id": chain.version_id,
            "variant_id": chain.variant_id, "department_id": chain.department_id,
            "item_name": chain.item_name, "variant_name": chain.variant_name,
            "applicant_kind": "organisation" if is_org else "person",
            "person_id": None if is_org else applicant_id,
            "organisation_id": applicant_id if is_org else None,
            "applicant_name": applicant_name,
            "channel": rnd.choice(("window", "window", "online", "api")),
            "state": state, "on_the_spot": chain.on_the_spot, "received_at": received_at,
            "received_on": self.d(day), "created_by_id": clerk_id, "updated_at": received_at,
            "calendar_version": self.calendar.version,
        }
        ev: list[tuple[str, dt.date, str, str, int | None, str]] = [
            ("submit", day, "", "received", clerk_id, clerk_name)]
        correction_due = self.due(day, 5)
        c["correction_due"] = self.d(correction_due)
        accepted = day if chain.on_the_spot else self.due(day, rnd.choice((0, 0, 1, 1, 2)))
        if accepted is None or accepted > self.today:
            accepted = day
        n_steps = len(chain.steps)
        # where the chain stands: steps before `current` are done
        current = 0  # 0-based index of the step being worked on; n_steps = all done
        step_state = "waiting"
        closed_on: dt.date | None = None
        decided: dt.date | None = None
        if state in ("received", "correcting"):
            step_state = "open"
            if state == "correcting":
                ev.append(("correction_notice", min(self.due(day, 2) or day, self.today),
                           "received", "correcting", clerk_id, clerk_name))
        elif state == "not_accepted":
            closed_on = min(self.due(day, 2) or day, self.today)
            ev.append(("refuse", closed_on, "received", "not_accepted", clerk_id, clerk_name))
            c.update(close_reason="申请事项依法不需要取得行政许可", state_before_close="received")
        elif state in ("withdrawn", "terminated") and rnd.random() < 0.4:
            closed_on = min(self.due(day, 1) or day, self.today)
            ev.append(("withdraw" if state == "withdrawn" else "terminate", closed_on,
                       "received", state, clerk_id, clerk_name))
            c.update(close_reason="申请人申请撤回", state_before_close="received")
        else:
            c["accepted_on"] = self.d(accepted)
            ev.append(("accept", accepted, "received", "reviewing", clerk_id, clerk_name))
            if chain.promised or chain.on_the_spot:
                c["promised_due"] = self.d(accepted if chain.on_the_spot
                                           else self.due(accepted, chain.promised))
            statutory_due = self.due(accepted, chain.statutory)
            c["statutory_due"] = self.d(statutory_due)
            if statutory_due is None:
                c["clock_error"] = "工作日历未包含下一年度的放假调休安排，无法计算期限。"
            if state in ("reviewing", "special", "withdrawn", "terminated"):
                current = rnd.randrange(1, n_steps) if n_steps > 1 else 0
                step_state = "claimed" if state == "special" or rnd.random() < 0.45 else "open"
                if state in ("withdrawn", "terminated"):
                    closed_on = min(accepted + dt.timedelta(days=rnd.randrange(1, 20)),
                                    self.today)
                    ev.append(("withdraw" if state == "withdrawn" else "terminate", closed_on,
                               "reviewing", state, clerk_id, clerk_name))
                    c.update(close_reason="申请人申请撤回" if state == "withdrawn"
                             else "申请人主体资格消灭", state_before_close="reviewing")
                    step_state = "waiting"
            else:  # decided / ready (signed) / delivered
                current = n_steps
                span = max(1, (self.today - accepted).days)
                decided = accepted + dt.timedelta(days=rnd.randrange(0, min(span, 25) + 1))
                decided = min(decided, self.today)
                outcome = "granted" if rnd.random() < 0.92 else "refused"
                final_role = chain.steps[-1][1]
                decider, decider_name = self.pick(final_role, chain.department_id)
                c.update(decided_on=self.d(decided), outcome=outcome, decided_by_id=decider,
                         decision_reasons="符合法定条件、标准。" if outcome == "granted"
                         else "申请材料反映的情况不符合法定条件。")
                ev.append(("decide", decided, "reviewing", "decided", decider, decider_name))
                c["delivery_due"] = self.d(self.due(decided, 10))
                if state in ("ready", "delivered"):  # the signing worker, no person
                    ev.append(("seal", decided, "decided", "ready", None, ""))
        steps_rows = self.steps(chain, case_id, step_id, accepted, current,
                                      step_state, c)
        special_rows: list[tuple[Any, ...]] = []
        if state == "special":
            started = min(max(accepted, self.today - dt.timedelta(days=rnd.randrange(1, 20))),
                          self.today)
            reviewer = self.pick("reviewer")
            ev.append(("special_start", started, "reviewing", "special", reviewer[0],
                       reviewer[1]))
            c["clock_paused"] = True
            special_rows.append(self.t_special.row({
                "case_id": case_id, "kind": "expert_review", "reason": "组织专家技术评审",
                "expected_days": 10, "started_on": self.d(started),
                "started_by_id": reviewer[0] or clerk_id}))
        delivery_rows: list[tuple[Any, ...]] = []
        if state == "delivered" and decided is not None:
            delivered = min(decided + dt.timedelta(days=rnd.randrange(0, 8)), self.today)
            c.update(delivered_on=self.d(delivered), closed_on=self.d(delivered))
            ev.append(("deliver", delivered, "ready", "delivered", clerk_id, clerk_name))
            method = rnd.choice(("pickup", "post", "electronic"))
            delivery_rows.append(self.t_delivery.row({
                "case_id": case_id, "method": method, "delivered_on": self.d(delivered),
                "recorded_by_id": clerk_id, "recorded_at": self.moment(delivered, 300),
                "collector_name": applicant_name[:50] if method == "pickup" else "",
                "carrier": "中国邮政EMS" if method == "post" else "",
                "tracking_number": f"1{case_id:012d}" if method == "post" else "",
                "address": "云南政务服务网电子证照库" if method == "electronic" else ""}))
        if closed_on is not None:
            c["closed_on"] = self.d(closed_on)
        c["revision"] = len(ev)
        event_rows = []
        for seq, (kind, on, s_from, s_to, actor, actor_name) in enumerate(ev, 1):
            event_rows.append(self.t_event.row({
                "id": event_id + seq - 1, "case_id": case_id, "seq": seq, "kind": kind,
                "on": self.d(on), "at": self.moment(on, 60 + seq * 7), "actor_id": actor,
                "actor_name": actor_name, "state_from": s_from, "state_to": s_to}))
        return self.t_case.row(c), steps_rows, event_rows, delivery_rows, special_rows

    def steps(self, chain: Chain, case_id: int, step_id: int, accepted: dt.date,
              current: int, step_state: str, c: dict[str, Any]) -> list[tuple[Any, ...]]:
        rows = []
        day = accepted
        for index, (name, role, limit, site_visit) in enumerate(chain.steps):
            s: dict[str, Any] = {
                "id": step_id + index, "case_id": case_id,
                "department_id": chain.department_id, "order": index + 1, "round": 1,
                "name": name, "role": role, "limit_days": limit, "site_visit": site_visit,
                "is_final": index == len(chain.steps) - 1, "state": "waiting",
                "site_staff": "[]"}
            if index < current:
                who, _name = self.pick(role, chain.department_id)
                done_on = day if index == 0 else min(
                    day + dt.timedelta(days=self.rnd.randrange(0, 4)), self.today)
                s.update(state="done", opened_on=self.d(day), completed_on=self.d(done_on),
                         completed_at=self.moment(done_on, 200), assignee_id=who,
                         claimed_at=self.moment(day, 30) if who else None,
                         opinion="accept" if index == 0 else (
                             "agree" if index < len(chain.steps) - 1 else
                             ("grant" if c.get("outcome") != "refused" else "refuse")))
                day = done_on
            elif index == current and step_state in ("open", "claimed"):
                opened = c["received_on"] if index == 0 else self.d(day)
                s.update(state=step_state, opened_on=opened,
                         due_on=self.d(self.due(day, limit)) if limit else opened)
                if step_state == "claimed":
                    who, _name = self.pick(role, chain.department_id)
                    if who is None:
                        s["state"] = "open"
                    else:
                        s.update(assignee_id=who, claimed_at=self.moment(day, 45))
            rows.append(self.t_step.row(s))
        return rows
