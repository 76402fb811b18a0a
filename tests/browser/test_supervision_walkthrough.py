"""电子监察 in a real browser (Debian's chromium): a case goes yellow, then red, as the date
moves (the board's day and the sweep's day are set by the test); the red alert appears once
however often the sweep runs, and the supervisor acknowledges it, then closes it with a
note. No sleeps: every step waits for its locator."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from oneseal.supervision import alerts
from tests.cases.conftest import bureau, catalogue, department, org, person
from tests.cases.helpers import accepted
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser
__all__ = ["bureau", "catalogue", "department", "org", "person"]  # fixtures


def test_case_goes_yellow_then_red_alert_once_acknowledged_and_closed(
        page, live_server, cast, catalogue, person, monkeypatch, shoot):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")  # due Tue 09-15
    day = {"today": dt.date(2026, 9, 14)}  # Monday: one working day left
    monkeypatch.setattr("oneseal.supervision.board.today", lambda: day["today"])
    alerts.sweep(today=day["today"])
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(cast["supervisor"].username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workbench/")
    page.get_by_role("link", name="时限监督").first.click()
    expect(page.get_by_role("heading", name="时限监督", level=1)).to_be_visible()
    row = page.locator(f'tr.board-row[data-case="{case.number}"]')
    expect(row.locator(".light--yellow")).to_be_visible()
    expect(row).to_contain_text("剩 1 个工作日")
    shoot(page, "supervision-board-yellow")

    day["today"] = dt.date(2026, 9, 16)  # Wednesday: overdue
    alerts.sweep(today=day["today"])
    alerts.sweep(today=day["today"])  # the hourly job again: nothing new
    page.reload()
    expect(row.locator(".light--red")).to_be_visible()
    expect(row).to_contain_text("超期 1 个工作日")

    page.goto(f"{base}/workbench/supervision/alerts/?clock=case&number={case.number}")
    rows = page.locator(f'tr.alert-row[data-case="{case.number}"]')
    expect(rows).to_have_count(2)  # its yellow and its red, each once
    red = rows.filter(has=page.locator(".light--red"))
    expect(red).to_have_count(1)
    shoot(page, "supervision-alerts")
    red.get_by_role("button", name="确认").click()
    expect(red.locator(".alert-state")).to_have_text("已确认")
    red.get_by_placeholder("处理说明（必填）").fill("已督促审查人员当日办结。")
    red.get_by_role("button", name="关闭").click()
    expect(rows).to_have_count(1)  # closed ones leave the list of open alerts
    page.goto(f"{base}/workbench/supervision/alerts/?clock=case&state=closed")
    closed = page.locator(f'tr.alert-row[data-case="{case.number}"]')
    expect(closed).to_have_count(1)
    expect(closed).to_contain_text("已督促审查人员当日办结。")
