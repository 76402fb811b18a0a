"""The admin site pages of org, applicants and accounts: lists mask ID and phone numbers;
saves go through the services (so they are audited); only verified superusers get in."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role
from oneseal.accounts.services import create_staff, create_token
from oneseal.applicants.models import AgentAuthorisation
from oneseal.applicants.services import authorise_agent, register_organisation, register_person
from oneseal.core.identity import make_credit_code
from oneseal.core.models import AuditEvent
from oneseal.org.models import StaffTransfer, Unit, UnitKind
from tests.conftest import CAST
from tests.login_helpers import log_in

ID_NUMBER = "530112198805169980"


@pytest.fixture
def root(db, bureau):
    return create_staff(actor=None, username="root", display_name="超级管理员", unit=bureau,
                        roles=[Role.SYSADMIN], superuser=True)


@pytest.fixture
def admin_client(client, root):
    return log_in(client, root)


def test_person_list_masks_id_and_phone(admin_client, cast):
    register_person(actor=None, name="杨丽华", id_number=ID_NUMBER, phone="13800000001")
    page = admin_client.get("/django-admin/applicants/person/").content.decode()
    assert "杨丽华" in page
    assert "5301**********9980" in page and ID_NUMBER not in page
    assert "138****0001" in page and "13800000001" not in page


def test_user_list_masks_id_and_phone(admin_client, cast):
    User.objects.filter(pk=cast["clerk"].pk).update(phone="13800000005", id_number=ID_NUMBER)
    page = admin_client.get("/django-admin/accounts/user/").content.decode()
    assert "138****0005" in page and "13800000005" not in page
    assert ID_NUMBER not in page
    assert "综合受理窗口人员" in page  # roles column


def test_adding_a_unit_goes_through_the_service(admin_client, bureau):
    gov = Unit.objects.create(code="gov", name="区政府", kind=UnitKind.GOVERNMENT)
    code = make_credit_code("11530112MB0000077")
    response = admin_client.post("/django-admin/org/unit/add/", {
        "code": "dept-new", "name": "西山区新部门", "short_name": "", "kind": UnitKind.DEPARTMENT,
        "credit_code": code.lower(), "parent": gov.pk, "sort_order": 5, "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="dept-new")
    assert unit.credit_code == code
    assert AuditEvent.objects.filter(kind="org.unit.create", subject=f"unit:{unit.pk}").exists()


def test_a_misplaced_unit_is_a_form_error_not_a_crash(admin_client, bureau):
    before = Unit.objects.count()
    response = admin_client.post("/django-admin/org/unit/add/", {
        "code": "comm", "name": "某社区", "kind": UnitKind.COMMUNITY, "parent": bureau.pk,
        "sort_order": 0, "is_active": "on",
    })
    assert response.status_code == 200
    assert "不能设在" in response.content.decode()
    assert Unit.objects.count() == before


def test_a_transfer_added_in_the_admin_moves_the_person(admin_client, cast, bureau, department):
    dept = cast["dept"]
    response = admin_client.post("/django-admin/org/stafftransfer/add/", {
        "user": dept.pk, "to_unit": bureau.pk, "effective_on": "2019-03-31",
        "document_no": "西编〔2019〕12号", "note": "",
    })
    assert response.status_code == 302
    record = StaffTransfer.objects.get()
    assert (record.from_unit, record.to_unit, record.effective_on) == (
        department, bureau, dt.date(2019, 3, 31))
    dept.refresh_from_db()
    assert dept.unit == bureau
    assert AuditEvent.objects.filter(kind="org.staff.transfer").count() == 1


def test_a_transfer_to_the_same_unit_is_a_form_error(admin_client, cast, department):
    response = admin_client.post("/django-admin/org/stafftransfer/add/", {
        "user": cast["dept"].pk, "to_unit": department.pk, "effective_on": "2019-03-31",
    })
    assert response.status_code == 200 and "划入单位与原单位相同" in response.content.decode()
    assert StaffTransfer.objects.count() == 0


def test_tokens_are_revoked_by_an_admin_action_and_cannot_be_added(admin_client, cast):
    _, token = create_token(actor=None, user=cast["clerk"])
    assert admin_client.get("/django-admin/accounts/apitoken/add/").status_code == 403
    admin_client.post("/django-admin/accounts/apitoken/", {
        "action": "revoke_selected", "_selected_action": [token.pk],
    })
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.digest not in admin_client.get(
        f"/django-admin/accounts/apitoken/{token.pk}/change/").content.decode()


def test_authorisations_are_revoked_by_an_admin_action(admin_client):
    agent = register_person(actor=None, name="赵建国", id_number="530102198203159993")
    org = register_organisation(actor=None, name="某公司",
                                credit_code=make_credit_code("91530112MA6K3T8Q1"),
                                legal_representative="何志远")
    auth = authorise_agent(actor=None, agent=agent, organisation=org,
                           valid_from=dt.date(2025, 1, 1), scope="办理申请")
    admin_client.post("/django-admin/applicants/agentauthorisation/", {
        "action": "revoke_selected", "_selected_action": [auth.pk],
    })
    assert AgentAuthorisation.objects.get().revoked_at is not None


@pytest.mark.parametrize("who", list(CAST))
def test_every_cast_member_without_superuser_is_refused(client, cast, who):
    log_in(client, cast[who])
    for url in ("/django-admin/applicants/person/", "/django-admin/org/unit/",
                "/django-admin/accounts/apitoken/"):
        response = client.get(url)
        assert response.status_code == 302, (who, url)
        assert "login" in response["Location"], (who, url)


def test_an_unverified_superuser_session_is_refused(client, root):
    log_in(client, root, verified=False)
    register_person(actor=None, name="杨丽华", id_number=ID_NUMBER)
    response = client.get("/django-admin/applicants/person/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert "杨丽华" not in response.content.decode()


def test_every_page_of_these_admins_renders(admin_client, cast, bureau):
    person = register_person(actor=None, name="杨丽华", id_number=ID_NUMBER)
    org = register_organisation(actor=None, name="某公司",
                                credit_code=make_credit_code("91530112MA6K3T8Q1"),
                                legal_representative="何志远")
    auth = authorise_agent(actor=None, agent=person, organisation=org,
                           valid_from=dt.date(2025, 1, 1), scope="办理申请")
    _, token = create_token(actor=None, user=cast["clerk"])
    objects = {"org/unit": bureau.pk, "applicants/person": person.pk,
               "applicants/organisation": org.pk, "applicants/agentauthorisation": auth.pk,
               "accounts/user": cast["chief"].pk, "accounts/apitoken": token.pk}
    for model, pk in objects.items():
        for suffix in ("", f"{pk}/change/", "add/"):
            response = admin_client.get(f"/django-admin/{model}/{suffix}")
            expected = 403 if (model, suffix) == ("accounts/apitoken", "add/") else 200
            assert response.status_code == expected, (model, suffix)


def test_roles_granted_in_the_user_admin_go_through_the_service(admin_client, cast):
    clerk = cast["clerk"]
    grant = clerk.role_grants.get()
    page = admin_client.get(f"/django-admin/accounts/user/{clerk.pk}/change/")
    assert page.status_code == 200
    data = {
        "username": "clerk", "display_name": clerk.display_name, "unit": clerk.unit_id,
        "phone": "", "id_number": "", "email": "", "is_active": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "role_grants-TOTAL_FORMS": "2", "role_grants-INITIAL_FORMS": "1",
        "role_grants-MIN_NUM_FORMS": "0", "role_grants-MAX_NUM_FORMS": "1000",
        "role_grants-0-id": grant.pk, "role_grants-0-user": clerk.pk,
        "role_grants-0-role": Role.CLERK,
        "role_grants-1-user": clerk.pk, "role_grants-1-role": Role.HELPER,
    }
    response = admin_client.post(f"/django-admin/accounts/user/{clerk.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(clerk.role_grants.values_list("role", flat=True)) == {Role.CLERK, Role.HELPER}
    assert AuditEvent.objects.filter(kind="account.role.grant",
                                     subject=f"user:{clerk.pk}").count() == 1
