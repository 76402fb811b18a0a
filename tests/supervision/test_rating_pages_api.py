"""The rating pages and API (国办发〔2019〕51号): the applicant's 一事一评 page and endpoint,
the window clerk's 一次一评 page, the ratings on the case page, and every other member of
the cast refused with nothing written."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from oneseal.core.models import AuditEvent
from oneseal.supervision.models import Rating
from tests.cases.test_api import Caller
from tests.conftest import CAST
from tests.login_helpers import log_in

from .conftest import at

pytestmark = pytest.mark.django_db
DAY = "2026-10-09"  # Friday, in the 5 working days after the delivery on 09-30


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at(DAY), tick=False):
        yield


def written() -> tuple[int, int]:
    return Rating.objects.count(), AuditEvent.objects.count()


def test_guobanfa_2019_51_applicant_rates_on_the_portal_page(client, cast, delivered):
    log_in(client, cast["applicant"])
    url = reverse("ratings:rate", args=[delivered.pk])
    mine = reverse("portal:my_case", args=[delivered.pk])
    assert url in client.get(mine).content.decode()  # 我的办件 offers the rating
    page = client.get(url)
    assert page.status_code == 200
    assert "非常不满意" in page.content.decode()
    response = client.post(url, {"level": "very_satisfied", "reasons": ["fast", "one_visit"],
                                 "text": "窗口很耐心"})
    assert response.status_code == 302
    assert response["Location"] == mine  # back to the applicant's own case page
    rating = Rating.objects.get(case=delivered)
    assert (rating.channel, rating.level, rating.reasons, rating.rated_by) == (
        "online", "very_satisfied", ["fast", "one_visit"], cast["applicant"])
    case_page = client.get(reverse("cases:case", args=[delivered.pk])).content.decode()
    assert "非常满意" in case_page and "窗口很耐心" in case_page
    assert url not in case_page  # rated: no second link
    my_page = client.get(mine).content.decode()
    assert url not in my_page and "您已评价：非常满意" in my_page
    again = client.post(url, {"level": "satisfied"})
    assert again.status_code == 200 and Rating.objects.count() == 1


def test_guobanfa_2019_51_bad_rating_without_reason_keeps_input(client, cast, delivered):
    log_in(client, cast["applicant"])
    before = written()
    response = client.post(reverse("ratings:rate", args=[delivered.pk]),
                           {"level": "very_dissatisfied", "text": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "差评请勾选理由或写明情况" in body
    assert re.search(r'value="very_dissatisfied"[^>]*checked', body)  # the choice is kept
    assert written() == before


@pytest.mark.parametrize("who", [m for m in CAST if m != "applicant"])
def test_guobanfa_2019_51_rating_page_refused_to_all_but_the_applicant(client, cast,
                                                                       delivered, who):
    log_in(client, cast[who])
    before = written()
    url = reverse("ratings:rate", args=[delivered.pk])
    response = client.post(url, {"level": "satisfied"})
    assert response.status_code in (403, 404)
    assert written() == before


def test_guobanfa_2019_51_rating_page_needs_login(client, delivered):
    before = written()
    response = client.post(reverse("ratings:rate", args=[delivered.pk]), {"level": "basic"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert written() == before


def test_guobanfa_2019_51_clerk_records_window_rating(client, cast, delivered):
    log_in(client, cast["clerk"])
    case_page = client.get(reverse("cases:case", args=[delivered.pk])).content.decode()
    url = reverse("ratings_workbench:window", args=[delivered.pk])
    assert url in case_page
    response = client.post(url, {"level": "satisfied", "reasons": ["courteous"]})
    assert response.status_code == 302
    rating = Rating.objects.get(case=delivered)
    assert (rating.channel, rating.recorded_by, rating.rated_by) == (
        "window", cast["clerk"], None)


@pytest.mark.parametrize("who", [m for m in CAST if m != "clerk"])
def test_guobanfa_2019_51_window_rating_page_refused_to_all_but_the_clerk(client, cast,
                                                                          delivered, who):
    log_in(client, cast[who])
    before = written()
    response = client.post(reverse("ratings_workbench:window", args=[delivered.pk]),
                           {"level": "satisfied"})
    assert response.status_code in (403, 404)
    assert written() == before


def test_guobanfa_2019_51_api_rating_and_list(client, cast, delivered):
    caller = Caller(client)
    response = caller.post("applicant", f"/cases/{delivered.pk}/rating",
                           {"level": "dissatisfied", "reasons": ["slow"], "text": "等太久"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["level"], body["channel"], body["level_label"]) == (
        "dissatisfied", "online", "不满意")
    # rated Fri 10-09: Sat 10-10 make-up (1), 10-12 (2), 10-13 (3), 10-14 (4), 10-15 (5)
    assert body["follow_up"]["due"] == "2026-10-15"
    again = caller.post("applicant", f"/cases/{delivered.pk}/rating", {"level": "basic"})
    assert again.status_code == 422 and again.json()["code"] == "already_rated"
    listed = caller.get("supervisor", f"/cases/{delivered.pk}/ratings")
    assert [r["level"] for r in listed.json()] == ["dissatisfied"]
    assert caller.get("outsider", f"/cases/{delivered.pk}/ratings").status_code == 404


@pytest.mark.parametrize(("who", "status"), [
    ("clerk", 403), ("reviewer", 403), ("chief", 403), ("head", 403), ("dept", 403),
    ("supervisor", 403), ("helper", 403), ("company", 404), ("catalog_admin", 404),
    ("sysadmin", 404), ("outsider", 404),
])
def test_guobanfa_2019_51_api_refuses_all_but_the_applicant(client, cast, delivered, who,
                                                            status):
    caller = Caller(client)
    caller.headers(who)  # the token (its creation is audited) before counting
    before = written()
    response = caller.post(who, f"/cases/{delivered.pk}/rating", {"level": "satisfied"})
    assert response.status_code == status, response.content
    assert written() == before


def test_guobanfa_2019_51_api_strict_level(client, cast, delivered):
    caller = Caller(client)
    caller.headers("applicant")
    before = written()
    response = caller.post("applicant", f"/cases/{delivered.pk}/rating", {"level": "excellent"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert written() == before
