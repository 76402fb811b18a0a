"""数据交换 in a real browser (Debian's chromium): the system administrator (with the second
factor) opens 数据交换 from the workbench, sees a subscription whose receiver is down with a
dead letter and its alert, replays the dead letter, creates an API key (shown once), and
reads the call log after the key's first call. No sleeps."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from oneseal.coordination.models import EventAlert, Subscription, WebhookDelivery
from oneseal.coordination.models_events import DeliveryState
from tests.browser.conftest import DESKTOP, _context
from tests.browser.test_archives_walkthrough import _log_in
from tests.cases.conftest import bureau, catalogue, department, org, person
from tests.cases.helpers import accepted

pytestmark = pytest.mark.browser
__all__ = ["bureau", "catalogue", "department", "org", "person"]  # fixtures


def test_sysadmin_replays_a_dead_letter_and_issues_a_key(browser, live_server, cast, catalogue,
                                                        person, department, shoot):
    sub = Subscription.objects.create(name="环保监管平台", owner=department,
                                      url="http://127.0.0.1:9/hook", secret="s")
    case = accepted(cast, catalogue.bureau_item, person)
    dead = WebhookDelivery.objects.filter(subscription=sub, event__case=case).order_by(
        "seq").first()
    WebhookDelivery.objects.filter(pk=dead.pk).update(state=DeliveryState.DEAD, attempts=30,
                                                      last_error="连接失败：拒绝连接")
    EventAlert.objects.create(delivery=dead, subscription=sub,
                              text="事件投递30次均失败，已转入死信列表")
    base = live_server.url
    context = _context(browser, DESKTOP)
    try:
        page = context.new_page()
        _log_in(page, base, cast["sysadmin"])
        page.get_by_role("link", name="数据交换").first.click()
        expect(page.get_by_role("heading", name="数据交换", level=1)).to_be_visible()
        expect(page.get_by_text("事件投递30次均失败")).to_be_visible()
        expect(page.get_by_role("link", name="环保监管平台")).to_be_visible()
        shoot(page, "exchange/home")
        page.get_by_role("link", name="查看死信列表").click()
        expect(page.get_by_role("cell", name="连接失败：拒绝连接")).to_be_visible()
        shoot(page, "exchange/dead-letters")
        page.get_by_role("button", name="重放").click()
        expect(page.get_by_text("已重新排队投递")).to_be_visible()
        assert WebhookDelivery.objects.get(pk=dead.pk).state == DeliveryState.PENDING
        page.get_by_role("navigation", name="数据交换").get_by_role(
            "link", name="接口密钥").click()
        page.get_by_role("link", name="新建接口密钥").click()
        page.get_by_label("密钥名称").fill("环保监管系统")
        page.get_by_label("所属部门").select_option(label=department.name)
        page.get_by_label("办件状态查询").check()
        page.get_by_role("button", name="保存").click()
        key = page.get_by_label("密钥", exact=True).input_value()
        assert key.startswith("osk_")
        shoot(page, "exchange/key-once")
        Client().get(f"/api/v1/exchange/cases/{case.number}",
                     HTTP_AUTHORIZATION=f"Bearer {key}")
        page.goto(f"{base}/workbench/coordination/exchange/calls/")
        expect(page.get_by_role("cell", name=case.number)).to_be_visible()
        shoot(page, "exchange/calls")
    finally:
        context.close()
