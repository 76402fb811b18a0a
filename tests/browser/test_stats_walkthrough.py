"""统计分析 in a real browser (Debian's chromium): the supervisor opens the statistics page
from the workbench navigation, sees the monthly chart (inline SVG) beside its table, filters
to a quarter, and downloads the Excel export; the public monthly figures open without login.
No sleeps: every step waits for its locator."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from oneseal.supervision import stats_rollup
from tests.browser.conftest import DESKTOP, _context
from tests.cases.conftest import bureau, catalogue, department, org
from tests.factories import TEST_PASSWORD
from tests.login_helpers import confirmed_device, current_code

pytestmark = pytest.mark.browser
__all__ = ["bureau", "catalogue", "department", "org"]  # fixtures


def test_statistics_page_chart_and_export(browser, live_server, cast, catalogue, org,
                                          shoot):
    today = dt.date.today()
    item, dept = catalogue.bureau_item.pk, org["dept-env"].pk
    stats_rollup.add(today, (item, dept, "window", 0), {"received": 5, "accepted": 4})
    stats_rollup.add(today, (item, dept, "online", 0), {"received": 3, "online": 3})
    stats_rollup.add(today, (item, dept, "window", 0), {
        "decided": 4, "on_time_promise": 4, "on_time_statute": 4, "days_used": 12,
        "ratings": 2, "satisfied": 2})
    supervisor = cast["supervisor"]
    context = _context(browser, DESKTOP, accept_downloads=True)
    try:
        page = context.new_page()
        base = live_server.url
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("用户名").fill(supervisor.username)
        page.get_by_label("密码").fill(TEST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        if supervisor.requires_two_factor:
            page.wait_for_url(f"{base}/accounts/otp/**")
            page.get_by_label("动态验证码").fill(current_code(confirmed_device(supervisor)))
            page.get_by_role("button", name="验证并登录").click()
        page.wait_for_url(f"{base}/workbench/")
        page.get_by_role("link", name="统计分析").first.click()
        expect(page.get_by_role("heading", name="统计分析", level=1)).to_be_visible()
        chart = page.get_by_role("img", name="按月收件与办结")
        expect(chart).to_be_visible()
        # 12 months up to this one: this month's bar (the 12th) is drawn, the earlier are 0
        expect(page.locator("#chart-trend rect.chart-a").nth(11)).to_be_visible()
        expect(page.get_by_role("img", name="办结率、网上办理占比和满意率")).to_be_visible()
        expect(page.locator(".stats-totals")).to_contain_text("37.5%")  # online 3 of 8
        expect(page.get_by_role("heading", name="按街道")).to_be_visible()
        shoot(page, "stats-page")
        page.get_by_label("统计周期").select_option("quarter")
        page.get_by_role("button", name="统计").click()
        expect(page.locator(".muted").first).to_contain_text("-Q")
        with page.expect_download() as info:
            page.get_by_role("link", name="导出 Excel").click()
        download = info.value
        assert download.suggested_filename.startswith("case-stats-")
        assert download.suggested_filename.endswith(".xlsx")
        path = download.path()
        assert path is not None and path.read_bytes()[:2] == b"PK"  # a zip: the workbook
        public = context.new_page()
        public.goto(f"{base}/figures/")
        expect(public.get_by_role("img", name="按月收件与办结")).to_be_visible()
        expect(public.get_by_role("table")).to_contain_text(f"{today:%Y-%m}")
        shoot(public, "stats-public")
    finally:
        context.close()
