"""Appenders in separate OS processes never fork the chain: no two rows share a previous
hash, seq numbers stay contiguous, and the chain verifies — on SQLite (a file database, the
IMMEDIATE transaction holds the write lock) and on PostgreSQL (the head row is locked)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest
from django.db import connection, transaction

from oneseal.core import audit_verify
from oneseal.core.audit import append_event
from oneseal.core.audit_verify import Tamper, verify_chain
from oneseal.core.models import AuditChainHead, AuditEvent

from .audit_helpers import behind_the_back_committed, database_url, fill, sql

ROOT = Path(__file__).resolve().parents[2]
PER_WORKER = 50


def _run_workers(modes: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url(), "ONESEAL_DEV": "1"}
    connection.close()  # children open their own; nothing is shared
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.core.audit_worker", str(n), str(PER_WORKER), mode,
             str(tmp_path)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n, mode in enumerate(modes)
    ]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{n}").exists() for n in range(len(modes))):
        assert time.monotonic() < deadline, "workers did not start"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    (tmp_path / "go").touch()
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err


def _assert_one_unbroken_chain(workers: int) -> None:
    total = workers * PER_WORKER
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash",
                                                                 "payload_json"))
    assert [r[0] for r in rows] == list(range(1, total + 1))
    assert len({r[1] for r in rows}) == total  # no two rows share a previous hash
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, total))
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (total, rows[-1][2])
    result = verify_chain()
    assert result.ok, result.first_bad
    assert result.rows_checked == total
    # each worker's own events are in its own order
    per_worker = defaultdict(list)
    for event in AuditEvent.objects.order_by("seq"):
        per_worker[event.payload["worker"]].append(event.payload["i"])
    assert sorted(per_worker) == list(range(workers))
    assert all(v == list(range(PER_WORKER)) for v in per_worker.values())


@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_in_separate_processes_keep_one_chain(tmp_path):
    append_event(actor=None, kind="test.start", subject="run")  # the chain already exists
    _run_workers(["plain", "plain", "plain", "outer"], tmp_path)
    # The first event is not a worker's: account for it by checking the rest by hand.
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash"))
    total = 4 * PER_WORKER + 1
    assert [r[0] for r in rows] == list(range(1, total + 1))
    assert len({r[1] for r in rows}) == total
    result = verify_chain()
    assert result.ok and result.rows_checked == total, result.first_bad


@pytest.mark.django_db(transaction=True)
def test_appends_inside_outer_transactions_that_read_first_never_fork(tmp_path):
    """Every worker appends inside an outer transaction that begins by reading the head; on
    SQLite BEGIN IMMEDIATE already holds the write lock, on PostgreSQL the head row lock
    is taken by the append and the head re-read under it."""
    _run_workers(["outer", "outer", "plain"], tmp_path)
    _assert_one_unbroken_chain(3)
    interleaved = list(AuditEvent.objects.order_by("seq").values_list("subject", flat=True))
    switches = sum(1 for a, b in pairwise(interleaved) if a != b)
    assert switches > 2  # the workers really ran at the same time


@pytest.mark.django_db(transaction=True)
def test_append_after_a_read_in_the_same_transaction_uses_the_newest_head():
    """The outer transaction reads the head (seq 1) before another connection appends. On
    SQLite the other appender waits for the outer transaction (its BEGIN IMMEDIATE holds the
    write lock); on PostgreSQL it commits first and the outer append, locking the head,
    builds on its row. Either way: seq 2 and 3, one chain."""
    append_event(actor=None, kind="test.start", subject="run")
    sqlite = connection.vendor == "sqlite"
    starting = threading.Event()

    def other():
        try:
            starting.set()
            append_event(actor=None, kind="test.other", subject="thread")
        finally:
            connection.close()

    # No clock decides the outcome: the thread signals that it is about to append; the
    # timeouts below only keep a hang from stalling the suite.
    thread = threading.Thread(target=other)
    with transaction.atomic():
        seen = AuditChainHead.objects.values_list("seq", flat=True).get()
        thread.start()
        if sqlite:
            assert starting.wait(timeout=120)
        else:  # nothing of ours blocks it: it commits before we append
            thread.join(timeout=120)
            assert not thread.is_alive()
        mine = append_event(actor=None, kind="test.outer", subject="main")
        if sqlite:  # it cannot have committed: our BEGIN IMMEDIATE holds the write lock
            assert thread.is_alive()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert seen == 1
    kinds = list(AuditEvent.objects.order_by("seq").values_list("seq", "kind"))
    if sqlite:  # the other appender had to wait for our commit
        assert kinds == [(1, "test.start"), (2, "test.outer"), (3, "test.other")]
    else:  # it went first; we locked the head and built on its row
        assert kinds == [(1, "test.start"), (2, "test.other"), (3, "test.outer")]
    assert mine.seq == dict((k, s) for s, k in kinds)["test.outer"]
    result = verify_chain()
    assert result.ok and result.rows_checked == 3, result.first_bad


@pytest.fixture
def small_parallel(monkeypatch):
    """Let even a short committed chain be split among worker processes; count the runs."""
    runs = []
    real = audit_verify._run_workers

    def counted(*args, **kwargs):
        parts = real(*args, **kwargs)
        runs.append(parts)
        return parts

    monkeypatch.setattr(audit_verify, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(audit_verify, "_run_workers", counted)
    return runs


@pytest.mark.django_db(transaction=True)
def test_worker_processes_verify_a_committed_chain_slice_by_slice(small_parallel):
    fill(40)
    result = verify_chain(jobs=3, batch_size=4)
    assert (result.ok, result.rows_checked) == (True, 40)
    assert len(small_parallel) == 1
    assert sorted(part.count for part in small_parallel[0]) != [0, 0, 40]  # really split
    assert sum(part.count for part in small_parallel[0]) == 40


@pytest.mark.django_db(transaction=True)
def test_worker_processes_hand_a_broken_chain_to_the_diagnosis(small_parallel):
    events = fill(30)
    with behind_the_back_committed() as cursor:
        sql(cursor, "UPDATE core_auditevent SET kind = 'case.refuse' WHERE seq = 17")
    bad = verify_chain(jobs=2).first_bad
    assert (bad.reason, bad.seq, bad.id) == (Tamper.EDITED, 17, events[16].pk)
    assert len(small_parallel) == 1


@pytest.mark.django_db(transaction=True)
def test_slices_that_do_not_join_up_are_caught(small_parallel):
    """Every slice may be intact in itself while a row is missing where two slices meet."""
    events = fill(20)
    low, high = events[0].pk, events[-1].pk
    last_of_first_slice = low - 1 + (high - low + 1) // 2 + 1  # as _parallel_scan splits
    gone = next(e for e in events if e.pk == last_of_first_slice)
    with behind_the_back_committed() as cursor:
        sql(cursor, "DELETE FROM core_auditevent WHERE id = %s", [gone.pk])
    bad = verify_chain(jobs=2).first_bad
    assert [p.clean for p in small_parallel[0]] == [True, True]  # each slice intact alone
    after = events[gone.seq]
    assert (bad.reason, bad.seq, bad.id, bad.missing) == (Tamper.DELETED, after.seq, after.pk,
                                                          (gone.seq, gone.seq))


@pytest.mark.django_db(transaction=True)
def test_failing_workers_fall_back_to_one_process(small_parallel, monkeypatch):
    fill(10)
    monkeypatch.setattr(audit_verify, "_worker_connect",
                        lambda conn: {"path": "/nonexistent/oneseal.sqlite3", "dbname": "nope",
                                      "host": "127.0.0.1", "port": 1})
    result = verify_chain(jobs=2)
    assert (result.ok, result.rows_checked) == (True, 10)
    assert small_parallel == []  # the workers failed; the in-process pass did the work
