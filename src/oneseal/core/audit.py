"""The tamper-evident audit chain (防篡改审计链).

Everything later parts of OneSeal must be able to prove — case events, uses of the seal,
catalogue changes, logins of privileged users — is appended here with `append_event`.
Each row holds the hash of the row before it and its own hash, so a row edited, deleted,
inserted or moved behind the application's back breaks the chain at that row, and
`oneseal.core.audit_verify.verify_chain()` (``oneseal verify-audit``) names it.

Record format, version 1
------------------------
A row's ``hash`` is the lowercase hex SHA-256 of the UTF-8 bytes of nine fields joined by
the unit separator U+001F, in this fixed order::

    oneseal-audit-v1 ␟ seq ␟ prev_hash ␟ at ␟ actor_id ␟ actor_name ␟ kind ␟ subject ␟ payload

``oneseal-audit-v1``
    the format tag; a future format gets a new tag.
``seq``
    the row's sequence number in decimal, no leading zeros; the first row is 1 and the
    numbers are contiguous (a unique constraint guards them).
``prev_hash``
    the previous row's ``hash``; for seq 1 the genesis value, 64 zeros.
``at``
    the time of the event in UTC as ``YYYY-MM-DD HH:MM:SS.ffffff``, the fraction left out
    when it is zero (Python's ``isoformat(" ")`` of the naive UTC time), e.g.
    ``2026-09-28 01:02:03.000450``. This is exactly the text Django stores for the ``at``
    column on SQLite, so there verification hashes the stored text; PostgreSQL renders the
    same text with ``to_char``.
``actor_id``, ``actor_name``
    the acting user's id in decimal and name at the time (display name, or the username
    when there is none); both empty for the system itself.
``kind``, ``subject``
    what happened and to what, e.g. ``auth.login`` and ``user:12``.
``payload``
    canonical JSON of the event's data: keys sorted, separators ``,`` and ``:``, no
    whitespace, non-ASCII characters as themselves (``ensure_ascii=False``), no NaN. The
    text is stored in the ``payload`` column exactly as hashed, so verification hashes the
    stored text and never re-serialises.

No field but the last can contain U+001F (``kind`` and ``subject`` with control characters
are refused; control characters in a name become spaces) and JSON text never contains a raw
control character, so the joined text splits back into the same nine fields: two different
rows never have the same serialisation.

What it proves, and what it does not
------------------------------------
The chain shows that no row was changed, removed, added or moved since it was written,
*provided the end of the chain is known*. The head row (``AuditChainHead``) records the last
seq and hash and is compared with the last row, which catches rows cut from, or forged onto,
the end. Someone who can write to the database and knows this (public) format can still
rewrite the whole chain from some row on, and the head with it; against that, record the head
that ``oneseal verify-audit`` prints somewhere else (the supervision log, paper) and pass it
back later with ``--anchor SEQ:HASH``.

Concurrency
-----------
Appending locks the head row: ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the
settings' ``transaction_mode = IMMEDIATE`` makes every ``BEGIN`` — including an outer
``atomic()`` that starts by reading — take the database write lock, so appenders queue. The
unique constraint on ``seq`` (two rows naming the same predecessor would need the same seq)
and the conditional update of the head are a second guard: a fork fails with an error
instead of being stored. The head lock is held until the outermost transaction commits.

So long transactions append at their end: inside `audit_frame` (the case services' frame)
`append_event` only queues the event, and the frame's last statements lock the head once
and write the queued events in order, contiguous in seq. On PostgreSQL the head is then
held for that final section only, not from the first append to COMMIT (issue 19). The rows
written are exactly those an immediate append would write, so the format and
``oneseal verify-audit`` are unchanged; ``at`` is the time of writing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

__all__ = [
    "FORMAT_TAG",
    "GENESIS_HASH",
    "SEPARATOR",
    "AuditChainConflict",
    "PendingAuditEvent",
    "append_event",
    "audit_frame",
    "canonical_json",
    "canonical_text",
    "compute_hash",
    "format_time",
]

FORMAT_TAG = "oneseal-audit-v1"
SEPARATOR = "\x1f"
GENESIS_HASH = "0" * 64
MAX_KIND = 64
MAX_SUBJECT = 128
MAX_ACTOR_NAME = 150

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AuditChainConflict(RuntimeError):
    """The head moved under an appender: the locking guarantee was broken, nothing stored."""


def canonical_json(payload: dict[str, Any] | None) -> str:
    """The payload as canonical JSON text (see the module docstring)."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise TypeError("payload must be a dict or None")
    return json.dumps(
        payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True,
        separators=(",", ":"), allow_nan=False,
    )


def format_time(at: datetime) -> str:
    """An aware datetime as the canonical UTC text ``YYYY-MM-DD HH:MM:SS[.ffffff]``."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def canonical_text(
    seq: int, prev_hash: str, at_text: str, actor_id: int | str | None, actor_name: str,
    kind: str, subject: str, payload_json: str,
) -> str:
    """The serialisation a row's hash is computed over (fields already in stored form)."""
    return SEPARATOR.join((
        FORMAT_TAG, str(seq), prev_hash, at_text, "" if actor_id is None else str(actor_id),
        actor_name, kind, subject, payload_json,
    ))


def compute_hash(
    seq: int, prev_hash: str, at_text: str, actor_id: int | str | None, actor_name: str,
    kind: str, subject: str, payload_json: str,
) -> str:
    """Lowercase hex SHA-256 of `canonical_text` — the one hash function of the chain, used
    by `append_event`, `verify_chain` and the benchmark's bulk generator alike."""
    text = canonical_text(seq, prev_hash, at_text, actor_id, actor_name, kind, subject,
                          payload_json)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clean_label(value: str, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string")
    if _CONTROL.search(value):
        raise ValueError(f"{name} must not contain control characters")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    pk = getattr(actor, "pk", None) if actor is not None else None
    if pk is None:  # None, or an anonymous user
        return None, ""
    name = getattr(actor, "display_name", "") or actor.get_username()
    return int(pk), _CONTROL.sub(" ", str(name))[:MAX_ACTOR_NAME]


_EVENT_COLUMNS = ("seq", "prev_hash", "hash", "at", "actor_id", "actor_name", "kind", "subject",
                  "payload")


_STATEMENTS: dict[str, tuple[str, str, str]] = {}


def _statements(connection: Any) -> tuple[str, str, str]:
    """The three statements of an append, for this database (raw SQL: the ORM's query
    building would cost more than the whole append)."""
    cached = _STATEMENTS.get(connection.vendor)
    if cached is None:
        cached = _STATEMENTS[connection.vendor] = _build_statements(connection)
    return cached


def _build_statements(connection: Any) -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    head = quote(AuditChainHead._meta.db_table)
    table = quote(AuditEvent._meta.db_table)
    lock = f"SELECT seq, hash FROM {head} WHERE id = 1"  # noqa: S608 - fixed identifiers
    if connection.features.has_select_for_update:
        lock += " FOR UPDATE"
    insert = (f"INSERT INTO {table} ({', '.join(quote(c) for c in _EVENT_COLUMNS)}) "  # noqa: S608
              f"VALUES ({', '.join(['%s'] * len(_EVENT_COLUMNS))})")
    if connection.features.can_return_columns_from_insert:
        insert += " RETURNING id"
    move = (f"UPDATE {head} SET seq = %s, hash = %s "  # noqa: S608
            "WHERE id = 1 AND seq = %s AND hash = %s")
    return lock, insert, move


def _create_head(using: str) -> None:
    """Create the head row from the last event (or the genesis) when it is missing, e.g. in
    a fresh or emptied database. Concurrent creators insert at most one row."""
    last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    seq, last_hash = last if last else (0, GENESIS_HASH)
    AuditChainHead.objects.using(using).bulk_create(
        [AuditChainHead(pk=1, seq=seq, hash=last_hash)], ignore_conflicts=True
    )


class PendingAuditEvent:
    """An event appended inside an `audit_frame`, written when the frame ends.

    ``seq``, ``hash``, ``id``/``pk`` and ``event`` are known only once it is written: asking
    for one before that writes every pending event of the frame at once (in order) and so
    takes the chain head from then on, as an immediate append would. Code that needs the
    seq to store it beside its own row registers `on_written` instead, which runs inside the
    final locked section."""

    __slots__ = ("_callbacks", "_connection", "_event", "_flush_marker", "_marker", "actor_id",
                 "actor_name", "kind", "payload_json", "subject")

    def __init__(self, connection: Any, actor_id: int | None, actor_name: str, kind: str,
                 subject: str, payload_json: str) -> None:
        self._connection = connection
        self.actor_id, self.actor_name = actor_id, actor_name
        self.kind, self.subject, self.payload_json = kind, subject, payload_json
        self._event: AuditEvent | None = None
        self._callbacks: list[Callable[[AuditEvent], None]] = []
        self._marker = _Marker()
        self._flush_marker: _Marker | None = None

    @property
    def written(self) -> bool:
        return self._event is not None

    @property
    def event(self) -> AuditEvent:
        if self._event is None:
            _flush(self._connection)
        assert self._event is not None, "a pending audit event outside its frame"
        return self._event

    @property
    def seq(self) -> int:
        return int(self.event.seq)

    @property
    def hash(self) -> str:
        return str(self.event.hash)

    @property
    def pk(self) -> int:
        return int(self.event.pk)

    id = pk

    def on_written(self, callback: Callable[[AuditEvent], None]) -> None:
        """Run `callback(event)` once the event is written (now, if it already is)."""
        if self._event is not None:
            callback(self._event)
        else:
            self._callbacks.append(callback)


class _Marker:
    """A no-op commit hook whose presence in ``connection.run_on_commit`` tells that the
    savepoint it was registered in was not rolled back (Django drops the hooks of a
    savepoint it rolls back): the frame's bookkeeping of which pending events still count."""

    __slots__ = ()

    def __call__(self) -> None:
        return None


class _FrameState:
    __slots__ = ("depth", "pending")

    def __init__(self) -> None:
        self.depth = 0
        self.pending: list[PendingAuditEvent] = []


def _frame_state(connection: Any) -> _FrameState:
    state = getattr(connection, "_oneseal_audit_frame", None)
    if state is None:
        state = connection._oneseal_audit_frame = _FrameState()
    return state


@contextmanager
def audit_frame(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """``transaction.atomic()`` whose audit events are appended at its end.

    Inside the frame `append_event` only queues its event; the frame's last statements,
    just before its block commits, lock the chain head once and write every queued event,
    in the order appended, contiguous in seq (then their `on_written` callbacks run). So the
    head — the one row every appender needs — is held for that final section instead of
    from the first append to COMMIT (issue 19). A frame inside a frame joins it (the
    outermost writes); events queued in a savepoint that rolls back are dropped with it; a
    frame that raises writes nothing. The chain's format and verification do not change:
    only the moment of writing moves."""
    connection = connections[using]
    state = _frame_state(connection)
    outermost = state.depth == 0
    state.depth += 1
    try:
        with transaction.atomic(using=using):
            yield
            if outermost:
                _flush(connection)
    finally:
        state.depth -= 1
        if outermost:
            state.pending.clear()


def _alive(connection: Any) -> set[int]:
    return {id(entry[1]) for entry in connection.run_on_commit}


def _flush(connection: Any) -> None:
    """Write the frame's pending events that still count, in one locked section."""
    state = _frame_state(connection)
    alive = _alive(connection)
    todo = [p for p in state.pending if id(p._marker) in alive and (
        p._event is None or p._flush_marker is None or id(p._flush_marker) not in alive)]
    state.pending = [p for p in state.pending if id(p._marker) in alive]
    if not todo:
        return
    flush_marker = _Marker()
    transaction.on_commit(flush_marker, using=connection.alias)
    events = _write(connection, [(p.actor_id, p.actor_name, p.kind, p.subject, p.payload_json)
                                 for p in todo])
    for pending, event in zip(todo, events, strict=True):
        pending._event, pending._flush_marker = event, flush_marker
    for pending, event in zip(todo, events, strict=True):
        for callback in pending._callbacks:
            callback(event)


def _write(connection: Any,
           rows: list[tuple[int | None, str, str, str, str]]) -> list[AuditEvent]:
    """Append `rows` (actor id, actor name, kind, subject, payload JSON) to the chain under
    the head's lock: one lock, one INSERT per row (ids in seq order), one head move."""
    using = connection.alias
    lock, insert, move = _statements(connection)
    returning = connection.features.can_return_columns_from_insert
    written: list[AuditEvent] = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(lock)
        found = cursor.fetchone()
        if found is None:
            _create_head(using)
            cursor.execute(lock)
            found = cursor.fetchone()
        head_seq, head_hash = int(found[0]), str(found[1])
        seq, prev = head_seq, head_hash
        for actor_id, actor_name, kind, subject, payload_json in rows:
            seq += 1
            at = timezone.now()
            own_hash = compute_hash(seq, prev, format_time(at), actor_id, actor_name,
                                    kind, subject, payload_json)
            cursor.execute(insert, [
                seq, prev, own_hash, connection.ops.adapt_datetimefield_value(at), actor_id,
                actor_name, kind, subject, payload_json,
            ])
            event_id = int(cursor.fetchone()[0]) if returning else int(cursor.lastrowid)
            event = AuditEvent(
                id=event_id, seq=seq, prev_hash=prev, hash=own_hash, at=at, actor_id=actor_id,
                actor_name=actor_name, kind=kind, subject=subject, payload_json=payload_json,
            )
            event._state.adding = False
            event._state.db = using
            written.append(event)
            prev = own_hash
        cursor.execute(move, [seq, prev, head_seq, head_hash])
        if cursor.rowcount != 1:
            raise AuditChainConflict("audit chain head moved while appending")
    return written


def append_event(
    *, actor: Any, kind: str, subject: str, payload: dict[str, Any] | None = None,
) -> AuditEvent | PendingAuditEvent:
    """Append one event to the audit chain.

    `actor` is the acting user, or None for the system. `kind` names what happened
    (``"case.accept"``), `subject` what it happened to (``"case:42"``), `payload` carries
    the details as JSON-serialisable data.

    Outside an `audit_frame` the event is written now and returned (an `AuditEvent`); it
    opens its own atomic block, so inside the caller's transaction it commits or rolls back
    with it. Inside a frame it is queued and a `PendingAuditEvent` is returned, written by
    the frame's final section (its ``seq`` is known then; see `PendingAuditEvent`).
    """
    kind = _clean_label(kind, "kind", MAX_KIND)
    subject = _clean_label(subject, "subject", MAX_SUBJECT)
    payload_json = canonical_json(payload)
    payload_json.encode("utf-8")  # refuse lone surrogates before taking the lock
    actor_id, actor_name = _actor_fields(actor)
    connection = connections[DEFAULT_DB_ALIAS]
    state = _frame_state(connection)
    if state.depth and connection.in_atomic_block:
        pending = PendingAuditEvent(connection, actor_id, actor_name, kind, subject,
                                    payload_json)
        transaction.on_commit(pending._marker, using=connection.alias)
        state.pending.append(pending)
        return pending
    return _write(connection, [(actor_id, actor_name, kind, subject, payload_json)])[0]
