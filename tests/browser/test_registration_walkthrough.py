"""Self-registration on a phone (390 px): the code requested with the form's own button and
read from the file SMS backend, the account created and logged in; then the password reset
page, with no horizontal scroll anywhere."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from playwright.sync_api import expect

from oneseal.accounts.models import User
from tests.accounts.sms_helpers import Outbox

pytestmark = pytest.mark.browser

PHONE_WIDTH = {"width": 390, "height": 844}


@pytest.fixture
def outbox(tmp_path, transactional_db):
    path = tmp_path / "sms.jsonl"
    cache.clear()
    with override_settings(ONESEAL_SMS_BACKEND="file", ONESEAL_SMS_FILE=str(path)):
        yield Outbox(path)
    cache.clear()


@pytest.fixture
def narrow_page(browser, live_server):
    context = browser.new_context(viewport=PHONE_WIDTH, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _fits(page) -> bool:
    return bool(page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_register_on_a_phone_with_the_sms_code(narrow_page, live_server, outbox, shoot):
    page = narrow_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="注册个人账户").click()
    page.get_by_label("姓名").fill("李文华")
    page.get_by_label("身份证号码").fill("530112199001010012")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    assert page.get_by_label("姓名").input_value() == "李文华"  # input kept
    expect(page.locator("#id_code")).to_be_focused()  # the cursor waits there
    assert _fits(page)
    shoot(page, "phone-register")
    page.get_by_label("短信验证码").fill(outbox.last_code("13912345678"))
    page.locator("#id_password1").fill("Dianchi-lake-2026")
    page.locator("#id_password2").fill("Dianchi-lake-2026")
    page.get_by_role("button", name="注册", exact=True).click()
    page.wait_for_load_state()
    assert User.objects.filter(username="13912345678").exists()
    assert "/accounts/register/" not in page.url
    shoot(page, "phone-registered")


def test_reset_page_fits_a_phone(narrow_page, live_server, db, shoot):
    narrow_page.goto(live_server.url + "/accounts/reset/")
    assert narrow_page.get_by_role("button", name="获取验证码").is_visible()
    assert _fits(narrow_page)
    shoot(narrow_page, "phone-reset")
