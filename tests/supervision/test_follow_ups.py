"""差评整改 (国办发〔2019〕51号): a 差评 opens a follow-up owned by whoever handled the case,
due 5 working days after the rating; rectification, return visit (回访), appeal and review;
an overdue follow-up is alerted like a case.

Rated on Friday 2026-10-09: Saturday 10-10 is a make-up working day (调休), so the five
working days are 10-10, 10-12, 10-13, 10-14 and 10-15 — due Thursday 10-15."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oneseal.supervision import alerts, followups, services
from oneseal.supervision.errors import SupervisionRefused
from oneseal.supervision.models import Alert, AlertDelivery, FollowUp, FollowUpState
from tests.login_helpers import log_in

from .conftest import at


@pytest.fixture
def follow_up(cast, delivered):
    services.rate_case(actor=cast["applicant"], case_id=delivered.pk, channel="online",
                       level="dissatisfied", reasons=["slow"], text="等太久",
                       at=at("2026-10-09"))
    return FollowUp.objects.get(case=delivered)


def test_follow_up_due_five_working_days_with_make_up_saturday_guobanfa_2019_51(follow_up):
    assert follow_up.due == dt.date(2026, 10, 15)
    assert follow_up.owner is not None and follow_up.state == FollowUpState.OPEN


def test_rectify_then_return_visit_closes_it_guobanfa_2019_51(cast, follow_up):
    owner = follow_up.owner
    with pytest.raises(SupervisionRefused):  # a visit before the rectification
        followups.visit(actor=cast["supervisor"], follow_up_id=follow_up.pk,
                        on=dt.date.today(), result="已回访", satisfied=True)
    with pytest.raises(SupervisionRefused):  # someone else may not rectify
        followups.rectify(actor=cast["reviewer"], follow_up_id=follow_up.pk, text="x")
    followups.rectify(actor=owner, follow_up_id=follow_up.pk, text="优化审查流程，压缩时限。")
    with pytest.raises(SupervisionRefused):  # only a supervisor visits
        followups.visit(actor=owner, follow_up_id=follow_up.pk, on=dt.date.today(),
                        result="x", satisfied=True)
    done = followups.visit(actor=cast["supervisor"], follow_up_id=follow_up.pk,
                           on=dt.date.today(), result="申请人表示认可。", satisfied=True)
    assert done.state == FollowUpState.CLOSED and done.visit_by == cast["supervisor"]


def test_appeal_and_review_guobanfa_2019_51(cast, follow_up):
    owner = follow_up.owner
    with pytest.raises(SupervisionRefused):
        followups.appeal(actor=cast["supervisor"], follow_up_id=follow_up.pk, reason="x")
    followups.appeal(actor=owner, follow_up_id=follow_up.pk, reason="评价内容与本局无关。")
    upheld = followups.review(actor=cast["supervisor"], follow_up_id=follow_up.pk,
                              result="upheld", note="属实，需整改。")
    assert upheld.state == FollowUpState.OPEN
    with pytest.raises(SupervisionRefused):  # one appeal only
        followups.appeal(actor=owner, follow_up_id=follow_up.pk, reason="再次申诉")


def test_appeal_found_right_voids_it_guobanfa_2019_51(cast, follow_up):
    followups.appeal(actor=follow_up.owner, follow_up_id=follow_up.pk, reason="恶意差评。")
    void = followups.review(actor=cast["supervisor"], follow_up_id=follow_up.pk,
                            result="void", note="经核实为恶意评价。")
    assert void.state == FollowUpState.VOID


def test_overdue_follow_up_alerts_its_owner_like_a_case_guobanfa_2019_51(cast, follow_up):
    alerts.sweep(today=dt.date(2026, 10, 9))  # (the decision's unclaimed push to its
    # department has a clock of its own, 部门认领时限: tests/coordination/depts)
    assert not Alert.objects.filter(clock="follow_up").exists()
    alerts.sweep(today=dt.date(2026, 10, 16))
    alert = Alert.objects.get(clock="follow_up")
    assert alert.light == "red" and alert.due == dt.date(2026, 10, 15)
    told = set(AlertDelivery.objects.filter(alert=alert, channel="inbox")
               .values_list("user_id", flat=True))
    assert {follow_up.owner_id, cast["supervisor"].pk} <= told
    assert alerts.sweep(today=dt.date(2026, 10, 19)).raised == 0


def test_follow_up_page_owner_rectifies_others_refused(client, cast, follow_up):
    url = reverse("supervision:follow_up", args=[follow_up.pk])
    log_in(client, cast["reviewer"] if follow_up.owner != cast["reviewer"] else cast["clerk"])
    assert client.get(url).status_code == 404
    log_in(client, cast["applicant"])
    assert client.get(url).status_code == 403
    log_in(client, follow_up.owner)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "rectify", "text": "已整改。"})
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.DONE
    log_in(client, cast["supervisor"])
    listing = client.get(reverse("supervision:follow_ups"))
    assert follow_up in listing.context["follow_ups"]
