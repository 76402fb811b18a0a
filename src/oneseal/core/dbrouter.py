"""Read-only queries to a PostgreSQL streaming replica, where staleness is harmless (读写分离).

Configured by `DATABASE_REPLICA_URL` (settings: the `replica` alias, this router in
DATABASE_ROUTERS and `ReplicaReadsMiddleware` in MIDDLEWARE); without it nothing here runs.

A read goes to the replica only when all of these hold:

- the request is a GET or HEAD to one of the views named in settings.ONESEAL_REPLICA_VIEWS
  (lists and statistics: a few seconds behind is harmless there) — or code runs inside
  `replica_reads()` itself;
- no transaction is open on the primary (a service's reads before its writes, and every
  `select_for_update`, stay on the primary);
- the model is not one of the pinned apps (sessions, accounts and their tokens, two-factor
  devices, lockouts, the task queue, the cache): a login or a token written a moment ago
  must be found.

Everything else — every write, every read of a POST, every read of a page that acts —
goes to the primary, as without a replica. Migrations run on the primary only (the replica
follows by streaming replication).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PINNED_APPS = frozenset({
    "sessions", "accounts", "auth", "contenttypes", "admin", "otp_totp", "otp_static",
    "django_otp", "axes", "django_tasks_database", "core",
})

_READS: contextvars.ContextVar[bool] = contextvars.ContextVar("oneseal_replica_reads",
                                                              default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the reads in this block go to the replica (see the module docstring)."""
    token = _READS.set(True)
    try:
        yield
    finally:
        _READS.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings  # settings.DATABASES, as the connections read it


class ReplicaRouter:
    """Django database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _READS.get() or not replica_configured():
            return None
        if model._meta.app_label in PINNED_APPS:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the same data on both aliases

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Open `replica_reads()` around a GET/HEAD to a view named in ONESEAL_REPLICA_VIEWS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "_replica_token", None)
        if token is not None:
            _READS.reset(token)
            del request._replica_token  # type: ignore[attr-defined]
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if request.method not in ("GET", "HEAD") or not replica_configured():
            return
        match = request.resolver_match
        names = set(getattr(settings, "ONESEAL_REPLICA_VIEWS", ()) or ())
        if match is not None and match.view_name in names:
            request._replica_token = _READS.set(True)  # type: ignore[attr-defined]
