"""The case a visit becomes (受理 from the ticket): the calling page opens intake with the
visitor pre-selected when his ID number was given at the kiosk; the clerk serving the ticket
links the case he received; nobody else can, and a linked ticket is not linked again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from oneseal.hall.errors import HallError
from oneseal.hall.models import Ticket
from oneseal.hall.selectors import linkable_cases
from oneseal.hall.services import queue
from oneseal.hall.services.setup import window_sign_in
from tests.cases import conftest as case_fixtures
from tests.cases.helpers import submit

from ..login_helpers import log_in
from .hall_setup import make_hall

# the case tests' organisation, catalogue and applicant (fixtures of tests/cases/conftest.py)
org, bureau, department = case_fixtures.org, case_fixtures.bureau, case_fixtures.department
catalogue, person = case_fixtures.catalogue, case_fixtures.person
NOW = dt.datetime(2026, 9, 1, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def serving(cast, person):
    hall = make_hall(cast["sysadmin"])
    w1 = hall["windows"]["1"]
    ticket = queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk,
                               id_number=person.id_number, now=NOW)
    window_sign_in(actor=cast["clerk"], window_id=w1.pk, now=NOW)
    queue.call_next(actor=cast["clerk"], window_id=w1.pk, now=NOW)
    queue.start_serving(actor=cast["clerk"], window_id=w1.pk, ticket_id=ticket.pk,
                        now=NOW + dt.timedelta(minutes=1))
    ticket.refresh_from_db()
    return hall, ticket


def test_intake_from_the_ticket_preselects_the_visitor(client, cast, person, serving):
    _hall, ticket = serving
    assert ticket.person == person
    log_in(client, cast["clerk"])
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        page = client.get(reverse("hall_window:calling")).content.decode()
    assert f"{reverse('cases:intake_new')}?person={person.pk}" in page


def test_the_serving_clerk_links_the_case_he_received(cast, person, catalogue, serving):
    _hall, ticket = serving
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-01")
    Ticket.objects.filter(pk=ticket.pk).update(served_at=case.received_at
                                               - dt.timedelta(minutes=1))
    ticket.refresh_from_db()
    assert linkable_cases(ticket, cast["clerk"]) == [case]
    for name in ("helper", "reviewer", "applicant"):
        with pytest.raises(HallError) as exc:
            queue.link_case(actor=cast[name], ticket_id=ticket.pk, case_id=case.pk)
        assert exc.value.code == "ticket_not_here"
    ticket.refresh_from_db()
    assert ticket.case_id is None
    linked = queue.link_case(actor=cast["clerk"], ticket_id=ticket.pk, case_id=case.pk)
    assert linked.case == case and list(case.hall_tickets.all()) == [linked]
    assert linked.window.number == "1"  # the case records its visit and window
    with pytest.raises(HallError) as exc:
        queue.link_case(actor=cast["clerk"], ticket_id=ticket.pk, case_id=case.pk)
    assert exc.value.code == "ticket_state"


def test_a_case_the_clerk_cannot_see_is_refused(cast, person, serving):
    _hall, ticket = serving
    with pytest.raises(HallError) as exc:
        queue.link_case(actor=cast["clerk"], ticket_id=ticket.pk, case_id=10**9)
    assert exc.value.code == "case_unknown"
    ticket.refresh_from_db()
    assert ticket.case_id is None


def test_yesterdays_open_ticket_does_not_block_the_window(cast, serving):
    hall, _ticket = serving
    queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk,
                      now=NOW + dt.timedelta(days=1))
    called = queue.call_next(actor=cast["clerk"], window_id=hall["windows"]["1"].pk,
                             now=NOW + dt.timedelta(days=1))
    assert called is not None and called.day == (NOW + dt.timedelta(days=1)).date()
