"""Partitioning the append-only big tables by year on PostgreSQL (docs/deployment-province.md,
"Partitioning by year"): `oneseal manage partition_tables`.

``core_auditevent`` is partitioned by range of ``seq`` and ``cases_caseevent`` by range of
``id`` — keys that only grow, so one year is one range, and every foreign key and the ORM
stay as they are. Each closed year gets its partition ``<table>_y<year>``, from the first key
written in that year; the current year is in the DEFAULT partition (``<table>_default``):
the first key of next year is not known in advance and the chain's ``seq`` has no gaps to
reserve. ``--next-year`` (run at the turn of the year, e.g. by a timer on 1 January) closes
the default: it becomes the year's partition, bounded by the last key written, and a new
empty default takes the new year. No row is copied for that; the conversion itself copies
every row once, under an exclusive lock, in one transaction.

What changes in the schema (PostgreSQL wants the partition key in every unique
constraint): the primary key of ``core_auditevent`` becomes ``(id, seq)`` (nothing points
at it), its ``UNIQUE (hash)`` a plain index (the hash covers the seq), and the
``UNIQUE (case_id, seq)`` of ``cases_caseevent`` a plain index (the case row lock every
operation takes keeps a case's sequence, and the deep audit checks it). Check constraints,
foreign keys in both directions and the audit table's append-only trigger are recreated as
they were."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

TABLES = {"core_auditevent": "seq", "cases_caseevent": "id"}


@dataclass
class Plan:
    table: str
    key: str
    statements: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _rows(sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def is_partitioned(table: str) -> bool:
    return bool(_rows("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c "
                      "ON c.oid = p.partrelid WHERE c.relname = %s", [table]))


def partitions(table: str) -> list[tuple[str, str]]:
    """(name, bound expression) of each partition of `table`, in name order."""
    return _rows(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
        "WHERE p.relname = %s ORDER BY c.relname", [table])


def _year_start(year: int) -> dt.datetime:
    return dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())


def _bounds(table: str, key: str, now: dt.datetime) -> list[tuple[int, Any, Any]]:
    """(year, lower, upper) of each closed year holding rows: a year's range ends after the
    last row written before the next year began, and the next one starts there (MINVALUE
    for the first)."""
    first = _rows(f'SELECT min("at") FROM "{table}"')[0][0]  # noqa: S608 (our names)
    if first is None:
        return []
    found = []
    lower: Any = "MINVALUE"
    for year in range(timezone.localtime(first).year, timezone.localtime(now).year):
        upper = _rows(f'SELECT max("{key}") + 1 FROM "{table}" WHERE "at" < %s',  # noqa: S608
                      [_year_start(year + 1)])[0][0]
        if upper is not None and (lower == "MINVALUE" or upper > lower):
            found.append((year, lower, upper))
            lower = upper
    return found


def _constraints(table: str, kinds: str) -> list[tuple[str, str, str]]:
    return _rows(
        "SELECT con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_constraint con "
        "JOIN pg_class c ON c.oid = con.conrelid WHERE c.relname = %s AND con.contype = ANY(%s) "
        "ORDER BY con.conname", [table, list(kinds)])


def _incoming(table: str) -> list[tuple[str, str, str]]:
    return _rows(
        "SELECT r.relname, con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con "
        "JOIN pg_class c ON c.oid = con.confrelid JOIN pg_class r ON r.oid = con.conrelid "
        "WHERE c.relname = %s AND con.contype = 'f' AND r.relname <> %s "
        "AND con.conparentid = 0 ORDER BY con.conname", [table, table])


def _plain_indexes(table: str) -> list[str]:
    """CREATE INDEX statements of the indexes that back no constraint."""
    return [row[0] for row in _rows(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c "
        "ON c.oid = i.indrelid WHERE c.relname = %s AND NOT EXISTS (SELECT 1 FROM "
        "pg_constraint con WHERE con.conindid = i.indexrelid) ORDER BY 1", [table])]


def _triggers(table: str) -> list[str]:
    return [row[0] for row in _rows(
        "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c "
        "ON c.oid = t.tgrelid WHERE c.relname = %s AND NOT t.tgisinternal ORDER BY t.tgname",
        [table])]


def _columns(definition: str) -> list[str]:
    inside = definition[definition.index("(") + 1:definition.index(")")]
    return [c.strip().strip('"') for c in inside.split(",")]


def plan_convert(table: str, key: str, now: dt.datetime | None = None) -> Plan:
    """The statements that turn `table` into a table partitioned by range of `key`."""
    plan = Plan(table, key)
    old = f"{table}__unpartitioned"
    add = plan.statements.append
    incoming = _incoming(table)
    keyed = _constraints(table, "pu")
    others = _constraints(table, "f")
    indexes = _plain_indexes(table)
    triggers = _triggers(table)
    add(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
    for rel, name, _definition in incoming:
        add(f'ALTER TABLE "{rel}" DROP CONSTRAINT "{name}"')
    add(f'ALTER TABLE "{table}" RENAME TO "{old}"')
    add(f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING IDENTITY '
        f'INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY RANGE ("{key}")')
    for year, lower, upper in _bounds(table, key, now or timezone.now()):
        low = lower if lower == "MINVALUE" else int(lower)
        add(f'CREATE TABLE "{table}_y{year}" PARTITION OF "{table}" '
            f"FOR VALUES FROM ({low}) TO ({int(upper)})")
    add(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT')
    add(f'INSERT INTO "{table}" SELECT * FROM "{old}"')  # noqa: S608 (our names)
    add(f'DROP TABLE "{old}"')
    add(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
        f'coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)')
    for name, kind, definition in keyed:
        columns = _columns(definition)
        if key in columns:
            add(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        elif kind == "p":
            cols = ", ".join(f'"{c}"' for c in [*columns, key])
            add(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" PRIMARY KEY ({cols})')
            plan.notes.append(f"{table}: primary key {definition} becomes ({cols})")
        else:
            cols = ", ".join(f'"{c}"' for c in columns)
            add(f'CREATE INDEX "{name}" ON "{table}" ({cols})')
            plan.notes.append(f"{table}: {definition} becomes a plain index (no {key} in it)")
    for statement in indexes:
        add(statement)
    for name, _kind, definition in others:
        add(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for statement in triggers:
        add(statement)
    for rel, name, definition in incoming:
        add(f'ALTER TABLE "{rel}" ADD CONSTRAINT "{name}" {definition}')
    add(f'ANALYZE "{table}"')
    return plan


def plan_next_year(table: str, key: str) -> Plan:
    """Close the DEFAULT partition into the year of its first row, bounded by its last key
    + 1; a new empty DEFAULT takes what comes after. The incoming foreign keys are dropped
    and added again (PostgreSQL refuses to detach a partition that rows elsewhere point
    into), which checks every referencing row again."""
    plan = Plan(table, key)
    default = f"{table}_default"
    rows = _rows(f'SELECT min("{key}"), max("{key}") FROM "{default}"')  # noqa: S608
    low_key, high_key = rows[0]
    if low_key is None:
        plan.notes.append(f"{table}: the default partition is empty, nothing to close")
        return plan
    first_at = _rows(f'SELECT "at" FROM "{default}" WHERE "{key}" = %s', [low_key])[0][0]  # noqa: S608
    year = timezone.localtime(first_at).year
    lower = "MINVALUE"
    for name, bound in partitions(table):
        if name != default and "TO (" in bound:
            upper = bound.rsplit("TO (", 1)[1].rstrip(")").strip("'")
            if upper != "MAXVALUE":
                lower = upper if lower == "MINVALUE" else str(max(int(lower), int(upper)))
    target = f"{table}_y{year}"
    if any(name == target for name, _bound in partitions(table)):
        target = f"{target}_{int(low_key)}"  # a second close in one year (rare)
    incoming = _incoming(table)
    add = plan.statements.append
    add(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
    for rel, name, _definition in incoming:
        add(f'ALTER TABLE "{rel}" DROP CONSTRAINT "{name}"')
    add(f'ALTER TABLE "{table}" DETACH PARTITION "{default}"')
    add(f'ALTER TABLE "{default}" RENAME TO "{target}"')
    add(f'CREATE TABLE "{default}" PARTITION OF "{table}" DEFAULT')
    add(f'ALTER TABLE "{table}" ATTACH PARTITION "{target}" '
        f"FOR VALUES FROM ({lower}) TO ({int(high_key) + 1})")
    for rel, name, definition in incoming:
        add(f'ALTER TABLE "{rel}" ADD CONSTRAINT "{name}" {definition}')
    return plan


def plans(*, next_year: bool = False) -> list[Plan]:
    found = []
    for table, key in TABLES.items():
        if next_year:
            if is_partitioned(table):
                found.append(plan_next_year(table, key))
        elif not is_partitioned(table):
            found.append(plan_convert(table, key))
    return found


def apply(found: list[Plan]) -> None:
    """Run every plan in one transaction: a failure leaves the tables as they were."""
    with transaction.atomic(), connection.cursor() as cursor:
        # deferred foreign-key checks still pending would forbid the ALTER TABLEs
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for plan in found:
            for statement in plan.statements:
                cursor.execute(statement)
