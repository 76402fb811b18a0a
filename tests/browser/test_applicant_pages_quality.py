"""Every applicant page at phone size (390×844): axe-core (axe-playwright-python, which ships
axe.min.js inside the package — nothing fetched) finds no serious or critical violation, the
page has no horizontal scroll, and its main buttons are tap targets of at least 44 px.

All pages are visited once, in one browser context, with one set of data: the first
parametrised test to run (whichever it is) walks them all and keeps each page's findings;
every test then asserts its own page's. The live server's database is emptied after each
test, so the walk must not be repeated per page (it would rebuild the data twenty times)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from oneseal.cases import services as svc
from oneseal.cases.services import online
from oneseal.licences.models import LicenceType
from oneseal.licences.signing import authorise_case, sign_pending
from oneseal.notifications.models import Channel, Delivery
from oneseal.notifications.services import deliver_due
from tests.cases import conftest as case_fixtures
from tests.cases import online_fixtures
from tests.cases.conftest import at
from tests.cases.helpers import check, fresh, pass_step
from tests.cases.online_fixtures import ready_draft

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

org, bureau, department = case_fixtures.org, case_fixtures.bureau, case_fixtures.department
online_item, person = online_fixtures.online_item, case_fixtures.person
PHONE = {"width": 390, "height": 844}
SHOTS = SCREENSHOTS / "applicant-pages"  # test-artifacts/screenshots/applicant-pages/
MIN_TAP = 44
SEVERE = {"serious", "critical"}

# (name, path template, the page's main button: it must be there) — {item}, {draft},
# {received}, {correcting}, {delivered} filled from the data built below
PAGES: list[tuple[str, str, str]] = [
    ("home", "/", ""),
    ("guides", "/guides/", ""),
    ("guide", "/items/{item}/", "main a.button"),
    ("register", "/accounts/register/", "main button"),
    ("login", "/accounts/login/", "main button"),
    ("reset", "/accounts/reset/", "main button"),
    ("progress", "/progress/", "main button"),
    ("verify", "/verify/", "main button"),
    # logged in as the applicant from here on
    ("apply-start", "/apply/items/{item}/", "main button"),
    ("apply-questions", "/apply/drafts/{draft}/questions/", "main button"),
    ("apply-form", "/apply/drafts/{draft}/form/", "main button"),
    ("apply-materials", "/apply/drafts/{draft}/materials/", "main button"),
    ("apply-delivery", "/apply/drafts/{draft}/delivery/", "main button"),
    ("apply-summary", "/apply/drafts/{draft}/summary/", "main button"),
    ("apply-drafts", "/apply/drafts/", ""),
    ("receipt", "/apply/cases/{received}/receipt/", "main a.button"),
    ("corrections", "/apply/cases/{correcting}/corrections/", "main button"),
    ("my-cases", "/my/", "main button"),
    ("my-case", "/my/cases/{received}/", "main button"),
    ("messages", "/my/messages/", ""),
    ("my-licences", "/licences/mine/", ""),
    ("rating", "/ratings/{delivered}/", "main button"),
    ("my-authorisations", "/my/authorisations/", ""),
    ("register-organisation", "/accounts/register/organisation/", "main button"),
    ("my-organisations", "/accounts/organisations/", ""),
    ("message", "/my/messages/{message}/", ""),
]
# what a finger taps: every visible button and input box, and the label that carries a radio
# button or check box; a 1×1 px element is visually hidden (a form's default button)
TAPPABLE = ("button, a.button, input[type=submit], input:not([type]), input[type=text], "
            "input[type=tel], input[type=password], input[type=search], input[type=file], "
            "select, "
            "label:has(> input[type=radio]), label:has(> input[type=checkbox])")
ANONYMOUS = 8  # the first eight pages are visited before logging in
_FINDINGS: dict[str, dict[str, Any]] = {}


def _build(request) -> dict[str, int]:
    """One applicant with a draft at the summary, an online case waiting for pre-review, one
    waiting for corrections, and one delivered (decided, signed) with its licence."""
    cast = request.getfixturevalue("cast")
    item = request.getfixturevalue("online_item")
    applicant = request.getfixturevalue("person")
    request.getfixturevalue("seals")
    LicenceType.objects.create(code="11100000000000078", name="食品经营许可证", item=item,
                               defining_authority="国家市场监督管理总局", validity_months=60,
                               scope_label="经营项目")
    user = cast["applicant"]

    def submitted(day: str):
        return online.draft_submit(actor=user, draft=ready_draft(user, item, person=applicant),
                                   at=at(day))

    received = submitted("2026-09-01")
    correcting = submitted("2026-09-01")
    check(correcting, cast["clerk"], defective={"场所平面图": "未标注设备布局"},
          on="2026-09-02")
    svc.case_correction_notice(actor=cast["clerk"], case=correcting, at=at("2026-09-02"))
    delivered = submitted("2026-09-01")
    check(delivered, cast["clerk"], on="2026-09-02")
    svc.case_accept(actor=cast["clerk"], case=delivered, at=at("2026-09-02"))
    pass_step(delivered, cast["reviewer"], "2026-09-03")
    pass_step(delivered, cast["chief"], "2026-09-04")
    svc.case_claim(actor=cast["head"], case=delivered, at=at("2026-09-07"))
    svc.case_decide(actor=cast["head"], case=delivered, outcome="granted", reasons="",
                    at=at("2026-09-07"))
    with time_machine.travel(at("2026-09-07", 11), tick=False):
        authorise_case(actor=cast["head"], case=delivered)
        sign_pending(delivered)
    svc.case_deliver(actor=cast["clerk"], case=fresh(delivered), method="post",
                     tracking_number="EA123456789CN", at=at("2026-09-08"))
    draft = ready_draft(user, item, person=applicant)
    deliver_due()  # the message box: the notifications the cases wrote
    message = Delivery.objects.filter(user=user, channel=Channel.INBOX).order_by("id").first()
    return {"item": item.pk, "draft": draft.pk, "received": received.pk,
            "correcting": correcting.pk, "delivered": delivered.pk, "user": user.pk,
            "message": message.pk}


def _inspect(page, buttons: str) -> dict[str, Any]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    severe = [v for v in results.response["violations"] if v["impact"] in SEVERE]
    small = page.locator(TAPPABLE).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => {"
        " const r = e.getBoundingClientRect();"
        " return [e.tagName + ' ' + (e.textContent.trim() || e.name).slice(0, 20),"
        "         Math.round(r.height), Math.round(r.width)]; })"
        f".filter(b => b[1] < {MIN_TAP} && b[2] > 1)")
    return {
        "severe": [f"{v['id']} ({v['impact']}): {v['help']} — "
                   + "; ".join(", ".join(n["target"]) for n in v["nodes"][:5]) for v in severe],
        "width": page.evaluate("document.documentElement.scrollWidth"),
        "small": small,
        "buttons": page.locator(buttons).count() if buttons else None,
    }


def _walk(request, browser, live_server) -> None:
    ids = _build(request)
    from oneseal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=ids["user"]))
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(10_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\napplicant pages at 390 px: {SHOTS}")
    try:
        page = context.new_page()
        for index, (name, template, buttons) in enumerate(PAGES):
            if index == ANONYMOUS:
                context.add_cookies([{"name": "sessionid", "url": live_server.url,
                                      "value": client.cookies["sessionid"].value}])
            response = page.goto(live_server.url + template.format(**ids))
            found = _inspect(page, buttons)
            page.screenshot(path=str(SHOTS / f"{index + 1:02d}-{name}.png"), full_page=True)
            found["code"] = response.status if response else None
            _FINDINGS[name] = found
    finally:
        context.close()


@pytest.fixture
def findings(request, browser, live_server):
    if not _FINDINGS:
        _walk(request, browser, live_server)
    return _FINDINGS


@pytest.mark.parametrize("name", [p[0] for p in PAGES])
def test_applicant_page_accessible_fits_390_px_with_large_tap_targets(findings, name):
    page = findings[name]
    assert page["code"] == 200, page
    assert page["severe"] == [], "\n".join(page["severe"])
    assert page["width"] <= 390, f"{name}: scrollWidth {page['width']} > 390"
    if page["buttons"] is not None:
        assert page["buttons"] >= 1, f"{name}: no main button found"
    assert page["small"] == [], f"{name}: tap targets under {MIN_TAP} px: {page['small']}"
