"""网上预审: the clerk's queue of online applications waiting for acceptance, with the date
by which 第32条 requires the answer, and the window's accept / notice / refuse on the case
page; every other role refused.

Hand-worked: received online Tuesday 2026-09-01, told by Tuesday 09-08 (09-02..04, 09-07,
09-08; 09-05/06 weekend)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oneseal.cases import services as svc
from oneseal.cases.services import online

from . import online_fixtures
from .helpers import at, check, fresh
from .online_fixtures import ready_draft

online_item = online_fixtures.online_item  # the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def online_case(cast, online_item, person):
    return online.draft_submit(actor=cast["applicant"],
                               draft=ready_draft(cast["applicant"], online_item, person=person),
                               at=at("2026-09-01"))


def test_article_32_online_queue_lists_online_receipts_with_the_5_day_date(
        client, cast, catalogue, online_case, person):
    window = svc.case_submit(actor=cast["clerk"], item_id=catalogue.bureau_item.pk,
                             variant_code="01", applicant=svc.ApplicantRef(person_id=person.pk),
                             at=at("2026-09-01"))[0]
    client.force_login(cast["clerk"])
    page = client.get(reverse("cases:online_queue")).content.decode()
    assert online_case.number in page and window.number not in page
    assert "2026-09-08" in page
    case_page = client.get(reverse("cases:case", args=[online_case.pk])).content.decode()
    assert "经营项目" in case_page and "热食类食品制售" in case_page  # the form, for pre-review
    assert "邮寄送达" in case_page and "昆明市西山区前卫街道1号" in case_page


def test_article_32_online_case_accepted_by_the_clerk_leaves_the_queue(client, cast,
                                                                        online_case):
    check(online_case, cast["clerk"], on="2026-09-08")
    accepted = svc.case_accept(actor=cast["clerk"], case=online_case, at=at("2026-09-08"))
    assert (accepted.accepted_on.isoformat(), accepted.deemed_accepted) == ("2026-09-08", False)
    client.force_login(cast["clerk"])
    assert online_case.number not in client.get(reverse("cases:online_queue")).content.decode()


@pytest.mark.parametrize("who", ["applicant", "company", "reviewer", "head", "dept",
                                 "supervisor", "helper", "outsider", None])
def test_online_queue_refused_to_everyone_but_clerks(client, cast, online_case, who):
    if who is not None:
        client.force_login(cast[who])
    response = client.get(reverse("cases:online_queue"))
    assert response.status_code in (302, 403)
    assert online_case.number not in response.content.decode()
    assert fresh(online_case).state == "received"
