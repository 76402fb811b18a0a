"""Self-registration of a natural person (/accounts/register/): SMS code, ID number check,
Django's password rules, the person linked or refused, the account logged in."""

from __future__ import annotations

import pytest

from oneseal.accounts import phone_codes
from oneseal.accounts.models import PhoneCode, User
from oneseal.accounts.roles import Role
from oneseal.applicants.models import Person
from oneseal.applicants.services import register_person
from oneseal.core.models import AuditEvent
from tests.factories import UserFactory

URL = "/accounts/register/"
PHONE = "13912345678"
ID_NUMBER = "530112199001010012"
PASSWORD = "Dianchi-lake-2026"


def _form(**changes):
    data = {"name": "李文华", "id_number": ID_NUMBER, "phone": PHONE, "code": "",
            "password1": PASSWORD, "password2": PASSWORD, "action": "register"}
    data.update(changes)
    return data


def _code(client, outbox, capture, phone=PHONE):
    with capture(execute=True):
        response = client.post(URL, _form(action="send_code", phone=phone))
    assert response.status_code == 200
    return outbox.last_code(phone)


def _snapshot():
    return (User.objects.count(), Person.objects.count(),
            list(Person.objects.values_list("id", "user_id")))


def test_register_page_is_public_and_in_chinese(client, db):
    html = client.get(URL).content.decode()
    assert "个人注册" in html and "获取验证码" in html and 'name="id_number"' in html


def test_login_page_links_to_registration_and_reset(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/register/"' in html and 'href="/accounts/reset/"' in html


def test_a_person_registers_with_an_sms_code_and_is_logged_in(
        client, sms_outbox, django_capture_on_commit_callbacks):
    code = _code(client, sms_outbox, django_capture_on_commit_callbacks)
    response = client.post(URL, _form(code=code))
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username=PHONE)
    assert user.has_role(Role.APPLICANT) and not user.is_staff_member
    assert user.check_password(PASSWORD)
    assert (user.display_name, user.phone, user.id_number) == ("李文华", PHONE, ID_NUMBER)
    person = Person.objects.get(id_number=ID_NUMBER)
    assert person.user == user and person.name == "李文华"
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.filter(kind="applicant.self_register").get()
    assert event.payload["id_number"] == "5301**********0012"
    assert PHONE not in str(event.payload)


def test_send_code_keeps_what_was_typed_but_not_the_password(
        client, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form(action="send_code"))
    html = response.content.decode()
    assert 'value="李文华"' in html and f'value="{ID_NUMBER}"' in html
    assert PASSWORD not in html
    assert "验证码已发送" in html
    assert User.objects.count() == 0


def test_a_wrong_code_registers_nobody(client, sms_outbox, django_capture_on_commit_callbacks):
    code = _code(client, sms_outbox, django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    before = _snapshot()
    response = client.post(URL, _form(code=wrong))
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert _snapshot() == before
    assert PhoneCode.objects.get().tries == 1


def test_a_code_sent_for_password_reset_does_not_register(
        client, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_codes.send_code(phone=PHONE, purpose=PhoneCode.Purpose.RESET)
    reset_code = sms_outbox.last_code(PHONE)
    before = _snapshot()
    response = client.post(URL, _form(code=reset_code))
    assert "验证码不正确或已失效" in response.content.decode()
    assert _snapshot() == before
    assert PhoneCode.objects.get().used_at is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("id_number", "530112199001010013", "校验码错误"),
    ("password1", "12345678901", "密码"),
    ("password2", "Another-password-1", "两次输入的密码不一致"),
    ("phone", "0871-63123456", "11位手机号码"),
])
def test_invalid_input_is_refused_with_a_chinese_message_and_nothing_created(
        client, sms_outbox, django_capture_on_commit_callbacks, field, value, message):
    code = _code(client, sms_outbox, django_capture_on_commit_callbacks)
    changes = {field: value}
    if field == "password1":
        changes["password2"] = value
    before = _snapshot()
    response = client.post(URL, _form(code=code, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot() == before
    assert PhoneCode.objects.get().used_at is None  # the code is still good


def test_a_person_on_record_without_an_account_is_linked(
        client, sms_outbox, django_capture_on_commit_callbacks):
    existing = register_person(actor=None, name="李文华", id_number=ID_NUMBER)
    code = _code(client, sms_outbox, django_capture_on_commit_callbacks)
    assert client.post(URL, _form(code=code)).status_code == 302
    existing.refresh_from_db()
    assert existing.user == User.objects.get(username=PHONE)
    assert existing.phone == PHONE
    assert Person.objects.count() == 1
    assert AuditEvent.objects.get(kind="applicant.self_register").payload[
        "linked_existing_person"] is True


def test_a_person_who_already_has_an_account_is_refused(
        client, sms_outbox, django_capture_on_commit_callbacks):
    owner = UserFactory(username="li", roles=[Role.APPLICANT])
    register_person(actor=None, name="李文华", id_number=ID_NUMBER, user=owner)
    code = _code(client, sms_outbox, django_capture_on_commit_callbacks)
    before = _snapshot()
    response = client.post(URL, _form(code=code))
    assert "该身份证号码已注册账户" in response.content.decode()
    assert _snapshot() == before
    assert PhoneCode.objects.get().used_at is None


def test_a_phone_that_already_has_an_account_is_refused(
        client, sms_outbox, django_capture_on_commit_callbacks):
    UserFactory(username=PHONE, roles=[Role.APPLICANT])
    code = _code(client, sms_outbox, django_capture_on_commit_callbacks)
    before = _snapshot()
    response = client.post(URL, _form(code=code))
    assert "该手机号码已注册账户" in response.content.decode()
    assert _snapshot() == before


def test_the_service_refuses_a_person_with_an_account_by_rule(db):
    from django.core.exceptions import ValidationError

    from oneseal.applicants.registration import register_natural_person

    owner = UserFactory(username="li", roles=[Role.APPLICANT])
    register_person(actor=None, name="李文华", id_number=ID_NUMBER, user=owner)
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        register_natural_person(name="李文华", id_number=ID_NUMBER, phone=PHONE,
                                password=PASSWORD)
    assert caught.value.code == "person_has_account"
    assert _snapshot() == before


@pytest.mark.parametrize("name", ["clerk", "applicant", "company"])
def test_a_logged_in_person_is_sent_home_not_registered_again(client, cast, name):
    client.force_login(cast[name])
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/accounts/home/"
