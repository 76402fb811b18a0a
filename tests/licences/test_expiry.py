"""Expiry (失效, 第70条第（一）项) and renewal reminders (延续, 第50条).

The fixture licence is valid 2026-09-07 .. 2026-11-06 (2 months less a day). Worked out:
- last valid day 2026-11-06; the job on 11-06 leaves it valid, on 11-07 records 失效;
- 第50条: apply for renewal 30 days before expiry: 2026-11-06 − 30 days = 2026-10-07, a rest
  day of National Day (10-01 to 10-07), so the last day to apply is Thu 2026-10-08
  (《民法典》第203条);
- with ONESEAL_RENEWAL_REMINDER_DAYS = 15 the reminder is due from 2026-10-08 − 15 days =
  2026-09-23 through 2026-10-08.
"""

from __future__ import annotations

import datetime as dt

from oneseal.core.models import AuditEvent
from oneseal.licences import services
from oneseal.licences.models import Licence, LicenceEvent, RenewalReminder

D = dt.date


def test_art70_expiry_boundary_last_day_still_valid(licence):
    assert licence.valid_to == D(2026, 11, 6)
    assert services.expire_licences(D(2026, 11, 6)) == 0
    assert Licence.objects.get(pk=licence.pk).state == "valid"
    assert services.state_today(licence, D(2026, 11, 6)) == "valid"


def test_art70_expiry_day_after_the_last_day(licence):
    assert services.state_today(licence, D(2026, 11, 7)) == "expired"  # before the job runs
    assert services.expire_licences(D(2026, 11, 7)) == 1
    row = Licence.objects.get(pk=licence.pk)
    assert row.state == "expired"
    event = LicenceEvent.objects.get(licence=licence, operation="expire")
    assert event.actor is None and event.legal_basis == "第70条第（一）项"
    assert (event.from_state, event.to_state) == ("valid", "expired")
    assert AuditEvent.objects.filter(kind="licence.expire", actor_id=None).count() == 1
    assert services.expire_licences(D(2026, 11, 8)) == 0  # once


def test_art70_a_suspended_licence_also_expires(cast, licence):
    services.suspend_licence(actor=cast["head"], licence=licence, reason="暂扣。")
    assert services.expire_licences(D(2026, 11, 7)) == 1
    assert Licence.objects.get(pk=licence.pk).state == "expired"


def test_art70_revoked_and_long_term_licences_do_not_expire(cast, licence):
    services.revoke_licence(actor=cast["head"], licence=licence, reason="撤销。")
    assert services.expire_licences(D(2026, 12, 31)) == 0
    assert services.state_today(licence, D(2026, 12, 31)) == "revoked"
    Licence.objects.filter(pk=licence.pk).update(state="valid", valid_to=None)
    assert services.expire_licences(D(2026, 12, 31)) == 0


def test_art50_apply_by_is_30_days_before_the_end_moved_past_national_day_art203(licence):
    assert services.renewal_apply_by(licence) == D(2026, 10, 8)


def test_art50_apply_by_on_a_working_day_is_not_moved(licence):
    """valid to Thu 2026-12-31: 30 days before is Tue 12-01, a working day."""
    Licence.objects.filter(pk=licence.pk).update(valid_to=D(2026, 12, 31))
    assert services.renewal_apply_by(Licence.objects.get(pk=licence.pk)) == D(2026, 12, 1)


def test_art50_no_reminder_before_the_window(licence):
    assert services.remind_renewals(D(2026, 9, 21)) == []


def test_art50_reminder_on_the_first_day_once(licence):
    assert services.remind_renewals(D(2026, 9, 22)) == []  # one day early
    made = services.remind_renewals(D(2026, 9, 23))
    assert [(r.licence_id, r.apply_by, r.remind_on) for r in made] == [
        (licence.pk, D(2026, 10, 8), D(2026, 9, 23))]
    assert services.remind_renewals(D(2026, 9, 23)) == []  # idempotent
    assert services.remind_renewals(D(2026, 10, 8)) == []
    assert RenewalReminder.objects.count() == 1
    assert AuditEvent.objects.filter(kind="licence.remind").count() == 1


def test_art50_reminder_on_the_last_day_to_apply_but_not_after(licence):
    assert services.remind_renewals(D(2026, 10, 9)) == []
    assert len(services.remind_renewals(D(2026, 10, 8))) == 1


def test_art50_reminder_window_follows_the_setting(licence, settings):
    settings.ONESEAL_RENEWAL_REMINDER_DAYS = 30  # from 2026-10-08 − 30 days = 2026-09-08
    assert services.remind_renewals(D(2026, 9, 7)) == []
    assert len(services.remind_renewals(D(2026, 9, 8))) == 1
    assert RenewalReminder.objects.get().remind_on == D(2026, 9, 8)


def test_art50_no_reminder_for_a_suspended_licence(cast, licence):
    services.suspend_licence(actor=cast["head"], licence=licence, reason="暂扣。")
    assert services.remind_renewals(D(2026, 9, 30)) == []
