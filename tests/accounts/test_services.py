"""Account services: staff and applicant accounts, role grants (with their audit events)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from oneseal.accounts.models import RoleGrant, User
from oneseal.accounts.roles import Role
from oneseal.accounts.services import (
    create_applicant_account,
    create_staff,
    grant_role,
    install_totp_device,
    revoke_role,
    set_password,
)
from oneseal.core.models import AuditEvent

GOOD_PASSWORD = "Dianchi-2026-spring"


def _counts():
    return User.objects.count(), RoleGrant.objects.count(), AuditEvent.objects.count()


def test_create_staff_with_roles_unit_and_password(cast, bureau):
    admin = cast["sysadmin"]
    user = create_staff(actor=admin, username="wang", display_name="王芳", unit=bureau,
                        roles=[Role.CLERK, Role.HELPER, Role.CLERK], password=GOOD_PASSWORD,
                        phone="138 0000 0003")
    user.refresh_from_db()
    assert user.unit == bureau and user.phone == "13800000003"
    assert user.role_codes == {Role.CLERK, Role.HELPER}
    assert user.check_password(GOOD_PASSWORD)
    assert user.password.startswith("argon2")
    assert not user.is_staff and not user.is_superuser
    event = AuditEvent.objects.get(kind="account.create", subject=f"user:{user.pk}")
    assert event.actor_id == admin.pk
    assert event.payload["roles"] == [Role.CLERK, Role.HELPER]
    assert RoleGrant.objects.get(user=user, role=Role.CLERK).granted_by == admin


def test_create_staff_without_password_cannot_log_in(bureau):
    user = create_staff(actor=None, username="nopass", display_name="无密码", unit=bureau,
                        roles=[Role.REVIEWER])
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"roles": [Role.APPLICANT]}, "不是工作人员角色"),
        ({"roles": []}, "至少选择一个角色"),
        ({"password": "12345678"}, ""),  # too short, too common, all digits
        ({"superuser": True}, "只有系统管理员"),
        ({"username": "clerk"}, ""),  # taken
        ({"id_number": "530102199001011234"}, "校验码"),
    ],
)
def test_create_staff_refusals_change_nothing(cast, bureau, kwargs, message):
    before = _counts()
    args = {"actor": None, "username": "newbie", "display_name": "新人", "unit": bureau,
            "roles": [Role.CLERK], "password": GOOD_PASSWORD, **kwargs}
    with pytest.raises(ValidationError) as exc:
        create_staff(**args)
    assert message in " ".join(exc.value.messages)
    assert _counts() == before


def test_superuser_for_a_system_administrator(bureau):
    user = create_staff(actor=None, username="root2", display_name="管理员", unit=bureau,
                        roles=[Role.SYSADMIN], password=GOOD_PASSWORD, superuser=True)
    assert user.is_staff and user.is_superuser


def test_applicant_accounts_hold_only_applicant_roles(db):
    user = create_applicant_account(actor=None, username="citizen", display_name="市民",
                                    password=GOOD_PASSWORD)
    assert user.role_codes == {Role.APPLICANT} and user.unit is None
    before = _counts()
    with pytest.raises(ValidationError):
        create_applicant_account(actor=None, username="x", display_name="x", roles=[Role.CLERK])
    assert _counts() == before


def test_grant_role_writes_an_event_once(cast):
    clerk, admin = cast["clerk"], cast["sysadmin"]
    grant_role(actor=admin, user=clerk, role=Role.HELPER)
    assert clerk.has_role(Role.HELPER)
    grant_role(actor=admin, user=clerk, role=Role.HELPER)
    events = AuditEvent.objects.filter(kind="account.role.grant", subject=f"user:{clerk.pk}")
    assert events.count() == 1
    assert events.get().payload == {"role": Role.HELPER}


@pytest.mark.parametrize(
    ("who", "role"),
    [("applicant", Role.CLERK), ("clerk", Role.APPLICANT), ("outsider", Role.CLERK),
     ("clerk", "pope")],
)
def test_grant_role_refusals_change_nothing(cast, who, role):
    user = cast[who]
    before = set(user.role_grants.values_list("role", flat=True)), AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        grant_role(actor=cast["sysadmin"], user=user, role=role)
    assert (set(user.role_grants.values_list("role", flat=True)),
            AuditEvent.objects.count()) == before


def test_revoke_role(cast):
    chief = cast["chief"]
    assert revoke_role(actor=cast["sysadmin"], user=chief, role=Role.CHIEF)
    assert not chief.has_role(Role.CHIEF) and chief.has_role(Role.REVIEWER)
    assert AuditEvent.objects.filter(kind="account.role.revoke").count() == 1
    assert not revoke_role(actor=None, user=chief, role=Role.CHIEF)
    assert AuditEvent.objects.filter(kind="account.role.revoke").count() == 1


def test_the_last_system_administrator_keeps_the_role(cast, bureau):
    admin = cast["sysadmin"]
    with pytest.raises(ValidationError):
        revoke_role(actor=admin, user=admin, role=Role.SYSADMIN)
    assert admin.role_grants.filter(role=Role.SYSADMIN).exists()
    create_staff(actor=admin, username="admin2", display_name="第二管理员", unit=bureau,
                 roles=[Role.SYSADMIN])
    assert revoke_role(actor=admin, user=admin, role=Role.SYSADMIN)


def test_set_password_checks_the_rules(cast):
    clerk = cast["clerk"]
    with pytest.raises(ValidationError):
        set_password(actor=None, user=clerk, password="clerk")
    set_password(actor=cast["sysadmin"], user=clerk, password=GOOD_PASSWORD)
    clerk.refresh_from_db()
    assert clerk.check_password(GOOD_PASSWORD)
    assert AuditEvent.objects.filter(kind="account.password.set").count() == 1


def test_install_totp_device(cast):
    head = cast["head"]
    device = install_totp_device(actor=None, user=head, key="00" * 20, name="测试")
    assert device.confirmed and TOTPDevice.objects.get(user=head).key == "00" * 20
    assert AuditEvent.objects.filter(kind="account.otp_device.install").count() == 1
