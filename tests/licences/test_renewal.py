"""Renewal (延续, 行政许可法 第50条): an application in time and not decided before expiry is
deemed granted (视为准予延续): the expiry job must not record 失效 but extend the licence.

The fixture licence (2-month type) is valid 2026-09-07 .. 2026-11-06. Worked out by hand:
- the last day to apply is 2026-11-06 − 30 days = 10-07, a National Day rest day, so Thu
  2026-10-08 (《民法典》第203条);
- deemed granted on 11-07, the licence runs for another 2 months: 2026-11-07 .. 2027-01-06.
"""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.cases import services as case_services
from oneseal.catalog import services as catalog_services
from oneseal.core.models import AuditEvent
from oneseal.licences import services
from oneseal.licences.domain.renewal import deemed_granted
from oneseal.licences.models import Licence, LicenceEvent, LicenceRenewal
from tests.cases.conftest import BUREAU_CHAIN, MATERIALS
from tests.cases.helpers import bureau_to_final, check, submit

from .conftest import at

D = dt.date


@pytest.fixture
def renewable(catalogue):
    """The bureau item with a 延续 variant (a new published version)."""
    draft = catalog_services.draft_create(actor=None, item=catalogue.bureau_item)
    variant = catalog_services.variant_save(actor=None, version=draft, code="03", name="延续")
    catalog_services.variant_set_materials(actor=None, variant=variant, rows=MATERIALS)
    catalog_services.variant_set_steps(actor=None, variant=variant, rows=BUREAU_CHAIN)
    catalog_services.version_publish(actor=None, version=draft, valid_from=at("2026-01-01", 0))
    return catalogue


def _apply(cast, renewable, person, on: str):
    return submit(cast, renewable.bureau_item, person, on=on, variant="03")


def test_article_50_deemed_granted_rule_by_hand():
    end, by = D(2026, 11, 6), D(2026, 10, 8)
    assert deemed_granted(applied_on=by, apply_by=by, valid_to=end, decided_on=None)
    assert deemed_granted(applied_on=by, apply_by=by, valid_to=end, decided_on=D(2026, 11, 9))
    assert not deemed_granted(applied_on=by, apply_by=by, valid_to=end, decided_on=end)
    assert not deemed_granted(applied_on=D(2026, 10, 9), apply_by=by, valid_to=end,
                              decided_on=None)


def test_article_50_renewal_application_is_linked_with_its_apply_by_day(
        cast, renewable, person, licence):
    case = _apply(cast, renewable, person, "2026-10-08")  # the last day, in time
    renewal = LicenceRenewal.objects.get(case=case)
    assert (renewal.licence_id, renewal.applied_on, renewal.apply_by, renewal.in_time,
            renewal.outcome) == (licence.pk, D(2026, 10, 8), D(2026, 10, 8), True, "pending")
    assert AuditEvent.objects.filter(kind="licence.renewal_apply").count() == 1


def test_article_50_renewal_in_time_not_decided_before_expiry_is_deemed_granted(
        cast, renewable, person, licence):
    _apply(cast, renewable, person, "2026-10-08")
    assert services.state_today(licence, D(2026, 11, 7)) == "valid"  # before the job runs
    assert services.expire_licences(D(2026, 11, 7)) == 0
    row = Licence.objects.get(pk=licence.pk)
    assert (row.state, row.valid_to) == ("valid", D(2027, 1, 6))
    event = LicenceEvent.objects.get(licence=licence)
    assert (event.operation, event.legal_basis, event.actor) == (
        "deem_renew", "第50条第二款", None)
    assert "视为准予延续" in event.reason
    assert LicenceRenewal.objects.get().outcome == "deemed"
    assert AuditEvent.objects.filter(kind="licence.deem_renew").count() == 1
    assert not LicenceEvent.objects.filter(operation="expire").exists()
    # the extended licence expires at the end of its new period, once
    assert services.expire_licences(D(2027, 1, 7)) == 1
    assert Licence.objects.get(pk=licence.pk).state == "expired"


def test_article_50_late_renewal_application_does_not_stop_expiry(
        cast, renewable, person, licence):
    case = _apply(cast, renewable, person, "2026-10-09")  # one day after the last day
    assert LicenceRenewal.objects.get(case=case).in_time is False
    assert services.state_today(licence, D(2026, 11, 7)) == "expired"
    assert services.expire_licences(D(2026, 11, 7)) == 1
    row = Licence.objects.get(pk=licence.pk)
    assert (row.state, row.valid_to) == ("expired", D(2026, 11, 6))
    assert not LicenceEvent.objects.filter(operation="deem_renew").exists()


def test_article_50_renewal_refused_before_expiry_lets_the_licence_expire(
        cast, renewable, person, licence):
    case = _apply(cast, renewable, person, "2026-10-08")
    check(case, cast["clerk"], on="2026-10-08")
    case_services.case_accept(actor=cast["clerk"], case=case, at=at("2026-10-09"))
    bureau_to_final(cast, case, days=("2026-10-12", "2026-10-13", "2026-10-14"))
    case_services.case_decide(actor=cast["head"], case=case, outcome="refused",
                              reasons="不符合延续条件。", at=at("2026-10-15"))
    renewal = LicenceRenewal.objects.get(case=case)
    assert (renewal.outcome, renewal.decided_on) == ("refused", D(2026, 10, 15))
    assert services.expire_licences(D(2026, 11, 7)) == 1
    assert Licence.objects.get(pk=licence.pk).state == "expired"


def test_a_new_application_is_not_a_renewal(cast, renewable, person, licence):
    submit(cast, renewable.bureau_item, person, on="2026-10-08")  # variant 01 新办
    assert not LicenceRenewal.objects.exists()
    assert services.expire_licences(D(2026, 11, 7)) == 1
