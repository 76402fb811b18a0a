"""Statistics rollups (办件统计汇总): the case services' events counted into the day and
month rows as they happen, and `rebuild_rollups` giving the same rows from the history.

Worked scenario on the 2026 schedule (weekend 09-05/06; Sunday 09-20 a make-up working day;
09-25..27 Mid-autumn, 10-01..07 National Day). The bureau item promises 10 working days,
the statute allows 20 (行政许可法 第42条):

- A: received and accepted Tue 09-01, granted Mon 09-07: 4 working days used (09-02, 03,
  04, 07; the day of acceptance not counted, 民法典 第201条); on time. Delivered 09-30 and
  rated on 10-09: online 满意, at the window 不满意 (a 差评, 国办发〔2019〕51号).
- B: accepted 09-01, refused (不予许可, 第38条) Wed 09-16: the promise ran out on 09-15
  (09-02..04 = 3, 09-07..11 = 8, 09-14 = 9, 09-15 = 10), the statute on 09-29 (… 09-18 =
  13, Sun 09-20 = 14, 09-21..24 = 18, 09-28 = 19, 09-29 = 20): late against the promise, on
  time against the statute; 11 working days used (09-02..04, 07..11, 14..16).
- C: received online 09-01, not accepted (不予受理, 第32条) 09-02.
- D: an on-the-spot item (即办件) accepted and granted at the window on 09-01: 0 days.
- E: received at 书林社区 (a community of 金碧街道) on 09-02, counted for the street.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oneseal.cases import services as svc
from oneseal.org.service_points import set_point_items
from oneseal.supervision import services as rating_services
from oneseal.supervision import stats_rollup
from oneseal.supervision.models import CaseDayRollup, CaseMonthRollup
from tests.cases.helpers import check, decided, submit

from .conftest import at, deliver

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def scenario(cast, catalogue, person, org, seals):
    a = deliver(cast, catalogue, person, on="2026-09-30")
    rating_services.rate_case(actor=cast["applicant"], case_id=a.pk, channel="online",
                              level="satisfied", reasons=["fast"], at=at("2026-10-09"))
    rating_services.rate_case(actor=cast["clerk"], case_id=a.pk, channel="window",
                              level="dissatisfied", reasons=["slow"], text="等太久",
                              at=at("2026-10-09"))
    b = decided(cast, catalogue, person, on="2026-09-16", outcome="refused")
    c, _created = svc.case_submit(actor=cast["applicant"], item_id=catalogue.bureau_item.pk,
                                  variant_code="01", channel="online",
                                  applicant=svc.ApplicantRef(person_id=person.pk),
                                  at=at("2026-09-01"))
    svc.case_refuse(actor=cast["clerk"], case=c, reason="不属于本机关职权。",
                    competent_agency="市局", at=at("2026-09-02"))
    svc.grant_on_spot_authorisation(actor=cast["head"], user=cast["clerk"],
                                    item=catalogue.on_spot_item)
    d = submit(cast, catalogue.on_spot_item, person, on="2026-09-01")
    check(d, cast["clerk"])
    svc.case_decide_on_spot(actor=cast["clerk"], case=d, outcome="granted",
                            at=at("2026-09-01"))
    set_point_items(actor=cast["sysadmin"], point=org["jinbi-shulin"],
                    item_ids=[catalogue.bureau_item.pk])
    e, _created = svc.case_submit(actor=cast["clerk"], item_id=catalogue.bureau_item.pk,
                                  variant_code="01",
                                  applicant=svc.ApplicantRef(person_id=person.pk),
                                  at=at("2026-09-02"), service_point_id=org["jinbi-shulin"].pk)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_rollups_counted_by_the_events_art_32_38_42_and_guobanfa_2019_51(scenario, catalogue,
                                                                         org):
    item, spot = catalogue.bureau_item, catalogue.on_spot_item
    dept = scenario["a"].department_id
    street = org["street-jinbi"].pk
    days = stats_rollup.snapshot()["days"]
    assert days == {
        (D("2026-09-01"), item.pk, dept, "window", 0): {"received": 2, "accepted": 2},
        (D("2026-09-01"), item.pk, dept, "online", 0): {"received": 1, "online": 1},
        (D("2026-09-02"), item.pk, dept, "online", 0): {"not_accepted": 1},
        (D("2026-09-07"), item.pk, dept, "window", 0): {
            "decided": 1, "on_time_promise": 1, "on_time_statute": 1, "days_used": 4},
        (D("2026-09-16"), item.pk, dept, "window", 0): {
            "decided": 1, "refused": 1, "on_time_statute": 1, "days_used": 11},
        (D("2026-10-09"), item.pk, dept, "window", 0): {"ratings": 2, "satisfied": 1},
        (D("2026-09-01"), spot.pk, scenario["d"].department_id, "window", 0): {
            "received": 1, "accepted": 1, "decided": 1, "on_time_promise": 1,
            "on_time_statute": 1},
        (D("2026-09-02"), item.pk, dept, "window", street): {"received": 1},
    }
    months = stats_rollup.snapshot()["months"]
    assert months[(D("2026-09-01"), item.pk, dept, "window", 0)] == {
        "received": 2, "accepted": 2, "decided": 2, "refused": 1, "on_time_promise": 1,
        "on_time_statute": 2, "days_used": 15}
    assert months[(D("2026-10-01"), item.pk, dept, "window", 0)] == {
        "ratings": 2, "satisfied": 1}


def test_rebuild_gives_the_incremental_rows(scenario):
    incremental = stats_rollup.snapshot()
    assert incremental["days"] and incremental["months"]
    CaseDayRollup.objects.update(received=99)
    CaseMonthRollup.objects.all().delete()
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--check")
    call_command("rebuild_rollups")
    assert stats_rollup.snapshot() == incremental
    call_command("rebuild_rollups", "--check")  # consistent now: no error
    call_command("rebuild_rollups")  # twice: the same rows
    assert stats_rollup.snapshot() == incremental


def test_a_failed_operation_counts_nothing(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-01")
    before = stats_rollup.snapshot()
    with pytest.raises(Exception):  # noqa: B017 - any refusal: nothing may be counted
        svc.case_refuse(actor=cast["clerk"], case=case, reason="  ", at=at("2026-09-01"))
    assert stats_rollup.snapshot() == before
