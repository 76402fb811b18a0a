"""The service hall in a real browser (Debian's chromium): a visitor takes a ticket at the
kiosk, the hall screen shows it waiting; the clerk calls it, the screen shows the call and
announces it (the large text of 语音叫号); the clerk starts serving and opens intake from the
ticket; the visitor rates the service on the window's evaluator tablet (一次一评).
Screenshots go to the test's tmp dir. No sleeps: every step waits for its selector."""

from __future__ import annotations

import pytest
from django.utils import timezone

from oneseal.hall.models import Ticket, VisitRating, WindowSignIn
from tests.browser.conftest import DESKTOP, _context
from tests.factories import TEST_PASSWORD
from tests.hall.display_helpers import make_hall

pytestmark = pytest.mark.browser


def _log_in(browser, base: str, username: str):
    context = _context(browser, DESKTOP)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workbench/**")
    return context, page


def test_ticket_call_screen_intake_and_evaluator(browser, live_server, cast, tmp_path):
    base = live_server.url
    hall = make_hall()
    WindowSignIn.objects.create(window=hall["w3"], user=cast["clerk"],
                                started_at=timezone.now())
    contexts = []
    try:
        # the hall screen, open before anything happens
        screen_context = _context(browser, DESKTOP)
        contexts.append(screen_context)
        screen = screen_context.new_page()
        screen.goto(f"{base}/hall/screen/")
        screen.wait_for_selector("[data-hall-screen][data-version]", state="attached")

        # the kiosk: take a ticket (no login)
        kiosk_context = _context(browser, DESKTOP)
        contexts.append(kiosk_context)
        kiosk = kiosk_context.new_page()
        kiosk.goto(f"{base}/hall/kiosk/")
        kiosk.get_by_role("button", name="综合受理").click()
        kiosk.wait_for_selector("text=A001")
        kiosk.screenshot(path=str(tmp_path / "1-kiosk-ticket.png"), full_page=True)

        count = screen.locator("[data-waiting] [data-category='comprehensive'] .screen-count")
        count.filter(has_text="1").wait_for()
        screen.screenshot(path=str(tmp_path / "2-screen-waiting.png"))

        # the clerk calls the next ticket
        clerk_context, clerk = _log_in(browser, base, "clerk")
        contexts.append(clerk_context)
        clerk.goto(f"{base}/workbench/hall/calling/")
        clerk.get_by_role("button", name="下一位").click()
        clerk.get_by_role("button", name="开始办理").wait_for()

        # the screen shows the call and announces it in large text
        screen.locator("[data-current] [data-ticket='A001']").wait_for()
        announce = screen.locator("[data-announce]")
        announce.wait_for(state="visible")
        assert announce.inner_text().strip() == "请A001号到3号窗口办理"
        assert screen.locator("[data-hall-screen]").get_attribute("data-voice") in (
            "speech", "chime")
        count.filter(has_text="0").wait_for()
        screen.screenshot(path=str(tmp_path / "3-screen-call.png"))

        # the clerk serves the visitor and opens intake from the ticket
        clerk.get_by_role("button", name="开始办理").click()
        clerk.get_by_role("link", name="从此号受理").click()
        clerk.wait_for_url(f"{base}/workbench/cases/intake/**")
        clerk.screenshot(path=str(tmp_path / "4-intake.png"), full_page=True)

        # the evaluator tablet at window 3 (logged in as the window's clerk)
        tablet_context, tablet = _log_in(browser, base, "clerk")
        contexts.append(tablet_context)
        tablet.goto(f"{base}/hall/evaluator/{hall['w3'].pk}/")
        tablet.wait_for_selector("[data-visit='A001']")
        tablet.get_by_role("button", name="非常满意").click()
        tablet.get_by_role("status").filter(has_text="感谢您的评价").wait_for()
        tablet.screenshot(path=str(tmp_path / "5-evaluator.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()
    ticket = Ticket.objects.get(number="A001")
    rating = VisitRating.objects.get(ticket=ticket)
    assert (rating.level, rating.window, rating.clerk) == (
        "very_satisfied", hall["w3"], cast["clerk"])
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "1-kiosk-ticket.png", "2-screen-waiting.png", "3-screen-call.png", "4-intake.png",
        "5-evaluator.png"]
