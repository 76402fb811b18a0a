"""An application names an agent (代理人) only when the agent holds a recorded authorisation
from that applicant, in force on the day, for the item: checked in the case service, so at
the window and through the API alike. Before, `agent_id` accepted any registered person.

Every refusal is a 422 with the rule's code, and no case is created."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from oneseal.accounts.services import create_token
from oneseal.applicants.services import authorise_agent, register_person, revoke_authorisation
from oneseal.cases import services as svc
from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import Case
from oneseal.core.models import AuditEvent

from .conftest import at

TODAY = "2026-09-01"


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def agent(db):
    return register_person(actor=None, name="赵建国", id_number="530102198203159993")


def _authorise(agent, *, person=None, company=None, items=None, valid_to=None):
    return authorise_agent(actor=None, agent=agent, person=person, organisation=company,
                           valid_from=dt.date(2026, 1, 1), valid_to=valid_to,
                           scope="代为申请", items=items)


def _api_submit(client, cast, item, agent, *, person=None, company=None):
    token = create_token(actor=None, user=cast["clerk"])[0]
    applicant = {"person_id": person.pk} if person else {"organisation_id": company.pk}
    body = {"item_id": item.pk, "variant_code": "01", "applicant": applicant,
            "agent_id": agent.pk}
    return client.post("/api/v1/cases", json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


def _window_submit(cast, item, agent, *, person=None, company=None):
    ref = svc.ApplicantRef(person_id=person.pk if person else None,
                           organisation_id=company.pk if company else None)
    return svc.case_submit(actor=cast["clerk"], item_id=item.pk, variant_code="01",
                           applicant=ref, agent_id=agent.pk, channel="window")


def test_agent_with_an_authorisation_in_force_for_the_item(client, cast, catalogue, person,
                                                           agent):
    _authorise(agent, person=person, items=[catalogue.bureau_item.pk])
    response = _api_submit(client, cast, catalogue.bureau_item, agent, person=person)
    assert response.status_code == 201, response.json()
    assert response.json()["applicant"]["agent_name"] == "赵建国"
    case, created = _window_submit(cast, catalogue.bureau_item, agent, person=person)
    assert created and case.agent == agent


def _refused_both_ways(client, cast, item, agent, code, **applicant):
    events = AuditEvent.objects.exclude(kind__startswith="account.token")
    before = (Case.objects.count(), events.count())
    response = _api_submit(client, cast, item, agent, **applicant)
    assert response.status_code == 422
    assert response.json()["code"] == code and "代" in response.json()["detail"]
    with pytest.raises(RuleViolation) as raised:
        _window_submit(cast, item, agent, **applicant)
    assert raised.value.code == code
    assert (Case.objects.count(), events.count()) == before


def test_agent_without_any_authorisation_is_refused(client, cast, catalogue, person, agent):
    _refused_both_ways(client, cast, catalogue.bureau_item, agent, "agent_not_authorised",
                       person=person)


def test_agent_authorised_by_another_applicant_is_refused(client, cast, catalogue, person,
                                                          company, agent):
    _authorise(agent, company=company)
    _refused_both_ways(client, cast, catalogue.bureau_item, agent, "agent_not_authorised",
                       person=person)


def test_agent_with_an_expired_authorisation_is_refused(client, cast, catalogue, company,
                                                        agent):
    _authorise(agent, company=company, valid_to=dt.date(2026, 8, 31))  # the day before
    _refused_both_ways(client, cast, catalogue.bureau_item, agent,
                       "agent_authorisation_not_in_force", company=company)


def test_agent_with_a_revoked_authorisation_is_refused(client, cast, catalogue, company,
                                                       agent):
    auth = _authorise(agent, company=company)
    revoke_authorisation(actor=cast["clerk"], authorisation=auth, reason="委托解除")
    _refused_both_ways(client, cast, catalogue.bureau_item, agent,
                       "agent_authorisation_revoked", company=company)


def test_agent_authorised_for_another_item_is_refused(client, cast, catalogue, company,
                                                      agent):
    _authorise(agent, company=company, items=[catalogue.hall_item.pk])
    _refused_both_ways(client, cast, catalogue.bureau_item, agent, "agent_out_of_scope",
                       company=company)
