"""An account acting online for an organisation it reaches only through an authorisation
(授权委托), without naming `agent_id`, is held to that authorisation's item scope as a named
agent is: `agent_out_of_scope` for an item the authorisation does not cover, at the service
and through the API, with nothing written. Before, any authorisation in force let it apply
for every item. The organisation's own operators (linked accounts) stay unlimited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from oneseal.accounts.services import create_token
from oneseal.applicants.services import authorise_agent, register_organisation, register_person
from oneseal.cases import services as svc
from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import Case
from oneseal.core.models import AuditEvent

from .conftest import at


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-01"), tick=False):
        yield


@pytest.fixture
def principal(db):
    """A firm the `company` account is not linked to."""
    return register_organisation(actor=None, name="昆明碧鸡测试有限公司",
                                 credit_code="91530112MA6K00001F", legal_representative="钱七")


@pytest.fixture
def agent_person(cast):
    """The person behind the `company` account (role AGENT)."""
    return register_person(actor=None, name="赵建国", id_number="530102198203159993",
                           user=cast["company"])


def _authorise(agent_person, principal, items):
    return authorise_agent(actor=None, agent=agent_person, organisation=principal,
                           valid_from=dt.date(2026, 1, 1), scope="代为网上申请", items=items)


def _online(cast, item, org):
    return svc.case_submit(actor=cast["company"], item_id=item.pk, variant_code="01",
                           applicant=svc.ApplicantRef(organisation_id=org.pk),
                           channel="online")


def _api(client, cast, item, org):
    token = create_token(actor=None, user=cast["company"])[0]
    body = {"item_id": item.pk, "variant_code": "01",
            "applicant": {"organisation_id": org.pk}}
    return client.post("/api/v1/cases", json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


def test_online_agent_without_agent_id_refused_outside_the_authorisations_items(
        client, cast, catalogue, principal, agent_person):
    _authorise(agent_person, principal, items=[catalogue.hall_item.pk])
    events = AuditEvent.objects.exclude(kind__startswith="account.token")
    before = (Case.objects.count(), events.count())
    with pytest.raises(RuleViolation) as raised:
        _online(cast, catalogue.bureau_item, principal)
    assert raised.value.code == "agent_out_of_scope"
    response = _api(client, cast, catalogue.bureau_item, principal)
    assert response.status_code == 422 and response.json()["code"] == "agent_out_of_scope"
    assert (Case.objects.count(), events.count()) == before


def test_online_agent_without_agent_id_may_apply_for_the_authorised_item(
        cast, catalogue, principal, agent_person):
    _authorise(agent_person, principal, items=[catalogue.hall_item.pk])
    case, created = _online(cast, catalogue.hall_item, principal)
    assert created and case.organisation == principal and case.channel == "online"


def test_online_agent_with_an_authorisation_for_all_items_may_apply_for_any(
        cast, catalogue, principal, agent_person):
    _authorise(agent_person, principal, items=None)
    case, created = _online(cast, catalogue.bureau_item, principal)
    assert created and case.organisation == principal


def test_a_linked_operator_is_not_limited_by_an_authorisations_scope(
        cast, catalogue, company, agent_person):
    """The firm's own operator (linked account) holding a narrower authorisation too."""
    _authorise(agent_person, company, items=[catalogue.hall_item.pk])
    case, created = _online(cast, catalogue.bureau_item, company)
    assert created and case.organisation == company
