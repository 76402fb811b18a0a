"""一次一评 of a window visit (国办发〔2019〕51号): the hall's evaluator records the visit's
rating as the case's window rating, before delivery too, with the follow-up of a 差评."""

from __future__ import annotations

import pytest

from oneseal.cases.errors import CaseError
from oneseal.core.models import AuditEvent
from oneseal.supervision import services
from oneseal.supervision.models import FollowUp, Rating
from tests.cases.helpers import accepted

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast, catalogue, person):
    return accepted(cast, catalogue.bureau_item, person)


def visit(user, case, level="satisfied", reasons=("courteous",)):
    return services.rate_window_visit(actor=user, case_id=case.pk, level=level,
                                      reasons=list(reasons), at=at("2026-09-01", 11))


def test_guobanfa_2019_51_window_visit_rating_before_delivery(cast, case):
    rating = visit(cast["clerk"], case)
    assert (rating.channel, rating.level, rating.recorded_by, rating.rated_by) == (
        "window", "satisfied", cast["clerk"], None)
    assert case.state != "delivered"


def test_guobanfa_2019_51_window_visit_bad_rating_opens_follow_up(cast, case):
    rating = visit(cast["clerk"], case, "dissatisfied", ["slow"])
    assert FollowUp.objects.get().rating == rating


def test_guobanfa_2019_51_window_visit_once_per_case(cast, case):
    visit(cast["clerk"], case)
    before = Rating.objects.count(), AuditEvent.objects.count()
    assert visit(cast["clerk"], case, "basic") is None
    assert (Rating.objects.count(), AuditEvent.objects.count()) == before


def test_guobanfa_2019_51_window_visit_refused_to_a_reviewer(cast, case):
    before = Rating.objects.count(), AuditEvent.objects.count()
    with pytest.raises(CaseError) as info:
        visit(cast["reviewer"], case)
    assert info.value.code == "forbidden"
    assert (Rating.objects.count(), AuditEvent.objects.count()) == before
