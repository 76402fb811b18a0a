"""Recording an agent's authorisation in the admin (代理授权): the principal (an organisation
or a natural person), the items or every item, through `authorise_agent` (so audited); a
form without a principal or without a scope records nothing."""

from __future__ import annotations

import pytest

from oneseal.accounts.roles import Role
from oneseal.accounts.services import create_staff
from oneseal.applicants.models import AgentAuthorisation
from oneseal.applicants.services import register_person
from oneseal.core.models import AuditEvent
from tests.cases.conftest import bureau, catalogue, company, department, org, person
from tests.login_helpers import log_in

__all__ = ["bureau", "catalogue", "company", "department", "org", "person"]
URL = "/django-admin/applicants/agentauthorisation/add/"


@pytest.fixture
def admin_client(client, bureau):
    root = create_staff(actor=None, username="root", display_name="超级管理员", unit=bureau,
                        roles=[Role.SYSADMIN], superuser=True)
    return log_in(client, root)


@pytest.fixture
def agent(db):
    return register_person(actor=None, name="赵建国", id_number="530102198203159993")


def _form(agent, **extra):
    return {"agent": agent.pk, "valid_from": "2026-01-01", "valid_to": "2026-12-31",
            "scope": "代为申请排污许可", "document_ref": "授〔2026〕1号", **extra}


def test_admin_records_a_persons_authorisation_for_chosen_items(admin_client, agent, person,
                                                                catalogue):
    response = admin_client.post(URL, _form(agent, person=person.pk,
                                            items=[catalogue.bureau_item.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    auth = AgentAuthorisation.objects.get()
    assert auth.person == person and auth.organisation is None and not auth.all_items
    assert list(auth.items.values_list("pk", flat=True)) == [catalogue.bureau_item.pk]
    assert AuditEvent.objects.filter(kind="applicant.agent.authorise").count() == 1


@pytest.mark.parametrize("extra", [
    {"items": []},  # a principal but no scope
    {"all_items": "on"},  # a scope but no principal
])
def test_admin_refuses_an_incomplete_authorisation(admin_client, agent, company, catalogue,
                                                   extra):
    data = _form(agent, **extra)
    if "items" in extra:
        data["organisation"] = company.pk
    response = admin_client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请选择委托办理的事项" in page or "请指定一个委托人" in page
    assert AgentAuthorisation.objects.count() == 0
    assert not AuditEvent.objects.filter(kind="applicant.agent.authorise").exists()
