"""部门协同 in a real browser (Debian's chromium): the department officer opens 部门协同 from
the workbench navigation, finds a decision in the claim inbox, claims it, then gives the
written opinion a joint-review case owes. No sleeps: every step waits for its locator."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oneseal.coordination import review
from oneseal.coordination.models import ClaimTicket, ReviewInvitation
from tests.cases.conftest import bureau, catalogue, department, org, person
from tests.cases.helpers import accepted, bureau_to_final, decided
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser
__all__ = ["bureau", "catalogue", "department", "org", "person"]  # fixtures


def test_dept_claims_a_decision_and_gives_an_opinion(page, live_server, cast, catalogue,
                                                     person, org, shoot):
    case = decided(cast, catalogue, person, on="2026-09-07")
    ticket = ClaimTicket.objects.get(case=case)
    open_case = bureau_to_final(cast, accepted(cast, catalogue.bureau_item, person))
    invitation = review.invite(actor=cast["chief"], case_id=open_case.pk,
                               department_id=org["dept-env"].pk,
                               question="排污口设置是否符合环境功能区划？")
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("dept")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workbench/")
    page.get_by_role("link", name="部门协同").first.click()
    expect(page.get_by_role("heading", name="部门协同", level=1)).to_be_visible()
    expect(page.get_by_text("已超过认领期限")).to_be_visible()
    expect(page.locator(".light--red").first).to_be_visible()
    shoot(page, "coordination-inbox")
    page.get_by_role("link", name=ticket.title).click()
    page.get_by_role("button", name="认领").click()
    expect(page.get_by_text("已认领。")).to_be_visible()
    expect(page.get_by_role("button", name="登记监管情况")).to_be_visible()
    shoot(page, "coordination-ticket")
    assert ClaimTicket.objects.get(pk=ticket.pk).claimed_by.username == "dept"
    page.get_by_role("link", name="返回部门协同").click()
    page.get_by_role("link", name=open_case.number).click()
    expect(page.get_by_text("排污口设置是否符合环境功能区划？")).to_be_visible()
    page.get_by_label("有条件同意").check()
    page.get_by_role("textbox", name="书面意见").fill("排污口应设在下游，落实在线监测后同意。")
    page.get_by_role("button", name="出具意见").click()
    expect(page.get_by_text("书面意见已出具。")).to_be_visible()
    expect(page.get_by_text("没有待出具的部门意见，可以作出决定。")).to_be_visible()
    shoot(page, "coordination-case-review")
    assert ReviewInvitation.objects.get(pk=invitation.pk).opinion == "conditional"
