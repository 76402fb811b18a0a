"""The window's evaluator tablet (评价器, 一次一评, 国办发〔2019〕51号): the visitor rates the
service just given; the rating is tied to the ticket, the window, the clerk and the case, a
差评 opens the same follow-up record as online; every other role is refused."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.urls import reverse
from django.utils import timezone

from oneseal.core.models import AuditEvent
from oneseal.hall.errors import HallError
from oneseal.hall.models import TicketState, VisitRating, WindowSignIn
from oneseal.hall.services import evaluator
from oneseal.supervision.models import FollowUp, Rating
from tests.cases.conftest import at, bureau, catalogue, department, org, person
from tests.cases.helpers import accepted
from tests.conftest import CAST
from tests.login_helpers import log_in

from .display_helpers import make_hall, make_ticket

__all__ = ["at", "bureau", "catalogue", "department", "org", "person"]
pytestmark = pytest.mark.django_db


def written():
    return (VisitRating.objects.count(), Rating.objects.count(), FollowUp.objects.count(),
            AuditEvent.objects.count())


@contextmanager
def refused(code: str):
    before = written()
    with pytest.raises(HallError) as info:
        yield info
    assert info.value.code == code, (info.value.code, info.value.message)
    assert written() == before


@pytest.fixture
def hall(db, cast):
    h = make_hall()
    WindowSignIn.objects.create(window=h["w3"], user=cast["clerk"], started_at=timezone.now())
    return h


@pytest.fixture
def case(cast, catalogue, person):
    return accepted(cast, catalogue.bureau_item, person)


@pytest.fixture
def served(hall, cast, case):
    return make_ticket(hall["hall"], hall["a"], 12, state=TicketState.DONE, window=hall["w3"],
                       clerk=cast["clerk"], case=case, served=4)


def rate(cast, hall, ticket, level="satisfied", reasons=("courteous",), text=""):
    return evaluator.rate_visit(actor=cast["clerk"], window_id=hall["w3"].pk,
                                ticket_id=ticket.pk, level=level, reasons=list(reasons),
                                text=text)


def test_guobanfa_2019_51_visit_rating_tied_to_ticket_window_clerk_and_case(
        cast, hall, case, served):
    visit = rate(cast, hall, served, "very_satisfied")
    assert (visit.ticket, visit.window, visit.clerk, visit.case, visit.level) == (
        served, hall["w3"], cast["clerk"], case, "very_satisfied")
    rating = visit.rating
    assert (rating.case, rating.channel, rating.level, rating.recorded_by) == (
        case, "window", "very_satisfied", cast["clerk"])
    assert not FollowUp.objects.exists()
    kinds = list(AuditEvent.objects.order_by("-seq").values_list("kind", flat=True)[:2])
    assert kinds == ["hall.visit_rating", "rating.submit"]


def test_guobanfa_2019_51_bad_visit_rating_opens_the_follow_up(cast, hall, case, served):
    visit = rate(cast, hall, served, "very_dissatisfied", reasons=["slow"], text="等太久")
    follow_up = FollowUp.objects.get()
    assert (follow_up.rating, follow_up.case, follow_up.state) == (visit.rating, case, "open")


def test_guobanfa_2019_51_bad_visit_rating_needs_a_reason(cast, hall, served):
    with refused("bad_rating_needs_reason"):
        rate(cast, hall, served, "dissatisfied", reasons=[])


def test_guobanfa_2019_51_one_rating_per_visit(cast, hall, served):
    rate(cast, hall, served)
    with refused("already_rated"):
        rate(cast, hall, served, "basic")


def test_visit_without_a_case_is_rated_in_the_hall_only(cast, hall):
    ticket = make_ticket(hall["hall"], hall["a"], 3, state=TicketState.DONE,
                         window=hall["w3"], clerk=cast["clerk"])
    visit = rate(cast, hall, ticket, "basic")
    assert visit.case is None and visit.rating is None
    assert not Rating.objects.exists()


def test_a_second_visit_of_a_rated_case_keeps_the_cases_window_rating(cast, hall, case,
                                                                      served):
    first = rate(cast, hall, served)
    again = make_ticket(hall["hall"], hall["a"], 20, state=TicketState.DONE,
                        window=hall["w3"], clerk=cast["clerk"], case=case)
    second = rate(cast, hall, again, "basic")
    assert second.rating is None and Rating.objects.get() == first.rating


def test_waiting_ticket_cannot_be_rated(cast, hall):
    ticket = make_ticket(hall["hall"], hall["a"], 4, state=TicketState.CALLED,
                         window=hall["w3"], clerk=cast["clerk"])
    with refused("ticket_state"):
        rate(cast, hall, ticket)


def test_ticket_of_another_window_refused(cast, hall):
    ticket = make_ticket(hall["hall"], hall["c"], 1, state=TicketState.DONE,
                         window=hall["w5"])
    with refused("ticket_not_here"):
        rate(cast, hall, ticket)


def test_clerk_not_signed_in_to_the_window_refused(cast, hall, served):
    WindowSignIn.objects.update(ended_at=timezone.now())
    with refused("not_signed_in"):
        rate(cast, hall, served)


def test_tablet_asks_about_the_latest_unrated_service(cast, hall, served):
    newer = make_ticket(hall["hall"], hall["a"], 13, state=TicketState.SERVING,
                        window=hall["w3"], clerk=cast["clerk"])
    assert evaluator.visit_to_rate(hall["w3"]) == newer
    rate(cast, hall, newer)
    assert evaluator.visit_to_rate(hall["w3"]) == served


def test_evaluator_page_rates_and_thanks(client, cast, hall, served):
    log_in(client, cast["clerk"])
    url = reverse("hall_evaluator:page", args=[hall["w3"].pk])
    page = client.get(url).content.decode()
    assert "A012" in page and 'value="very_satisfied"' in page and "<script>" not in page
    response = client.post(url, {"ticket": served.pk, "level": "satisfied"})
    assert response.status_code == 302
    assert VisitRating.objects.get().level == "satisfied"
    assert "感谢您的评价" in client.get(response["Location"]).content.decode()


def test_evaluator_page_keeps_the_choice_when_a_reason_is_missing(client, cast, hall, served):
    log_in(client, cast["clerk"])
    before = written()
    response = client.post(reverse("hall_evaluator:page", args=[hall["w3"].pk]),
                           {"ticket": served.pk, "level": "dissatisfied"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "差评请勾选理由或写明情况" in body and "is-chosen" in body
    assert written() == before


def test_evaluator_page_refused_to_a_clerk_not_signed_in_there(client, cast, hall, served):
    log_in(client, cast["clerk"])
    before = written()
    url = reverse("hall_evaluator:page", args=[hall["w5"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"ticket": served.pk, "level": "basic"}).status_code == 403
    assert written() == before


@pytest.mark.parametrize("who", [m for m in CAST if m != "clerk"])
def test_evaluator_page_refused_to_every_other_role(client, cast, hall, served, who):
    log_in(client, cast[who])
    before = written()
    url = reverse("hall_evaluator:page", args=[hall["w3"].pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"ticket": served.pk, "level": "basic"}).status_code in (403, 404)
    assert written() == before


def test_evaluator_page_needs_login(client, hall, served):
    response = client.post(reverse("hall_evaluator:page", args=[hall["w3"].pk]),
                           {"ticket": served.pk, "level": "basic"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not VisitRating.objects.exists()
