"""Mobile verification codes (accounts/phone_codes.py): hashed at rest, 10 minutes, 5 tries,
one a minute and a daily cap per phone, bound to their purpose."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from oneseal.accounts import phone_codes
from oneseal.accounts.models import PhoneCode

PHONE = "13812345678"
REGISTER = PhoneCode.Purpose.REGISTER
RESET = PhoneCode.Purpose.RESET
T0 = "2026-12-01 10:00:00 +08:00"


def _send(capture, phone=PHONE, purpose=REGISTER):
    with capture(execute=True):
        return phone_codes.send_code(phone=phone, purpose=purpose)


def _refused(rule, **kwargs):
    with pytest.raises(ValidationError) as caught:
        phone_codes.check_code(**kwargs)
    assert caught.value.code == rule
    return caught.value


@pytest.mark.django_db
def test_code_is_six_digits_sent_by_sms_and_stored_only_as_a_hash(
        sms_outbox, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks, phone="+86 138-1234-5678")
    code = sms_outbox.last_code(PHONE)
    assert len(code) == 6 and code.isdigit()
    record = PhoneCode.objects.get()
    assert record.phone == PHONE
    assert code not in record.digest and len(record.digest) == 64
    phone_codes.check_code(phone=PHONE, purpose=REGISTER, code=code)
    assert PhoneCode.objects.get().used_at is not None


@pytest.mark.django_db
def test_a_code_works_once(sms_outbox, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks)
    code = sms_outbox.last_code(PHONE)
    phone_codes.check_code(phone=PHONE, purpose=REGISTER, code=code)
    _refused("code_expired", phone=PHONE, purpose=REGISTER, code=code)


@pytest.mark.django_db
def test_a_code_is_bound_to_its_purpose(sms_outbox, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks, purpose=RESET)
    code = sms_outbox.last_code(PHONE)
    assert "重置密码" in sms_outbox.messages()[-1]["text"]
    _refused("code_expired", phone=PHONE, purpose=REGISTER, code=code)
    assert PhoneCode.objects.get().used_at is None
    phone_codes.check_code(phone=PHONE, purpose=RESET, code=code)


@pytest.mark.django_db
def test_a_code_is_bound_to_its_phone(sms_outbox, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks)
    code = sms_outbox.last_code(PHONE)
    _refused("code_expired", phone="13900001111", purpose=REGISTER, code=code)


@pytest.mark.django_db
def test_a_code_expires_after_ten_minutes(sms_outbox, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        _send(django_capture_on_commit_callbacks)
        code = sms_outbox.last_code(PHONE)
        clock.shift(timedelta(minutes=10))
        _refused("code_expired", phone=PHONE, purpose=REGISTER, code=code)
        assert PhoneCode.objects.get().used_at is None


@pytest.mark.django_db
def test_a_code_still_works_a_second_before_ten_minutes(
        sms_outbox, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        _send(django_capture_on_commit_callbacks)
        code = sms_outbox.last_code(PHONE)
        clock.shift(timedelta(minutes=9, seconds=59))
        phone_codes.check_code(phone=PHONE, purpose=REGISTER, code=code)


@pytest.mark.django_db
def test_five_wrong_tries_lock_the_code_even_the_right_one_after(
        sms_outbox, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks)
    code = sms_outbox.last_code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        error = _refused("code_wrong", phone=PHONE, purpose=REGISTER, code=wrong)
        assert f"还可尝试 {left} 次" in error.message
    _refused("code_locked", phone=PHONE, purpose=REGISTER, code=wrong)
    assert PhoneCode.objects.get().tries == 5
    _refused("code_locked", phone=PHONE, purpose=REGISTER, code=code)
    assert PhoneCode.objects.get().used_at is None


@pytest.mark.django_db
def test_a_new_code_replaces_the_previous_one(sms_outbox, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        _send(django_capture_on_commit_callbacks)
        first = sms_outbox.last_code(PHONE)
        clock.shift(timedelta(seconds=61))
        _send(django_capture_on_commit_callbacks)
        second = sms_outbox.last_code(PHONE)
        assert PhoneCode.objects.filter(used_at__isnull=True).count() == 1
        if first != second:  # the old code is checked against the new one: wrong
            _refused("code_wrong", phone=PHONE, purpose=REGISTER, code=first)
        phone_codes.check_code(phone=PHONE, purpose=REGISTER, code=second)


@pytest.mark.django_db
def test_one_code_a_minute_per_phone_whatever_the_purpose(
        sms_outbox, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        _send(django_capture_on_commit_callbacks)
        clock.shift(timedelta(seconds=30))
        with pytest.raises(ValidationError) as caught:
            _send(django_capture_on_commit_callbacks, purpose=RESET)
        assert caught.value.code == "code_too_soon"
        assert PhoneCode.objects.count() == 1 and len(sms_outbox.messages()) == 1
        _send(django_capture_on_commit_callbacks, phone="13900001111")  # another phone: fine
        assert len(sms_outbox.messages()) == 2


@override_settings(ONESEAL_SMS_CODES_PER_DAY=3)
@pytest.mark.django_db
def test_the_daily_cap_per_phone(sms_outbox, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(3):
            _send(django_capture_on_commit_callbacks)
            clock.shift(timedelta(minutes=2))
        with pytest.raises(ValidationError) as caught:
            _send(django_capture_on_commit_callbacks)
        assert caught.value.code == "code_daily_limit"
        assert PhoneCode.objects.count() == 3 and len(sms_outbox.messages()) == 3


@pytest.mark.django_db
def test_without_delivery_limits_count_and_nothing_is_stored_or_sent(
        sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_codes.send_code(phone=PHONE, purpose=RESET, deliver=False)
    assert PhoneCode.objects.count() == 0 and sms_outbox.messages() == []
    with pytest.raises(ValidationError) as caught:
        phone_codes.send_code(phone=PHONE, purpose=RESET, deliver=False)
    assert caught.value.code == "code_too_soon"


@pytest.mark.django_db
def test_a_landline_gets_no_code(sms_outbox):
    with pytest.raises(ValidationError) as caught:
        phone_codes.send_code(phone="0871-63123456", purpose=REGISTER)
    assert caught.value.code == "phone_not_mobile"
    assert PhoneCode.objects.count() == 0


def test_the_hash_depends_on_code_phone_and_purpose():
    digests = {phone_codes._digest(PHONE, REGISTER, "000000"),
               phone_codes._digest(PHONE, REGISTER, "000001"),
               phone_codes._digest("13900001111", REGISTER, "000000"),
               phone_codes._digest(PHONE, RESET, "000000")}
    assert len(digests) == 4
