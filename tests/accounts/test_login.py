"""Password login, lockout (django-axes), logout, password change, "my roles"."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from oneseal.core.models import AuditEvent
from oneseal.org.models import StaffTransfer
from tests.factories import TEST_PASSWORD
from tests.login_helpers import log_in

LOGIN = "/accounts/login/"


def post_login(client, username, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def session_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_is_in_chinese_with_labelled_autofocused_fields(client, db):
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username">用户名' in html
    assert '<label for="id_password">密码' in html
    assert 'name="username"' in html and "autofocus" in html.split('name="username"')[1][:200]
    assert 'autocomplete="current-password"' in html


@pytest.mark.parametrize(("name", "landing"), [
    ("clerk", "/workbench/"),
    ("reviewer", "/workbench/"),
    ("dept", "/workbench/"),
    ("helper", "/workbench/"),
    ("applicant", "/my/"),
    ("company", "/my/"),
    ("outsider", "/accounts/me/"),
])
def test_login_with_the_right_password_opens_the_persons_start_page(client, cast, name, landing):
    response = post_login(client, name)
    assert response.status_code == 302
    assert response["Location"] == landing
    assert session_user_id(client) == str(cast[name].pk)


def test_login_follows_a_local_next_but_not_an_outside_one(client, cast):
    response = post_login(client, "clerk", next="/accounts/me/")
    assert response["Location"] == "/accounts/me/"
    client.post("/accounts/logout/")
    response = post_login(client, "clerk", next="https://evil.example/steal")
    assert response["Location"] == "/workbench/"


@pytest.mark.parametrize("username", ["clerk", "nobody-of-that-name"])
def test_login_with_a_wrong_password_fails_with_a_chinese_message(client, cast, username):
    response = post_login(client, username, "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名或密码不正确" in html
    assert 'role="alert"' in html
    limit = settings.AXES_FAILURE_LIMIT
    assert f"再输错 {limit - 1} 次，账户将被锁定" in html
    assert session_user_id(client) is None


def test_login_is_case_sensitive_for_the_password(client, cast):
    post_login(client, "clerk", TEST_PASSWORD.upper())
    assert session_user_id(client) is None


def test_an_inactive_account_cannot_log_in(client, cast):
    cast["clerk"].is_active = False
    cast["clerk"].save(update_fields=["is_active"])
    response = post_login(client, "clerk")
    assert response.status_code == 200
    assert session_user_id(client) is None


def test_passwords_are_hashed_with_argon2(cast):
    from django.contrib.auth.hashers import make_password

    assert make_password("x").startswith("argon2$")


# --- lockout -----------------------------------------------------------------------------

def _fail(client, username, times):
    return [post_login(client, username, f"wrong-{i}") for i in range(times)]


def test_account_is_locked_after_the_failure_limit_even_for_the_right_password(client, cast):
    limit = settings.AXES_FAILURE_LIMIT
    responses = _fail(client, "clerk", limit)
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    locked = responses[-1]
    assert locked.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "账户已暂时锁定" in locked.content.decode()

    response = post_login(client, "clerk")  # right password, still locked
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    html = response.content.decode()
    assert "锁定期间即使输入正确的密码也无法登录" in html
    assert session_user_id(client) is None


def test_lockout_touches_only_that_account(client, cast):
    _fail(client, "clerk", settings.AXES_FAILURE_LIMIT)
    response = post_login(client, "reviewer")
    assert response.status_code == 302 and session_user_id(client) == str(cast["reviewer"].pk)


def test_locked_account_can_log_in_again_after_the_cool_off(client, cast):
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, "clerk", settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(start + timedelta(minutes=minutes, seconds=5), tick=False):
        response = post_login(client, "clerk")
        assert response.status_code == 302 and response["Location"] == "/workbench/"
        assert session_user_id(client) == str(cast["clerk"].pk)


def test_an_attempt_during_the_lockout_restarts_the_cool_off(client, cast):
    """AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT (axes' default): the lock runs from the
    last attempt, so trying again and again keeps the account locked."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, "clerk", settings.AXES_FAILURE_LIMIT)
    retry = start + timedelta(minutes=minutes - 1)
    with time_machine.travel(retry, tick=False):
        assert post_login(client, "clerk").status_code == settings.AXES_HTTP_RESPONSE_CODE
        assert session_user_id(client) is None
    # without the retry the lock would have ended here; the retry restarted it (again)
    second_retry = start + timedelta(minutes=minutes, seconds=5)
    with time_machine.travel(second_retry, tick=False):
        assert post_login(client, "clerk").status_code == settings.AXES_HTTP_RESPONSE_CODE
        assert session_user_id(client) is None
    with time_machine.travel(second_retry + timedelta(minutes=minutes, seconds=5), tick=False):
        assert post_login(client, "clerk").status_code == 302
        assert session_user_id(client) == str(cast["clerk"].pk)


def test_a_successful_login_resets_the_failure_count(client, cast):
    limit = settings.AXES_FAILURE_LIMIT
    _fail(client, "clerk", limit - 1)
    assert post_login(client, "clerk").status_code == 302
    client.post("/accounts/logout/")
    response = post_login(client, "clerk", "wrong-again")
    assert f"再输错 {limit - 1} 次" in response.content.decode()


# --- audit of privileged logins ---------------------------------------------------------

def test_failed_login_of_a_privileged_person_is_audited(client, cast):
    head = cast["head"]
    post_login(client, "head", "wrong")
    event = AuditEvent.objects.get(kind="auth.login_failed")
    assert event.subject == f"user:{head.pk}"
    assert event.payload["stage"] == "password" and event.payload["locked"] is False
    assert event.actor_id is None


def test_failed_and_successful_logins_of_ordinary_staff_are_not_audited(client, cast):
    before = AuditEvent.objects.count()
    post_login(client, "clerk", "wrong")
    post_login(client, "clerk")
    client.post("/accounts/logout/")
    assert AuditEvent.objects.count() == before


def test_the_locking_failure_of_a_privileged_person_is_audited_as_locked(client, cast):
    _fail(client, "sysadmin", settings.AXES_FAILURE_LIMIT)
    events = list(AuditEvent.objects.filter(kind="auth.login_failed").order_by("seq"))
    assert len(events) == settings.AXES_FAILURE_LIMIT
    assert [e.payload["locked"] for e in events] == [False] * (len(events) - 1) + [True]


# --- logout ------------------------------------------------------------------------------

def test_logout_is_post_only(client, cast):
    log_in(client, cast["clerk"])
    assert client.get("/accounts/logout/").status_code == 405
    assert session_user_id(client) == str(cast["clerk"].pk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert session_user_id(client) is None


def test_logout_of_a_privileged_person_is_audited(client, cast):
    log_in(client, cast["head"])
    client.post("/accounts/logout/")
    event = AuditEvent.objects.get(kind="auth.logout")
    assert event.subject == f"user:{cast['head'].pk}" and event.actor_id == cast["head"].pk


# --- password change ----------------------------------------------------------------------

PASSWORD = "/accounts/password/"
NEW = "Lotus-pond-seal-2026"


def test_password_change_needs_login(client, db):
    response = client.get(PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_password_change_with_the_wrong_current_password_changes_nothing(client, cast):
    clerk = cast["clerk"]
    log_in(client, clerk)
    response = client.post(PASSWORD, {"old_password": "wrong", "new_password1": NEW,
                                      "new_password2": NEW})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_old_password_error"' in html
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD) and not clerk.check_password(NEW)


def test_password_change_refuses_a_weak_password(client, cast):
    clerk = cast["clerk"]
    log_in(client, clerk)
    response = client.post(PASSWORD, {"old_password": TEST_PASSWORD, "new_password1": "12345678",
                                      "new_password2": "12345678"})
    assert response.status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD)


def test_password_change_works_and_keeps_the_session(client, cast):
    clerk = cast["clerk"]
    log_in(client, clerk)
    response = client.post(PASSWORD, {"old_password": TEST_PASSWORD, "new_password1": NEW,
                                      "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    clerk.refresh_from_db()
    assert clerk.check_password(NEW) and clerk.password.startswith("argon2$")
    assert client.get("/workbench/").status_code == 200
    assert "密码已修改" in client.get("/accounts/password/done/").content.decode()
    client.post("/accounts/logout/")
    assert post_login(client, "clerk", NEW).status_code == 302


# --- my roles -----------------------------------------------------------------------------

def test_my_roles_page_shows_unit_roles_masked_phone_and_transfers(
    client, cast, bureau, department
):
    chief = cast["chief"]
    chief.display_name = "李明"
    chief.phone = "13812345678"
    chief.save(update_fields=["display_name", "phone"])
    StaffTransfer.objects.create(user=chief, from_unit=department, to_unit=bureau,
                                 effective_on="2018-11-01", document_no="西政办〔2018〕88号")
    log_in(client, chief)
    html = client.get("/accounts/me/").content.decode()
    assert "李明" in html and "西山区行政审批局" in html
    assert "科室负责人" in html and "审查人员" in html
    assert "138****5678" in html and "13812345678" not in html
    assert "西山区环保局" in html and "2018-11-01" in html and "西政办〔2018〕88号" in html


def test_my_roles_page_for_a_person_without_roles_says_so(client, cast):
    log_in(client, cast["outsider"])
    html = client.get("/accounts/me/").content.decode()
    assert "您尚未被授予任何角色" in html
    assert "人员划转记录" not in html


def test_my_roles_uses_the_workbench_layout_for_staff_and_the_portal_for_applicants(client, cast):
    log_in(client, cast["clerk"])
    assert 'class="wb-sidenav"' in client.get("/accounts/me/").content.decode()
    log_in(client, cast["applicant"])
    html = client.get("/accounts/me/").content.decode()
    assert 'class="wb-sidenav"' not in html and 'class="masthead"' in html
