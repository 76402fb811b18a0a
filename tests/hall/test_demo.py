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
