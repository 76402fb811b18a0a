"""Hall statistics from the tickets (one query), the workbench page and the Excel export;
every role but the supervisor and the system administrator refused."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oneseal.hall import stats
from oneseal.hall.domain.stats import Dimension
from oneseal.hall.models import Ticket, TicketState, VisitRating
from tests.conftest import CAST
from tests.login_helpers import log_in

from .display_helpers import make_hall, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(db, cast):
    h = make_hall()
    clerk = cast["clerk"]
    # A001 waited 5 min, served 10; A002 waited 15, served 20 (rated 不满意); A003 no-show
    a1 = make_ticket(h["hall"], h["a"], 1, state=TicketState.DONE, window=h["w3"],
                     clerk=clerk, waited=5, served=10)
    a2 = make_ticket(h["hall"], h["a"], 2, state=TicketState.DONE, window=h["w3"],
                     clerk=clerk, waited=15, served=20)
    make_ticket(h["hall"], h["a"], 3, state=TicketState.NO_SHOW, window=h["w3"],
                clerk=clerk, waited=25)
    make_ticket(h["hall"], h["c"], 1)  # still waiting
    for ticket, level in ((a1, "satisfied"), (a2, "dissatisfied")):
        VisitRating.objects.create(ticket=ticket, window=h["w3"], clerk=clerk, level=level,
                                   reasons=["slow"], rated_at=timezone.now())
    return {**h, "clerk_name": clerk.display_name}


def test_statistics_from_the_tickets(hall):
    today = timezone.localdate()
    tables = stats.report(hall["hall"].pk, today, today)
    by_window = {r.key: r for r in tables[Dimension.WINDOW]}
    three = by_window["3"]
    assert (three.tickets, three.served, three.no_shows) == (3, 2, 1)
    assert (three.wait_median, three.wait_p90) == (15 * 60, 25 * 60)
    assert (three.service_median, three.service_p90) == (15 * 60, 20 * 60)
    assert (three.ratings, three.bad_ratings) == (2, 1)
    assert by_window[""].tickets == 1  # the waiting C001, no window yet
    assert [r.key for r in tables[Dimension.CATEGORY]] == ["出件", "综合受理", "*"]
    clerks = {r.key: r.tickets for r in tables[Dimension.CLERK]}
    assert clerks == {"": 1, hall["clerk_name"]: 3, "*": 4}


def test_transferred_ticket_counted_once_by_its_successor(hall, cast):
    original = make_ticket(hall["hall"], hall["a"], 9, state=TicketState.TRANSFERRED,
                           window=hall["w3"], clerk=cast["clerk"])
    Ticket.objects.create(
        hall=hall["hall"], category=hall["c"], day=original.day, seq=9, number="A009",
        token="t" * 32, state=TicketState.WAITING, transferred_from=original,
        taken_at=original.taken_at, queued_at=timezone.now())
    today = timezone.localdate()
    total = stats.report(hall["hall"].pk, today, today)[Dimension.DAY][-1]
    assert total.tickets == 5


def test_parse_range():
    today = timezone.localdate()
    assert stats.parse_range(None, None, today) == (today, today)
    assert stats.parse_range("2026-12-01", "2026-12-04", today) == (
        timezone.datetime(2026, 12, 1).date(), timezone.datetime(2026, 12, 4).date())
    assert stats.parse_range("2026-12-05", "2026-12-04", today) is None
    assert stats.parse_range("2025-01-01", "2026-12-04", today) is None
    assert stats.parse_range("yesterday", None, today) is None


@pytest.mark.parametrize("who", ["supervisor", "sysadmin"])
def test_stats_page_and_excel_for_supervisor_and_administrator(client, cast, hall, who):
    log_in(client, cast[who])
    page = client.get(reverse("hall_stats:page"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "按窗口" in html and "合计" in html and "<script>" not in html
    export = client.get(reverse("hall_stats:export"))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["按日期", "按窗口", "按类别", "按办理人"]
    rows = list(book["按窗口"].iter_rows(values_only=True))
    assert rows[1][:3] == ("按窗口", "取号数", "已办结")
    window_three = next(r for r in rows if r[0] == "3")
    assert window_three[1:4] == (3, 2, 1)
    assert window_three[5:7] == (15.0, 25.0)  # wait median and p90 in minutes
    assert window_three[-1] == 50.0


def test_stats_page_refuses_a_bad_range(client, cast, hall):
    log_in(client, cast["supervisor"])
    url = reverse("hall_stats:page") + "?from=2026-12-05&to=2026-12-01"
    assert client.get(url).status_code == 400
    assert client.get(reverse("hall_stats:export") + "?from=x").status_code == 400


@pytest.mark.parametrize("who", [m for m in CAST if m not in ("supervisor", "sysadmin")])
def test_stats_refused_to_every_other_role(client, cast, hall, who):
    log_in(client, cast[who])
    assert client.get(reverse("hall_stats:page")).status_code in (403, 404)
    assert client.get(reverse("hall_stats:export")).status_code in (403, 404)


def test_stats_need_login(client, hall):
    response = client.get(reverse("hall_stats:export"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["supervisor", "sysadmin"])
def test_workbench_home_links_the_statistics(client, cast, who):
    log_in(client, cast[who])
    assert reverse("hall_stats:page") in client.get(reverse("workbench:home")).content.decode()


def test_workbench_home_of_a_clerk_has_no_statistics(client, cast):
    log_in(client, cast["clerk"])
    assert reverse("hall_stats:page") not in client.get(
        reverse("workbench:home")).content.decode()
