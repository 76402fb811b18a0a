"""A client finds the ids it must send: `GET /api/v1/me` (the user's id, roles, unit and
whom the account applies for) and `GET /api/v1/cases/{id}/staff` (who may be named for a
site visit, 第34条, or chair a hearing, 第48条: not a reviewer of the case), the latter only
for a caller who may do that operation on the case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oneseal.accounts.services import create_token
from oneseal.applicants.services import authorise_agent, register_person, update_person
from tests.conftest import CAST

from .conftest import at
from .helpers import accepted, claim

TODAY = "2026-09-02"


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def _get(client, user, url, params=None):
    token = create_token(actor=None, user=user)[0]
    return client.get(url, params or {}, headers={"Authorization": f"Bearer {token}"})


def test_me_names_the_users_id_unit_and_roles(client, cast, bureau):
    body = _get(client, cast["chief"], "/api/v1/me").json()
    assert body["id"] == cast["chief"].pk
    assert body["unit"] == {"id": bureau.pk, "code": bureau.code, "name": bureau.name}
    assert [r["code"] for r in body["roles"]] == ["reviewer", "chief"]
    assert body["acts_for"] == []


def test_me_names_whom_an_applicant_and_an_agent_apply_for(client, cast, person, company,
                                                           catalogue):
    mine = _get(client, cast["applicant"], "/api/v1/me").json()["acts_for"]
    assert mine == [{"kind": "person", "id": person.pk, "name": "张三", "via": "self",
                     "authorisation": None}]
    agent = register_person(actor=None, name="赵建国", id_number="530102198203159993")
    update_person(actor=None, person=agent, user=cast["company"])
    auth = authorise_agent(actor=None, agent=agent, person=person,
                           valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31),
                           scope="代为申请", items=[catalogue.bureau_item.pk])
    rows = _get(client, cast["company"], "/api/v1/me").json()["acts_for"]
    assert [(r["kind"], r["id"], r["via"]) for r in rows] == [
        ("person", agent.pk, "self"), ("organisation", company.pk, "linked"),
        ("person", person.pk, "authorisation")]
    assert rows[2]["authorisation"] == {
        "id": auth.pk, "valid_from": "2026-01-01", "valid_to": "2026-12-31",
        "all_items": False, "item_ids": [catalogue.bureau_item.pk]}


@pytest.fixture
def in_review(cast, catalogue, person):
    """A bureau case in review, its 审查 step claimed by the reviewer."""
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    return claim(case, cast["reviewer"], TODAY)


def _staff(client, user, case, purpose):
    return _get(client, user, f"/api/v1/cases/{case.pk}/staff", {"purpose": purpose})


def test_article_34_site_visit_staff_for_the_reviewer_holding_the_step(client, cast,
                                                                       in_review):
    response = _staff(client, cast["reviewer"], in_review, "site_visit")
    assert response.status_code == 200
    body = response.json()
    assert body["minimum"] == 2 and "第三十四条" in body["legal_basis"]
    ids = {s["id"] for s in body["staff"]}
    staff_names = {n for n, roles in CAST.items()
                   if roles and n not in ("applicant", "company", "outsider")}
    assert ids == {cast[n].pk for n in staff_names}


def test_article_48_hearing_chairs_exclude_the_cases_reviewer(client, cast, in_review):
    response = _staff(client, cast["chief"], in_review, "hearing_chair")
    assert response.status_code == 200
    ids = {s["id"] for s in response.json()["staff"]}
    assert cast["reviewer"].pk not in ids
    assert {cast["chief"].pk, cast["head"].pk, cast["clerk"].pk} <= ids


@pytest.mark.parametrize("name", sorted(CAST))
@pytest.mark.parametrize("purpose", ["site_visit", "hearing_chair"])
def test_staff_lookup_refused_to_those_who_may_not_do_the_operation(client, cast, in_review,
                                                                    name, purpose):
    allowed = {"site_visit": {"reviewer"},
               "hearing_chair": {"reviewer", "chief", "head"}}[purpose]
    response = _staff(client, cast[name], in_review, purpose)
    if name in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404), name
        assert response.json()["code"] in ("forbidden", "not_found")
        assert "staff" not in response.json()


def test_staff_lookup_needs_a_purpose(client, cast, in_review):
    response = _get(client, cast["reviewer"], f"/api/v1/cases/{in_review.pk}/staff")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
