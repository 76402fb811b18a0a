"""The fast pass of audit chain verification, without Django: the per-row loop over rows read
as bytes, and a worker that scans one id range over its own database connection.

`oneseal.core.audit_verify` runs the loop in-process, or — for a long, committed chain — in
worker processes (``python -m oneseal.core.audit_scan``, JSON in and out, importing only
this module), each over a slice of the ids, and stitches the slices together: a slice must
start where the one before it ended.

The loop is `oneseal.core.audit.compute_hash` inlined over bytes (a call per row would cost
a tenth of the time); every intact chain the tests build goes through it, so the two agree.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

TAG = b"oneseal-audit-v1"
JOIN = b"\x1f".join
GENESIS = b"0" * 64


@dataclass
class Scan:
    """Where a scan stands. `expected_seq` None: take up the chain at the first row seen
    (a worker's slice); `first_seq`/`first_prev` record where that was."""

    expected_seq: int | None = 1
    last_hash: bytes = GENESIS
    last_id: int = -1
    count: int = 0
    first_seq: int | None = None
    first_prev: bytes | None = None
    clean: bool = True


def scan_rows(rows: Iterable[Sequence[Any]], scan: Scan, anchors: dict[int, bytes]) -> bool:
    """Check rows ``(id, seq, prev_hash, hash, at, actor_id, actor_name, kind, subject,
    payload)`` (text as bytes) in order; False, with `scan.clean` False, at the first row
    that is not the next link of an intact chain."""
    sha256 = hashlib.sha256
    expected_seq = scan.expected_seq
    last_hash = scan.last_hash
    count = scan.count
    last_id = scan.last_id
    try:
        for row_id, seq, prev, own, at, actor, name, kind, subject, payload in rows:
            if expected_seq is None:
                expected_seq, last_hash = seq, prev
                scan.first_seq, scan.first_prev = seq, prev
            if seq != expected_seq or prev != last_hash:
                scan.clean = False
                return False
            try:
                digest = sha256(JOIN((TAG, b"%d" % seq, prev, at, actor, name, kind, subject,
                                      payload))).hexdigest().encode()
            except TypeError:  # NULL, or a number stored in a text column
                digest = None
            if digest != own or (seq in anchors and anchors[seq] != own):
                scan.clean = False
                return False
            last_hash = own
            last_id = row_id
            expected_seq += 1
            count += 1
    finally:
        scan.expected_seq, scan.last_hash, scan.count, scan.last_id = (
            expected_seq, last_hash, count, last_id)
    return True


def window(fetch: Callable[[str, Sequence[Any]], list[Any]], columns: str, table: str,
           key: str, after: int, size: int, mark: str = "%s") -> list[Any]:
    """The rows with ``after < key <= after + size``, in key order; when that range is empty,
    the next one that is not. Rows are found by key range, never by LIMIT: a range is planned
    well even on a freshly loaded table whose statistics still say it is empty (PostgreSQL
    otherwise sorts the whole table for every batch)."""
    sql = (f"SELECT {columns} FROM {table} "  # noqa: S608 - fixed identifiers
           f"WHERE {key} > {mark} AND {key} <= {mark} ORDER BY {key}")
    rows = fetch(sql, (after, after + size))
    if not rows:
        found = fetch(f"SELECT MIN({key}) FROM {table} WHERE {key} > {mark}",  # noqa: S608
                      (after,))
        if found and found[0][0] is not None:
            rows = fetch(sql, (found[0][0] - 1, found[0][0] - 1 + size))
    return rows


def scan_range(vendor: str, connect: dict[str, Any], columns: str, table: str, low_id: int,
               high_id: int, batch_size: int, anchors: dict[int, bytes]) -> Scan:
    """A worker: scan ids in (low_id, high_id] over a new read-only connection; `connect`
    names the database."""
    scan = Scan(expected_seq=None)
    if vendor == "sqlite":
        import sqlite3
        from urllib.parse import quote

        conn: Any = sqlite3.connect(f"file:{quote(connect['path'])}?mode=ro", uri=True,
                                    timeout=connect.get("timeout", 20))
        conn.text_factory = bytes
        conn.execute("PRAGMA mmap_size = 2000000000")
        mark = "?"
    else:
        import psycopg

        conn = psycopg.connect(**connect, autocommit=True)
        mark = "%s"

    def fetch(sql: str, params: Sequence[Any]) -> list[Any]:
        return list(conn.execute(sql, params).fetchall())

    try:
        after = low_id
        while after < high_id:
            rows = window(fetch, columns, table, "id", after, min(batch_size, high_id - after),
                          mark)
            rows = rows[:bisect.bisect_right(rows, high_id, key=lambda r: r[0])]
            if not rows or not scan_rows(rows, scan, anchors):
                break
            after = rows[-1][0]
    finally:
        conn.close()
    return scan


def _main() -> None:
    """Worker entry point: one JSON request on stdin, one JSON `Scan` on stdout."""
    request = json.load(sys.stdin)
    scan = scan_range(
        request["vendor"], request["connect"], request["columns"], request["table"],
        request["low_id"], request["high_id"], request["batch_size"],
        {int(seq): value.encode() for seq, value in request["anchors"].items()},
    )
    result = asdict(scan)
    for key in ("last_hash", "first_prev"):
        result[key] = result[key].decode("ascii", "replace") if result[key] else None
    json.dump(result, sys.stdout)


def decode_result(data: dict[str, Any]) -> Scan:
    for key in ("last_hash", "first_prev"):
        data[key] = data[key].encode() if data[key] is not None else None
    return Scan(**data)


if __name__ == "__main__":
    _main()
