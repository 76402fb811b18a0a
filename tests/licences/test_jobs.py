"""The daily job (expire_and_remind) and `oneseal licences expire|remind|lookup`."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from oneseal.licences.models import Licence, RenewalReminder
from oneseal.licences.tasks import expire_and_remind

from .conftest import at


def test_art50_art70_daily_job_reminds_then_expires(licence):
    with time_machine.travel(at("2026-09-30"), tick=False):
        assert expire_and_remind.call() == {"expired": 0, "reminded": 1}
        assert expire_and_remind.call() == {"expired": 0, "reminded": 0}
    with time_machine.travel(at("2026-11-07"), tick=False):
        assert expire_and_remind.call() == {"expired": 1, "reminded": 0}
    assert Licence.objects.get(pk=licence.pk).state == "expired"


def test_command_expire_and_remind_with_a_date(licence):
    out = StringIO()
    call_command("licences", "remind", "--date", "2026-10-01", stdout=out)
    # 2026-11-06 − 30 days = 10-07, a National Day rest day: apply by 10-08 (民法典 第203条)
    assert licence.identifier in out.getvalue() and "2026-10-08" in out.getvalue()
    assert RenewalReminder.objects.count() == 1
    call_command("licences", "expire", "--date", "2026-11-06", stdout=out)
    assert Licence.objects.get(pk=licence.pk).state == "valid"
    call_command("licences", "expire", "--date", "2026-11-07", stdout=out)
    assert Licence.objects.get(pk=licence.pk).state == "expired"
    assert "1" in out.getvalue().splitlines()[-1]


def test_command_lookup(licence):
    out = StringIO()
    with time_machine.travel(at("2026-09-30"), tick=False):
        call_command("licences", "lookup", licence.identifier, stdout=out)
    text = out.getvalue()
    assert licence.number in text and "张三" in text and "有效" in text


def test_command_lookup_refuses_a_tampered_identifier(licence):
    tampered = licence.identifier[:-1] + ("0" if licence.identifier[-1] != "0" else "1")
    with pytest.raises(CommandError, match="校验码"):
        call_command("licences", "lookup", tampered)
    with pytest.raises(CommandError, match="日期"):
        call_command("licences", "expire", "--date", "2026-13-01")
