"""Street and community service points (便民服务中心/站, work plan measure 十二): which items
each may receive, the point on a case received there, the delivery window's queue by point,
and the counts by street on the supervisor's workbench."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oneseal.cases import services as svc
from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import Case
from oneseal.cases.selectors import delivery_queue
from oneseal.core.models import AuditEvent
from oneseal.org.models import ServicePointItem
from oneseal.org.service_points import set_point_items
from oneseal.supervision.selectors import counts_by_street
from tests.cases.helpers import bureau_to_final, check, seal_case
from tests.login_helpers import log_in

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(org, catalogue, cast):
    """金碧街道's centre receives the bureau item; its community 书林社区 too."""
    street, community = org["street-jinbi"], org["jinbi-shulin"]
    set_point_items(actor=cast["sysadmin"], point=street, item_ids=[catalogue.bureau_item.pk])
    set_point_items(actor=cast["sysadmin"], point=community,
                    item_ids=[catalogue.bureau_item.pk])
    return {"street": street, "community": community}


def submit_at(cast, item, person, point, *, deliver_at_point=False, on="2026-09-01"):
    case, _created = svc.case_submit(
        actor=cast["clerk"], item_id=item.pk, variant_code="01",
        applicant=svc.ApplicantRef(person_id=person.pk), at=at(on),
        service_point_id=point.pk if point is not None else None,
        deliver_at_point=deliver_at_point)
    return case


def refused(code, *args, **kwargs):
    before = (Case.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RuleViolation) as info:
        submit_at(*args, **kwargs)
    assert info.value.code == code, info.value.message
    assert (Case.objects.count(), AuditEvent.objects.count()) == before


def test_only_streets_and_communities_receive(org, catalogue, cast):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        set_point_items(actor=cast["sysadmin"], point=org["dept-env"],
                        item_ids=[catalogue.bureau_item.pk])
    assert "point" in info.value.message_dict
    assert not ServicePointItem.objects.exists() and AuditEvent.objects.count() == before


def test_case_received_at_a_point_carries_it(cast, catalogue, person, points):
    case = submit_at(cast, catalogue.bureau_item, person, points["community"],
                     deliver_at_point=True)
    assert (case.service_point, case.deliver_at_point) == (points["community"], True)
    assert case.events.get(kind="submit").data["service_point"] == points["community"].pk
    assert case.department_id == catalogue.bureau_item.versions.first().competent_department_id


def test_point_refuses_items_it_may_not_receive(cast, catalogue, person, points, org):
    refused("service_point_not_allowed", cast, catalogue.hall_item, person, points["street"])
    refused("service_point_invalid", cast, catalogue.bureau_item, person, org["dept-env"])
    refused("service_point_required", cast, catalogue.bureau_item, person, None,
            deliver_at_point=True)


def _ready(cast, catalogue, person, point):
    case = submit_at(cast, catalogue.bureau_item, person, point, deliver_at_point=bool(point))
    check(case, cast["clerk"])
    svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
    bureau_to_final(cast, case)
    svc.case_decide(actor=cast["head"], case=case, outcome="granted", reasons="",
                    at=at("2026-09-07"))
    return seal_case(cast, case)


def test_delivery_queue_filtered_by_point_and_counts_by_street(client, cast, catalogue,
                                                               person, points, seals):
    at_point = _ready(cast, catalogue, person, points["community"])
    at_hall = _ready(cast, catalogue, person, None)
    assert {c.pk for c in delivery_queue(cast["clerk"]).items} == {at_point.pk, at_hall.pk}
    only = delivery_queue(cast["clerk"], point_id=points["community"].pk).items
    assert [c.pk for c in only] == [at_point.pk]
    log_in(client, cast["clerk"])
    page = client.get(reverse("cases:delivery"), {"point": points["community"].pk})
    html = page.content.decode()
    assert at_point.number in html and at_hall.number not in html
    # counts: the community's case counts for its street (金碧街道)
    jinbi = next(r for r in counts_by_street() if r["street"] == "金碧街道")
    assert (jinbi["received"], jinbi["delivered"]) == (1, 0)


def test_supervisor_sees_street_counts_others_do_not(client, cast, catalogue, person,
                                                     points):
    submit_at(cast, catalogue.bureau_item, person, points["street"])
    log_in(client, cast["supervisor"])
    html = client.get(reverse("workbench:home")).content.decode()
    assert "街道便民服务中心收件统计" in html and "金碧街道" in html
    log_in(client, cast["clerk"])
    assert "街道便民服务中心收件统计" not in client.get(reverse("workbench:home")).content.decode()


def test_api_submission_at_a_point(client, cast, catalogue, person, points):
    from tests.cases.test_api import Caller

    caller = Caller(client)
    body = {"item_id": catalogue.bureau_item.pk, "variant_code": "01",
            "applicant": {"person_id": person.pk},
            "service_point_id": points["street"].pk, "deliver_at_point": True}
    response = caller.post("clerk", "/cases", body)
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.service_point, case.deliver_at_point) == (points["street"], True)
    caller.headers("clerk")
    before = (Case.objects.count(), AuditEvent.objects.count())
    refused_body = {**body, "item_id": catalogue.hall_item.pk}
    response = caller.post("clerk", "/cases", refused_body)
    assert response.status_code == 422 and response.json()["code"] == "service_point_not_allowed"
    assert (Case.objects.count(), AuditEvent.objects.count()) == before
