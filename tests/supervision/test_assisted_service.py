"""帮办代办 (work plan measure 十二): a helper files and follows cases for an applicant under
the applicant's recorded authorisation — the agent authorisation of `applicants`, free, with
items or all and first/last days — and the applicant revokes it online and sees every action
the helper took. Dates on the 2026 schedule (no working-day arithmetic here: the
authorisation's days are calendar days, both included)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from oneseal.applicants import assist
from oneseal.applicants import services as applicant_services
from oneseal.applicants.models import AgentAuthorisation
from oneseal.cases import services as svc
from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import Case
from oneseal.core.models import AuditEvent
from tests.conftest import CAST
from tests.login_helpers import log_in

from .conftest import at

pytestmark = pytest.mark.django_db
HELPER_ID = "530112199001011234"  # GB 11643 check digit: weighted sum 184, 184 mod 11 = 8 -> "4"


@pytest.fixture
def helper_person(cast):
    return applicant_services.register_person(actor=None, name="王帮办", id_number=HELPER_ID,
                                              user=cast["helper"])


@pytest.fixture
def authorisation(cast, catalogue, person, helper_person):
    """张三 authorises the helper for the bureau item, 2026-09-01 .. 2026-09-30."""
    return assist.authorise_helper(actor=cast["helper"], helper=cast["helper"], person=person,
                                   items=[catalogue.bureau_item.pk],
                                   valid_from=dt.date(2026, 9, 1),
                                   valid_to=dt.date(2026, 9, 30))


def file(cast, catalogue, person, helper_person, *, item=None, on="2026-09-10"):
    ref = svc.ApplicantRef(person_id=person.pk)
    case, _created = svc.case_submit(
        actor=cast["helper"], item_id=(item or catalogue.bureau_item).pk, variant_code="01",
        applicant=ref, agent_id=helper_person.pk if helper_person else None,
        channel="online", at=at(on))
    return case


def refused_submit(code, *args, **kwargs):
    before = (Case.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RuleViolation) as info:
        file(*args, **kwargs)
    assert info.value.code == code, info.value.message
    assert (Case.objects.count(), AuditEvent.objects.count()) == before


def test_assisted_authorisation_is_an_agent_authorisation_free_of_charge(authorisation,
                                                                          cast):
    assert authorisation.assisted and not authorisation.all_items
    assert "免费" in authorisation.scope
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.kind == "applicant.agent.authorise"
    assert event.subject == f"authorisation:{authorisation.pk}"
    assert list(assist.helper_authorisations(cast["helper"])) == [authorisation]


def test_helper_files_for_the_applicant_within_the_authorisation(cast, catalogue, person,
                                                                 helper_person, authorisation):
    case = file(cast, catalogue, person, helper_person)
    assert (case.person_id, case.agent_id, case.created_by) == (
        person.pk, helper_person.pk, cast["helper"])
    submitted = case.events.get(kind="submit")
    assert (submitted.actor, submitted.actor_name) == (cast["helper"], str(cast["helper"]))


def test_helper_without_authorisation_is_refused(cast, catalogue, person, helper_person):
    refused_submit("agent_not_authorised", cast, catalogue, person, helper_person)


def test_helper_may_not_file_as_the_front_desk(cast, catalogue, person, helper_person,
                                               authorisation):
    refused_submit("helper_needs_authorisation", cast, catalogue, person, None)


def test_helper_refused_outside_scope_and_dates(cast, catalogue, person, helper_person,
                                               authorisation):
    refused_submit("agent_out_of_scope", cast, catalogue, person, helper_person,
                   item=catalogue.hall_item)
    # the last day is 09-30 (included): on 10-08 it is no longer in force
    refused_submit("agent_authorisation_not_in_force", cast, catalogue, person,
                   helper_person, on="2026-10-08")


def test_applicant_revokes_online_and_helper_is_refused_from_then_on(
        client, cast, catalogue, person, helper_person, authorisation):
    with time_machine.travel(at("2026-09-10"), tick=False):
        log_in(client, cast["applicant"])
        page = client.get(reverse("assist_portal:mine")).content.decode()
        assert "王帮办" in page and "帮办代办·免费" in page
        response = client.post(reverse("assist_portal:revoke", args=[authorisation.pk]))
        assert response.status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is not None
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.kind, event.actor_id) == ("applicant.agent.revoke", cast["applicant"].pk)
    refused_submit("agent_authorisation_revoked", cast, catalogue, person, helper_person,
                   on="2026-09-11")


@pytest.mark.parametrize("who", [m for m in CAST if m != "applicant"])
def test_only_the_principal_revokes(client, cast, authorisation, who):
    log_in(client, cast[who])
    before = AuditEvent.objects.count()
    response = client.post(reverse("assist_portal:revoke", args=[authorisation.pk]))
    assert response.status_code == 404
    assert AgentAuthorisation.objects.get(pk=authorisation.pk).revoked_at is None
    assert AuditEvent.objects.count() == before
    with pytest.raises(PermissionDenied):
        assist.revoke_by_applicant(actor=cast[who], authorisation_id=authorisation.pk)


def test_applicant_sees_the_helper_in_the_case_history(client, cast, catalogue, person,
                                                       helper_person, authorisation):
    case = file(cast, catalogue, person, helper_person)
    log_in(client, cast["applicant"])
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "代理人/帮办员" in page
    assert str(cast["helper"]) in page


def test_helper_workbench_lists_principals_and_cases_and_files(client, cast, catalogue,
                                                               person, helper_person,
                                                               authorisation):
    case = file(cast, catalogue, person, helper_person)
    log_in(client, cast["helper"])
    url = reverse("assist:workbench")
    with time_machine.travel(at("2026-09-11"), tick=False):
        page = client.get(url).content.decode()
        assert "张三" in page and case.number in page
        response = client.post(url, {"authorisation": authorisation.pk,
                                     "item": catalogue.bureau_item.pk, "variant_code": "01"})
    assert response.status_code == 302
    assert Case.objects.filter(agent=helper_person).count() == 2
    home = client.get(reverse("workbench:home")).content.decode()
    assert url in home  # 帮办代办 is no longer 即将上线


@pytest.mark.parametrize("who", [m for m in CAST if m != "helper"])
def test_helper_workbench_refused_to_other_roles(client, cast, authorisation, catalogue,
                                                 who):
    log_in(client, cast[who])
    before = (Case.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("assist:workbench"), {
        "authorisation": authorisation.pk, "item": catalogue.bureau_item.pk,
        "variant_code": "01"})
    assert response.status_code in (302, 403, 404)
    assert response.status_code != 302 or "login" in response["Location"]
    assert (Case.objects.count(), AuditEvent.objects.count()) == before
