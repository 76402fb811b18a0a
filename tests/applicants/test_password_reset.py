"""Password reset by SMS code (/accounts/reset/): the same answers whether the number has an
account or not, and wrong codes count towards the login lockout (django-axes)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from oneseal.accounts.models import PhoneCode
from oneseal.accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

URL = "/accounts/reset/"
PHONE = "13912345678"
UNKNOWN = "13700000000"
NEW = "Xishan-new-password-9"


def _send(client, capture, phone):
    with capture(execute=True):
        return client.post(URL, {"action": "send_code", "phone": phone})


def _reset(client, phone, code, password=NEW):
    return client.post(URL, {"action": "reset", "phone": phone, "code": code,
                             "password1": password, "password2": password})


def _body(response):
    """The page without the CSRF token (which differs between any two responses)."""
    html = response.content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)


@pytest.fixture
def holder(db):
    return UserFactory(username="yang", phone=PHONE, roles=[Role.APPLICANT])


def test_reset_with_the_right_code_sets_the_new_password(
        client, holder, sms_outbox, django_capture_on_commit_callbacks):
    _send(client, django_capture_on_commit_callbacks, PHONE)
    response = _reset(client, PHONE, sms_outbox.last_code(PHONE))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    holder.refresh_from_db()
    assert holder.check_password(NEW)
    login = client.post("/accounts/login/", {"username": "yang", "password": NEW})
    assert login.status_code == 302


def test_no_user_enumeration_the_same_answer_for_an_unknown_number(
        client, holder, sms_outbox, django_capture_on_commit_callbacks):
    known = _send(client, django_capture_on_commit_callbacks, PHONE)
    unknown = _send(client, django_capture_on_commit_callbacks, UNKNOWN)
    assert _body(known).replace(PHONE, "N") == _body(unknown).replace(UNKNOWN, "N")
    assert [m["phone"] for m in sms_outbox.messages()] == [PHONE]  # nothing sent to UNKNOWN
    assert PhoneCode.objects.filter(phone=UNKNOWN).count() == 0
    wrong_known = _reset(client, PHONE, "000000")
    wrong_unknown = _reset(client, UNKNOWN, "000000")
    assert _body(wrong_known).replace(PHONE, "N") == _body(wrong_unknown).replace(UNKNOWN, "N")
    assert "验证码不正确或已失效" in wrong_known.content.decode()


def test_the_one_minute_limit_applies_to_unknown_numbers_too(
        client, db, sms_outbox, django_capture_on_commit_callbacks):
    _send(client, django_capture_on_commit_callbacks, UNKNOWN)
    again = _send(client, django_capture_on_commit_callbacks, UNKNOWN)
    assert "请1分钟后再试" in again.content.decode()


def test_a_wrong_code_changes_no_password(
        client, holder, sms_outbox, django_capture_on_commit_callbacks):
    _send(client, django_capture_on_commit_callbacks, PHONE)
    code = sms_outbox.last_code(PHONE)
    response = _reset(client, PHONE, f"{(int(code) + 1) % 10**6:06d}")
    assert response.status_code == 200
    holder.refresh_from_db()
    assert holder.check_password(TEST_PASSWORD)


def test_wrong_codes_lock_the_account_as_failed_logins_do(
        client, holder, sms_outbox, django_capture_on_commit_callbacks):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        _reset(client, PHONE, "000000")
    _send(client, django_capture_on_commit_callbacks, PHONE)
    response = _reset(client, PHONE, sms_outbox.last_code(PHONE))
    assert "账户已锁定" in response.content.decode()
    holder.refresh_from_db()
    assert holder.check_password(TEST_PASSWORD)
    # the password login is locked as well
    login = client.post("/accounts/login/", {"username": "yang", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert login.status_code in (200, 403, 429)


def test_a_staff_account_cannot_be_reset_by_sms(
        client, cast, sms_outbox, django_capture_on_commit_callbacks):
    clerk = cast["clerk"]
    clerk.phone = PHONE
    clerk.save(update_fields=["phone"])
    _send(client, django_capture_on_commit_callbacks, PHONE)
    assert sms_outbox.messages() == []
    assert PhoneCode.objects.count() == 0


def test_a_weak_new_password_is_refused_and_the_code_may_not_be_reused(
        client, holder, sms_outbox, django_capture_on_commit_callbacks):
    _send(client, django_capture_on_commit_callbacks, PHONE)
    code = sms_outbox.last_code(PHONE)
    response = _reset(client, PHONE, code, password="1234567890")
    assert response.status_code == 200
    holder.refresh_from_db()
    assert holder.check_password(TEST_PASSWORD)
    assert "密码" in response.content.decode()
