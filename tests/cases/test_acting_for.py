"""Who acted for whom (代为办理): when an organisation's operator or an agent acts on a case,
the case event and its audit record name the account, the person behind it and the applicant
it acted for; staff at the window and applicants acting for themselves add nothing."""

from __future__ import annotations

import datetime as dt

from oneseal.applicants.services import authorise_agent, register_person
from oneseal.core.models import AuditEvent

from .helpers import submit


def _operator(cast, company):
    operator = register_person(actor=None, name="赵建国", id_number="530102198203159993",
                               user=cast["company"])
    authorise_agent(actor=None, agent=operator, organisation=company,
                    valid_from=dt.date(2026, 1, 1), scope="单位网上办事经办人")
    return operator


def test_an_operator_acting_for_an_organisation_is_named_with_it(cast, catalogue, company):
    operator = _operator(cast, company)
    case = submit(cast, catalogue.bureau_item, organisation=company, actor=cast["company"])
    event = case.events.get(kind="submit")
    assert event.actor == cast["company"]
    assert event.data["acting_for"] == {"kind": "organisation", "id": company.pk}
    assert event.data["acting_person"] == operator.pk
    audit = AuditEvent.objects.get(seq=event.audit_seq)
    assert audit.payload["data"]["acting_for"] == {"kind": "organisation", "id": company.pk}
    assert audit.payload["data"]["acting_person"] == operator.pk
    assert audit.actor_id == cast["company"].pk


def test_a_linked_account_without_a_person_is_still_named_as_acting_for(cast, catalogue,
                                                                         company):
    case = submit(cast, catalogue.bureau_item, organisation=company, actor=cast["company"])
    event = case.events.get(kind="submit")
    assert event.data["acting_for"] == {"kind": "organisation", "id": company.pk}
    assert event.data["acting_person"] is None


def test_an_applicant_acting_for_themselves_adds_nothing(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, actor=cast["applicant"])
    assert "acting_for" not in case.events.get(kind="submit").data


def test_the_clerk_at_the_window_acts_for_the_bureau_not_the_applicant(cast, catalogue,
                                                                        company):
    case = submit(cast, catalogue.bureau_item, organisation=company)
    assert "acting_for" not in case.events.get(kind="submit").data
