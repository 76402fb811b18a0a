"""Racers: kiosks taking tickets and windows calling at the same moment, in threads with
their own database connections against the test database (a file on SQLite, where the
IMMEDIATE write lock serialises; `select_for_update(skip_locked=True)` on PostgreSQL).
No two tickets share a number, and no ticket is called by two windows."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection

from oneseal.hall.models import Ticket, Window, WindowKind
from oneseal.hall.services import queue
from oneseal.hall.services.setup import window_sign_in

from ..factories import UserFactory
from .hall_setup import make_hall


def _race(workers):
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work):
        try:
            barrier.wait()
            work()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_racing_kiosks_never_print_the_same_number(cast):
    hall = make_hall(cast["sysadmin"])
    category = hall["cats"]["comprehensive"]

    def kiosk():
        for _ in range(5):
            queue.ticket_take(category_id=category.pk)

    _race([kiosk] * 6)
    numbers = list(Ticket.objects.filter(category=category).values_list("number", flat=True))
    assert len(numbers) == 30 and len(set(numbers)) == 30
    assert sorted(numbers) == [f"A{i:03d}" for i in range(1, 31)]


@pytest.mark.django_db(transaction=True)
def test_racing_windows_never_call_the_same_ticket(cast):
    hall = make_hall(cast["sysadmin"])
    category = hall["cats"]["comprehensive"]
    for _ in range(12):
        queue.ticket_take(category_id=category.pk)
    clerks = []
    for i in range(6):
        window = Window.objects.create(hall=hall["hall"], number=f"R{i}",
                                       kind=WindowKind.COMPREHENSIVE)
        window.categories.add(category)
        clerk = UserFactory(username=f"racer{i}", roles=["clerk"])
        window_sign_in(actor=clerk, window_id=window.pk)
        clerks.append((clerk, window))
    calls: list[int] = []
    lock = threading.Lock()

    def window_worker(clerk, window):
        def work():
            for _ in range(2):
                ticket = queue.call_next(actor=clerk, window_id=window.pk)
                if ticket is None:
                    return
                with lock:
                    calls.append(ticket.pk)
                queue.skip(actor=clerk, window_id=window.pk, ticket_id=ticket.pk)
        return work

    _race([window_worker(c, w) for c, w in clerks])
    assert len(calls) == 12
    assert Counter(calls).most_common(1)[0][1] == 1
    assert Ticket.objects.filter(state="no_show").count() == 12
    assert set(Ticket.objects.values_list("call_count", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_racing_bookings_never_overfill_a_slot(cast):
    import datetime as dt

    from django.utils import timezone

    from oneseal.hall.errors import HallError
    from oneseal.hall.models import Appointment
    from oneseal.hall.services.appointments import appointment_book

    hall = make_hall(cast["sysadmin"])  # capacity 2 per slot
    category = hall["cats"]["comprehensive"]
    now = dt.datetime(2026, 9, 28, 8, 0, tzinfo=timezone.get_default_timezone())
    users = [UserFactory(username=f"booker{i}", roles=["applicant"]) for i in range(6)]
    refused: list[str] = []
    lock = threading.Lock()

    def booker(user):
        def work():
            try:
                appointment_book(actor=user, category_id=category.pk,
                                 day=dt.date(2026, 9, 29), slot_start=dt.time(9), now=now)
            except HallError as exc:
                with lock:
                    refused.append(exc.code)
        return work

    _race([booker(u) for u in users])
    assert Appointment.objects.filter(slot_start=dt.time(9)).count() == 2
    assert refused == ["slot_full"] * 4
