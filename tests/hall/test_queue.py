"""Tickets and calling (services.queue): numbers per category and day, priority of checked-in
appointments and transfers, recall, skip, transfer, pause, 首问负责, the case of a visit;
every refusal names its rule and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from oneseal.applicants.models import Person
from oneseal.hall.errors import HallError
from oneseal.hall.models import Ticket, TicketCounter, TicketState, WindowSignIn
from oneseal.hall.services import queue
from oneseal.hall.services.appointments import appointment_book
from oneseal.hall.services.setup import window_sign_in, window_sign_out

from .hall_setup import make_hall

MONDAY_10 = dt.datetime(2026, 9, 28, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def hall(cast):
    return make_hall(cast["sysadmin"])


def _snapshot():
    return sorted(Ticket.objects.values_list("id", "state", "window_id", "clerk_id",
                                             "call_count", "case_id"))


def test_numbers_run_per_category_and_day(hall):
    a, c = hall["cats"]["comprehensive"], hall["cats"]["delivery"]
    first = queue.ticket_take(category_id=a.pk, now=MONDAY_10)
    second = queue.ticket_take(category_id=a.pk, now=MONDAY_10)
    other = queue.ticket_take(category_id=c.pk, now=MONDAY_10)
    tomorrow = queue.ticket_take(category_id=a.pk, now=MONDAY_10 + dt.timedelta(days=1))
    assert [first.number, second.number, other.number, tomorrow.number] == [
        "A001", "A002", "C001", "A001"]
    assert first.token != second.token and len(first.token) >= 20
    assert TicketCounter.objects.get(category=a, day=MONDAY_10.date()).last == 2


def test_id_number_links_the_known_person(hall):
    person = Person.objects.create(name="张三", id_number="11010519491231002X")
    ticket = queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk,
                               id_number="11010519491231002x", now=MONDAY_10)
    assert ticket.person == person and ticket.id_number == "11010519491231002X"


def test_bad_id_number_refused_and_no_ticket(hall):
    with pytest.raises(HallError) as exc:
        queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk,
                          id_number="110105194912310021", now=MONDAY_10)
    assert exc.value.code == "bad_id_number"
    assert not Ticket.objects.exists() and not TicketCounter.objects.exists()


def test_unknown_category_refused(hall):
    with pytest.raises(HallError) as exc:
        queue.ticket_take(category_id=999999, now=MONDAY_10)
    assert exc.value.code == "category_unknown"
    assert not Ticket.objects.exists()


def test_call_next_is_fifo_and_only_for_the_signed_in_clerk(hall, cast):
    a = hall["cats"]["comprehensive"]
    w1 = hall["windows"]["1"]
    t1 = queue.ticket_take(category_id=a.pk, now=MONDAY_10)
    queue.ticket_take(category_id=a.pk, now=MONDAY_10 + dt.timedelta(minutes=1))
    before = _snapshot()
    with pytest.raises(HallError) as exc:
        queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    assert exc.value.code == "not_signed_in" and exc.value.status == 403
    assert _snapshot() == before
    window_sign_in(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    called = queue.call_next(actor=cast["clerk"], window_id=w1.pk,
                             now=MONDAY_10 + dt.timedelta(minutes=2))
    assert called.pk == t1.pk and called.state == TicketState.CALLED
    assert called.window == w1 and called.clerk == cast["clerk"] and called.call_count == 1
    assert called.called_at == MONDAY_10 + dt.timedelta(minutes=2)


def test_window_busy_until_the_current_ticket_is_finished(hall, cast):
    a, w1 = hall["cats"]["comprehensive"], hall["windows"]["1"]
    queue.ticket_take(category_id=a.pk, now=MONDAY_10)
    queue.ticket_take(category_id=a.pk, now=MONDAY_10)
    window_sign_in(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    first = queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    before = _snapshot()
    with pytest.raises(HallError) as exc:
        queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    assert exc.value.code == "window_busy"
    assert _snapshot() == before
    queue.recall(actor=cast["clerk"], window_id=w1.pk, ticket_id=first.pk, now=MONDAY_10)
    queue.start_serving(actor=cast["clerk"], window_id=w1.pk, ticket_id=first.pk,
                        now=MONDAY_10 + dt.timedelta(minutes=1))
    done = queue.finish(actor=cast["clerk"], window_id=w1.pk, ticket_id=first.pk,
                        now=MONDAY_10 + dt.timedelta(minutes=9))
    assert done.state == TicketState.DONE and done.call_count == 2
    assert (done.served_at, done.finished_at) == (MONDAY_10 + dt.timedelta(minutes=1),
                                                  MONDAY_10 + dt.timedelta(minutes=9))
    assert queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10).number == "A002"


def test_skip_marks_no_show_and_a_finished_ticket_cannot_be_skipped(hall, cast):
    a, w1 = hall["cats"]["comprehensive"], hall["windows"]["1"]
    queue.ticket_take(category_id=a.pk, now=MONDAY_10)
    window_sign_in(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    called = queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    skipped = queue.skip(actor=cast["clerk"], window_id=w1.pk, ticket_id=called.pk,
                         now=MONDAY_10 + dt.timedelta(minutes=3))
    assert skipped.state == TicketState.NO_SHOW and skipped.finished_at is not None
    before = _snapshot()
    with pytest.raises(HallError) as exc:
        queue.skip(actor=cast["clerk"], window_id=w1.pk, ticket_id=called.pk, now=MONDAY_10)
    assert exc.value.code == "ticket_state"
    assert _snapshot() == before
    assert queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10) is None


def test_another_windows_ticket_is_not_touched(hall, cast):
    a = hall["cats"]["comprehensive"]
    queue.ticket_take(category_id=a.pk, now=MONDAY_10)
    window_sign_in(actor=cast["clerk"], window_id=hall["windows"]["1"].pk, now=MONDAY_10)
    called = queue.call_next(actor=cast["clerk"], window_id=hall["windows"]["1"].pk,
                             now=MONDAY_10)
    window_sign_in(actor=cast["helper"], window_id=hall["windows"]["9"].pk, now=MONDAY_10)
    before = _snapshot()
    with pytest.raises(HallError) as exc:
        queue.skip(actor=cast["helper"], window_id=hall["windows"]["9"].pk,
                   ticket_id=called.pk, now=MONDAY_10)
    assert exc.value.code == "ticket_not_here"
    with pytest.raises(HallError) as exc:
        queue.skip(actor=cast["helper"], window_id=hall["windows"]["1"].pk,
                   ticket_id=called.pk, now=MONDAY_10)
    assert exc.value.code == "not_signed_in"
    assert _snapshot() == before


def test_a_window_calls_only_its_categories(hall, cast):
    queue.ticket_take(category_id=hall["cats"]["delivery"].pk, now=MONDAY_10)
    window_sign_in(actor=cast["clerk"], window_id=hall["windows"]["1"].pk, now=MONDAY_10)
    assert queue.call_next(actor=cast["clerk"], window_id=hall["windows"]["1"].pk,
                           now=MONDAY_10) is None


def test_checked_in_appointment_is_called_first(hall, cast):
    a, w1 = hall["cats"]["comprehensive"], hall["windows"]["1"]
    with time_machine.travel(MONDAY_10 - dt.timedelta(days=3), tick=False):
        booked = appointment_book(actor=cast["applicant"], category_id=a.pk,
                                  day=MONDAY_10.date(), slot_start=dt.time(10, 30))
    early = queue.ticket_take(category_id=a.pk, now=MONDAY_10)
    late = queue.ticket_take(category_id=None, appointment_code=booked.code,
                             now=MONDAY_10 + dt.timedelta(minutes=20))
    assert late.priority and late.appointment == booked and late.number == "A002"
    booked.refresh_from_db()
    assert booked.state == "checked_in"
    window_sign_in(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    first = queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    assert first.pk == late.pk != early.pk


def test_appointment_code_twice_refused(hall, cast):
    a = hall["cats"]["comprehensive"]
    with time_machine.travel(MONDAY_10 - dt.timedelta(days=1), tick=False):
        booked = appointment_book(actor=cast["applicant"], category_id=a.pk,
                                  day=MONDAY_10.date(), slot_start=dt.time(11))
    queue.ticket_take(category_id=None, appointment_code=booked.code, now=MONDAY_10)
    with pytest.raises(HallError) as exc:
        queue.ticket_take(category_id=None, appointment_code=booked.code, now=MONDAY_10)
    assert exc.value.code == "appointment_unknown"
    assert Ticket.objects.count() == 1


def test_appointment_checked_in_after_its_slot_refused(hall, cast):
    a = hall["cats"]["comprehensive"]
    with time_machine.travel(MONDAY_10 - dt.timedelta(days=1), tick=False):
        booked = appointment_book(actor=cast["applicant"], category_id=a.pk,
                                  day=MONDAY_10.date(), slot_start=dt.time(10, 30))
    with pytest.raises(HallError) as exc:
        queue.ticket_take(category_id=None, appointment_code=booked.code,
                          now=MONDAY_10 + dt.timedelta(hours=1))
    assert exc.value.code == "appointment_not_now"
    booked.refresh_from_db()
    assert booked.state == "booked" and not Ticket.objects.exists()


def test_transfer_to_a_window_keeps_number_priority_and_first_responder(hall, cast):
    d, w8, w1 = hall["cats"]["consultation"], hall["windows"]["8"], hall["windows"]["1"]
    a = hall["cats"]["comprehensive"]
    queue.ticket_take(category_id=a.pk, now=MONDAY_10)  # someone already waits at A
    taken = queue.ticket_take(category_id=d.pk, now=MONDAY_10)
    window_sign_in(actor=cast["helper"], window_id=w8.pk, now=MONDAY_10)
    called = queue.call_next(actor=cast["helper"], window_id=w8.pk, now=MONDAY_10)
    assert called.pk == taken.pk and called.first_responder == cast["helper"]  # 首问负责
    successor = queue.transfer(actor=cast["helper"], window_id=w8.pk, ticket_id=called.pk,
                               to_window_id=w1.pk, now=MONDAY_10 + dt.timedelta(minutes=4))
    called.refresh_from_db()
    assert called.state == TicketState.TRANSFERRED and called.finished_at is not None
    assert successor.number == "D001" and successor.target_window == w1
    assert successor.priority and successor.first_responder == cast["helper"]
    window_sign_in(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    got = queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    assert got.pk == successor.pk
    assert got.first_responder == cast["helper"]  # not the comprehensive clerk


def test_transfer_to_a_category_is_not_taken_by_a_window_of_another(hall, cast):
    d, w8 = hall["cats"]["consultation"], hall["windows"]["8"]
    queue.ticket_take(category_id=d.pk, now=MONDAY_10)
    window_sign_in(actor=cast["helper"], window_id=w8.pk, now=MONDAY_10)
    called = queue.call_next(actor=cast["helper"], window_id=w8.pk, now=MONDAY_10)
    successor = queue.transfer(actor=cast["helper"], window_id=w8.pk, ticket_id=called.pk,
                               to_category_id=hall["cats"]["delivery"].pk, now=MONDAY_10)
    assert successor.category == hall["cats"]["delivery"] and successor.target_window is None
    window_sign_in(actor=cast["clerk"], window_id=hall["windows"]["1"].pk, now=MONDAY_10)
    assert queue.call_next(actor=cast["clerk"], window_id=hall["windows"]["1"].pk,
                           now=MONDAY_10) is None


def test_transfer_without_target_refused(hall, cast):
    queue.ticket_take(category_id=hall["cats"]["consultation"].pk, now=MONDAY_10)
    window_sign_in(actor=cast["helper"], window_id=hall["windows"]["8"].pk, now=MONDAY_10)
    called = queue.call_next(actor=cast["helper"], window_id=hall["windows"]["8"].pk,
                             now=MONDAY_10)
    before = _snapshot()
    with pytest.raises(HallError) as exc:
        queue.transfer(actor=cast["helper"], window_id=hall["windows"]["8"].pk,
                       ticket_id=called.pk, now=MONDAY_10)
    assert exc.value.code == "transfer_target"
    assert _snapshot() == before


def test_paused_window_does_not_call(hall, cast):
    w1 = hall["windows"]["1"]
    queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk, now=MONDAY_10)
    window_sign_in(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    queue.set_paused(actor=cast["clerk"], window_id=w1.pk, paused=True)
    before = _snapshot()
    with pytest.raises(HallError) as exc:
        queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    assert exc.value.code == "window_paused"
    assert _snapshot() == before
    queue.set_paused(actor=cast["clerk"], window_id=w1.pk, paused=False)
    assert queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10) is not None


def test_signed_out_clerk_cannot_call(hall, cast):
    w1 = hall["windows"]["1"]
    queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk, now=MONDAY_10)
    window_sign_in(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    window_sign_out(actor=cast["clerk"], now=MONDAY_10)
    before = _snapshot()
    with pytest.raises(HallError) as exc:
        queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=MONDAY_10)
    assert exc.value.code == "not_signed_in"
    assert _snapshot() == before


def test_sign_in_moves_the_clerk_and_roles_are_checked(hall, cast):
    first = window_sign_in(actor=cast["clerk"], window_id=hall["windows"]["1"].pk,
                           now=MONDAY_10)
    window_sign_in(actor=cast["clerk"], window_id=hall["windows"]["2"].pk, now=MONDAY_10)
    first.refresh_from_db()
    assert first.ended_at == MONDAY_10
    assert WindowSignIn.objects.filter(user=cast["clerk"], ended_at=None).get().window == \
        hall["windows"]["2"]
    for name in ("applicant", "reviewer", "head", "supervisor", "sysadmin", "outsider",
                 "dept"):
        with pytest.raises(HallError) as exc:
            window_sign_in(actor=cast[name], window_id=hall["windows"]["1"].pk, now=MONDAY_10)
        assert exc.value.code == "sign_in_refused"
    with pytest.raises(HallError) as exc:  # a helper serves 帮办 and 咨询, not 综合受理
        window_sign_in(actor=cast["helper"], window_id=hall["windows"]["1"].pk, now=MONDAY_10)
    assert exc.value.code == "sign_in_refused"
    assert WindowSignIn.objects.count() == 2
