"""The workbench as staff use it (issue 14), in a real browser: the clerk's home counts
待受理 by the five-working-day point of 行政许可法 第32条 (待办 / 即将超期 / 已超期), each count
links to the list filtered so; at a phone's width (375 px) the list is a stack of cards
whose dates, numbers and states never wrap one character per line. Screenshots go to
test-artifacts/screenshots/worklists-*.png.

The live server runs on the real date: the due dates are set relative to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oneseal.applicants import services as applicants
from oneseal.cases import services as svc
from oneseal.cases.models import Case
from tests.browser.conftest import DESKTOP, _context
from tests.cases import conftest as case_fixtures
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

org, bureau, department, catalogue = (case_fixtures.org, case_fixtures.bureau,
                                      case_fixtures.department, case_fixtures.catalogue)
VALID_ID = "11010519491231002X"


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workbench/")


@pytest.fixture
def waiting(cast, catalogue):
    """Two applications at the window: one 5 days past its 第32条 point, one due today."""
    person = applicants.register_person(actor=None, name="王五", id_number=VALID_ID)
    today = timezone.localdate()
    cases = {}
    for name, due in (("overdue", today - dt.timedelta(days=10)), ("today", today)):
        case, _created = svc.case_submit(actor=cast["clerk"], item_id=catalogue.bureau_item.pk,
                                         variant_code="01",
                                         applicant=svc.ApplicantRef(person_id=person.pk))
        Case.objects.filter(pk=case.pk).update(correction_due=due)
        cases[name] = case
    return cases


def test_home_counts_link_to_the_filtered_waiting_list_art_32(browser, live_server, cast,
                                                              waiting, shoot):
    base = live_server.url
    context = _context(browser, DESKTOP)
    page = context.new_page()
    try:
        _log_in(page, base, "clerk")
        line = page.locator('[data-worklist="waiting"]')
        total = line.locator('[data-count="total"] .count-n')
        assert total.inner_text() == "2"
        assert line.locator('[data-count="soon"] .count-n').inner_text() == "1"
        assert line.locator('[data-count="overdue"] .count-n').inner_text() == "1"
        shoot(page, "worklists-home-clerk")
        line.locator('[data-count="overdue"]').click()
        page.wait_for_url(f"{base}/workbench/cases/waiting/?due=overdue")
        table = page.locator("table.case-table")
        assert waiting["overdue"].number in table.inner_text()
        assert waiting["today"].number not in table.inner_text()
        assert "超期" in table.locator(".days-left").first.inner_text()
        assert page.locator(".due-links a[aria-current]").inner_text() == "已超期"
        shoot(page, "worklists-waiting-overdue")
        page.go_back()
        line.locator('[data-count="soon"]').click()
        page.wait_for_url(f"{base}/workbench/cases/waiting/?due=soon")
        assert page.locator("table.case-table .days-left").first.inner_text() == "今日到期"
    finally:
        context.close()


def _one_line(locator) -> bool:
    """The element is no taller than one line of its own text (nothing wrapped)."""
    return locator.evaluate(
        "el => { const s = getComputedStyle(el); const lh = parseFloat(s.lineHeight)"
        " || parseFloat(s.fontSize) * 1.6; return el.getBoundingClientRect().height"
        " < lh * 1.6 && s.whiteSpace === 'nowrap'; }")


def test_waiting_list_is_a_stack_of_cards_on_a_phone(phone_page, live_server, cast, waiting,
                                                     shoot):
    page = phone_page
    base = live_server.url
    _log_in(page, base, "clerk")
    home_line = page.locator('[data-worklist="waiting"]')
    assert home_line.is_visible()
    shoot(page, "worklists-home-phone")
    home_line.locator('[data-count="total"]').click()
    page.wait_for_url(f"{base}/workbench/cases/waiting/")
    table = page.locator("table.case-table")
    assert table.locator("thead").evaluate("el => getComputedStyle(el).display") == "none"
    first_row = table.locator("tbody tr").first
    assert first_row.evaluate("el => getComputedStyle(el).display") == "block"
    # the case number is the card's title; every other cell has its label beside it
    cells = first_row.locator("td[data-label]")
    assert cells.nth(0).evaluate("el => getComputedStyle(el, '::before').display") == "none"
    assert cells.nth(1).evaluate("el => getComputedStyle(el, '::before').content") == '"事项："'
    number = first_row.locator(".case-number")
    assert number.evaluate("el => el.getBoundingClientRect().right <= window.innerWidth")
    for selector in (".case-number", ".due time", ".days-left", ".light"):
        assert _one_line(first_row.locator(selector).first), selector
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, "worklists-waiting-phone")
