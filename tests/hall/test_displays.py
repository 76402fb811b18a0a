"""The hall's screens: their state JSON (calls, the announcement, waiting counts), the ETag
that answers 304 without touching the tickets, and the pages (static script, no inline)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oneseal.hall import displays
from oneseal.hall.models import TicketState

from .display_helpers import make_hall, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(db):
    return make_hall()


def _state_url(h, window=""):
    url = reverse("hall_screen:state", args=[h["hall"].pk])
    return f"{url}?window={window}" if window else url


def test_state_carries_the_call_and_its_announcement(client, hall):
    make_ticket(hall["hall"], hall["a"], 12, state=TicketState.CALLED, window=hall["w3"])
    make_ticket(hall["hall"], hall["a"], 13)
    make_ticket(hall["hall"], hall["a"], 14)
    make_ticket(hall["hall"], hall["c"], 1)
    response = client.get(_state_url(hall))
    assert response.status_code == 200
    data = response.json()
    [call] = data["current"]
    assert call["ticket"] == "A012" and call["window"] == "3"
    assert call["text"] == "请A012号到3号窗口办理"
    assert call["speech"] == "请A零一二号到3号窗口办理"
    assert [(w["letter"], w["count"]) for w in data["waiting"]] == [("A", 2), ("C", 1)]


def test_latest_call_of_each_window_is_current_the_others_recent(client, hall):
    h = hall["hall"]
    make_ticket(h, hall["a"], 1, state=TicketState.DONE, window=hall["w3"],
                called_minutes_ago=20, served=5)
    make_ticket(h, hall["a"], 2, state=TicketState.SERVING, window=hall["w3"],
                called_minutes_ago=3)
    make_ticket(h, hall["c"], 1, state=TicketState.CALLED, window=hall["w5"],
                called_minutes_ago=1)
    make_ticket(h, hall["a"], 3, state=TicketState.NO_SHOW, window=hall["w3"],
                called_minutes_ago=30)
    data = client.get(_state_url(hall)).json()
    assert [c["ticket"] for c in data["current"]] == ["C001", "A002"]
    assert [c["ticket"] for c in data["recent"]] == ["A001", "A003"]


def test_window_screen_state_shows_only_that_window(client, hall):
    h = hall["hall"]
    make_ticket(h, hall["a"], 2, state=TicketState.CALLED, window=hall["w3"])
    make_ticket(h, hall["c"], 1, state=TicketState.CALLED, window=hall["w5"])
    make_ticket(h, hall["c"], 2)
    data = client.get(_state_url(hall, "5")).json()
    assert data["window"] == "5"
    assert [c["ticket"] for c in data["current"]] == ["C001"]
    assert [(w["letter"], w["count"]) for w in data["waiting"]] == [("C", 1)]
    assert client.get(_state_url(hall, "99")).status_code == 404


def test_unchanged_state_answers_304_without_querying_tickets(client, hall):
    make_ticket(hall["hall"], hall["a"], 1, state=TicketState.CALLED, window=hall["w3"])
    first = client.get(_state_url(hall))
    etag = first["ETag"]
    assert etag and first["Cache-Control"] == "no-cache"
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_state_url(hall), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    assert not [q for q in queries.captured_queries if "hall_" in q["sql"]]


def test_a_change_gives_a_new_etag_after_commit(client, hall, django_capture_on_commit_callbacks):
    etag = client.get(_state_url(hall))["ETag"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        displays.screens_changed(hall["hall"].pk)
    assert client.get(_state_url(hall), HTTP_IF_NONE_MATCH=etag).status_code == 304
    for callback in callbacks:
        callback()
    make_ticket(hall["hall"], hall["a"], 7, state=TicketState.CALLED, window=hall["w3"])
    response = client.get(_state_url(hall), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert response.json()["current"][0]["ticket"] == "A007"


def test_window_and_hall_screens_have_different_etags(client, hall):
    assert client.get(_state_url(hall))["ETag"] != client.get(_state_url(hall, "3"))["ETag"]


def test_a_recall_is_a_new_call_to_announce(client, hall, django_capture_on_commit_callbacks):
    ticket = make_ticket(hall["hall"], hall["a"], 4, state=TicketState.CALLED,
                         window=hall["w3"])
    first = client.get(_state_url(hall)).json()["current"][0]["id"]
    ticket.call_count = 2
    ticket.save(update_fields=["call_count"])
    with django_capture_on_commit_callbacks(execute=True):
        displays.screens_changed(hall["hall"].pk)
    assert client.get(_state_url(hall)).json()["current"][0]["id"] != first


def test_screens_of_one_version_share_one_computation(client, hall):
    make_ticket(hall["hall"], hall["a"], 5, state=TicketState.CALLED, window=hall["w3"])
    first = client.get(_state_url(hall))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(_state_url(hall))  # another screen, no ETag yet
    assert second.status_code == 200 and second.content == first.content
    assert not [q for q in queries.captured_queries if "hall_" in q["sql"]]


def test_screen_pages_load_the_static_script_and_no_inline_script(client, hall):
    for url in (reverse("hall_screen:hall"), reverse("hall_screen:window", args=["3"])):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "hall/js/screen.js" in html and "data-hall-screen" in html
        assert "<script>" not in html
    page = client.get(reverse("hall_screen:window", args=["3"])).content.decode()
    assert "?window=3" in page


def test_unknown_window_screen_is_404(client, hall):
    assert client.get(reverse("hall_screen:window", args=["42"])).status_code == 404


def test_screen_without_a_hall_is_404(client, db):
    assert client.get(reverse("hall_screen:hall")).status_code == 404


def test_state_refuses_writes(client, hall):
    assert client.post(_state_url(hall)).status_code == 405
