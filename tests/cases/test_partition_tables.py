"""`oneseal manage partition_tables` (issue 19, docs/deployment-province.md "Partitioning by
year"): the audit chain and the case events partitioned by year on PostgreSQL, with every
row kept, the chain still verifying, the foreign keys and the append-only trigger still
enforced. The DDL runs inside the test's transaction (PostgreSQL's DDL is transactional), so
the test database is left as it was."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from oneseal.cases.models import CaseEvent
from oneseal.core import partitioning
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.notifications.models import Notification

from .conftest import at
from .helpers import submit

pytestmark = pytest.mark.django_db


def _run(**options) -> str:
    out = io.StringIO()
    call_command("partition_tables", stdout=out, **options)
    return out.getvalue()


def _sql(statement: str, params=None) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def three_years(cast, catalogue, person):
    """Cases received in 2024, 2025 and 2026 (each with its case events and chain rows),
    and a notification pointing at one of the 2026 events."""
    cases = []
    for day in ("2024-06-03", "2025-03-03", "2026-09-01"):
        with time_machine.travel(at(day), tick=False):
            cases.append(submit(cast, catalogue.bureau_item, person, on=day))
    event = CaseEvent.objects.filter(case=cases[-1]).order_by("id").first()
    Notification.objects.get_or_create(event=event, defaults={
        "case": cases[-1], "kind": "received", "title": "t", "text": "t",
        "created_at": event.at})
    return cases


def test_refused_on_sqlite_with_a_chinese_message_and_planned_only_on_postgresql(db):
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError) as err:
            _run(plan=True)
        assert "仅支持 PostgreSQL" in str(err.value)
        return
    assert connection.vendor == "postgresql"
    out = _run(plan=True)
    assert 'PARTITION BY RANGE ("seq")' in out and 'PARTITION BY RANGE ("id")' in out
    assert not partitioning.is_partitioned("core_auditevent")  # --plan changes nothing


def test_partitioned_by_year_with_rows_chain_keys_and_trigger_kept(three_years, cast,
                                                                   catalogue, person):
    if connection.vendor != "postgresql":  # the refusal is the test above
        assert connection.vendor == "sqlite"
        return
    counts = (AuditEvent.objects.count(), CaseEvent.objects.count())
    ids = set(CaseEvent.objects.values_list("id", flat=True))
    with time_machine.travel(at("2026-10-01"), tick=False):
        _run(apply=True)
    for table in partitioning.TABLES:
        assert partitioning.is_partitioned(table)
        names = [name for name, _bound in partitioning.partitions(table)]
        assert names == [f"{table}_default", f"{table}_y2024", f"{table}_y2025"]
    # every row kept, each year's rows in its own partition
    assert (AuditEvent.objects.count(), CaseEvent.objects.count()) == counts
    assert set(CaseEvent.objects.values_list("id", flat=True)) == ids
    per_year = dict(_sql('SELECT tableoid::regclass::text, count(*) FROM cases_caseevent '
                         'GROUP BY 1'))
    assert set(per_year) == {"cases_caseevent_y2024", "cases_caseevent_y2025",
                             "cases_caseevent_default"}
    assert verify_chain(jobs=1).ok
    # new rows still get ids and seqs after the copied ones, in the default partition
    with time_machine.travel(at("2026-10-02"), tick=False):
        submit(cast, catalogue.bureau_item, person, on="2026-10-02")
    new = CaseEvent.objects.exclude(id__in=ids)
    assert new.exists() and min(e.id for e in new) > max(ids)
    assert _sql("SELECT count(*) FROM cases_caseevent_default WHERE id > %s",
                [max(ids)]) == [(new.count(),)]
    assert verify_chain(jobs=1).ok
    # foreign keys: out of the case events, and into them (notifications)
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("UPDATE cases_caseevent SET case_id = 999999999 WHERE id = %s", [min(ids)])
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("UPDATE notifications_notification SET event_id = 999999999")
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
    # the chain is still append-only, and a seq is still taken once
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE core_auditevent SET kind = 'x' WHERE seq = 1")
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("INSERT INTO core_auditevent (seq, prev_hash, hash, at, actor_name, kind, "
             "subject, payload) SELECT seq, prev_hash, 'other', at, actor_name, kind, subject, "
             "payload FROM core_auditevent WHERE seq = 1")


def test_next_year_closes_the_default_into_the_years_partition(three_years):
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        return
    with time_machine.travel(at("2026-10-01"), tick=False):
        _run(apply=True)
    count = CaseEvent.objects.count()
    last = CaseEvent.objects.order_by("-id").first().id
    with time_machine.travel(at("2027-01-01", 0), tick=False):
        out = _run(apply=True, next_year=True)
    assert "DETACH PARTITION" in out
    names = [name for name, _bound in partitioning.partitions("cases_caseevent")]
    assert names == ["cases_caseevent_default", "cases_caseevent_y2024",
                     "cases_caseevent_y2025", "cases_caseevent_y2026"]
    assert CaseEvent.objects.count() == count
    assert _sql("SELECT count(*) FROM cases_caseevent_default") == [(0,)]
    assert _sql("SELECT max(id) FROM cases_caseevent_y2026") == [(last,)]
    assert verify_chain(jobs=1).ok
    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("UPDATE notifications_notification SET event_id = 999999999")
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
