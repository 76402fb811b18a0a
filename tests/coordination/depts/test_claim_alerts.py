"""The claim clock in the alert sweep (部门认领时限 → 超期预警): a decision pushed to a
department must be claimed within 2 working days (行政许可法 第82条 working days; 民法典
第201条 the day it arrived is not counted). The hourly sweep (`supervision.alerts.sweep`)
turns the unclaimed ticket yellow when the due day is at most one working day away and red
the day after it, once each, to the supervisors and the department's own officers; the
claim closes the alerts. Worked by hand on the real 2026 schedule and the provisional 2027.

- Decided Thu 2026-09-24: 中秋 Fri 09-25 .. Sun 09-27 not counted, Mon 09-28 is working day
  1, Tue 09-29 day 2 → due 09-29. On 09-25 one working day after it is 09-28, and the
  yellow limit (the day before the 2nd working day after today) is 09-28: green. On 09-28
  the limit is 09-29: yellow. On 09-30: red.
- Received Fri 2026-09-04: Mon 09-07, Tue 09-08 → due 09-08. Sat 09-05: limit 09-07,
  green; Mon 09-07: limit 09-08, yellow; Wed 09-09: red.
- Received Wed 2026-12-30: Thu 12-31 day 1; 元旦 Fri 2027-01-01 (fixed by date, 2027's
  schedule not published: provisional), Sat, Sun; Mon 2027-01-04 day 2 → due 01-04, 暂定.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oneseal.coordination import claims
from oneseal.coordination.claim_alerts import clock_key
from oneseal.coordination.domain.clocks import claim_due
from oneseal.coordination.models import ClaimTicket
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.core.workcalendar.selectors import get_work_calendar
from oneseal.supervision import alerts
from oneseal.supervision.models import Alert, AlertDelivery, AlertState
from tests.cases.conftest import at
from tests.cases.helpers import decided
from tests.login_helpers import log_in

D = dt.date.fromisoformat


def _claim_alerts():
    return list(Alert.objects.filter(clock="claim").order_by("id"))


def _sweep(day: str, hour: int = 8):
    return alerts.sweep(today=D(day), now=at(day, hour))


@pytest.fixture
def mid_autumn(cast, catalogue, person):
    case = decided(cast, catalogue, person, on="2026-09-24")
    ticket = ClaimTicket.objects.get(case=case, kind="decision")
    assert (ticket.received_on, ticket.claim_due) == (D("2026-09-24"), D("2026-09-29"))
    return ticket


def _ticket(like: ClaimTicket, received: str, n: int) -> ClaimTicket:
    cal = get_work_calendar()
    due = claim_due(cal, D(received))
    return ClaimTicket.objects.create(
        department_id=like.department_id, kind="decision", source=f"test:{n}",
        case_id=like.case_id, title=f"推送 {n}", received_on=D(received),
        received_at=at(received, 10), claim_due=due,
        due_provisional=cal.is_provisional(due.year))


def test_claim_clock_yellow_then_red_over_mid_autumn_once_each_art_82(cast, mid_autumn):
    key = clock_key(mid_autumn.pk)
    _sweep("2026-09-25")  # a holiday: the due day is 2 working days away, green
    assert _claim_alerts() == []
    _sweep("2026-09-28")
    [yellow] = _claim_alerts()
    assert (yellow.clock_key, yellow.light, yellow.due) == (key, "yellow", D("2026-09-29"))
    assert yellow.department_id == mid_autumn.department_id
    assert yellow.case_id == mid_autumn.case_id and not yellow.provisional
    assert mid_autumn.department.name in yellow.label
    _sweep("2026-09-28", 9)  # the hourly run: nothing new
    _sweep("2026-09-29")  # still yellow, already alerted
    assert len(_claim_alerts()) == 1
    _sweep("2026-09-30")
    _sweep("2026-09-30", 9)
    _sweep("2026-09-30", 10)  # idempotent: no duplicate however often it runs
    lights = [(a.light, a.due) for a in _claim_alerts()]
    assert lights == [("yellow", D("2026-09-29")), ("red", D("2026-09-29"))]
    red = _claim_alerts()[1]
    told = {(d.user_id, d.role) for d in AlertDelivery.objects.filter(alert=red,
                                                                      channel="inbox")}
    assert (cast["supervisor"].pk, "supervisor") in told
    assert (cast["dept"].pk, "department") in told  # the department sees its own overdue
    assert not {cast["reviewer"].pk, cast["clerk"].pk} & {u for u, _r in told}
    assert verify_chain().ok


def test_claim_clock_over_a_weekend_art_82(cast, mid_autumn):
    ticket = _ticket(mid_autumn, "2026-09-04", 1)
    assert ticket.claim_due == D("2026-09-08")
    _sweep("2026-09-05")  # Saturday
    assert [a for a in _claim_alerts() if a.clock_key == clock_key(ticket.pk)] == []
    _sweep("2026-09-07")
    _sweep("2026-09-09")
    mine = [(a.light, a.due) for a in _claim_alerts() if a.clock_key == clock_key(ticket.pk)]
    assert mine == [("yellow", D("2026-09-08")), ("red", D("2026-09-08"))]


def test_claim_due_in_a_provisional_year_is_flagged_art_82_law_1(cast, mid_autumn):
    ticket = _ticket(mid_autumn, "2026-12-30", 2)
    assert ticket.claim_due == D("2027-01-04") and ticket.due_provisional
    _sweep("2027-01-05")
    [red] = [a for a in _claim_alerts() if a.clock_key == clock_key(ticket.pk)]
    assert red.light == "red" and red.provisional


def test_claiming_closes_the_alerts_and_stops_the_clock(cast, mid_autumn):
    _sweep("2026-09-28")
    _sweep("2026-09-30")
    assert {a.state for a in _claim_alerts()} == {AlertState.OPEN}
    claims.claim(actor=cast["dept"], ticket_id=mid_autumn.pk, at=at("2026-09-30", 15))
    closed = _claim_alerts()
    assert [a.state for a in closed] == [AlertState.CLOSED] * 2
    assert all(a.closed_by_id == cast["dept"].pk and "2026-09-30" in a.note for a in closed)
    event = AuditEvent.objects.get(kind="supervision.alert_close_clock")
    assert event.subject == clock_key(mid_autumn.pk)
    _sweep("2026-10-08")  # claimed: never alerted again
    assert len(_claim_alerts()) == 2
    assert verify_chain().ok


def test_claim_in_time_raises_nothing(cast, mid_autumn):
    claims.claim(actor=cast["dept"], ticket_id=mid_autumn.pk, at=at("2026-09-25", 9))
    _sweep("2026-09-28")
    _sweep("2026-09-30")
    assert _claim_alerts() == []
    assert not AuditEvent.objects.filter(kind="supervision.alert_close_clock").exists()


def test_supervisor_sees_claim_alert_on_board_and_list_with_its_link(client, cast,
                                                                     mid_autumn):
    _sweep("2026-09-30")
    ticket_url = reverse("coordination_workbench:ticket", args=[mid_autumn.pk])
    log_in(client, cast["supervisor"])
    page = client.get(reverse("supervision:alerts") + "?clock=claim").content.decode()
    assert ticket_url in page and mid_autumn.department.name in page
    board = client.get(reverse("supervision:board")).content.decode()
    assert "部门认领时限预警" in board and mid_autumn.department.name in board
    assert f"department={mid_autumn.department_id}" in board
    other = client.get(reverse("supervision:alerts")
                       + f"?clock=claim&department={mid_autumn.department_id + 999}")
    assert ticket_url not in other.content.decode()
    assert client.get(ticket_url).status_code == 200  # the supervisor may open it


def test_department_sees_its_overdue_claim_in_my_alerts(client, cast, mid_autumn):
    _sweep("2026-09-30")
    log_in(client, cast["dept"])
    page = client.get(reverse("supervision:my_alerts")).content.decode()
    assert reverse("coordination_workbench:ticket", args=[mid_autumn.pk]) in page
    assert client.get(reverse("supervision:alerts")).status_code == 403


@pytest.mark.parametrize("name", ["dept", "clerk", "reviewer", "chief", "applicant",
                                  "outsider", "helper", "sysadmin", "catalog_admin"])
def test_claim_alert_pages_refused_roles(client, cast, mid_autumn, name):
    _sweep("2026-09-30")
    log_in(client, cast[name])
    for url in (reverse("supervision:board"),
                reverse("supervision:alerts") + "?clock=claim"):
        assert client.get(url).status_code in (302, 403), (name, url)
