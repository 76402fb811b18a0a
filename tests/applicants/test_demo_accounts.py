"""The demo's applicant accounts (`applicant`, `company`): their mobile numbers are on the
accounts, so a tester can try 找回密码 and read the code in <data dir>/sms.jsonl."""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules

from oneseal.accounts.models import User
from oneseal.applicants import demo as applicants_demo
from oneseal.core import demo


def _load_up_to_applicants():
    autodiscover_modules("demo")
    ctx = demo.DemoContext(write=lambda *_: None)
    for name, loader in demo.registered():
        loader(ctx)
        if name == "applicants":
            return


def test_demo_applicants_reset_their_password_by_sms(
        client, db, sms_outbox, django_capture_on_commit_callbacks):
    _load_up_to_applicants()
    for spec in (applicants_demo.APPLICANT, applicants_demo.AGENT):
        user = User.objects.get(username=spec["username"])
        assert user.phone == spec["phone"]
    phone = applicants_demo.APPLICANT["phone"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/reset/", {"action": "send_code", "phone": phone})
    new = "Demo-reset-password-1"
    response = client.post("/accounts/reset/", {
        "action": "reset", "phone": phone, "code": sms_outbox.last_code(phone),
        "password1": new, "password2": new})
    assert response.status_code == 302
    assert User.objects.get(username="applicant").check_password(new)
