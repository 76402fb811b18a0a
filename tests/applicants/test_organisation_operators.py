"""Organisation registration online and its operators (单位经办人): the registering person
becomes the first operator; an operator adds and removes others; every other role is
refused; ID numbers and phones are masked in the list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from oneseal.accounts.roles import Role
from oneseal.applicants import registration
from oneseal.applicants.models import AgentAuthorisation, Organisation
from oneseal.applicants.selectors import agent_refusal, may_act_for
from oneseal.applicants.services import register_organisation, register_person
from oneseal.core.identity import make_credit_code
from tests.factories import UserFactory
from tests.login_helpers import log_in

REGISTER = "/accounts/register/organisation/"
CREDIT_CODE = make_credit_code("91530112MA6K12345")
REP_ID = "530102198505120023"
OPERATOR_ID = "530112199001010012"
SECOND_ID = "530112199203040033"
SECOND_PHONE = "13911112222"


def _org_form(**changes):
    data = {"credit_code": CREDIT_CODE, "name": "昆明滇池餐饮有限公司",
            "legal_representative": "王建华", "legal_representative_id_number": REP_ID}
    data.update(changes)
    return data


@pytest.fixture
def citizen(db):
    user = UserFactory(username="13912345678", phone="13912345678", roles=[Role.APPLICANT])
    register_person(actor=None, name="李文华", id_number=OPERATOR_ID, user=user)
    return user


@pytest.fixture
def second(db):
    user = UserFactory(username=SECOND_PHONE, phone=SECOND_PHONE, roles=[Role.APPLICANT])
    person = register_person(actor=None, name="周晓梅", id_number=SECOND_ID, user=user)
    return person


@pytest.fixture
def firm(client, citizen):
    client.force_login(citizen)
    response = client.post(REGISTER, _org_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    return Organisation.objects.get(credit_code=CREDIT_CODE)


def _state():
    return (Organisation.objects.count(),
            sorted(AgentAuthorisation.objects.values_list("id", "agent_id", "revoked_at")))


def test_the_registering_person_becomes_the_first_operator(client, firm, citizen):
    person = citizen.person
    assert may_act_for(person, firm)
    auth = AgentAuthorisation.objects.get(organisation=firm)
    assert auth.all_items and auth.agent == person
    assert agent_refusal(person, item_id=1, organisation=firm) is None
    citizen.refresh_from_db()
    assert citizen.has_role(Role.AGENT)
    page = client.get(f"/accounts/organisations/{firm.pk}/").content.decode()
    assert "昆明滇池餐饮有限公司" in page and "5301**********0012" in page
    assert OPERATOR_ID not in page and "139****5678" in page and "13912345678" not in page
    assert "昆明滇池餐饮有限公司" in client.get("/accounts/organisations/").content.decode()


def test_an_invalid_credit_code_is_refused_and_nothing_registered(client, citizen):
    client.force_login(citizen)
    before = _state()
    bad = CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1")
    response = client.post(REGISTER, _org_form(credit_code=bad))
    assert "统一社会信用代码校验码错误" in response.content.decode()
    assert _state() == before


def test_an_organisation_with_operators_is_refused_by_rule(client, firm, second):
    before = _state()
    with pytest.raises(ValidationError) as caught:
        registration.register_organisation_account(
            actor=second.user, credit_code=CREDIT_CODE, name="x",
            legal_representative="王建华", legal_representative_id_number=REP_ID)
    assert caught.value.code == "organisation_has_operators"
    assert _state() == before


def test_an_organisation_on_record_without_operators_needs_the_same_representative(
        client, citizen):
    register_organisation(actor=None, name="昆明滇池餐饮有限公司", credit_code=CREDIT_CODE,
                          legal_representative="王建华")
    before = _state()
    with pytest.raises(ValidationError) as caught:
        registration.register_organisation_account(
            actor=citizen, credit_code=CREDIT_CODE, name="x",
            legal_representative="张三", legal_representative_id_number=REP_ID)
    assert caught.value.code == "organisation_mismatch"
    assert _state() == before
    client.force_login(citizen)
    assert client.post(REGISTER, _org_form()).status_code == 302
    assert Organisation.objects.count() == 1


def test_an_operator_adds_another_by_id_number_and_phone(client, firm, second):
    response = client.post(f"/accounts/organisations/{firm.pk}/",
                           {"id_number": SECOND_ID, "phone": SECOND_PHONE})
    assert response.status_code == 302
    assert may_act_for(second, firm)
    second.user.refresh_from_db()
    assert second.user.has_role(Role.AGENT)
    page = client.get(f"/accounts/organisations/{firm.pk}/").content.decode()
    assert "5301**********0033" in page and "139****2222" in page


def test_adding_with_a_phone_that_does_not_match_is_refused(client, firm, second):
    before = _state()
    response = client.post(f"/accounts/organisations/{firm.pk}/",
                           {"id_number": SECOND_ID, "phone": "13900009999"})
    assert "未找到身份证号码与手机号码相符" in response.content.decode()
    assert _state() == before
    assert not may_act_for(second, firm)


def test_an_operator_removes_another_but_not_the_last(client, firm, second, citizen):
    client.post(f"/accounts/organisations/{firm.pk}/",
                {"id_number": SECOND_ID, "phone": SECOND_PHONE})
    theirs = AgentAuthorisation.objects.get(organisation=firm, agent=second)
    mine = AgentAuthorisation.objects.get(organisation=firm, agent=citizen.person)
    url = f"/accounts/organisations/{firm.pk}/operators/{theirs.pk}/remove/"
    assert client.post(url).status_code == 302
    assert not may_act_for(second, firm)
    before = _state()
    client.post(f"/accounts/organisations/{firm.pk}/operators/{mine.pk}/remove/")
    assert _state() == before and may_act_for(citizen.person, firm)
    with pytest.raises(ValidationError) as caught:
        registration.remove_operator(actor=citizen, organisation=firm,
                                     authorisation_id=mine.pk)
    assert caught.value.code == "last_operator"


@pytest.mark.parametrize("name", ["applicant", "company", "helper", "clerk", "reviewer",
                                  "dept", "supervisor", "sysadmin", "outsider"])
def test_every_one_else_is_refused_the_operator_page_and_changes(client, cast, firm, second,
                                                                 name):
    log_in(client, cast[name])
    mine = AgentAuthorisation.objects.get(organisation=firm)
    before = _state()
    page = client.get(f"/accounts/organisations/{firm.pk}/")
    add = client.post(f"/accounts/organisations/{firm.pk}/",
                      {"id_number": SECOND_ID, "phone": SECOND_PHONE})
    remove = client.post(f"/accounts/organisations/{firm.pk}/operators/{mine.pk}/remove/")
    assert page.status_code in (403, 404) and add.status_code in (403, 404)
    assert remove.status_code in (403, 404)
    assert _state() == before


@pytest.mark.parametrize("name", ["helper", "clerk", "reviewer", "dept", "supervisor",
                                  "sysadmin", "outsider"])
def test_staff_and_roleless_accounts_cannot_register_an_organisation(client, cast, name):
    log_in(client, cast[name])
    before = _state()
    response = client.post(REGISTER, _org_form())
    assert response.status_code == 403
    assert _state() == before


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    for url in (REGISTER, "/accounts/organisations/", "/accounts/organisations/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("name", "shown"), [("applicant", True), ("company", True),
                                             ("clerk", False), ("outsider", False)])
def test_the_profile_links_applicants_to_their_organisations(client, cast, name, shown):
    log_in(client, cast[name])
    html = client.get("/accounts/me/").content.decode()
    assert ('href="/accounts/organisations/"' in html) is shown
