"""Two-factor login (TOTP, django-otp) for the bureau head and the administrators: the code
step, enrolment, enforcement on every workbench page, and the audit record."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from oneseal.core.models import AuditEvent
from tests.factories import TEST_PASSWORD
from tests.login_helpers import confirmed_device, current_code, log_in, wrong_code

TWO_FACTOR_CAST = ["head", "catalog_admin", "sysadmin"]
OTP = "/accounts/otp/"
ENROL = "/accounts/otp/enrol/"


def password_step(client, username, **extra):
    return client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD,
                                            **extra})


def workbench_urls():
    """Every URL under /workbench/ that takes no argument, whichever app mounts it (later
    issues add more; all are checked)."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                if not p.pattern.converters:
                    walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and not p.pattern.converters:
                found.append("/" + prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return sorted(u for u in found if u.startswith("/workbench/") and "^" not in u)


def test_there_are_workbench_pages_to_check():
    assert "/workbench/" in workbench_urls()


@pytest.mark.parametrize("name", TWO_FACTOR_CAST)
def test_password_alone_leads_to_the_code_step_not_the_workbench(client, cast, name):
    confirmed_device(cast[name])
    response = password_step(client, name, next="/accounts/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/otp/?next=%2Faccounts%2Fme%2F"
    assert AuditEvent.objects.filter(kind="auth.login").count() == 0


@pytest.mark.parametrize("name", TWO_FACTOR_CAST)
def test_unverified_privileged_session_is_sent_to_the_code_step_from_every_workbench_page(
    client, cast, name
):
    log_in(client, cast[name], verified=False)
    for url in workbench_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(OTP + "?next="), url


@pytest.mark.parametrize("url", ["/accounts/me/", "/accounts/password/"])
def test_unverified_privileged_session_cannot_see_or_change_its_account(client, cast, url):
    head = cast["head"]
    log_in(client, head, verified=False)
    assert client.get(url).status_code == 302
    client.post("/accounts/password/", {"old_password": TEST_PASSWORD,
                                        "new_password1": "Lotus-pond-seal-2026",
                                        "new_password2": "Lotus-pond-seal-2026"})
    head.refresh_from_db()
    assert head.check_password(TEST_PASSWORD)


def test_code_step_page_is_in_chinese_with_an_autofocused_code_field(client, cast):
    confirmed_device(cast["head"])
    password_step(client, "head")
    html = client.get(OTP).content.decode()
    assert "输入动态验证码" in html and '<label for="id_token">动态验证码' in html
    assert 'autocomplete="one-time-code"' in html and "autofocus" in html


def test_a_valid_code_opens_the_workbench_and_is_audited(client, cast):
    head = cast["head"]
    device = confirmed_device(head)
    password_step(client, "head")
    response = client.post(OTP, {"token": current_code(device)})
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    event = AuditEvent.objects.get(kind="auth.login")
    assert event.subject == f"user:{head.pk}" and event.actor_id == head.pk
    assert event.payload["method"] == "password+totp"


def test_a_valid_code_returns_to_next(client, cast):
    device = confirmed_device(cast["sysadmin"])
    password_step(client, "sysadmin", next="/accounts/me/")
    response = client.post(OTP + "?next=/accounts/me/", {"token": current_code(device),
                                                         "next": "/accounts/me/"})
    assert response["Location"] == "/accounts/me/"


def test_a_wrong_code_is_refused_audited_and_changes_nothing(client, cast):
    head = cast["head"]
    device = confirmed_device(head)
    password_step(client, "head")
    response = client.post(OTP, {"token": wrong_code(device)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "动态验证码不正确" in html and 'aria-invalid="true"' in html
    assert client.get("/workbench/").status_code == 302
    failed = AuditEvent.objects.get(kind="auth.login_failed")
    assert failed.payload["stage"] == "otp"
    assert not AuditEvent.objects.filter(kind="auth.login").exists()


def test_a_malformed_code_is_refused_without_touching_the_device(client, cast):
    device = confirmed_device(cast["head"])
    password_step(client, "head")
    response = client.post(OTP, {"token": "12ab"})
    assert "请输入 6 位数字" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get("/workbench/").status_code == 302


def test_after_a_wrong_code_a_later_right_code_works(client, cast):
    device = confirmed_device(cast["head"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_step(client, "head")
        client.post(OTP, {"token": wrong_code(device)})
    with time_machine.travel(start + timedelta(seconds=40), tick=False):
        response = client.post(OTP, {"token": current_code(device)})
        assert response.status_code == 302
        assert client.get("/workbench/").status_code == 200


def test_a_code_cannot_be_used_twice(client, cast):
    device = confirmed_device(cast["head"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = current_code(device)
        password_step(client, "head")
        assert client.post(OTP, {"token": code}).status_code == 302
        client.post("/accounts/logout/")
        password_step(client, "head")
        assert client.post(OTP, {"token": code}).status_code == 200
        assert client.get("/workbench/").status_code == 302


def test_code_step_is_not_for_anonymous_or_ordinary_staff(client, cast):
    assert client.get(OTP)["Location"].startswith("/accounts/login/")
    log_in(client, cast["clerk"])
    assert client.get(OTP)["Location"] == "/workbench/"
    assert client.get(ENROL)["Location"] == "/workbench/"
    assert not TOTPDevice.objects.filter(user=cast["clerk"]).exists()


# --- enrolment ---------------------------------------------------------------------------

def test_without_a_device_the_code_step_leads_to_enrolment(client, cast):
    password_step(client, "catalog_admin")
    response = client.get(OTP)
    assert response.status_code == 302 and response["Location"] == ENROL


def test_enrolment_page_shows_an_inline_svg_qr_code_and_the_secret(client, cast):
    password_step(client, "head")
    html = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=cast["head"], confirmed=False)
    assert "<svg" in html and "<img" not in html.split('id="main"')[1]
    import base64
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = html.split('id="otp-secret">')[1].split("<")[0].replace(" ", "")
    assert shown == secret
    # reloading shows the same device, not a new one
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=cast["head"]).count() == 1


def test_enrolment_qr_code_encodes_the_otpauth_uri():
    from oneseal.accounts.two_factor import qr_svg

    svg = qr_svg("otpauth://totp/OneSeal:head?secret=ABC&issuer=OneSeal")
    assert svg.startswith("<svg") and "<path" in svg and "<?xml" not in svg


def test_enrolment_with_the_right_code_confirms_the_device_and_verifies(client, cast):
    head = cast["head"]
    password_step(client, "head")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    response = client.post(ENROL, {"token": current_code(device)})
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/workbench/").status_code == 200
    events = AuditEvent.objects.filter(subject=f"user:{head.pk}")
    kinds = list(events.values_list("kind", flat=True))
    assert kinds == ["auth.otp_enrolled", "auth.login"]


def test_enrolment_with_a_wrong_code_confirms_nothing(client, cast):
    head = cast["head"]
    password_step(client, "head")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    response = client.post(ENROL, {"token": wrong_code(device)})
    assert response.status_code == 200
    assert "动态验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/workbench/").status_code == 302
    assert not AuditEvent.objects.filter(kind="auth.otp_enrolled").exists()


def test_a_person_with_a_confirmed_device_cannot_enrol_another(client, cast):
    head = cast["head"]
    confirmed_device(head)
    password_step(client, "head")
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"] == OTP
    assert TOTPDevice.objects.filter(user=head).count() == 1


def test_after_enrolment_the_next_login_asks_for_a_code(client, cast):
    head = cast["head"]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_step(client, "head")
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=head)
        client.post(ENROL, {"token": current_code(device)})
        client.post("/accounts/logout/")
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        assert password_step(client, "head")["Location"] == OTP
        assert client.get(OTP).status_code == 200
        assert client.post(OTP, {"token": current_code(device)}).status_code == 302
        assert client.get("/workbench/").status_code == 200


# --- the admin site ------------------------------------------------------------------------

def _make_superuser(user):
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_admin_site_logs_in_through_the_project_login(client, db):
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fdjango-admin%2F"


def test_admin_site_refuses_an_unverified_superuser_and_sends_them_to_the_code_step(client, cast):
    admin_user = _make_superuser(cast["sysadmin"])
    confirmed_device(admin_user)
    log_in(client, admin_user, verified=False)
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/otp/?next=%2Fdjango-admin%2F"
    assert client.get("/django-admin/accounts/user/").status_code == 302


def test_admin_site_opens_for_a_verified_superuser(client, cast):
    admin_user = _make_superuser(cast["sysadmin"])
    log_in(client, admin_user)
    assert client.get("/django-admin/").status_code == 200


def test_superuser_without_a_two_factor_role_still_needs_a_verified_session(client, cast):
    clerk = _make_superuser(cast["clerk"])
    log_in(client, clerk)
    assert client.get("/django-admin/").status_code == 302
