"""Applicants: persons, organisations, agents authorised to act for an organisation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oneseal.applicants.models import AgentAuthorisation, Organisation, Person
from oneseal.applicants.selectors import authorisations_in_force, may_act_for, organisations_for
from oneseal.applicants.services import (
    authorise_agent,
    link_organisation_user,
    register_organisation,
    register_person,
    revoke_authorisation,
    update_organisation,
    update_person,
)
from oneseal.core.identity import make_credit_code
from oneseal.core.models import AuditEvent

ID_A = "530112198805169980"
ID_B = "530102198203159993"
CREDIT = make_credit_code("91530112MA6K3T8Q1")


@pytest.fixture
def agent(db):
    return register_person(actor=None, name="赵建国", id_number=ID_B, phone="138 0000 0002")


@pytest.fixture
def company(db):
    return register_organisation(actor=None, name="昆明西山碧鸡数码科技有限公司",
                                 credit_code=CREDIT, legal_representative="何志远")


def test_register_person_normalises_and_audits_a_masked_number(db, cast):
    person = register_person(actor=cast["clerk"], name=" 杨丽华 ",
                             id_number=ID_A.replace("0", "０"), phone="+86 138-0000-0001",
                             user=cast["applicant"])
    assert (person.name, person.id_number, person.phone) == ("杨丽华", ID_A, "13800000001")
    assert cast["applicant"].person == person
    event = AuditEvent.objects.get(kind="applicant.person.register")
    assert event.payload["id_number"] == "5301**********9980"
    assert ID_A not in event.payload_json


@pytest.mark.parametrize(
    ("id_number", "phone"),
    [("530112198805169981", ""), ("53011219880516998", ""), (ID_A, "12345")],
)
def test_register_person_refuses_bad_numbers_and_writes_nothing(db, id_number, phone):
    with pytest.raises(ValidationError):
        register_person(actor=None, name="某人", id_number=id_number, phone=phone)
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_one_person_per_id_number(agent):
    with pytest.raises(ValidationError):
        register_person(actor=None, name="另一人", id_number=ID_B.lower())
    assert Person.objects.count() == 1


def test_the_database_refuses_a_duplicate_id_number_too(agent):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="另一人", id_number=ID_B)


def test_update_person_keeps_the_id_number_and_records_fields(agent):
    update_person(actor=None, person=agent, phone="13800000009")
    assert agent.phone == "13800000009" and agent.id_number == ID_B
    assert AuditEvent.objects.filter(kind="applicant.person.update").latest("seq").payload == {
        "fields": ["phone"]}
    with pytest.raises(TypeError):
        update_person(actor=None, person=agent, id_number=ID_A)


def test_register_organisation_accepts_a_letter_first_code(db):
    code = make_credit_code("N2530112MA6K3T8Q1")
    org = register_organisation(actor=None, name="某村股份经济合作社", credit_code=code.lower(),
                                legal_representative="王某")
    assert org.credit_code == code


def test_register_organisation_refuses_a_bad_code_and_writes_nothing(db):
    with pytest.raises(ValidationError):
        wrong = CREDIT[:17] + ("0" if CREDIT[17] != "0" else "1")
        register_organisation(actor=None, name="某公司", credit_code=wrong,
                              legal_representative="王某")
    assert Organisation.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_update_organisation(company):
    update_organisation(actor=None, organisation=company, address="西山区前卫街道")
    assert company.address == "西山区前卫街道"
    with pytest.raises(TypeError):
        update_organisation(actor=None, organisation=company, credit_code=CREDIT)


def test_may_act_for_within_the_period_only(agent, company):
    authorise_agent(actor=None, agent=agent, organisation=company, valid_from=dt.date(2026, 1, 1),
                    valid_to=dt.date(2026, 6, 30), scope="办理行政许可申请",
                    document_ref="授〔2026〕1号")
    assert may_act_for(agent, company, on=dt.date(2026, 1, 1))
    assert may_act_for(agent, company, on=dt.date(2026, 6, 30))
    assert not may_act_for(agent, company, on=dt.date(2025, 12, 31))
    assert not may_act_for(agent, company, on=dt.date(2026, 7, 1))
    other = register_organisation(actor=None, name="别家公司",
                                  credit_code=make_credit_code("91530112MA6K3T8Q2"),
                                  legal_representative="钱某")
    assert not may_act_for(agent, other, on=dt.date(2026, 3, 1))


@time_machine.travel(dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC), tick=False)
def test_revocation_ends_the_authorisation_from_that_day(agent, company, cast):
    auth = authorise_agent(actor=None, agent=agent, organisation=company,
                           valid_from=dt.date(2026, 1, 1), scope="办理行政许可申请")
    assert may_act_for(agent, company)
    revoke_authorisation(actor=cast["clerk"], authorisation=auth, reason="单位撤回委托")
    today = timezone.localdate()
    assert not may_act_for(agent, company)
    assert not may_act_for(agent, company, on=today)
    assert may_act_for(agent, company, on=today - dt.timedelta(days=1))
    events = AuditEvent.objects.filter(kind="applicant.agent.revoke")
    assert events.count() == 1
    revoke_authorisation(actor=None, authorisation=auth)  # a second time changes nothing
    assert events.count() == 1
    auth.refresh_from_db()
    assert auth.revoked_reason == "单位撤回委托"


@pytest.mark.parametrize(
    ("valid_to", "scope"), [(dt.date(2025, 12, 31), "办理申请"), (None, "  ")]
)
def test_authorise_agent_refuses_a_bad_period_or_empty_scope(agent, company, valid_to, scope):
    with pytest.raises(ValidationError):
        authorise_agent(actor=None, agent=agent, organisation=company,
                        valid_from=dt.date(2026, 1, 1), valid_to=valid_to, scope=scope)
    assert AgentAuthorisation.objects.count() == 0


def test_organisations_for_a_user_through_link_or_authorisation(agent, company, cast):
    user = cast["company"]
    assert list(organisations_for(user)) == []
    update_person(actor=None, person=agent, user=user)
    authorise_agent(actor=None, agent=agent, organisation=company,
                    valid_from=dt.date(2020, 1, 1), scope="办理申请")
    assert list(organisations_for(user)) == [company]
    assert [a.organisation for a in authorisations_in_force(agent)] == [company]
    applicant = cast["applicant"]
    assert link_organisation_user(actor=None, organisation=company, user=applicant)
    assert not link_organisation_user(actor=None, organisation=company, user=applicant)
    assert list(organisations_for(applicant)) == [company]
    assert list(organisations_for(cast["outsider"])) == []
