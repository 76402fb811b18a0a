"""The online hall from home, at phone size (390×844), in Debian's chromium: a person
registers (the SMS code read from the file backend), applies for 食品经营许可 online (guided
questions, form, uploads, the shared material confirmed, delivery, summary, receipt), gets a
correction notice at 网上预审, corrects online, is accepted, decided and signed, downloads
the signed licence from 我的办件 and rates the case — asserting every date the pages show
against the statutory clock, worked out by hand below.

The clock is fixed with time-machine (ticking, so the live server and the session see the
same day). The 2026 schedule (chinese_calendar): 09-26/27 weekend inside the Mid-autumn
holiday 09-25..09-27, National Day 10-01..10-07, **Saturday 10-10 a make-up working day**.

- Tue 09-22 online receipt: 第32条's five working days run 09-23 (1), 09-24 (2), [09-25..27
  holiday], 09-28 (3), 09-29 (4), 09-30 (5) → 补正告知期限 **2026-09-30**.
- Thu 09-24 the clerk sends the one-time correction notice (in time); Mon 09-28 the applicant
  corrects online; Tue 09-29 the clerk accepts (受理日期 **2026-09-29**).
- 20 working days from acceptance (第42条): 09-30 (1), [10-01..07 holiday], 10-08 (2), 10-09
  (3), Sat 10-10 (4, 调休), 10-12..16 (5-9), 10-19..23 (10-14), 10-26..30 (15-19), Mon 11-02
  (20) → 法定办结期限 **2026-11-02**; the promised 10 working days end on the 10th,
  **2026-10-19**.
- 审查 10-08, 审核 10-09, the head decides on Mon 10-12 and the licence is signed that day;
  delivered (posted) Tue 10-13, rated that day.

Screenshots: walkthrough-NN-*.png in the directory the test prints."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from oneseal.applicants.models import Person
from oneseal.cases import services as svc
from oneseal.cases.models import Case
from oneseal.licences.models import Licence, LicenceType
from oneseal.licences.signing import authorise_case, sign_pending
from oneseal.supervision.models import LevelChoices, Rating
from tests.accounts import sms_helpers
from tests.cases import conftest as case_fixtures
from tests.cases import online_fixtures
from tests.cases.conftest import at
from tests.cases.helpers import check, fresh, pass_step
from tests.factories import TEST_PASSWORD

from .conftest import DESKTOP, SCREENSHOTS, _context

pytestmark = pytest.mark.browser

org, bureau, department = case_fixtures.org, case_fixtures.bureau, case_fixtures.department
online_item = online_fixtures.online_item
sms_outbox = sms_helpers.sms_outbox
PHONE = {"width": 390, "height": 844}
SHOTS = SCREENSHOTS / "online-hall"  # test-artifacts/screenshots/online-hall/
MOBILE = "13912340001"
PASSWORD = "Xishan-hill-2026"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def food_licence_type(online_item):
    return LicenceType.objects.create(
        code="11100000000000077", name="食品经营许可证", item=online_item,
        defining_authority="国家市场监督管理总局", validity_months=60, scope_label="经营项目")


def _clerk_queue_row(browser, base: str, clerk: str, number: str) -> str:
    """The clerk's 网上预审 queue (desktop), logged in through the login page: the row of
    case `number`."""
    context = _context(browser, DESKTOP)
    try:
        page = context.new_page()
        page.goto(base + "/accounts/login/")
        page.get_by_label("用户名").fill(clerk)
        page.get_by_label("密码").fill(TEST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(base + "/workbench/")
        page.goto(base + "/workbench/cases/online/")
        row = page.locator("tbody tr", has_text=number)
        text = row.inner_text()
        page.screenshot(path=str(SHOTS / "walkthrough-08-clerk-online-queue.png"),
                        full_page=True)
        return text
    finally:
        context.close()


def _fits(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= 390"))


def _text(page) -> str:
    return page.locator("main").inner_text()


def test_online_hall_walkthrough_article_32_and_42_dates_from_register_to_rating(
        phone, live_server, sms_outbox, cast, online_item, food_licence_type, seals,
        tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nwalk-through screenshots: {SHOTS}")
    n = iter(range(1, 100))

    def shoot(name: str) -> None:
        assert _fits(page), f"horizontal scroll on {name}"
        page.screenshot(path=str(SHOTS / f"walkthrough-{next(n):02d}-{name}.png"),
                        full_page=True)

    page, base = phone, live_server.url
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(online_fixtures.make_pdf())
    # no Expires on the session cookie (the browser's clock is the real one), and a session
    # that outlives the three weeks the walk-through spans
    with override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True,
                           SESSION_COOKIE_AGE=60 * 86400), \
            time_machine.travel(at("2026-09-22", 9), tick=True) as clock:
        # 1. register (Tue 09-22)
        page.goto(base + "/accounts/register/")
        page.get_by_label("姓名").fill("李文华")
        page.get_by_label("身份证号码").fill("530112199001010012")
        page.get_by_label("手机号码").fill(MOBILE)
        page.get_by_role("button", name="获取验证码").click()
        page.wait_for_load_state()
        page.get_by_label("短信验证码").fill(sms_outbox.last_code(MOBILE))
        page.locator("input[name=password1]").fill(PASSWORD)
        page.locator("input[name=password2]").fill(PASSWORD)
        shoot("register")
        page.get_by_role("button", name="注册", exact=True).click()
        page.wait_for_url(lambda url: "/accounts/register/" not in url)
        person = Person.objects.get(id_number="530112199001010012")

        # 2. apply online from the guide
        page.goto(f"{base}/items/{online_item.pk}/")
        shoot("guide")
        page.get_by_role("link", name="在线办理").first.click()
        page.get_by_role("button", name="开始申请").click()
        page.get_by_label("没有，首次申请").check()
        shoot("questions")
        page.get_by_role("button", name="下一步：填写申请表").click()
        page.get_by_label("店铺名称").fill("西山小厨")
        page.get_by_label("经营面积（平方米）").fill("九十")
        page.get_by_label("热食类食品制售").check()
        page.get_by_role("button", name="保存，下一步：上传材料").click()
        page.locator(".field-error").first.wait_for()
        assert page.get_by_label("店铺名称").input_value() == "西山小厨"  # input kept
        page.get_by_label("经营面积（平方米）").fill("90")
        shoot("form")
        page.get_by_role("button", name="保存，下一步：上传材料").click()
        page.get_by_role("heading", name="申请材料").wait_for()
        for name in ("申请表", "场所平面图"):
            item = page.locator(".apply-materials > li", has_text=name)
            item.locator("input[type=file]").set_input_files(str(pdf))
            item.get_by_role("button", name="上传").click()
            page.locator(".apply-materials > li", has_text=name).get_by_text(
                "已上传：").wait_for()
        assert "已通过共享获取" in _text(page)
        page.get_by_label("我确认使用共享获取的该材料，无需上传").check()
        shoot("materials")
        page.get_by_role("button", name="下一步：送达方式").click()
        page.get_by_role("radio", name="邮寄送达").check()
        page.get_by_label("邮寄地址（选择邮寄送达时填写）").fill("昆明市西山区前卫街道1号")
        page.get_by_role("button", name="下一步：确认提交").click()
        page.get_by_role("heading", name="确认提交").wait_for()
        shoot("summary")
        page.get_by_role("button", name="提交申请").click()
        page.get_by_role("heading", name="收件凭证").wait_for()
        case = Case.objects.get(person=person)
        receipt = _text(page)
        assert case.number in receipt and case.query_code in receipt
        assert "2026-09-22" in receipt  # 收件时间
        assert "2026-09-30" in receipt  # 补正告知期限: 5 working days over Mid-autumn
        shoot("receipt")

        # 3. 网上预审 on Thu 09-24: the clerk's queue lists it; one correction notice
        clock.move_to(at("2026-09-24", 9))
        row = _clerk_queue_row(phone.context.browser, base, cast["clerk"].username,
                               case.number)
        assert "2026-09-22" in row and "2026-09-30" in row  # 收件时间, 告知期限
        next(n)  # screenshot 08 is the clerk's queue
        check(case, cast["clerk"], defective={"场所平面图": "未标注设备布局"},
              on="2026-09-24")
        svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-24"))

        # 4. correct online on Mon 09-28: only the listed material, with its reason
        clock.move_to(at("2026-09-28", 9))
        page.goto(f"{base}/my/")
        page.get_by_role("link", name="网上补正").first.click()
        page.get_by_role("heading", name="场所平面图").wait_for()
        text = _text(page)
        assert "未标注设备布局" in text and "申请表" not in text.split("网上补正", 2)[-1]
        page.locator("input[type=file]").set_input_files(str(pdf))
        page.get_by_role("button", name="上传").click()
        page.get_by_text("已上传：").wait_for()
        shoot("corrections")
        page.get_by_role("button", name="提交补正材料").click()
        page.wait_for_load_state()
        assert fresh(case).state == "received"

        # 5. accepted Tue 09-29; 审查 10-08, 审核 10-09; decided and signed Mon 10-12
        clock.move_to(at("2026-09-29", 9))
        check(case, cast["clerk"], on="2026-09-29")
        svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-29"))
        page.goto(f"{base}/my/cases/{case.pk}/")
        text = _text(page)
        assert "2026-09-29" in text  # 受理日期
        assert "2026-11-02" in text  # 法定办结期限: 20 working days, 10-10 counted
        assert "2026-10-19" in text  # 承诺办结期限: 10 working days
        assert "暂定" not in text  # 2026's schedule is known
        shoot("accepted")
        clock.move_to(at("2026-10-08", 9))
        pass_step(case, cast["reviewer"], "2026-10-08")
        clock.move_to(at("2026-10-09", 9))
        pass_step(case, cast["chief"], "2026-10-09")
        clock.move_to(at("2026-10-12", 9))
        svc.case_claim(actor=cast["head"], case=case, at=at("2026-10-12"))
        svc.case_decide(actor=cast["head"], case=case, outcome="granted", reasons="",
                        at=at("2026-10-12"))
        authorise_case(actor=cast["head"], case=case)
        assert sign_pending(case)
        assert fresh(case).state == "ready"

        # 6. the signed licence downloaded from 我的办件
        page.goto(f"{base}/my/cases/{case.pk}/")
        licence = Licence.objects.get(case=case)
        text = _text(page)
        assert "准予许可（2026-10-12）" in text  # 决定 with its day
        link = page.get_by_role("link", name=f"食品经营许可证（{licence.number}）")
        shoot("decided")
        with page.expect_download() as download:
            link.evaluate("a => a.setAttribute('download', '')")
            link.click()
        saved = tmp_path / "licence.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF") and b"/ByteRange" in saved.read_bytes()

        # 7. delivered by post Tue 10-13, then rated online
        clock.move_to(at("2026-10-13", 9))
        svc.case_deliver(actor=cast["clerk"], case=case, method="post", carrier="EMS",
                         tracking_number="EA123456789CN", at=at("2026-10-13"))
        page.goto(f"{base}/ratings/{case.pk}/")
        page.get_by_label("非常满意").check()
        page.get_by_label("意见和建议").fill("全程网办，没有跑腿。")
        shoot("rating")
        page.get_by_role("button", name="提交评价").click()
        page.get_by_text("感谢您的评价。").wait_for()
        rating = Rating.objects.get(case=case)
        assert rating.level == LevelChoices.VERY_SATISFIED and not rating.deemed
        page.goto(f"{base}/ratings/{case.pk}/")
        assert "已评价：非常满意" in _text(page)  # one rating per case and channel
        page.goto(f"{base}/my/cases/{case.pk}/")
        assert "2026-10-13" in _text(page)  # 送达 in the history
        shoot("delivered-rated")
