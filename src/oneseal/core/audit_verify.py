"""Verification of the audit chain (审计链校验): re-compute every row's hash and name the
first row that is not what the application wrote.

Rows are read with a raw database cursor in keyset batches, never as ORM instances, and the
stored text is hashed as it is (see the record format in `oneseal.core.audit`).

1. The fast pass reads rows in id order (the order they were appended; on SQLite a plain
   table scan) as bytes, so that no text is decoded and encoded again, and checks per row:
   its seq is the next number, its ``prev_hash`` is the previous row's ``hash``, and its
   ``hash`` is the SHA-256 of its fields. Rows are appended in id order under the chain lock,
   so an intact chain passes; and a pass that meets seq 1, 2, 3 … in id order has seen
   every row in seq order as well. A long chain outside any transaction is split into id
   ranges scanned by worker processes (`oneseal.core.audit_scan`), whose slices must join.
2. Only when the fast pass meets something unexpected is the chain walked again in seq
   order (``WHERE seq > ? ORDER BY seq``); the first row that fails there is examined once,
   with a few indexed look-ups, to tell why (see `_diagnose`). The seq walk decides: rows
   merely stored out of id order do not break the chain.
3. Finally the last row is compared with the head row and with any anchors given.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext_lazy as _

from .audit import GENESIS_HASH, compute_hash
from .audit_scan import Scan, decode_result, scan_rows, window
from .models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 20_000
PARALLEL_MIN_ROWS = 200_000  # below this, starting worker processes costs more than it saves
RENUMBER_PROBE = 16  # how far a renumbered row is searched for (rows deleted before it)

# The canonical text of each hashed field, per database. On SQLite `at || ''` is the stored
# text itself (the concatenation only stops the driver from parsing it into a datetime).
_FIELDS_SQL = {
    "sqlite": ("prev_hash, hash, at || '', COALESCE(CAST(actor_id AS TEXT), ''), actor_name, "
               "kind, subject, payload"),
    "postgresql": (
        "prev_hash, hash, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || "
        "CASE WHEN date_trunc('second', at) = at THEN '' "
        "ELSE to_char(at AT TIME ZONE 'UTC', '.US') END, "
        "COALESCE(CAST(actor_id AS TEXT), ''), actor_name, kind, subject, payload"
    ),
}
# The same fields as UTF-8 bytes, for the fast pass (SQLite returns bytes by text_factory).
_BYTES_SQL = {
    "sqlite": _FIELDS_SQL["sqlite"],
    "postgresql": ", ".join(
        f"convert_to({f.strip()}, 'UTF8')" for f in (
            "prev_hash", "hash",
            "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || CASE WHEN "
            "date_trunc('second', at) = at THEN '' ELSE to_char(at AT TIME ZONE 'UTC', '.US') "
            "END",
            "COALESCE(CAST(actor_id AS TEXT), '')", "actor_name", "kind", "subject", "payload",
        )
    ),
}


class Tamper(StrEnum):
    """Why a row breaks the chain."""

    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"

    @property
    def label_zh(self) -> str:
        return str(_TAMPER_ZH[self])


_TAMPER_ZH = {
    Tamper.EDITED: _("记录被修改"),
    Tamper.DELETED: _("记录被删除"),
    Tamper.INSERTED: _("记录被插入"),
    Tamper.REORDERED: _("记录顺序被调换"),
}


@dataclass(frozen=True)
class ChainBreak:
    """The first row at which the chain breaks. `seq`/`id` are those of the row itself;
    for rows cut from the end `id` is None and `seq` is the first missing number."""

    reason: Tamper
    seq: int | None
    id: int | None
    detail: str
    missing: tuple[int, int] | None = None  # first and last missing seq (deletions)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    seconds: float
    first_bad: ChainBreak | None = None
    head_seq: int | None = None
    head_hash: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows_per_second(self) -> float:
        return self.rows_checked / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class _Row:
    id: int
    seq: int
    prev_hash: str
    hash: str
    fields: tuple[Any, ...]  # at_text, actor_text, actor_name, kind, subject, payload

    def computed(self, seq: int | None = None) -> str | None:
        """The hash of the stored fields (as if the row had `seq`, when given)."""
        at, actor, name, kind, subject, payload = self.fields
        try:
            return compute_hash(self.seq if seq is None else seq, self.prev_hash, at,
                                actor or None, name, kind, subject, payload)
        except (TypeError, AttributeError, UnicodeError):  # NULL or non-text behind our back
            return None


class _Reader:
    """Raw, batched reads of the event table."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.vendor = self.connection.vendor
        if self.vendor not in _FIELDS_SQL:
            raise NotImplementedError(f"audit verification does not support {self.vendor}")
        if self.vendor == "sqlite" and self.connection.timezone_name != "UTC":
            raise NotImplementedError("audit verification needs SQLite times stored in UTC")
        self.table = self.connection.ops.quote_name(AuditEvent._meta.db_table)
        self.columns = f"id, seq, {_FIELDS_SQL[self.vendor]}"
        self.byte_columns = f"id, seq, {_BYTES_SQL[self.vendor]}"

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return list(cursor.fetchall())

    def by_id(self, after_id: int, size: int) -> list[tuple[Any, ...]]:
        """The next rows in id order, text fields as bytes (call inside `bytes_mode`)."""
        return window(self._fetch, self.byte_columns, self.table, "id", after_id, size)

    def by_seq(self, after_seq: int, size: int) -> list[tuple[Any, ...]]:
        """The next rows in seq order."""
        return window(self._fetch, self.columns, self.table, "seq", after_seq, size)

    def one(self, where: str, params: Sequence[Any]) -> _Row | None:
        found = self._fetch(
            f"SELECT {self.columns} FROM {self.table} WHERE {where} "  # noqa: S608
            "ORDER BY seq LIMIT 1", params,
        )
        return _row(found[0]) if found else None

    def bytes_mode(self) -> _BytesMode:
        return _BytesMode(self)


class _BytesMode:
    """On SQLite, for the duration of the fast pass: the driver returns text as bytes, and
    the whole file (up to SQLite's 2 GB limit) is memory-mapped, so that a long table scan
    reads pages without a system call each."""

    MMAP_BYTES = 2_000_000_000

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.saved: tuple[Any, int] | None = None

    def __enter__(self) -> None:
        if self.reader.vendor == "sqlite":
            self.reader.connection.ensure_connection()
            raw = self.reader.connection.connection
            mmap = int(raw.execute("PRAGMA mmap_size").fetchone()[0])
            self.saved = (raw.text_factory, mmap)
            raw.text_factory = bytes
            raw.execute(f"PRAGMA mmap_size = {max(mmap, self.MMAP_BYTES)}")

    def __exit__(self, *exc: object) -> None:
        raw = self.reader.connection.connection
        if self.saved is not None and raw is not None:
            raw.text_factory = self.saved[0]
            raw.execute(f"PRAGMA mmap_size = {self.saved[1]}")


def _row(raw: Sequence[Any]) -> _Row:
    return _Row(raw[0], raw[1], raw[2], raw[3], tuple(raw[4:]))


def _head(using: str) -> tuple[int, str] | None:
    found = AuditChainHead.objects.using(using).filter(pk=1).values_list("seq", "hash").first()
    return (int(found[0]), str(found[1])) if found else None


@dataclass
class _Walk:
    checked: int = 0
    last_seq: int = 0
    bad: ChainBreak | None = None
    clean: bool = True  # False: the fast pass met something it cannot explain


def _fast_pass(reader: _Reader, batch_size: int, expect: dict[int, str],
               progress: Callable[[int], None] | None, jobs: int) -> _Walk:
    """Id order, bytes, no diagnosis: either the whole chain is intact or `clean` is False.
    A long, committed chain is scanned by `jobs` worker processes first; the rows appended
    meanwhile are then scanned here."""
    anchors = {seq: value.encode() for seq, value in expect.items()}
    scan = _parallel_scan(reader, batch_size, anchors, jobs) if jobs > 1 else None
    if scan is None:
        scan = Scan()
    elif not scan.clean:
        return _Walk(clean=False)
    elif progress is not None:
        progress(scan.count)
    with reader.bytes_mode():
        while rows := reader.by_id(scan.last_id, batch_size):
            if not scan_rows(rows, scan, anchors):
                return _Walk(clean=False)
            if progress is not None:
                progress(scan.count)
    assert scan.expected_seq is not None
    return _Walk(checked=scan.count, last_seq=scan.expected_seq - 1)


def _parallel_scan(reader: _Reader, batch_size: int, anchors: dict[int, bytes],
                   jobs: int) -> Scan | None:
    """Split the ids into `jobs` ranges, scan them in worker processes (their own
    connections, so only for committed data) and stitch the results; None when not worth
    it or not possible."""
    connection = reader.connection
    connect = _worker_connect(connection)
    if connect is None or connection.in_atomic_block:
        return None  # rows of an open transaction are invisible to other connections
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {reader.table}")  # noqa: S608
        low, high = cursor.fetchone()
    if low is None or high - low + 1 < PARALLEL_MIN_ROWS:
        return None
    step = (high - low + 1) // jobs + 1
    bounds = [(low - 1 + i * step, min(high, low - 1 + (i + 1) * step)) for i in range(jobs)]
    try:
        parts = _run_workers(reader.vendor, connect, reader.byte_columns, reader.table, bounds,
                             batch_size, anchors)
    except (OSError, RuntimeError, ValueError) as error:  # fall back to one process
        logger.warning("audit verification workers failed, scanning in-process: %s", error)
        return None
    whole = Scan()
    for part in parts:
        if not part.clean:
            return Scan(clean=False)
        if part.count == 0:
            continue
        if part.first_seq != whole.expected_seq or part.first_prev != whole.last_hash:
            return Scan(clean=False)  # the slices do not join up
        whole.expected_seq, whole.last_hash = part.expected_seq, part.last_hash
        whole.count += part.count
    whole.last_id = high
    return whole


def _run_workers(vendor: str, connect: dict[str, Any], columns: str, table: str,
                 bounds: list[tuple[int, int]], batch_size: int,
                 anchors: dict[int, bytes]) -> list[Scan]:
    """Start one `oneseal.core.audit_scan` process per id range; their results in order."""
    workers = []
    for low_id, high_id in bounds:
        request = {"vendor": vendor, "connect": connect, "columns": columns, "table": table,
                   "low_id": low_id, "high_id": high_id, "batch_size": batch_size,
                   "anchors": {str(k): v.decode() for k, v in anchors.items()}}
        errors = tempfile.TemporaryFile(mode="w+")
        worker = subprocess.Popen(
            [sys.executable, "-m", "oneseal.core.audit_scan"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=errors, text=True,
        )
        assert worker.stdin is not None
        worker.stdin.write(json.dumps(request))  # no secrets on the command line
        worker.stdin.close()
        workers.append((worker, errors))
    parts = []
    for worker, errors in workers:
        assert worker.stdout is not None
        out = worker.stdout.read()
        worker.stdout.close()
        code = worker.wait()
        errors.seek(0)
        message = errors.read()
        errors.close()
        if code != 0:
            raise RuntimeError(f"audit verification worker failed: {message[-2000:]}")
        parts.append(decode_result(json.loads(out)))
    return parts


def _worker_connect(connection: Any) -> dict[str, Any] | None:
    """How a worker process opens the same database (None: it cannot)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            return None
        return {"path": name, "timeout": settings.get("OPTIONS", {}).get("timeout", 20)}
    if connection.vendor == "postgresql":
        params = {"dbname": settings["NAME"], "user": settings.get("USER"),
                  "password": settings.get("PASSWORD"), "host": settings.get("HOST"),
                  "port": settings.get("PORT")}
        for key, value in settings.get("OPTIONS", {}).items():
            if key in _LIBPQ_OPTIONS:
                params[key] = value
        return {k: v for k, v in params.items() if v not in (None, "")}
    return None


_LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout",
                  "application_name", "options", "passfile", "service", "target_session_attrs"}


def _seq_pass(reader: _Reader, using: str, batch_size: int, expect: dict[int, str],
              progress: Callable[[int], None] | None,
              head0: tuple[int, str] | None) -> _Walk:
    """Seq order, with diagnosis of the first row that fails."""
    walk = _Walk()
    expected_seq = 1
    last_hash = GENESIS_HASH
    prev: tuple[Any, ...] | None = None
    after = -1
    while walk.bad is None and (rows := reader.by_seq(after, batch_size)):
        for raw in rows:
            row = _row(raw)
            walk.checked += 1
            good = (row.seq == expected_seq and row.prev_hash == last_hash
                    and row.computed() == row.hash)
            if not good:
                walk.bad = _diagnose(reader, using, row, prev, expected_seq, last_hash, head0)
                break
            if row.seq in expect and expect[row.seq] != row.hash:
                walk.bad = ChainBreak(Tamper.EDITED, row.seq, row.id,
                                      "hash differs from the recorded head/anchor")
                break
            prev = raw
            last_hash = row.hash
            expected_seq += 1
        after = rows[-1][1]
        if progress is not None:
            progress(walk.checked)
    walk.last_seq = expected_seq - 1
    return walk


def verify_chain(
    *,
    using: str = DEFAULT_DB_ALIAS,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
    anchors: Iterable[tuple[int, str]] = (),
    jobs: int | None = None,
) -> VerifyResult:
    """Re-compute the chain from seq 1 to the end and report the first bad row.

    `anchors` are (seq, hash) pairs recorded earlier outside the database (printed by
    ``oneseal verify-audit``): the row with that seq must still carry that hash.
    `progress` is called with the number of rows checked after each batch. `jobs` worker
    processes share the fast pass of a long chain (default: one per CPU, at most four;
    1: none; never inside a transaction).
    """
    started = time.perf_counter()
    reader = _Reader(using)
    head0 = _head(using)
    expect = {int(s): h.lower() for s, h in anchors}
    if head0 is not None:
        expect.setdefault(head0[0], head0[1])
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 4)
    walk = _fast_pass(reader, batch_size, expect, progress, jobs)
    if not walk.clean:
        walk = _seq_pass(reader, using, batch_size, expect, progress, head0)

    def finish(bad: ChainBreak | None, warnings: tuple[str, ...] = ()) -> VerifyResult:
        return VerifyResult(
            ok=bad is None, rows_checked=walk.checked, seconds=time.perf_counter() - started,
            first_bad=bad, head_seq=head0[0] if head0 else None,
            head_hash=head0[1] if head0 else None, warnings=warnings,
        )

    if walk.bad is not None:
        return finish(walk.bad)
    last_seq = walk.last_seq
    missing_to = max([s for s in expect if s > last_seq], default=None)
    if missing_to is not None:  # rows cut from the end
        return finish(ChainBreak(Tamper.DELETED, last_seq + 1, None,
                                 f"rows {last_seq + 1}..{missing_to} missing at the end",
                                 (last_seq + 1, missing_to)))
    head1 = _head(using)
    if head1 is not None and last_seq > head1[0]:  # rows beyond the head: forged on
        extra = reader.one("seq > %s", [head1[0]])
        return finish(ChainBreak(Tamper.INSERTED, extra.seq if extra else None,
                                 extra.id if extra else None, "row beyond the chain head"))
    warnings: tuple[str, ...] = ()
    if head1 is None and last_seq > 0:
        warnings = ("chain head row missing: the end of the chain cannot be checked",)
    return finish(None, warnings)


def _diagnose(
    reader: _Reader, using: str, row: _Row, prev: tuple[Any, ...] | None, expected_seq: int,
    expected_prev: str, head0: tuple[int, str] | None,
) -> ChainBreak:
    """Why does `row`, the first row that fails, break the chain?

    - seq below the expected number, or beyond the head: a row was **inserted**;
    - seq above it: the rows in between were **deleted**;
    - right seq and link, wrong hash: the row was **edited** — unless the next row claims
      the same predecessor (this row was **inserted** beside it), or the row before it was
      added later than this one (that row was **inserted**, this one re-pointed at it);
    - wrong link: the row its `prev_hash` names decides. Nowhere: the row before it was
      **deleted** (or, when this row's own hash is right, rewritten: **edited**). Later in
      the chain: the rows were **reordered**. Further back: the rows in between belong to
      no chain and were **inserted**.
    """
    if row.seq < expected_seq:
        return ChainBreak(Tamper.INSERTED, row.seq, row.id, "seq repeats or goes backwards")
    if head0 is None or row.seq > head0[0]:
        head_now = _head(using)
        if head_now is not None and row.seq > head_now[0]:
            return ChainBreak(Tamper.INSERTED, row.seq, row.id, "row beyond the chain head")
    if row.seq > expected_seq:
        return ChainBreak(Tamper.DELETED, row.seq, row.id,
                          f"seq {expected_seq}..{row.seq - 1} missing before this row",
                          (expected_seq, row.seq - 1))
    self_ok = row.computed() == row.hash
    nxt = reader.one("seq > %s", [row.seq])
    if row.prev_hash == expected_prev:
        if nxt is not None and nxt.prev_hash == row.prev_hash:
            return ChainBreak(Tamper.INSERTED, row.seq, row.id,
                              "the next row claims the same predecessor")
        if prev is not None and prev[0] > row.id:
            # Rows are appended in id order; a predecessor with a later id was slipped in
            # before this row, which was renumbered and re-pointed at it.
            return ChainBreak(Tamper.INSERTED, prev[1], prev[0],
                              "added after the row that follows it")
        return ChainBreak(Tamper.EDITED, row.seq, row.id, "hash does not match the content")
    owner = reader.one("hash = %s", [row.prev_hash])
    if owner is None:
        if self_ok and prev is not None:
            return ChainBreak(Tamper.EDITED, prev[1], prev[0],
                              "rewritten: the next row recorded another hash for it")
        if nxt is not None and nxt.prev_hash == expected_prev:
            return ChainBreak(Tamper.INSERTED, row.seq, row.id, "the chain skips this row")
        for shift in range(1, RENUMBER_PROBE + 1):
            if row.computed(row.seq + shift) == row.hash:
                return ChainBreak(Tamper.DELETED, row.seq, row.id,
                                  f"{shift} row(s) deleted before this row, later rows "
                                  "renumbered")
        if self_ok:
            return ChainBreak(Tamper.EDITED, row.seq, row.id, "previous hash rewritten")
        return ChainBreak(Tamper.DELETED, row.seq, row.id,
                          "previous hash names no existing row")
    if owner.seq >= row.seq:
        return ChainBreak(Tamper.REORDERED, row.seq, row.id,
                          f"its predecessor is at seq {owner.seq}, later in the chain")
    first = reader.one("seq > %s", [owner.seq])
    assert first is not None  # at least `row` itself
    return ChainBreak(Tamper.INSERTED, first.seq, first.id,
                      f"rows {owner.seq + 1}..{row.seq - 1} are outside the chain")
