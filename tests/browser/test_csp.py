"""The pages under the Content-Security-Policy (issue 12, "Files and headers"): scripts and
styles only from our own static files. In a real browser nothing is refused (no CSP
violation in the console), htmx still loads and swaps, and the guide's print button — an
inline onclick before — still prints."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oneseal.applicants.models import Person
from tests.cases import conftest as case_fixtures
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

org, bureau, department, catalogue = (case_fixtures.org, case_fixtures.bureau,
                                      case_fixtures.department, case_fixtures.catalogue)


def _watch(page) -> list[str]:
    """Console messages and page errors that tell of a refused script, style or frame."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text))
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    return seen


def _violations(seen: list[str]) -> list[str]:
    return [m for m in seen if "Content Security Policy" in m or "Refused to" in m]


def test_public_pages_run_under_the_policy_without_violations(page, live_server, catalogue):
    seen = _watch(page)
    item = catalogue.bureau_item
    for path in ("/", "/verify/", "/accounts/login/", "/items/", f"/items/{item.pk}/",
                 "/progress/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("typeof window.htmx") == "object", path
    assert _violations(seen) == []


def test_the_guide_print_button_prints_without_an_inline_handler(page, live_server, catalogue):
    seen = _watch(page)
    page.goto(f"{live_server.url}/items/{catalogue.bureau_item.pk}/")
    page.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; }; 0")
    page.get_by_role("button", name="打印本指南").click()
    assert page.evaluate("window.__printed") == 1
    assert _violations(seen) == []


def test_htmx_search_at_the_front_desk_works_under_the_policy(page, live_server, cast):
    Person.objects.create(name="张三丰", id_number="53011219800101123X")
    seen = _watch(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/workbench/cases/intake/")
    with page.expect_response(lambda r: "/workbench/cases/intake/" in r.url
                              and r.request.headers.get("hx-request") == "true"):
        page.locator("#id_q").fill("张三丰")
    # The response can arrive before htmx swaps it in: wait for the swap, not the wire.
    expect(page.locator("#applicant-results").get_by_text("张三丰").first).to_be_visible()
    assert _violations(seen) == []
