"""The demo data (`oneseal load-demo`) and `oneseal otp-code`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from oneseal.accounts.models import ApiToken, RoleGrant, User
from oneseal.accounts.roles import Role
from oneseal.applicants.models import AgentAuthorisation, Organisation, Person
from oneseal.applicants.selectors import may_act_for
from oneseal.core import demo
from oneseal.core.identity import is_valid_id_number
from oneseal.core.models import AuditEvent
from oneseal.org.models import StaffTransfer, Unit

DEMO_USERS = ["clerk", "reviewer", "chief", "head", "dept", "supervisor", "catalog-admin",
              "admin", "helper", "market-clerk", "applicant", "company"]
TWO_FACTOR = {"head", "catalog-admin", "admin"}
MODELS = [Unit, User, RoleGrant, StaffTransfer, Person, Organisation, AgentAuthorisation,
          TOTPDevice, ApiToken, AuditEvent]


def _load(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _otp(username):
    out, err = StringIO(), StringIO()
    call_command("otp_code", username, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


@pytest.fixture
def loaded(db):
    return _load()


def test_running_twice_leaves_the_same_rows(loaded):
    counts = {m.__name__: m.objects.count() for m in MODELS}
    # the staff and applicant logins, and the marketplace's intermediary operators (agency…)
    assert set(DEMO_USERS) <= set(User.objects.values_list("username", flat=True))
    assert counts["Unit"] > 30
    _load()
    assert {m.__name__: m.objects.count() for m in MODELS} == counts


def test_every_demo_user_can_authenticate_with_the_demo_password(loaded):
    request = RequestFactory().post("/accounts/login/")
    for username in DEMO_USERS:
        user = authenticate(request, username=username, password="oneseal-demo")
        assert user is not None and user.username == username
        assert user.display_name and not user.display_name.isascii()  # a Chinese name
        assert user.password.startswith("argon2")
    assert authenticate(request, username="head", password="wrong-password") is None


def test_the_bureau_code_equals_the_setting(loaded, settings):
    bureau = Unit.objects.get(code="bureau")
    assert bureau.credit_code == settings.ONESEAL_BUREAU_CODE
    assert User.objects.get(username="head").unit == bureau


def test_roles_units_and_two_factor(loaded):
    expected = {
        "clerk": {Role.CLERK}, "reviewer": {Role.REVIEWER}, "chief": {Role.CHIEF, Role.REVIEWER},
        "head": {Role.HEAD}, "dept": {Role.DEPT_OFFICER}, "supervisor": {Role.SUPERVISOR},
        "catalog-admin": {Role.CATALOG_ADMIN}, "admin": {Role.SYSADMIN}, "helper": {Role.HELPER},
        "applicant": {Role.APPLICANT}, "company": {Role.AGENT},
    }
    for username, roles in expected.items():
        user = User.objects.get(username=username)
        assert user.role_codes == roles, username
        assert user.requires_two_factor == (username in TWO_FACTOR)
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        assert devices.count() == (1 if username in TWO_FACTOR else 0), username
    assert User.objects.get(username="dept").unit.code == "dept-env"
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()
    assert User.objects.get(username="applicant").unit is None


def test_two_staff_were_transferred_to_the_bureau_on_2019_03_31(loaded):
    transfers = {t.user.username: t for t in StaffTransfer.objects.select_related("user")}
    assert set(transfers) == {"reviewer", "chief"}
    assert transfers["reviewer"].from_unit.short_name == "区环保局"
    assert transfers["chief"].from_unit.short_name == "区住房城乡建设局"
    for t in transfers.values():
        assert t.effective_on == dt.date(2019, 3, 31)
        assert t.to_unit.parent.code == "bureau"
        assert t.user.unit == t.to_unit


def test_applicants_are_valid_and_the_agent_may_act_for_the_company(loaded):
    applicant = Person.objects.get(user__username="applicant")
    agent = Person.objects.get(user__username="company")
    assert is_valid_id_number(applicant.id_number) and is_valid_id_number(agent.id_number)
    company = Organisation.objects.get()
    assert may_act_for(agent, company)
    assert not may_act_for(applicant, company)


def test_the_login_table(db, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    out = _load()
    for username in DEMO_USERS:
        assert f"\n{username} " in out
    for username in TWO_FACTOR:
        assert f"oneseal otp-code {username}" in out
    assert "oneseal otp-code clerk" not in out
    assert "oneseal-demo" in out and "局长" in out and "事项目录管理员" in out
    assert "http://127.0.0.1:8123/accounts/login/" in out
    assert "演示账号" not in _load("--no-logins")


def test_load_demo_is_refused_outside_development(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("ONESEAL_DEV", raising=False)
    with pytest.raises(CommandError, match="拒绝载入演示数据"):
        _load()
    assert User.objects.count() == 0 and Unit.objects.count() == 0


def test_a_registered_loader_runs_after_the_foundation(db, monkeypatch):
    seen = []

    def later(ctx):
        seen.append(Unit.objects.filter(code="bureau").exists())
        ctx.add_login("extra", "测试角色")

    monkeypatch.setitem(demo._REGISTRY, "zz-test", (900, later))
    out = _load()
    assert seen == [True]
    assert "\nextra " in out
    names = [name for name, _ in demo.registered()]
    assert names.index("org") < names.index("applicants") < names.index("zz-test")


# --- otp-code ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(TWO_FACTOR))
def test_otp_code_prints_the_current_code_and_it_verifies(loaded, username):
    code, err = _otp(username)
    device = TOTPDevice.objects.get(user__username=username)
    assert len(code) == 6 and code.isdigit()
    expected = TOTP(bytes.fromhex(demo.demo_totp_key(username))).token()
    assert code == str(expected).zfill(6)
    assert "秒内有效" in err
    assert device.verify_token(code)


@pytest.mark.parametrize("username", ["clerk", "applicant", "nobody"])
def test_otp_code_is_refused_for_users_without_a_demo_device(loaded, username):
    with pytest.raises(CommandError) as exc:
        _otp(username)
    assert "不存在" in str(exc.value) or "拒绝" in str(exc.value)


def test_otp_code_is_refused_for_a_device_the_user_enrolled_themselves(loaded):
    head = User.objects.get(username="head")
    TOTPDevice.objects.filter(user=head).delete()
    own = TOTPDevice.objects.create(user=head, name="my phone", confirmed=True)
    assert own.key != demo.demo_totp_key("head")
    out = StringIO()
    with pytest.raises(CommandError, match="拒绝"):
        call_command("otp_code", "head", stdout=out)
    assert out.getvalue() == ""
