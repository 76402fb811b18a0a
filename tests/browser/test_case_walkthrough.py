"""One case from the window to delivery in a real browser (Debian's chromium): the clerk
registers the applicant, picks the item, checks the materials and accepts (第32条); the
reviewer claims and completes 审查, the chief 审核; the head logs in with his code and
decides; the clerk delivers at the unified window (第44条); the public progress page then
says 已送达 and shows nothing personal. Screenshots go to /tmp/oneseal-pages-shots/.

The live server runs on today's real date (the services default `at` to now): when a
deadline reaches a year the calendar does not know yet, the services store a clock error
instead of failing, and the walk-through must still go through."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from oneseal.cases.models import Case
from oneseal.licences.signing import sign_pending
from tests.browser.conftest import DESKTOP, _context
from tests.cases import conftest as case_fixtures
from tests.factories import TEST_PASSWORD
from tests.login_helpers import confirmed_device, current_code

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "oneseal-pages-shots"
# the organisation tree and the published items of the case tests
org, bureau, department, catalogue = (case_fixtures.org, case_fixtures.bureau,
                                      case_fixtures.department, case_fixtures.catalogue)
VALID_ID = "11010519491231002X"


@pytest.fixture
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page, name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return _shoot


@pytest.fixture
def open_as(browser, live_server):
    """open_as("clerk") gives a page logged in as that cast member (password, and the TOTP
    code for the head), in a fresh browser context."""
    contexts = []

    def _open(username: str, *, code_for=None):
        context = _context(browser, DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(TEST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        if code_for is not None:
            page.wait_for_url(f"{live_server.url}/accounts/otp/**")
            page.get_by_label("动态验证码").fill(current_code(code_for))
            page.get_by_role("button", name="验证并登录").click()
        page.wait_for_url(f"{live_server.url}/workbench/")
        return page

    yield _open
    for context in contexts:
        context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def claim_and_complete(page, base: str, case: Case, comment: str) -> None:
    page.goto(f"{base}/workbench/cases/tasks/?tab=open")
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("button", name="认领本环节").click()
    page.wait_for_load_state()
    assert "已完成：认领环节" in page.get_by_role("status").first.inner_text()
    # no opinion is pre-selected (issue 14: no risky defaults): the reviewer chooses 同意
    agree = page.get_by_label("同意", exact=True)
    assert not agree.is_checked()
    agree.check()
    page.get_by_label("意见说明（不同意或退回时必填）").fill(comment)
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_load_state()


def test_a_case_from_the_front_desk_to_delivery(open_as, live_server, cast, catalogue,
                                                 shots, browser, seals):
    base = live_server.url
    # --- the clerk: applicant, item, materials, acceptance ---------------------------------
    clerk = open_as("clerk")
    clerk.locator('[data-feature="intake"]').get_by_role("link").click()
    clerk.wait_for_url(f"{base}/workbench/cases/intake/")
    expect(clerk.locator("#id_q")).to_be_focused()
    shots(clerk, "01-intake")
    clerk.get_by_role("link", name="登记新自然人").click()
    # the click starts a navigation; expect() waits for the new page's autofocus
    expect(clerk.locator("#id_name")).to_be_focused()
    clerk.get_by_label("姓名").fill("王五")
    clerk.get_by_label("身份证号码").fill("110105194912310021")  # wrong check digit
    clerk.get_by_role("button", name="登记并继续").click()
    assert "身份证号码校验码错误" in clerk.locator(".field-error").inner_text()
    shots(clerk, "02-register-error")
    clerk.get_by_label("身份证号码").fill(VALID_ID)
    clerk.get_by_role("button", name="登记并继续").click()
    clerk.wait_for_url(f"{base}/workbench/cases/intake/new/?person=*")
    assert "1101**********002X" in clerk.locator(".facts").inner_text()
    clerk.get_by_label("事项名称、拼音首字母或编码").fill("排污")
    clerk.get_by_role("button", name="查找事项").click()
    clerk.get_by_role("link", name="选择 排污许可（测试）").click()
    clerk.wait_for_load_state()
    shots(clerk, "03-choose-variant")
    clerk.get_by_role("button", name="创建办件（收件）").click()
    clerk.wait_for_url(f"{base}/workbench/cases/*/")
    case = Case.objects.get(person__name="王五")
    assert case.state == "received" and case.channel == "window"
    # the material table: the first result has the focus; nothing is pre-checked (issue 14:
    # no risky defaults), except a result recorded at receipt (shared from the licence library)
    clerk.wait_for_function(
        "document.activeElement && document.activeElement.type === 'radio'")
    assert clerk.locator("table.materials input[value=ok]:checked").count() == 0
    shots(clerk, "04-case-received")
    rows = clerk.locator("table.materials tbody tr")
    for i in range(rows.count()):
        row = rows.nth(i)
        if row.locator("input[type=radio]:checked").count():
            continue
        optional = row.locator("input[value=not_needed]:not([disabled])")
        (optional if optional.count() else row.locator("input[value=ok]")).check()
    clerk.get_by_role("button", name="保存并受理").click()
    clerk.wait_for_load_state()
    notice = clerk.locator(".doc-notice")
    assert "已出具《受理通知书》" in notice.inner_text()
    # no signing worker runs here: the notice says plainly that it waits for the seal and
    # offers no unsigned copy to print (only a link to refresh the page)
    assert "正在等待加盖电子印章" in notice.inner_text()
    assert f"/workbench/cases/{case.pk}/documents/" not in notice.inner_html()
    shots(clerk, "05-case-accepted")
    case.refresh_from_db()
    assert case.state == "reviewing"

    # --- the reviewer and the chief ----------------------------------------------------------
    reviewer = open_as("reviewer")
    claim_and_complete(reviewer, base, case, "材料齐全，符合法定条件。")
    shots(reviewer, "06-review-done")
    chief = open_as("chief")
    chief.goto(f"{base}/workbench/cases/tasks/?tab=open")
    assert chief.locator("table .light").first.is_visible()
    shots(chief, "07-tasks-open")
    claim_and_complete(chief, base, case, "同意。")
    case.refresh_from_db()
    assert case.steps.get(order=3).state == "done"

    # --- the head decides (password, then the code) ------------------------------------------
    device = confirmed_device(cast["head"])
    head = open_as("head", code_for=device)
    head.goto(f"{base}/workbench/cases/tasks/?tab=open")
    head.get_by_role("link", name=case.number).click()
    head.get_by_role("button", name="认领本环节").click()
    head.wait_for_load_state()
    shots(head, "08-head-decides")
    grant = head.get_by_label("准予许可", exact=True)
    assert not grant.is_checked()  # the decision is chosen, never pre-selected
    grant.check()
    head.get_by_role("button", name="作出决定").click()
    head.wait_for_load_state()
    assert "准予行政许可决定书" in head.locator(".doc-notice").inner_text()
    case.refresh_from_db()
    assert case.state == "decided" and case.outcome == "granted"
    assert "待签章" in head.content()  # not deliverable before the seal (第44条)

    # --- the signing worker seals the decision (the head may use the approval seal) -----------
    sign_pending(case)
    case.refresh_from_db()
    assert case.state == "ready"
    head.reload()
    assert "已签章" in head.content()
    shots(head, "08b-decision-signed")

    # --- the clerk delivers at the unified window ---------------------------------------------
    clerk.goto(f"{base}/workbench/cases/delivery/")
    shots(clerk, "09-delivery-queue")
    clerk.get_by_role("link", name=f"出件 {case.number}").click()
    clerk.get_by_label("领取人姓名").fill("王五")
    clerk.get_by_label("领取人身份证号码").fill(VALID_ID)
    assert not clerk.get_by_label("邮件号").is_visible()  # only the chosen method's fields
    shots(clerk, "10-deliver-form")
    clerk.get_by_role("button", name="登记送达").click()
    clerk.wait_for_load_state()
    receipt = clerk.get_by_role("link", name="下载打印《送达回证》（PDF）")
    assert receipt.is_visible()
    shots(clerk, "11-delivered")
    case.refresh_from_db()
    assert case.state == "delivered"
    pdf = clerk.request.get(base + receipt.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # --- the public progress page -----------------------------------------------------------------
    public = _context(browser, DESKTOP).new_page()
    public.goto(f"{base}/")
    public.get_by_role("navigation", name="主导航").get_by_role("link", name="办件进度查询").click()
    public.get_by_label("办件编号").fill(case.number)
    public.get_by_label("查询码").fill(case.query_code)
    public.get_by_role("button", name="查询").click()
    public.wait_for_load_state()
    result = public.locator(".progress-result").inner_text()
    assert "已送达" in result
    html = public.content()
    for personal in ("王五", VALID_ID, "1101**"):
        assert personal not in html
    shots(public, "12-progress")
    public.context.close()

    # the clocks: computed, or (when a deadline reaches an unknown year) explained, not failed
    case.refresh_from_db()
    assert case.delivered_on is not None
    print("clock_error:", repr(case.clock_error), "promised_due:", case.promised_due,
          "delivery_due:", case.delivery_due)
    assert no_horizontal_scroll(clerk)


def test_case_page_and_task_list_fit_a_phone(phone_page, live_server, cast, catalogue, shots):
    from oneseal.applicants import services as applicants
    from oneseal.cases import services as svc

    person = applicants.register_person(actor=None, name="王五", id_number=VALID_ID,
                                        user=cast["applicant"])
    case, _created = svc.case_submit(actor=cast["clerk"], item_id=catalogue.bureau_item.pk,
                                     variant_code="01",
                                     applicant=svc.ApplicantRef(person_id=person.pk))
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workbench/")
    for path, name in ((f"/workbench/cases/{case.pk}/", "phone-case"),
                       ("/workbench/cases/intake/", "phone-intake"),
                       ("/workbench/cases/", "phone-case-list")):
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
        shots(page, name)
    page.goto(f"{live_server.url}/progress/")
    assert no_horizontal_scroll(page)
    shots(page, "phone-progress")
    # the applicant sees his own case in the portal's frame, with his own operations only
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("applicant")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/my/")
    page.goto(f"{live_server.url}/workbench/cases/{case.pk}/")
    assert page.locator(".masthead").is_visible()
    # 撤回 is a secondary action: behind the disclosure (其他操作), one tap away (issue 14)
    assert not page.get_by_role("button", name="撤回申请").is_visible()
    page.locator("details.more-actions > summary").click()
    assert page.get_by_role("button", name="撤回申请").is_visible()
    assert page.get_by_role("button", name="受理").count() == 0
    assert no_horizontal_scroll(page)
    shots(page, "phone-applicant-case")


def test_front_desk_search_updates_as_the_clerk_types(open_as, live_server, cast, shots):
    from oneseal.applicants import services as applicants

    applicants.register_person(actor=None, name="王五", id_number=VALID_ID,
                               phone="13800138000")
    clerk = open_as("clerk")
    clerk.goto(f"{live_server.url}/workbench/cases/intake/")
    # the search field has the focus (autofocus): wait for it, then type without clicking
    clerk.wait_for_function("document.activeElement && document.activeElement.id === 'id_q'")
    clerk.keyboard.type("王五")
    results = clerk.locator("#applicant-results")
    results.get_by_role("link", name="选择 王五").wait_for()
    assert "1101**********002X" in results.inner_text()
    assert "138****8000" in results.inner_text()
    assert clerk.url.endswith("/workbench/cases/intake/?q=%E7%8E%8B%E4%BA%94")  # pushed
    shots(clerk, "13-intake-search")
