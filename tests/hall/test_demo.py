"""The hall's demo loader: Xishan's hall with windows by category, today's tickets in every
state, `clerk` signed in to window 1, appointments; loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from oneseal.core import demo
from oneseal.hall.models import Appointment, Ticket, TicketState, Window, WindowSignIn

MONDAY_10 = dt.datetime(2026, 9, 28, 10, 0, tzinfo=timezone.get_default_timezone())


def test_demo_hall_has_every_ticket_state_and_is_idempotent(db):
    from oneseal.applicants.demo import load as load_applicants
    from oneseal.hall.demo import load as load_hall
    from oneseal.org.demo import load as load_org

    ctx = demo.DemoContext(write=lambda _line: None)
    with time_machine.travel(MONDAY_10, tick=False):
        load_org(ctx)
        load_applicants(ctx)
        load_hall(ctx)
        states = set(Ticket.objects.filter(day=MONDAY_10.date()).values_list("state",
                                                                             flat=True))
        assert states == {s.value for s in TicketState}
        assert Ticket.objects.filter(state="waiting", appointment__isnull=False,
                                     priority=True).count() == 1
        assert Window.objects.count() == 7
        clerk_window = WindowSignIn.objects.get(user__username="clerk", ended_at=None).window
        assert clerk_window.number == "1"
        assert Ticket.objects.get(state="serving").clerk.username == "clerk"
        transferred = Ticket.objects.get(state="transferred")
        assert transferred.first_responder.username == "helper"  # 首问负责 at 咨询
        counts = (Ticket.objects.count(), Appointment.objects.count(),
                  WindowSignIn.objects.count())
        assert Appointment.objects.filter(state="booked").count() == 4
        load_hall(ctx)
        assert (Ticket.objects.count(), Appointment.objects.count(),
                WindowSignIn.objects.count()) == counts


def test_demo_hall_rates_todays_finished_visits_once(db):
    """一次一评: the demo's finished visits at windows 1, 6 and 7 carry the visitor's rating,
    recorded through the evaluator by the clerk of the window; a second load rates nothing
    more and writes no audit event."""
    from oneseal.applicants.demo import load as load_applicants
    from oneseal.core.models import AuditEvent
    from oneseal.hall.demo import load as load_hall
    from oneseal.hall.models import VisitRating
    from oneseal.org.demo import load as load_org

    ctx = demo.DemoContext(write=lambda _line: None)
    with time_machine.travel(MONDAY_10, tick=False):
        load_org(ctx)
        load_applicants(ctx)
        load_hall(ctx)
        done = Ticket.objects.filter(day=MONDAY_10.date(), state="done")
        assert done.count() == 3
        rated = {(v.window.number, v.clerk.username, v.level)
                 for v in VisitRating.objects.select_related("window", "clerk")}
        assert rated == {("1", "clerk", "satisfied"), ("6", "helper", "very_satisfied"),
                         ("7", "market-clerk", "basic")}
        assert set(VisitRating.objects.values_list("ticket_id", flat=True)) == set(
            done.values_list("pk", flat=True))
        assert AuditEvent.objects.filter(kind="hall.visit_rating").count() == 3
        before = (VisitRating.objects.count(), AuditEvent.objects.count(),
                  Ticket.objects.count())
        load_hall(ctx)
        assert (VisitRating.objects.count(), AuditEvent.objects.count(),
                Ticket.objects.count()) == before
