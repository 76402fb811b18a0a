"""The front desk's intake page (收件受理) names the agent (代理人, an existing person found by
ID number) and the street or community service point (便民服务中心/站) where the case is
received, with "deliver back at the point". The case service checks the agent's recorded
authorisation and what the point may receive; the page shows its Chinese refusal next to
the form, keeps the input and creates nothing. A clerk of a street or community point finds
his own point preselected.

Pages call the services without `at`: every test runs on 2026-09-01."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from oneseal.accounts.roles import Role
from oneseal.applicants.services import authorise_agent, register_person
from oneseal.cases.models import Case
from oneseal.core.models import AuditEvent
from oneseal.org.service_points import set_point_items
from tests.conftest import CAST
from tests.factories import UserFactory
from tests.login_helpers import log_in

from .conftest import at

AGENT_ID = "530102198203159993"
URL = "/workbench/cases/intake/new/"


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-01"), tick=False):
        yield


@pytest.fixture
def agent(db):
    return register_person(actor=None, name="赵建国", id_number=AGENT_ID)


@pytest.fixture
def street(org, catalogue, cast):
    """金碧街道便民服务中心 receives the bureau item (not the hall item)."""
    point = org["street-jinbi"]
    set_point_items(actor=cast["sysadmin"], point=point, item_ids=[catalogue.bureau_item.pk])
    return point


def _form(client, person, item, **extra):
    page = client.get(URL, {"person": person.pk, "item": item.pk}).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    return {"person": person.pk, "item": item.pk, "variant": "01", "token": token, **extra}


def _nothing_written():
    return Case.objects.count(), AuditEvent.objects.count()


def test_intake_page_names_an_authorised_agent(client, cast, catalogue, person, agent):
    authorise_agent(actor=None, agent=agent, person=person, valid_from=dt.date(2026, 1, 1),
                    valid_to=None, scope="代为申请", items=[catalogue.bureau_item.pk])
    log_in(client, cast["clerk"])
    form = _form(client, person, catalogue.bureau_item,
                 agent_id_number=AGENT_ID.lower())  # typed with a small x: still found
    response = client.post(URL, form)
    case = Case.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/workbench/cases/{case.pk}/"
    assert case.agent == agent and case.service_point is None


def test_intake_page_shows_the_agent_refusal_and_keeps_the_input(client, cast, catalogue,
                                                                 person, agent, street):
    log_in(client, cast["clerk"])
    form = _form(client, person, catalogue.bureau_item, agent_id_number=AGENT_ID,
                 service_point=street.pk, deliver_at_point="on")
    before = _nothing_written()
    response = client.post(URL, form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "代理人没有该申请人登记在案的授权委托，不能代为申请。" in html
    assert f'value="{AGENT_ID}"' in html  # the input is kept
    assert re.search(rf'<option value="{street.pk}" selected>', html)
    assert re.search(r'name="deliver_at_point"[^>]*checked', html)
    assert _nothing_written() == before


def test_intake_page_refuses_an_agent_who_is_not_registered(client, cast, catalogue, person):
    log_in(client, cast["clerk"])
    form = _form(client, person, catalogue.bureau_item, agent_id_number="110101199003074477")
    before = _nothing_written()
    html = client.post(URL, form).content.decode()
    assert "未找到该身份证号码的代理人" in html and 'value="110101199003074477"' in html
    assert _nothing_written() == before


def test_intake_page_receives_at_a_service_point_and_delivers_there(client, cast, catalogue,
                                                                   person, street):
    log_in(client, cast["clerk"])
    form = _form(client, person, catalogue.bureau_item, service_point=street.pk,
                 deliver_at_point="on")
    assert client.post(URL, form).status_code == 302
    case = Case.objects.get(person=person)
    assert (case.service_point, case.deliver_at_point) == (street, True)


def test_intake_page_shows_the_point_refusal(client, cast, catalogue, person, street):
    log_in(client, cast["clerk"])
    form = _form(client, person, catalogue.hall_item, service_point=street.pk)
    before = _nothing_written()
    html = client.post(URL, form).content.decode()
    assert "该便民服务点未开通此事项的收件。" in html
    assert _nothing_written() == before
    # delivering at a point without receiving at one is refused too
    form = _form(client, person, catalogue.bureau_item, deliver_at_point="on")
    html = client.post(URL, form).content.decode()
    assert "未在便民服务点收件" in html and _nothing_written() == before


def test_intake_page_preselects_the_clerks_own_service_point(client, cast, catalogue, person,
                                                             street, bureau):
    street_clerk = UserFactory(username="street_clerk", unit=street, roles=[Role.CLERK])
    log_in(client, street_clerk)
    page = client.get(URL, {"person": person.pk, "item": catalogue.bureau_item.pk})
    assert re.search(rf'<option value="{street.pk}" selected>', page.content.decode())
    log_in(client, cast["clerk"])  # a clerk of the bureau: the hall, no point preselected
    page = client.get(URL, {"person": person.pk, "item": catalogue.bureau_item.pk})
    assert not re.search(r"<option value=\"\d+\" selected>", page.content.decode())


@pytest.mark.parametrize("name", sorted(set(CAST) - {"clerk"}))
def test_intake_with_agent_and_point_refused_to_every_other_role(client, cast, catalogue,
                                                                  person, agent, street, name):
    authorise_agent(actor=None, agent=agent, person=person, valid_from=dt.date(2026, 1, 1),
                    valid_to=None, scope="代为申请", items=None)
    log_in(client, cast[name])
    before = _nothing_written()
    response = client.post(URL, {"person": person.pk, "item": catalogue.bureau_item.pk,
                                 "variant": "01", "token": "a" * 32,
                                 "agent_id_number": AGENT_ID, "service_point": street.pk})
    assert response.status_code == 403
    assert _nothing_written() == before
