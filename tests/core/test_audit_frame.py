"""`audit_frame`: a transaction's audit events are appended at its end, in one locked
section (issue 19). The rows are those an immediate append writes — one chain, contiguous,
verified by `verify_chain` — only the moment of writing moves."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from oneseal.core.audit import PendingAuditEvent, append_event, audit_frame
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def _kinds() -> list[tuple[int, str]]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "kind"))


def test_a_frame_writes_nothing_until_its_end_then_all_contiguous_and_in_order():
    append_event(actor=None, kind="test.before", subject="run")
    with audit_frame():
        queued = [append_event(actor=None, kind=f"test.in{i}", subject="frame")
                  for i in range(3)]
        assert all(isinstance(e, PendingAuditEvent) and not e.written for e in queued)
        assert _kinds() == [(1, "test.before")]  # the head is not touched yet
        assert AuditChainHead.objects.get().seq == 1
    assert _kinds() == [(1, "test.before"), (2, "test.in0"), (3, "test.in1"),
                        (4, "test.in2")]
    assert [e.seq for e in queued] == [2, 3, 4]
    assert AuditEvent.objects.get(seq=3).hash == queued[1].hash
    result = verify_chain()
    assert result.ok and result.rows_checked == 4, result.first_bad


def test_a_rolled_back_frame_leaves_nothing_in_the_chain():
    append_event(actor=None, kind="test.before", subject="run")
    with pytest.raises(RuntimeError), audit_frame():
        append_event(actor=None, kind="test.lost", subject="frame")
        raise RuntimeError("refused")
    assert _kinds() == [(1, "test.before")]
    assert AuditChainHead.objects.get().seq == 1
    append_event(actor=None, kind="test.after", subject="run")
    assert _kinds() == [(1, "test.before"), (2, "test.after")]
    assert verify_chain().ok


def test_events_of_a_rolled_back_savepoint_inside_a_frame_are_dropped_with_it():
    with audit_frame():
        append_event(actor=None, kind="test.kept1", subject="frame")
        with pytest.raises(RuntimeError), transaction.atomic():
            append_event(actor=None, kind="test.lost", subject="frame")
            raise RuntimeError("inner refused")
        with audit_frame():  # a nested frame joins the outer one
            append_event(actor=None, kind="test.kept2", subject="frame")
        assert not AuditEvent.objects.exists()
    assert _kinds() == [(1, "test.kept1"), (2, "test.kept2")]
    assert verify_chain().ok


def test_asking_for_a_pending_seq_writes_the_frame_so_far_in_order():
    """A caller that stores the seq beside its own row still gets it: the frame writes what
    is queued (in order) at that moment, and the rest at its end."""
    with audit_frame():
        first = append_event(actor=None, kind="test.first", subject="frame")
        second = append_event(actor=None, kind="test.second", subject="frame")
        assert second.seq == 2 and first.written
        assert _kinds() == [(1, "test.first"), (2, "test.second")]
        third = append_event(actor=None, kind="test.third", subject="frame")
        assert not third.written
    assert third.seq == 3
    assert _kinds() == [(1, "test.first"), (2, "test.second"), (3, "test.third")]
    assert verify_chain().ok


def test_events_written_in_a_rolled_back_savepoint_are_written_again_at_the_end():
    """The frame's own queued event was written early inside a savepoint that then rolled
    back: the row went with the savepoint, so the frame writes it again at its end."""
    with audit_frame():
        kept = append_event(actor=None, kind="test.kept", subject="frame")
        with pytest.raises(RuntimeError), transaction.atomic():
            assert append_event(actor=None, kind="test.lost", subject="frame").seq == 2
            raise RuntimeError("inner refused")
        assert not AuditEvent.objects.exists()
    assert _kinds() == [(1, "test.kept")]
    assert kept.seq == 1
    assert verify_chain().ok


def test_on_written_runs_in_the_final_section_with_the_written_event():
    seen = []
    with audit_frame():
        pending = append_event(actor=None, kind="test.x", subject="frame")
        pending.on_written(lambda event: seen.append((event.seq, AuditEvent.objects.count())))
        assert seen == []
    assert seen == [(1, 1)]


def test_outside_a_frame_append_is_immediate_as_before():
    with transaction.atomic():
        event = append_event(actor=None, kind="test.now", subject="run")
        assert isinstance(event, AuditEvent)
        assert _kinds() == [(1, "test.now")]


@pytest.mark.django_db(transaction=True)
def test_the_head_is_free_while_a_frame_runs_and_both_transactions_append():
    """Two transactions at once, each on its own connection (threads). The frame has
    queued its events and is still running when the other appends: on PostgreSQL the other
    takes the head at once (with a lock timeout it would fail if the frame held it) while
    the frame waits for it, and the frame then writes after it. On SQLite BEGIN IMMEDIATE
    serialises the whole transactions: the other waits for the frame's commit."""
    pg = connection.vendor == "postgresql"
    append_event(actor=None, kind="test.start", subject="run")
    queued = threading.Event()
    other_done = threading.Event()
    errors: list[BaseException] = []

    def framed():
        try:
            with audit_frame():
                append_event(actor=None, kind="test.frame1", subject="frame")
                append_event(actor=None, kind="test.frame2", subject="frame")
                queued.set()
                if pg:  # the frame stays open until the other transaction has committed
                    assert other_done.wait(timeout=60), "the other transaction is stuck"
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=framed)
    thread.start()
    try:
        assert queued.wait(timeout=60)
        with transaction.atomic():
            if pg:
                with connection.cursor() as cursor:  # fail instead of queueing on the head
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
            append_event(actor=None, kind="test.other", subject="other")
        other_done.set()
    finally:
        other_done.set()
        thread.join(timeout=120)
    assert not thread.is_alive() and not errors, errors
    if pg:
        assert _kinds() == [(1, "test.start"), (2, "test.other"), (3, "test.frame1"),
                            (4, "test.frame2")]
    else:
        assert _kinds() == [(1, "test.start"), (2, "test.frame1"), (3, "test.frame2"),
                            (4, "test.other")]
    result = verify_chain()
    assert result.ok and result.rows_checked == 4, result.first_bad


@pytest.mark.django_db(transaction=True)
def test_two_frames_at_once_each_write_contiguously():
    """On PostgreSQL both frames are open at once with their events queued (the barrier);
    on SQLite the second BEGIN IMMEDIATE waits for the first frame's commit."""
    pg = connection.vendor == "postgresql"
    barrier = threading.Barrier(2, timeout=60)
    errors: list[BaseException] = []

    def framed(name: str):
        try:
            with audit_frame():
                for i in range(3):
                    append_event(actor=None, kind=f"test.{name}{i}", subject=name)
                if pg:
                    barrier.wait()  # both frames are open with their events queued
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=framed, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads) and not errors, errors
    subjects = list(AuditEvent.objects.order_by("seq").values_list("subject", flat=True))
    assert subjects in (["a"] * 3 + ["b"] * 3, ["b"] * 3 + ["a"] * 3)
    kinds = [k for _s, k in _kinds()]
    assert kinds[:3] == [f"test.{subjects[0]}{i}" for i in range(3)]
    result = verify_chain()
    assert result.ok and result.rows_checked == 6, result.first_bad
