"""Rating services (好差评): 一事一评 online and 一次一评 at the window on a delivered case
(国办发〔2019〕51号), the audit chain, the follow-up of a 差评, and 基本满意 for a case left
unrated 5 working days (云政办发〔2020〕6号). Dates on the 2026 schedule: 10-01..10-07
National Day, **Saturday 10-10 a make-up working day**."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest

from oneseal.cases.errors import CaseError
from oneseal.core.models import AuditEvent
from oneseal.supervision import services
from oneseal.supervision.models import FollowUp, Rating
from tests.cases.helpers import chain_ok, decide_and_seal

from .conftest import at, deliver

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Rating.objects.count(), FollowUp.objects.count(), AuditEvent.objects.count()


@contextmanager
def refused(code: str):
    """The service refuses with rule `code` and nothing is written."""
    before = counts()
    with pytest.raises(CaseError) as info:
        yield info
    assert info.value.code == code, (info.value.code, info.value.message)
    assert counts() == before


def rate(user, case, *, channel="online", level="satisfied", reasons=("fast",), text="",
         on="2026-10-09"):
    return services.rate_case(actor=user, case_id=case.pk, channel=channel, level=level,
                              reasons=list(reasons), text=text, at=at(on))


def test_guobanfa_2019_51_applicant_rates_online_in_the_audit_chain(cast, delivered):
    audit = AuditEvent.objects.count()
    rating = rate(cast["applicant"], delivered, reasons=["one_visit", "fast"], text="很快")
    assert (rating.channel, rating.level, rating.reasons, rating.text) == (
        "online", "satisfied", ["fast", "one_visit"], "很快")
    assert rating.rated_by == cast["applicant"] and rating.recorded_by is None
    assert rating.rated_on == dt.date(2026, 10, 9) and not rating.deemed
    assert AuditEvent.objects.count() == audit + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.kind, event.subject, event.seq) == (
        "rating.submit", f"case:{delivered.pk}", rating.audit_seq)
    assert list(delivered.ratings.all()) == [rating]
    assert not FollowUp.objects.exists()
    assert chain_ok()


def test_guobanfa_2019_51_one_rating_per_case_and_channel(cast, delivered):
    rate(cast["applicant"], delivered)
    with refused("already_rated"):
        rate(cast["applicant"], delivered, level="very_satisfied")
    # one visit at the window is rated there too (一次一评), entered by the clerk
    window = rate(cast["clerk"], delivered, channel="window", level="very_satisfied")
    assert (window.rated_by, window.recorded_by) == (None, cast["clerk"])
    with refused("already_rated"):
        rate(cast["clerk"], delivered, channel="window")
    assert Rating.objects.filter(case=delivered).count() == 2


def test_guobanfa_2019_51_rating_refused_before_delivery(cast, catalogue, person, seals):
    case = decide_and_seal(cast, catalogue, person)
    with refused("not_delivered"):
        rate(cast["applicant"], case)


def test_guobanfa_2019_51_invalid_rating_refused_with_its_rule(cast, delivered):
    with refused("invalid_level"):
        rate(cast["applicant"], delivered, level="great")
    with refused("bad_rating_needs_reason"):
        rate(cast["applicant"], delivered, level="very_dissatisfied", reasons=())
    with refused("invalid_channel"):
        rate(cast["applicant"], delivered, channel="phone")


def test_guobanfa_2019_51_bad_rating_opens_follow_up_owned_by_the_decider(cast, delivered):
    rating = rate(cast["applicant"], delivered, level="dissatisfied", reasons=["slow"])
    follow_up = rating.follow_up
    # rated Fri 10-09: Sat 10-10 make-up (1), Sun 10-11 rest, 10-12 (2), 10-13 (3),
    # 10-14 (4), 10-15 Thu (5)
    assert follow_up.due == dt.date(2026, 10, 15)
    assert follow_up.owner == cast["head"]  # 谁办理、谁负责: the head decided the case
    assert follow_up.state == "open"
    kinds = list(AuditEvent.objects.order_by("-seq").values_list("kind", flat=True)[:2])
    assert kinds == ["follow_up.open", "rating.submit"]
    assert chain_ok()


@pytest.mark.parametrize(("who", "code"), [
    ("clerk", "forbidden"), ("reviewer", "forbidden"), ("chief", "forbidden"),
    ("head", "forbidden"), ("supervisor", "forbidden"), ("helper", "forbidden"),
    ("dept", "forbidden"), ("company", "not_found"), ("catalog_admin", "not_found"),
    ("sysadmin", "not_found"), ("outsider", "not_found"),
])
def test_guobanfa_2019_51_only_the_applicant_rates_online(cast, delivered, who, code):
    with refused(code):
        rate(cast[who], delivered)


@pytest.mark.parametrize(("who", "code"), [
    ("applicant", "forbidden"), ("reviewer", "forbidden"), ("head", "forbidden"),
    ("supervisor", "forbidden"), ("helper", "forbidden"), ("dept", "forbidden"),
    ("outsider", "not_found"),
])
def test_guobanfa_2019_51_only_a_window_clerk_records_a_window_rating(cast, delivered, who,
                                                                     code):
    with refused(code):
        rate(cast[who], delivered, channel="window")


def test_yunzhengbanfa_2020_6_unrated_case_deemed_basic_after_five_working_days(
        cast, delivered):
    # delivered Wed 09-30: the 5th working day after it is Tue 10-13 (10-10 a make-up day)
    assert services.deem_unrated(today=dt.date(2026, 10, 13)) == 0
    assert not Rating.objects.exists()
    audit = AuditEvent.objects.count()
    assert services.deem_unrated(today=dt.date(2026, 10, 14)) == 1
    rating = Rating.objects.get(case=delivered)
    assert (rating.level, rating.channel, rating.deemed, rating.rated_by) == (
        "basic", "online", True, None)
    assert rating.rated_on == dt.date(2026, 10, 14)
    assert AuditEvent.objects.count() == audit + 1
    assert AuditEvent.objects.order_by("-seq").first().kind == "rating.deemed"
    assert services.deem_unrated(today=dt.date(2026, 10, 15)) == 0  # idempotent
    with refused("already_rated"):  # too late: the deemed rating stands
        rate(cast["applicant"], delivered, on="2026-10-15")


def test_yunzhengbanfa_2020_6_rated_case_is_not_deemed(cast, catalogue, person, seals):
    rated = deliver(cast, catalogue, person, on="2026-09-30")
    rate(cast["clerk"], rated, channel="window", on="2026-09-30")
    assert services.deem_unrated(today=dt.date(2026, 10, 20)) == 0
    assert list(Rating.objects.values_list("deemed", flat=True)) == [False]


def test_yunzhengbanfa_2020_6_deeming_is_a_daily_job():
    from oneseal.config.schedule import PERIODIC_JOBS
    from oneseal.supervision.tasks import deem_unrated_ratings

    jobs = {name: (path, period) for name, path, period in PERIODIC_JOBS}
    path, period = jobs["ratings.deem_unrated"]
    assert period == "daily"
    module, _, name = path.rpartition(".")
    assert getattr(__import__(module, fromlist=[name]), name) is deem_unrated_ratings
