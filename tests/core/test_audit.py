"""The audit chain: appending links rows, the application and the database refuse changes,
and verification names the first row edited, deleted, inserted or reordered behind the
application's back."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, IntegrityError, connection, transaction

from oneseal.core import audit as audit_module
from oneseal.core import audit_verify
from oneseal.core.audit import (
    GENESIS_HASH,
    append_event,
    canonical_json,
    compute_hash,
    format_time,
)
from oneseal.core.audit_verify import Tamper, verify_chain
from oneseal.core.models import AuditChainHead, AuditEvent, AuditImmutableError
from tests.factories import UserFactory

from .audit_helpers import behind_the_back, fill, row, snapshot, sql

pytestmark = pytest.mark.django_db


# --- appending ----------------------------------------------------------------------------

def test_append_links_each_row_to_the_one_before(cast):
    first = append_event(actor=cast["clerk"], kind="case.submit", subject="case:1")
    second = append_event(actor=cast["reviewer"], kind="case.accept", subject="case:1",
                          payload={"window": 3})
    third = append_event(actor=None, kind="system.tick", subject="clock")

    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3]
    assert [r.pk for r in rows] == [first.pk, second.pk, third.pk]
    assert rows[0].prev_hash == GENESIS_HASH
    assert rows[1].prev_hash == rows[0].hash
    assert rows[2].prev_hash == rows[1].hash
    for r in rows:  # each stored hash is the hash of the stored fields
        assert r.hash == compute_hash(r.seq, r.prev_hash, format_time(r.at), r.actor_id,
                                      r.actor_name, r.kind, r.subject, r.payload_json)
    assert (rows[0].actor_id, rows[0].actor_name) == (cast["clerk"].pk, cast["clerk"].display_name)
    assert rows[1].payload == {"window": 3}
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (3, rows[2].hash)
    assert verify_chain().ok


def test_record_format_matches_the_documented_worked_example():
    """The module docstring's format, worked by hand: nine fields joined by U+001F."""
    text = ("oneseal-audit-v1\x1f1\x1f" + "0" * 64 + "\x1f2026-09-28 01:02:03.000450\x1f\x1f\x1f"
            "case.accept\x1fcase:42\x1f" + '{"a":1,"b":"受理"}')
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with time_machine.travel(datetime(2026, 9, 28, 1, 2, 3, 450, tzinfo=UTC), tick=False):
        event = append_event(actor=None, kind="case.accept", subject="case:42",
                             payload={"b": "受理", "a": 1})
    assert event.hash == expected
    assert AuditEvent.objects.get().hash == expected
    assert AuditEvent.objects.get().payload_json == '{"a":1,"b":"受理"}'


def test_whole_second_times_hash_and_verify_on_every_database():
    with time_machine.travel(datetime(2026, 10, 1, 0, 0, 0, tzinfo=UTC), tick=False):
        event = append_event(actor=None, kind="case.accept", subject="case:1")
    assert format_time(event.at) == "2026-10-01 00:00:00"
    result = verify_chain()
    assert result.ok, result.first_bad


def test_payload_is_stored_as_canonical_json_whatever_the_key_order():
    a = append_event(actor=None, kind="k.a", subject="s", payload={"z": [1, 2], "a": {"y": 1,
                                                                                      "b": "中"}})
    b = append_event(actor=None, kind="k.b", subject="s", payload={"a": {"b": "中", "y": 1},
                                                                     "z": [1, 2]})
    stored = list(AuditEvent.objects.values_list("payload_json", flat=True))
    assert stored == ['{"a":{"b":"中","y":1},"z":[1,2]}'] * 2
    assert a.payload == b.payload == json.loads(stored[0])
    assert canonical_json(None) == "{}"


def test_anonymous_and_missing_actors_are_recorded_as_the_system():
    append_event(actor=None, kind="system.start", subject="site")
    append_event(actor=AnonymousUser(), kind="portal.visit", subject="site")
    assert list(AuditEvent.objects.values_list("actor_id", "actor_name")) == [(None, "")] * 2


def test_actor_name_falls_back_to_username_and_control_characters_become_spaces():
    user = UserFactory(username="zhang", display_name="")
    tricky = UserFactory(username="li", display_name="李\x1f四\n")
    append_event(actor=user, kind="auth.login", subject=f"user:{user.pk}")
    append_event(actor=tricky, kind="auth.login", subject=f"user:{tricky.pk}")
    assert list(AuditEvent.objects.values_list("actor_name", flat=True)) == ["zhang", "李 四 "]
    assert verify_chain().ok


@pytest.mark.parametrize(("kind", "subject", "payload", "error"), [
    ("", "case:1", None, ValueError),
    ("case\x1faccept", "case:1", None, ValueError),
    ("case.accept", "case:\n1", None, ValueError),
    ("k" * 65, "case:1", None, ValueError),
    ("case.accept", "case:1", ["not", "a", "dict"], TypeError),
    ("case.accept", "case:1", {"x": float("nan")}, ValueError),
])
def test_bad_input_is_refused_and_nothing_is_stored(kind, subject, payload, error):
    fill(1)
    before = snapshot()
    with pytest.raises(error):
        append_event(actor=None, kind=kind, subject=subject, payload=payload)
    assert snapshot() == before
    assert AuditChainHead.objects.get().seq == 1


def test_event_rolls_back_with_the_callers_transaction():
    fill(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        append_event(actor=None, kind="case.accept", subject="case:9")
        raise RuntimeError("the caller's work failed")
    assert AuditEvent.objects.count() == 2
    assert AuditChainHead.objects.get().seq == 2
    append_event(actor=None, kind="case.accept", subject="case:10")
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3]
    assert verify_chain().ok


def test_a_missing_head_row_is_rebuilt_from_the_last_event():
    fill(3)
    AuditChainHead.objects.all().delete()
    assert verify_chain().warnings  # the end cannot be checked without it
    event = append_event(actor=None, kind="case.accept", subject="case:4")
    assert event.seq == 4
    assert AuditChainHead.objects.get().seq == 4
    result = verify_chain()
    assert result.ok and not result.warnings


def test_a_stale_head_cannot_fork_the_chain(monkeypatch):
    """Second guard: even if the lock failed and an appender read an old head, the unique
    seq constraint refuses the fork and nothing is stored."""
    fill(3)
    before = snapshot()
    stale = row(2)
    real = audit_module._statements

    def stale_statements(conn):
        _lock, insert, move = real(conn)
        return (f"SELECT 2, '{stale['hash']}' FROM core_auditchainhead WHERE id = 1",  # noqa: S608
                insert, move)

    monkeypatch.setattr(audit_module, "_statements", stale_statements)
    with pytest.raises(IntegrityError):
        append_event(actor=None, kind="case.accept", subject="case:fork")
    assert snapshot() == before


# --- the application and the database refuse changes --------------------------------------

def test_the_application_refuses_to_change_or_remove_events():
    events = fill(3)
    before = snapshot()
    stored = AuditEvent.objects.get(seq=2)
    stored.payload_json = '{"i":99}'
    with pytest.raises(AuditImmutableError):
        stored.save()
    with pytest.raises(AuditImmutableError):
        stored.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(seq=2).update(payload_json="{}")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(seq__gte=2).delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_update([stored], ["payload_json"])
    with pytest.raises(AuditImmutableError):
        events[0].save()
    assert snapshot() == before
    assert verify_chain().ok


def test_events_cannot_be_created_outside_append_event():
    fill(1)
    before = snapshot()
    forged = AuditEvent(seq=2, prev_hash="a" * 64, hash="b" * 64, at=events_time(),
                        kind="case.accept", subject="case:2")
    with pytest.raises(AuditImmutableError):
        forged.save()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.create(seq=2, prev_hash="a" * 64, hash="b" * 64, at=events_time(),
                                  kind="x", subject="y")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_create([forged])
    assert snapshot() == before


def events_time():
    return datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_deleting_a_user_leaves_their_events_untouched():
    user = UserFactory(username="leaver")
    append_event(actor=user, kind="auth.login", subject=f"user:{user.pk}")
    before = snapshot()
    user.delete()
    assert snapshot() == before
    assert verify_chain().ok


@pytest.mark.parametrize("statement", [
    "UPDATE core_auditevent SET payload = '{}' WHERE seq = 2",
    "UPDATE core_auditevent SET seq = 9 WHERE seq = 3",
    "DELETE FROM core_auditevent WHERE seq = 2",
    "DELETE FROM core_auditevent WHERE seq = 3",
])
def test_the_database_refuses_update_and_delete(statement):
    fill(3)
    before = snapshot()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert snapshot() == before


def test_rows_can_leave_only_from_the_oldest_end_and_verification_sees_it():
    """SQLite lets the oldest row go (how Django empties a test database); PostgreSQL
    refuses every DELETE. Either way a chain that no longer starts at seq 1 is reported."""
    events = fill(3)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM core_auditevent WHERE seq = 1")
        else:
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute("DELETE FROM core_auditevent WHERE seq = 1")
            assert AuditEvent.objects.count() == 3
            return
    bad = verify_chain().first_bad
    assert (bad.reason, bad.seq, bad.id, bad.missing) == (Tamper.DELETED, 2, events[1].pk, (1, 1))


# --- tampering behind the application's back ----------------------------------------------

def test_intact_chain_is_verified_by_the_fast_pass_alone(monkeypatch):
    fill(25)

    def no_second_pass(*args, **kwargs):
        raise AssertionError("the seq-ordered pass ran on an intact chain")

    monkeypatch.setattr(audit_verify, "_seq_pass", no_second_pass)
    result = verify_chain(batch_size=7)
    assert (result.ok, result.rows_checked, result.head_seq) == (True, 25, 25)


@pytest.mark.parametrize("batch_size", [3, 20_000])
def test_edited_payload_is_found_at_that_row(batch_size):
    events = fill(10)
    with behind_the_back() as cursor:
        changed = sql(cursor, "UPDATE core_auditevent SET payload = %s WHERE seq = 6",
                      ['{"i":600}'])
        assert changed == 1
    result = verify_chain(batch_size=batch_size)
    assert not result.ok
    bad = result.first_bad
    assert (bad.reason, bad.seq, bad.id) == (Tamper.EDITED, 6, events[5].pk)
    assert result.rows_checked == 6


@pytest.mark.parametrize(("column", "value"), [
    ("actor_name", "某人"), ("kind", "case.refuse"), ("subject", "case:999"),
    ("at", None),  # moved by one second below
])
def test_every_hashed_column_is_covered(column, value):
    events = fill(4)
    with behind_the_back() as cursor:
        if column == "at":
            moved = connection.ops.adapt_datetimefield_value(
                events[2].at.replace(second=(events[2].at.second + 1) % 60))
            sql(cursor, "UPDATE core_auditevent SET at = %s WHERE seq = 3", [moved])
        else:
            sql(cursor, f"UPDATE core_auditevent SET {column} = %s WHERE seq = 3",  # noqa: S608
                [value])
    bad = verify_chain().first_bad
    assert (bad.reason, bad.seq, bad.id) == (Tamper.EDITED, 3, events[2].pk)


def test_edited_row_with_its_hash_recomputed_is_found_at_that_row():
    events = fill(6)
    r = row(4)
    e = AuditEvent.objects.get(seq=4)
    forged = compute_hash(4, r["prev_hash"], format_time(e.at), None, "", e.kind, e.subject,
                          '{"i":400}')
    with behind_the_back() as cursor:
        sql(cursor, "UPDATE core_auditevent SET payload = %s, hash = %s WHERE seq = 4",
            ['{"i":400}', forged])
    bad = verify_chain().first_bad
    assert (bad.reason, bad.seq, bad.id) == (Tamper.EDITED, 4, events[3].pk)


def test_deleted_middle_row_is_found_at_the_gap():
    events = fill(10)
    with behind_the_back() as cursor:
        assert sql(cursor, "DELETE FROM core_auditevent WHERE seq = 5") == 1
    result = verify_chain()
    bad = result.first_bad
    assert (bad.reason, bad.seq, bad.id, bad.missing) == (Tamper.DELETED, 6, events[5].pk,
                                                          (5, 5))


def test_deleted_row_with_the_rest_renumbered_is_found():
    events = fill(8)
    with behind_the_back() as cursor:
        sql(cursor, "DELETE FROM core_auditevent WHERE seq = 4")
        sql(cursor, "UPDATE core_auditevent SET seq = seq + 1000 WHERE seq > 4")
        sql(cursor, "UPDATE core_auditevent SET seq = seq - 1001 WHERE seq > 1000")
    bad = verify_chain().first_bad
    assert (bad.reason, bad.seq, bad.id) == (Tamper.DELETED, 4, events[4].pk)


def test_rows_cut_from_the_end_are_found_against_the_head():
    fill(6)
    with behind_the_back() as cursor:
        sql(cursor, "DELETE FROM core_auditevent WHERE seq >= 5")
    bad = verify_chain().first_bad
    assert (bad.reason, bad.seq, bad.id, bad.missing) == (Tamper.DELETED, 5, None, (5, 6))


def _insert(cursor, seq, prev_hash, own_hash, *, kind="case.accept", payload="{}"):
    at = events_time()
    sql(cursor, "INSERT INTO core_auditevent (seq, prev_hash, hash, at, actor_id, actor_name, "
                "kind, subject, payload) VALUES (%s, %s, %s, %s, NULL, '', %s, 'case:forged', %s)",
        [seq, prev_hash, own_hash, connection.ops.adapt_datetimefield_value(at), kind, payload])
    return AuditEvent.objects.get(seq=seq)


def test_forged_row_added_at_the_end_is_found():
    fill(5)
    with behind_the_back() as cursor:
        forged = _insert(cursor, 6, row(5)["hash"], "f" * 64)
    bad = verify_chain().first_bad
    assert (bad.reason, bad.seq, bad.id) == (Tamper.INSERTED, 6, forged.pk)


def test_well_formed_forged_row_at_the_end_is_found_against_the_head():
    """The format is public: a forger can compute a valid hash. The head row still says
    the chain ended at seq 5."""
    fill(5)
    prev = row(5)["hash"]
    own = compute_hash(6, prev, format_time(events_time()), None, "", "case.accept",
                       "case:forged", "{}")
    with behind_the_back() as cursor:
        forged = _insert(cursor, 6, prev, own)
    bad = verify_chain().first_bad
    assert (bad.reason, bad.seq, bad.id) == (Tamper.INSERTED, 6, forged.pk)


def test_forged_row_slipped_into_the_middle_is_found_at_that_row():
    """Insert a valid-looking row at seq 4, renumber the rest and re-point the old row 4."""
    fill(8)
    prev = row(3)["hash"]
    own = compute_hash(4, prev, format_time(events_time()), None, "", "case.accept",
                       "case:forged", "{}")
    with behind_the_back() as cursor:
        sql(cursor, "UPDATE core_auditevent SET seq = seq + 1000 WHERE seq >= 4")
        sql(cursor, "UPDATE core_auditevent SET seq = seq - 999 WHERE seq > 1000")
        sql(cursor, "UPDATE core_auditevent SET prev_hash = %s WHERE seq = 5", [own])
        forged = _insert(cursor, 4, prev, own)
    bad = verify_chain().first_bad
    assert (bad.reason, bad.seq, bad.id) == (Tamper.INSERTED, 4, forged.pk)


@pytest.mark.parametrize(("a", "b"), [(3, 7), (4, 5)])
def test_swapped_rows_are_reported_as_reordered_at_the_first(a, b):
    events = fill(9)
    with behind_the_back() as cursor:
        sql(cursor, "UPDATE core_auditevent SET seq = 999 WHERE seq = %s", [a])
        sql(cursor, "UPDATE core_auditevent SET seq = %s WHERE seq = %s", [a, b])
        sql(cursor, "UPDATE core_auditevent SET seq = %s WHERE seq = 999", [b])
    result = verify_chain()
    bad = result.first_bad
    # the row now at seq `a` is the one appended as seq `b`
    assert (bad.reason, bad.seq, bad.id) == (Tamper.REORDERED, a, events[b - 1].pk)


def test_rewriting_the_whole_tail_needs_an_anchor_to_be_found():
    """Someone who rewrites every row from seq 3 on and the head as well leaves a chain that
    is consistent in itself; a head recorded earlier (an anchor) still catches it."""
    fill(5)
    anchor = (5, row(5)["hash"])
    prev = row(2)["hash"]
    with behind_the_back() as cursor:
        for seq in range(3, 6):
            e = AuditEvent.objects.get(seq=seq)
            own = compute_hash(seq, prev, format_time(e.at), None, "", e.kind, e.subject,
                               '{"rewritten":true}')
            sql(cursor, "UPDATE core_auditevent SET prev_hash = %s, hash = %s, payload = %s "
                        "WHERE seq = %s", [prev, own, '{"rewritten":true}', seq])
            prev = own
        sql(cursor, "UPDATE core_auditchainhead SET hash = %s WHERE id = 1", [prev])
    assert verify_chain().ok
    bad = verify_chain(anchors=[anchor]).first_bad
    assert (bad.reason, bad.seq) == (Tamper.EDITED, 5)


def test_rows_stored_out_of_id_order_still_verify_through_the_seq_walk():
    """The id is not part of the record: the fast pass (id order) gives up and the seq walk,
    which decides, finds the chain intact."""
    events = fill(5)
    with behind_the_back() as cursor:
        sql(cursor, "UPDATE core_auditevent SET id = %s WHERE seq = 2", [events[-1].pk + 100])
        sql(cursor, "UPDATE core_auditevent SET id = %s WHERE seq = 3", [events[1].pk])
    result = verify_chain(batch_size=2)
    assert (result.ok, result.rows_checked) == (True, 5)
