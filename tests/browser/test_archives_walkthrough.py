"""电子档案 in a real browser (Debian's chromium): the archivist (系统管理员, with the second
factor) opens the archive index from the workbench, finds a case's package by its number,
runs the fixity check, makes the year's transfer list and records its receipt, and sees the
backup alert; the index at phone width has no horizontal scroll. No sleeps."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oneseal.archives import services
from oneseal.core.masking import mask_name
from tests.archives.conftest import withdrawn_case
from tests.browser.conftest import DESKTOP, PHONE, _context
from tests.cases.conftest import bureau, catalogue, department, org, person
from tests.factories import TEST_PASSWORD
from tests.login_helpers import confirmed_device, current_code

pytestmark = pytest.mark.browser
__all__ = ["bureau", "catalogue", "department", "org", "person"]  # fixtures


def _log_in(page, base, user):
    device = confirmed_device(user)  # before logging in: else the enrolment step opens
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/accounts/otp/**")
    page.get_by_label("动态验证码").fill(current_code(device))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(f"{base}/workbench/")


def test_archive_index_fixity_transfer_and_backup_alert(browser, live_server, cast, catalogue,
                                                        person, settings, tmp_path, shoot):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    package = services.build_package(withdrawn_case(cast, catalogue, person).pk)
    base = live_server.url
    context = _context(browser, DESKTOP)
    try:
        page = context.new_page()
        _log_in(page, base, cast["sysadmin"])
        page.get_by_role("link", name="电子档案").first.click()
        expect(page.get_by_role("heading", name="电子档案", level=1)).to_be_visible()
        page.get_by_label("办件编号、档号或申请人").fill(package.case_number)
        page.get_by_role("button", name="筛选").click()
        expect(page.get_by_role("cell", name=mask_name(person.name))).to_be_visible()
        shoot(page, "archives/index")
        page.get_by_role("link", name=package.archive_number).click()
        page.get_by_role("button", name="立即检测").click()
        expect(page.get_by_role("status")).to_contain_text("全部完好")
        shoot(page, "archives/detail-checked")
        page.goto(f"{base}/workbench/archives/transfers/")
        page.get_by_label("年度").fill(str(package.year))
        page.get_by_role("button", name="编制该年度移交清单").click()
        expect(page.get_by_role("heading", name="移交清单")).to_contain_text(
            f"YJ-{package.year}-001")
        page.get_by_label("接收单位").fill("西山区档案馆")
        page.get_by_label("接收人").fill("王五")
        page.get_by_role("button", name="登记接收").click()
        expect(page.locator(".notice").last).to_contain_text("西山区档案馆 王五 已于")
        shoot(page, "archives/transfer")
        page.get_by_role("link", name="数据备份").first.click()
        expect(page.get_by_role("alert").filter(has_text="备份告警")).to_contain_text("尚无成功的备份")
        shoot(page, "archives/backups")
        state = context.storage_state()  # the same session: a TOTP code is used only once
    finally:
        context.close()
    phone = _context(browser, PHONE, is_mobile=True, has_touch=True, storage_state=state)
    try:
        page = phone.new_page()
        page.goto(f"{base}/workbench/archives/")
        expect(page.get_by_role("link", name=package.archive_number)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shoot(page, "archives/index-phone")
    finally:
        phone.close()
