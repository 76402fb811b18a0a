"""The statute's operations on the case page: 当场更正 at the window (第32条), joint handling
and the government's approval of its extension (第42条第二款), hearing notices and a hearing
the bureau calls itself (第36条, 第46–47条). Each button is offered only to the roles that may
use it; any other role posting it gets 403 and nothing changes."""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.models import CaseEvent, HearingNotice, SpecialProcedureRun, SpotCorrection
from tests.login_helpers import log_in

from .conftest import at
from .helpers import accepted, day, fresh, material, submit
from .test_pages_flow import act
from .test_pages_flow import day as _day_fixture

pytestmark = pytest.mark.django_db
travel = _day_fixture


def _page(client, case):
    return client.get(f"/workbench/cases/{case.pk}/").content.decode()


def _events(case):
    return CaseEvent.objects.filter(case=case).count()


def test_article_32_spot_correction_button_for_the_clerk(client, cast, travel, catalogue,
                                                         person):
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-01")
    form = material(case, "申请表")
    log_in(client, cast["clerk"])
    assert "/do/spot_correction/" in _page(client, case)
    empty = act(client, case, "spot_correction", {"spot_correction-material": form.pk,
                                                  "spot_correction-what": ""})
    assert empty.status_code == 200 and not SpotCorrection.objects.exists()
    done = act(client, case, "spot_correction", {"spot_correction-material": form.pk,
                                                 "spot_correction-what": "申请日期笔误已更正"})
    assert done.status_code == 302
    assert SpotCorrection.objects.get(case=case).items[0]["what"] == "申请日期笔误已更正"


@pytest.mark.parametrize("who", ["reviewer", "chief", "head", "supervisor", "helper"])
def test_article_32_spot_correction_refused_to_other_roles(client, cast, travel, catalogue,
                                                           person, who):
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-01")
    log_in(client, cast[who])
    assert "/do/spot_correction/" not in _page(client, case)
    before = _events(case)
    response = act(client, case, "spot_correction", {
        "spot_correction-material": material(case, "申请表").pk,
        "spot_correction-what": "笔误"})
    assert response.status_code == 403
    assert _events(case) == before and not SpotCorrection.objects.exists()


def test_article_42_second_paragraph_joint_and_government_approval_on_the_page(
        client, cast, travel, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    travel("2026-09-02")
    log_in(client, cast["chief"])
    act(client, case, "mark_joint", {"mark_joint-kind": "joint", "mark_joint-reason": "联合"})
    assert (fresh(case).joint_kind, fresh(case).statutory_due) == ("joint", day("2026-11-09"))
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=15, reason="需会商",
                               at=at("2026-09-02"))
    log_in(client, cast["head"])
    page = _page(client, case)
    assert "/do/extension_government/" in page and "/do/extension_approve/" not in page
    act(client, case, "extension_government", {
        "extension_government-approve": "1", "extension_government-approver": "王副区长",
        "extension_government-document_number": "西府复〔2026〕3号",
        "extension_government-approved_on": "2026-09-02"})
    assert fresh(case).statutory_due == day("2026-11-30")
    assert case.extensions.get().external_document == "西府复〔2026〕3号"


@pytest.mark.parametrize("who", ["clerk", "reviewer", "supervisor", "dept"])
def test_article_42_second_paragraph_mark_joint_refused_to_other_roles(
        client, cast, travel, catalogue, person, who):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    log_in(client, cast[who])
    before = _events(case)
    response = act(client, case, "mark_joint", {"mark_joint-kind": "joint",
                                                "mark_joint-reason": "联合"})
    assert response.status_code == 403
    assert _events(case) == before and fresh(case).joint is False


@pytest.mark.parametrize("who", ["clerk", "reviewer", "supervisor"])
def test_article_42_second_paragraph_government_approval_refused_to_other_roles(
        client, cast, travel, catalogue, person, who):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    svc.case_mark_joint(actor=cast["chief"], case=case, kind="joint", reason="联合",
                        at=at("2026-09-01"))
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=15, reason="需会商",
                               at=at("2026-09-01"))
    log_in(client, cast[who])
    before = _events(case)
    response = act(client, case, "extension_government", {
        "extension_government-approve": "1", "extension_government-approver": "王副区长",
        "extension_government-document_number": "西府复〔2026〕3号",
        "extension_government-approved_on": "2026-09-01"})
    assert response.status_code == 403
    assert _events(case) == before and case.extensions.get().status == "pending"


def test_article_47_hearing_notice_and_article_46_hearing_on_the_page(
        client, cast, travel, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    travel("2026-09-02")
    log_in(client, cast["reviewer"])
    assert "/do/hearing_notice/" in _page(client, case)
    act(client, case, "hearing_notice", {"hearing_notice-reason": "涉及相邻住户采光",
                                         "hearing_notice-parties": "李四\n\n王五\n"})
    assert HearingNotice.objects.get(case=case).parties == ["李四", "王五"]
    log_in(client, cast["head"])
    act(client, case, "special_start", {
        "special_start-kind": "hearing", "special_start-reason": "依职权听证",
        "special_start-expected_days": "10", "special_start-called_by_bureau": "on",
        "special_start-hearing_on": "2026-09-11", "special_start-place": "第二听证室",
        "special_start-chair": cast["chief"].pk, "special_start-parties": "李四"})
    run = SpecialProcedureRun.objects.get(case=case)
    assert (run.called_by_bureau, run.requested_on) == (True, None)


@pytest.mark.parametrize("who", ["clerk", "supervisor", "helper", "dept"])
def test_article_47_hearing_notice_refused_to_other_roles(client, cast, travel, catalogue,
                                                          person, who):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    log_in(client, cast[who])
    before = _events(case)
    response = act(client, case, "hearing_notice", {"hearing_notice-reason": "涉及相邻住户采光",
                                                    "hearing_notice-parties": "李四"})
    assert response.status_code == 403
    assert _events(case) == before and not HearingNotice.objects.exists()
