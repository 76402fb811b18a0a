"""`clerk` signs in to a window on login (issue 15): the workbench home of a member of staff
who may serve at a window of the hall (`hall.services.setup.may_sign_in`) and is not signed
in shows the windows he may choose, one click each; once signed in it shows the window and
the way to 窗口叫号. Nobody else sees the prompt, and a refused sign-in changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from oneseal.core.models import AuditEvent
from oneseal.hall.models import WindowSignIn
from tests.conftest import CAST

from ..login_helpers import log_in
from .hall_setup import make_hall

MONDAY_10 = dt.datetime(2026, 9, 28, 10, 0, tzinfo=timezone.get_default_timezone())
HOME = "/workbench/"


@pytest.fixture(autouse=True)
def _fixed_moment():
    with time_machine.travel(MONDAY_10, tick=False):
        yield


@pytest.fixture
def hall(cast):
    return make_hall(cast["sysadmin"])


def _offered(html: str) -> set[str]:
    """The windows whose one-click sign-in the home page offers, by number."""
    return set(re.findall(r"(\d+) 号窗口（[^）]+）签到", html))


def test_clerk_not_signed_in_is_asked_to_choose_a_window_on_the_home_page(client, cast, hall):
    log_in(client, cast["clerk"])
    html = client.get(HOME).content.decode()
    assert 'data-shift="choose"' in html and "请先在窗口签到" in html
    assert _offered(html) == {"1", "2", "5", "8", "9"}
    assert f'action="{reverse("hall_window:sign_in")}"' in html
    assert f'name="window" value="{hall["windows"]["2"].pk}"' in html


def test_one_click_signs_the_clerk_in_and_the_home_page_shows_the_window(client, cast, hall):
    log_in(client, cast["clerk"])
    window = hall["windows"]["2"]
    response = client.post(reverse("hall_window:sign_in"), {"window": window.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("hall_window:calling")
    assert WindowSignIn.objects.get(user=cast["clerk"], ended_at=None).window == window
    html = client.get(HOME).content.decode()
    assert 'data-shift="signed-in"' in html and "您已在 2 号窗口签到" in html
    assert f'href="{reverse("hall_window:calling")}"' in html and "进入窗口叫号" in html
    assert not _offered(html)


def test_helper_is_offered_only_the_consultation_and_assistance_windows(client, cast, hall):
    log_in(client, cast["helper"])
    assert _offered(client.get(HOME).content.decode()) == {"8", "9"}


def test_no_prompt_without_a_hall(client, cast):
    log_in(client, cast["clerk"])
    html = client.get(HOME).content.decode()
    assert "data-shift" not in html


@pytest.mark.parametrize("name", sorted(set(CAST) - {"clerk", "helper"}))
def test_no_window_prompt_for_staff_who_cannot_serve_at_a_window(client, cast, hall, name):
    """The department officer's unit has no window of its own in this hall; the other roles
    serve at none; applicants and outsiders do not reach the workbench at all."""
    log_in(client, cast[name])
    response = client.get(HOME)
    assert "data-shift" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(set(CAST) - {"clerk", "helper", "dept"}))
def test_sign_in_from_the_home_page_refused_to_every_other_role(client, cast, hall, name):
    log_in(client, cast[name])
    before = (WindowSignIn.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("hall_window:sign_in"), {"window": hall["windows"]["1"].pk})
    assert response.status_code == 403
    assert (WindowSignIn.objects.count(), AuditEvent.objects.count()) == before
