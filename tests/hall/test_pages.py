"""The hall's pages and who may open them: the kiosk and the ticket pages are public; window
sign-in and calling only for window staff, calling only when signed in to that window; the
settings only for a system administrator; appointments only for applicants. Every refused
request changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from oneseal.hall.models import Appointment, Hall, OpeningHours, Ticket, WindowSignIn
from oneseal.hall.services import queue
from oneseal.hall.services.setup import window_sign_in

from ..login_helpers import log_in
from .hall_setup import make_hall

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
MONDAY_10 = dt.datetime(2026, 9, 28, 10, 0, tzinfo=timezone.get_default_timezone())
WINDOW_STAFF = {"clerk", "helper", "dept"}


@pytest.fixture
def hall(cast):
    return make_hall(cast["sysadmin"])


def _state():
    return (sorted(Ticket.objects.values_list("id", "state", "call_count", "window_id")),
            sorted(WindowSignIn.objects.values_list("id", "ended_at")),
            sorted(Appointment.objects.values_list("id", "state")),
            list(Hall.objects.values_list("name", "address", "phone")),
            sorted(OpeningHours.objects.values_list("weekday", "opens", "closes")))


def test_kiosk_is_public_and_prints_a_ticket(client, hall):
    page = client.get(reverse("hall:kiosk"))
    assert page.status_code == 200 and "综合受理" in page.content.decode()
    response = client.post(reverse("hall:kiosk"),
                           {"category": hall["cats"]["comprehensive"].pk})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("hall:ticket", args=[ticket.token]))
    printed = client.get(response["Location"]).content.decode()
    assert "A001" in printed and "西山区前兴路 1 号" in printed and "0871-68000000" in printed
    assert "周一至周五 9:00–12:00、13:30–17:00" in printed
    assert reverse("hall:qr", args=[ticket.token]) in printed
    qr = client.get(reverse("hall:qr", args=[ticket.token]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    follow = client.get(reverse("hall:follow", args=[ticket.token])).content.decode()
    assert "A001" in follow and "前面还有 0 人" in follow


def test_kiosk_bad_input_changes_nothing(client, hall):
    before = _state()
    assert client.post(reverse("hall:kiosk"), {}).status_code == 400
    assert client.post(reverse("hall:kiosk"), {"category": hall["cats"]["delivery"].pk,
                                               "id_number": "123"}).status_code == 400
    assert client.post(reverse("hall:kiosk"), {"appointment_code": "00000000"}
                       ).status_code == 409
    assert _state() == before


def test_unknown_ticket_token_is_404(client, hall):
    assert client.get(reverse("hall:follow", args=["nope"])).status_code == 404
    assert client.get(reverse("hall:ticket", args=["nope"])).status_code == 404


def test_the_phone_page_follows_a_transfer(client, hall, cast):
    ticket = queue.ticket_take(category_id=hall["cats"]["consultation"].pk)
    window_sign_in(actor=cast["helper"], window_id=hall["windows"]["8"].pk)
    queue.call_next(actor=cast["helper"], window_id=hall["windows"]["8"].pk)
    queue.transfer(actor=cast["helper"], window_id=hall["windows"]["8"].pk,
                   ticket_id=ticket.pk, to_window_id=hall["windows"]["1"].pk)
    page = client.get(reverse("hall:follow", args=[ticket.token])).content.decode()
    assert "请到 1 号窗口" in page


@pytest.mark.parametrize("name", ["applicant", "company", "reviewer", "chief", "head",
                                  "supervisor", "catalog_admin", "sysadmin", "outsider"])
def test_window_pages_refused_to_others(client, hall, cast, name):
    queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk)
    log_in(client, cast[name])
    before = _state()
    assert client.get(reverse("hall_window:windows")).status_code == 403
    assert client.get(reverse("hall_window:calling")).status_code == 403
    assert client.post(reverse("hall_window:sign_in"),
                       {"window": hall["windows"]["1"].pk}).status_code == 403
    assert client.post(reverse("hall_window:act", args=["next"])).status_code == 403
    assert _state() == before


def test_anonymous_is_sent_to_login(client, hall):
    for url in (reverse("hall_window:windows"), reverse("hall_window:settings"),
                reverse("hall_booking:mine")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_clerk_signs_in_and_calls_from_the_page(client, hall, cast):
    queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk)
    log_in(client, cast["clerk"])
    assert "1 " in client.get(reverse("hall_window:windows")).content.decode()
    response = client.post(reverse("hall_window:sign_in"), {"window": hall["windows"]["1"].pk})
    assert response["Location"] == reverse("hall_window:calling")
    client.post(reverse("hall_window:act", args=["next"]))
    ticket = Ticket.objects.get()
    assert ticket.state == "called" and ticket.clerk == cast["clerk"]
    page = client.get(reverse("hall_window:calling")).content.decode()
    assert "A001" in page and 'accesskey="s"' in page
    client.post(reverse("hall_window:act", args=["start"]), {"ticket": ticket.pk})
    page = client.get(reverse("hall_window:calling")).content.decode()
    assert reverse("cases:intake") in page  # 从此号受理
    client.post(reverse("hall_window:act", args=["finish"]), {"ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.state == "done"


def test_clerk_not_signed_in_cannot_act(client, hall, cast):
    queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk)
    log_in(client, cast["clerk"])
    before = _state()
    assert client.post(reverse("hall_window:act", args=["next"])).status_code == 403
    assert client.get(reverse("hall_window:calling")).status_code == 302
    assert _state() == before


def test_clerk_of_another_window_cannot_touch_the_ticket(client, hall, cast):
    queue.ticket_take(category_id=hall["cats"]["comprehensive"].pk)
    window_sign_in(actor=cast["clerk"], window_id=hall["windows"]["1"].pk)
    called = queue.call_next(actor=cast["clerk"], window_id=hall["windows"]["1"].pk)
    log_in(client, cast["helper"])
    client.post(reverse("hall_window:sign_in"), {"window": hall["windows"]["9"].pk})
    before = _state()
    for op in ("skip", "recall", "start", "transfer"):
        client.post(reverse("hall_window:act", args=[op]), {"ticket": called.pk,
                                                            "to_window": hall["windows"]["2"].pk})
    assert _state() == before


@pytest.mark.parametrize("name", ["applicant", "clerk", "reviewer", "head", "supervisor",
                                  "catalog_admin", "helper", "dept", "outsider"])
def test_settings_refused_to_all_but_the_sysadmin(client, hall, cast, name):
    log_in(client, cast[name])
    before = _state()
    assert client.get(reverse("hall_window:settings")).status_code == 403
    assert client.post(reverse("hall_window:settings"), {"name": "X"}).status_code == 403
    assert _state() == before


def _settings_post(**extra):
    data = {"name": "西山区政务服务中心", "address": "新地址 8 号", "phone": "12345",
            "slot_minutes": 20, "slot_capacity": 3, "noshow_limit": 2,
            "noshow_window_days": 60, "noshow_block_days": 7}
    for w in range(5):
        data.update({f"opens_{w}": "08:30", f"lunch_start_{w}": "12:00",
                     f"lunch_end_{w}": "14:00", f"closes_{w}": "17:30"})
    data.update({"closed_5": "on", "closed_6": "on"})
    data.update(extra)
    return data


def test_sysadmin_edits_settings_shown_on_the_public_pages(client, hall, cast):
    log_in(client, cast["sysadmin"])
    assert client.get(reverse("hall_window:settings")).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("hall_window:settings"), _settings_post(
        map_picture=SimpleUploadedFile("map.png", PNG, content_type="image/png")))
    assert response.status_code == 302
    home = client.get(reverse("portal:home")).content.decode()
    assert "新地址 8 号" in home and "周一至周五 8:30–12:00、14:00–17:30" in home
    assert reverse("hall:map") in home and "待公布" not in home
    picture = client.get(reverse("hall:map"))
    assert picture.content == PNG and picture["Content-Type"] == "image/png"


def test_map_checked_by_content_not_by_name(client, hall, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    log_in(client, cast["sysadmin"])
    before = _state()
    response = client.post(reverse("hall_window:settings"), _settings_post(
        map_picture=SimpleUploadedFile("map.png", b"<svg onload=alert(1)>",
                                       content_type="image/png")))
    assert response.status_code == 400 and "PNG 或 JPEG" in response.content.decode()
    assert _state() == before and not Hall.objects.get().map_content_type


def test_settings_lunch_outside_hours_refused(client, hall, cast):
    log_in(client, cast["sysadmin"])
    before = _state()
    response = client.post(reverse("hall_window:settings"),
                           _settings_post(lunch_start_0="07:00"))
    assert response.status_code == 400
    assert _state() == before


@pytest.mark.parametrize("name", ["clerk", "reviewer", "head", "sysadmin", "helper",
                                  "outsider"])
def test_appointment_pages_refused_to_staff(client, hall, cast, name):
    log_in(client, cast[name])
    before = _state()
    assert client.get(reverse("hall_booking:mine")).status_code == 403
    assert client.post(reverse("hall_booking:book"), {
        "category": hall["cats"]["comprehensive"].pk, "day": "2026-09-29",
        "slot": "09:00"}).status_code == 403
    assert _state() == before


def test_applicant_books_and_cancels_online(client, hall, cast):
    log_in(client, cast["applicant"])
    a = hall["cats"]["comprehensive"]
    with time_machine.travel(MONDAY_10, tick=False):
        page = client.get(reverse("hall_booking:mine"),
                          {"category": a.pk, "day": "2026-09-29"}).content.decode()
        assert "13:30–14:00" in page and "2026-10-01" not in page  # 国庆节 not offered
        client.post(reverse("hall_booking:book"), {"category": a.pk, "day": "2026-09-29",
                                                   "slot": "13:30"})
        booked = Appointment.objects.get()
        assert booked.user == cast["applicant"] and booked.state == "booked"
        assert booked.code in client.get(reverse("hall_booking:mine")).content.decode()
        other = client.__class__()
        log_in(other, cast["company"])
        assert other.post(reverse("hall_booking:cancel", args=[booked.pk])).status_code == 404
        booked.refresh_from_db()
        assert booked.state == "booked"
        client.post(reverse("hall_booking:cancel", args=[booked.pk]))
    booked.refresh_from_db()
    assert booked.state == "cancelled"
