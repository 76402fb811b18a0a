"""中介超市 in a real browser (Debian's chromium): a visitor searches the public directory
(by name, then by service), opens an intermediary, then follows a finished random draw from
its posting to the page that recomputes it; the directory again on a phone. Screenshots:
test-artifacts/screenshots/intermediaries/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oneseal.intermediaries.services import selection
from tests.intermediaries.market import at, bid, make_intermediary, make_service, post

pytestmark = pytest.mark.browser


def test_directory_search_and_draw_recomputation(page, phone_page, live_server, cast, shoot):
    service = make_service()
    make_service("ZJ03", "施工图设计文件审查")
    agencies = [make_intermediary(n, service, cast) for n in (1, 2, 3)]
    posting = post(cast["applicant"], service, method="draw")
    for a in agencies:
        bid(a, posting)
    selection.close_posting(posting_id=posting.pk, at=at("2026-09-29"))
    posting.refresh_from_db()
    winner = posting.winner.intermediary.name

    page.goto(f"{live_server.url}/intermediaries/")
    expect(page.locator("#directory-count")).to_contain_text("共 3 家")
    page.get_by_label("机构名称或统一社会信用代码").fill("中介机构02")
    page.get_by_role("button", name="检索").click()
    expect(page.locator("#directory-count")).to_contain_text("共 1 家")
    expect(page.get_by_role("link", name="测试中介机构02")).to_be_visible()
    page.get_by_label("机构名称或统一社会信用代码").fill("")
    page.get_by_label("中介服务事项").select_option(label="施工图设计文件审查")
    page.get_by_role("button", name="检索").click()
    expect(page.locator("#directory-count")).to_contain_text("共 0 家")
    page.get_by_label("中介服务事项").select_option(label="环境影响评价")
    page.get_by_role("button", name="检索").click()
    expect(page.locator("#directory-count")).to_contain_text("共 3 家")
    shoot(page, "intermediaries/01-directory")
    page.get_by_role("link", name="测试中介机构01").click()
    expect(page.get_by_role("heading", name="收费公示与承诺时限")).to_be_visible()
    expect(page.get_by_text("50000.00")).to_be_visible()
    shoot(page, "intermediaries/02-intermediary")

    page.get_by_role("link", name="采购公告与结果").click()
    page.get_by_role("link", name=posting.number).click()
    expect(page.get_by_text(posting.commitment)).to_be_visible()
    page.get_by_role("link", name="查看抽取过程并复算").click()
    expect(page.locator("#commitment-check")).to_contain_text("与承诺值一致")
    expect(page.locator("#draw-match")).to_contain_text("一致")
    expect(page.locator("tr.won")).to_contain_text(winner)
    shoot(page, "intermediaries/03-draw")

    phone_page.goto(f"{live_server.url}/intermediaries/")
    expect(phone_page.locator("#directory-count")).to_contain_text("共 3 家")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    shoot(phone_page, "intermediaries/04-directory-phone")
    phone_page.goto(f"{live_server.url}/intermediaries/postings/{posting.pk}/draw/")
    expect(phone_page.locator("#draw-winner")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(phone_page, "intermediaries/05-draw-phone")
