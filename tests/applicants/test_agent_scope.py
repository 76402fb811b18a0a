"""An agent acts for an applicant only under a recorded authorisation (授权委托) from that
applicant, in force on the day, covering the item: the pure rule (worked by hand), the
service that records one for an organisation or a natural person, and the selector the case
service asks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from oneseal.applicants.domain.authorisation import (
    NOT_AUTHORISED,
    NOT_IN_FORCE,
    OUT_OF_SCOPE,
    REVOKED,
    Grant,
    refusal,
)
from oneseal.applicants.models import AgentAuthorisation
from oneseal.applicants.selectors import AGENT_REFUSALS, acting_for, agent_refusal
from oneseal.applicants.services import authorise_agent, register_person, revoke_authorisation
from oneseal.core.models import AuditEvent
from tests.cases.conftest import at, bureau, catalogue, company, department, org, person

__all__ = ["bureau", "catalogue", "company", "department", "org", "person"]

JAN1, JUN30 = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
ITEM, OTHER = 7, 8


def grant(*, valid_to=JUN30, revoked_on=None, all_items=False, items=(ITEM,)) -> Grant:
    return Grant(valid_from=JAN1, valid_to=valid_to, revoked_on=revoked_on,
                 all_items=all_items, item_ids=frozenset(items))


@pytest.mark.parametrize(("grants", "item", "on", "expected"), [
    ([grant()], ITEM, JAN1, None),  # first day included
    ([grant()], ITEM, JUN30, None),  # last day included
    ([grant()], ITEM, dt.date(2026, 7, 1), NOT_IN_FORCE),  # expired the day after
    ([grant()], ITEM, dt.date(2025, 12, 31), NOT_IN_FORCE),  # not yet begun
    ([grant(revoked_on=dt.date(2026, 3, 2))], ITEM, dt.date(2026, 3, 1), None),
    ([grant(revoked_on=dt.date(2026, 3, 2))], ITEM, dt.date(2026, 3, 2), REVOKED),
    ([grant()], OTHER, JAN1, OUT_OF_SCOPE),
    ([grant(all_items=True, items=())], OTHER, JAN1, None),
    ([], ITEM, JAN1, NOT_AUTHORISED),
    # an expired grant for the item and a current one for another item: out of scope
    ([grant(valid_to=dt.date(2026, 1, 31)), grant(items=(OTHER,))], ITEM,
     dt.date(2026, 2, 1), OUT_OF_SCOPE),
    # a revoked grant and a current one that covers the item: allowed
    ([grant(revoked_on=JAN1), grant()], ITEM, dt.date(2026, 2, 1), None),
])
def test_refusal_rule(grants, item, on, expected):
    assert refusal(grants, item_id=item, on=on) == expected


def test_every_refusal_has_a_chinese_message():
    for code in (NOT_AUTHORISED, NOT_IN_FORCE, REVOKED, OUT_OF_SCOPE):
        assert "代理" in str(AGENT_REFUSALS[code])


@pytest.fixture
def agent(db):
    return register_person(actor=None, name="赵建国", id_number="530102198203159993")


def test_authorisation_from_a_natural_person_for_chosen_items(agent, person, catalogue):
    auth = authorise_agent(actor=None, agent=agent, person=person, valid_from=JAN1,
                           valid_to=JUN30, scope="代为申请排污许可",
                           items=[catalogue.bureau_item.pk])
    assert auth.person == person and auth.organisation is None and not auth.all_items
    assert list(auth.items.all()) == [catalogue.bureau_item]
    event = AuditEvent.objects.get(kind="applicant.agent.authorise")
    assert event.payload["person"] == person.pk
    assert event.payload["items"] == [catalogue.bureau_item.pk]
    on = dt.date(2026, 3, 1)
    assert agent_refusal(agent, person=person, item_id=catalogue.bureau_item.pk, on=on) is None
    assert agent_refusal(agent, person=person, item_id=catalogue.hall_item.pk,
                         on=on) == OUT_OF_SCOPE
    assert agent_refusal(agent, person=person, item_id=catalogue.bureau_item.pk,
                         on=dt.date(2026, 7, 1)) == NOT_IN_FORCE


def test_authorisation_from_another_applicant_does_not_count(agent, person, company,
                                                             catalogue):
    authorise_agent(actor=None, agent=agent, organisation=company, valid_from=JAN1,
                    scope="代为申请")
    assert agent_refusal(agent, person=person, item_id=catalogue.bureau_item.pk,
                         on=JAN1) == NOT_AUTHORISED
    assert agent_refusal(agent, organisation=company, item_id=catalogue.bureau_item.pk,
                         on=JAN1) is None


@time_machine.travel(at("2026-03-02"), tick=False)
def test_revoked_authorisation_is_refused_from_the_day_of_revocation(agent, company,
                                                                     catalogue):
    auth = authorise_agent(actor=None, agent=agent, organisation=company, valid_from=JAN1,
                           scope="代为申请", items=[catalogue.bureau_item.pk])
    revoke_authorisation(actor=None, authorisation=auth, reason="委托解除")
    assert agent_refusal(agent, organisation=company,
                         item_id=catalogue.bureau_item.pk) == REVOKED
    assert agent_refusal(agent, organisation=company, item_id=catalogue.bureau_item.pk,
                         on=dt.date(2026, 3, 1)) is None


@pytest.mark.parametrize("kwargs", [
    {},  # no principal
    {"both": True},  # two principals
    {"items": []},  # an empty scope
    {"items": [10**9]},  # an item that does not exist
    {"self": True},  # the agent authorising himself
])
def test_authorise_agent_refusals_record_nothing(agent, person, company, catalogue, kwargs):
    args = {"actor": None, "agent": agent, "valid_from": JAN1, "scope": "代为申请"}
    if kwargs.get("both"):
        args.update(person=person, organisation=company)
    elif kwargs.get("self"):
        args.update(person=agent)
    elif "items" in kwargs:
        args.update(organisation=company, items=kwargs["items"])
    with pytest.raises(ValidationError) as raised:
        authorise_agent(**args)
    field = {"both": "organisation", "self": "person"}.get(next(iter(kwargs), ""), "")
    assert set(raised.value.message_dict) == {field or ("items" if "items" in kwargs
                                                        else "organisation")}
    assert AgentAuthorisation.objects.count() == 0
    assert not AuditEvent.objects.filter(kind="applicant.agent.authorise").exists()


@time_machine.travel(at("2026-03-02"), tick=False)
def test_acting_for_lists_self_links_and_authorisations(agent, person, company, catalogue,
                                                        cast):
    from oneseal.applicants.services import update_person

    update_person(actor=None, person=agent, user=cast["company"])
    authorise_agent(actor=None, agent=agent, person=person, valid_from=JAN1, scope="代为申请",
                    items=[catalogue.bureau_item.pk])
    rows = acting_for(cast["company"])
    assert [(r["kind"], r["id"], r["via"]) for r in rows] == [
        ("person", agent.pk, "self"), ("organisation", company.pk, "linked"),
        ("person", person.pk, "authorisation")]
    assert rows[2]["authorisation"]["item_ids"] == [catalogue.bureau_item.pk]
