"""Helpers for the audit chain tests: raw SQL "behind the application's back", and the URL of
the test database for child processes."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from django.db import connection

from oneseal.core.audit import append_event


def fill(n: int, *, actor: Any = None, kind: str = "case.accept") -> list[Any]:
    return [append_event(actor=actor, kind=kind, subject=f"case:{i}", payload={"i": i})
            for i in range(1, n + 1)]


@contextmanager
def behind_the_back():
    """Switch off the append-only triggers for the rest of the test transaction, as someone
    with direct database access could (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")
        yield cursor


def sql(cursor: Any, statement: str, params: list[Any] | None = None) -> int:
    cursor.execute(statement, params or [])
    return cursor.rowcount


def row(seq: int) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, seq, prev_hash, hash, payload FROM core_auditevent "
                       "WHERE seq = %s",
                       [seq])
        found = cursor.fetchone()
    assert found is not None, seq
    return dict(zip(("id", "seq", "prev_hash", "hash", "payload"), found, strict=True))


def snapshot() -> list[tuple[Any, ...]]:
    """Every stored row, to show that a refused write changed nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, seq, prev_hash, hash, at, actor_id, actor_name, kind, "
                       "subject, payload FROM core_auditevent ORDER BY id")
        return list(cursor.fetchall())


def database_url() -> str:
    """The URL of the database the tests run against (the test database), for children."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings.get("USER") or "")
    password = settings.get("PASSWORD")
    auth = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{settings['NAME']}"


@contextmanager
def behind_the_back_committed():
    """Like `behind_the_back`, for transactional tests: the triggers are put back after."""
    from importlib import import_module

    migration = import_module("oneseal.core.migrations.0002_audit_append_only_triggers")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            for statement in migration.SQLITE_DOWN:
                cursor.execute(statement)
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
            else:
                for statement in migration.SQLITE_UP:
                    cursor.execute(statement)
