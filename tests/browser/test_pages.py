"""The pages in a real browser: logging in as a clerk and as the head (password, then TOTP),
the phone layout, and screenshots to look at (test-artifacts/screenshots/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.login_helpers import confirmed_device, current_code

pytestmark = pytest.mark.browser


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_portal_home_in_chinese(page, live_server, db, shoot):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("heading", level=1).inner_text() == "西山区行政审批局"
    nav = page.get_by_role("navigation", name="主导航")
    for label in ("首页", "办事指南", "办理时限计算器", "证照核验", "登录"):
        assert nav.get_by_role("link", name=label).is_visible()
    # the stylesheet really loaded (the masthead is seal red), and htmx with it
    colour = page.locator(".masthead").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(155, 28, 31)"
    assert page.evaluate("typeof window.htmx") == "object"
    shoot(page, "portal-home")


def test_login_page_focuses_the_user_name_first(page, live_server, db, shoot):
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("clerk")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    shoot(page, "login")


def test_wrong_password_shows_a_visible_error(page, live_server, cast, shoot):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    alert = page.get_by_role("alert")
    assert "用户名或密码不正确" in alert.inner_text()
    assert "再输错 4 次" in alert.inner_text()
    shoot(page, "login-error")


def test_clerk_logs_in_and_sees_the_workbench(page, live_server, cast, shoot):
    log_in(page, live_server.url, "clerk")
    page.wait_for_url(live_server.url + "/workbench/")
    assert page.get_by_role("heading", level=1).inner_text() == "工作台"
    nav = page.get_by_role("navigation", name="工作台导航")
    assert nav.get_by_text("收件受理").is_visible()
    assert nav.get_by_text("组织与人员").count() == 0
    assert page.locator(".wb-topbar").get_by_text("综合受理窗口人员").is_visible()
    shoot(page, "workbench-clerk")
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(live_server.url + "/")


def test_head_logs_in_with_password_then_code(page, live_server, cast, shoot):
    device = confirmed_device(cast["head"])
    log_in(page, live_server.url, "head")
    page.wait_for_url(live_server.url + "/accounts/otp/")
    shoot(page, "otp-verify")
    # the workbench stays closed until the code is entered
    page.goto(live_server.url + "/workbench/")
    assert page.url.startswith(live_server.url + "/accounts/otp/?next=")
    page.get_by_label("动态验证码").fill(current_code(device))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(live_server.url + "/workbench/")
    nav = page.get_by_role("navigation", name="工作台导航")
    assert nav.get_by_text("电子印章").is_visible()
    shoot(page, "workbench-head")


def test_head_enrols_an_authenticator_on_first_login(page, live_server, cast, shoot):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    log_in(page, live_server.url, "catalog_admin")
    page.wait_for_url(live_server.url + "/accounts/otp/enrol/")
    assert page.locator(".qr-box svg").is_visible()
    shoot(page, "otp-enrol")
    device = TOTPDevice.objects.get(user=cast["catalog_admin"], confirmed=False)
    page.get_by_label("动态验证码").fill(current_code(device))
    page.get_by_role("button", name="确认绑定").click()
    page.wait_for_url(live_server.url + "/workbench/")
    assert "身份验证器已绑定" in page.get_by_role("status").inner_text()


def test_language_switch_to_english_and_back(page, live_server, db, shoot):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Service guides").is_visible()
    shoot(page, "portal-home-en")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/guides/"])
def test_public_pages_fit_a_phone_without_horizontal_scroll(phone_page, live_server, db, shoot,
                                                            path):
    phone_page.goto(live_server.url + path)
    assert phone_page.evaluate("window.innerWidth") == 375
    assert no_horizontal_scroll(phone_page), path
    shoot(phone_page, "phone-" + (path.strip("/").replace("/", "-") or "home"))


def test_workbench_fits_a_phone(phone_page, live_server, cast, shoot):
    log_in(phone_page, live_server.url, "chief")
    phone_page.wait_for_url(live_server.url + "/workbench/")
    assert no_horizontal_scroll(phone_page)
    shoot(phone_page, "phone-workbench-chief")
    phone_page.goto(live_server.url + "/accounts/me/")
    assert no_horizontal_scroll(phone_page)
    shoot(phone_page, "phone-my-roles")


def test_applicant_is_refused_the_workbench_with_a_chinese_page(page, live_server, cast, shoot):
    log_in(page, live_server.url, "applicant")
    page.wait_for_url(live_server.url + "/my/")
    shoot(page, "my-cases")
    response = page.goto(live_server.url + "/workbench/")
    assert response.status == 403
    assert "您的角色无权访问此页面" in page.get_by_role("alert").inner_text()
    shoot(page, "forbidden")


def test_lockout_page_explains_in_chinese(page, live_server, cast, shoot):
    from django.conf import settings

    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill("reviewer")
        page.get_by_label("密码").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "账户已暂时锁定"
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert f"请在 {minutes} 分钟后再试" in page.get_by_role("alert").inner_text()
    shoot(page, "locked-out")
