"""A case through the back-office pages: claim and complete the review steps (第34条 site
visits), special procedures (第45条) and extensions (第42条), decide (第37–38条), terminate
and reopen; the delivery window (第44条); the case list with its filters and keyset pages;
the public progress query that shows nothing personal; and a deadline in a year the
calendar does not know (第82条). Pages call the services without `at`: each test travels
to fixed days of 2026."""

from __future__ import annotations

import datetime as dt
import re

from tests.login_helpers import log_in

from .conftest import at
from .helpers import accepted, bureau_to_final, decide_and_seal, decided, fresh, seal_case, submit
from .test_pages_flow import act, check_all
from .test_pages_flow import day as _day_fixture

day = _day_fixture  # the fixture that moves the clock, shared with the front-desk tests

# --- the back office ---------------------------------------------------------------------------

def _tasks(client, tab):
    return client.get("/workbench/cases/tasks/", {"tab": tab}).content.decode()


def test_reviewer_claims_from_the_open_list_and_completes_the_review(client, cast, day,
                                                                     catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    day("2026-09-02")
    log_in(client, cast["reviewer"])
    open_list = _tasks(client, "open")
    assert case.number in open_list and "审查" in open_list and 'class="light light--' in open_list
    assert case.number not in _tasks(client, "mine")
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "/do/claim/" in page and "/do/complete_step/" not in page
    act(client, case, "claim")
    assert case.number in _tasks(client, "mine") and case.number not in _tasks(client, "open")
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "/do/complete_step/" in page and "/do/decide/" not in page
    act(client, case, "complete_step", {"complete_step-opinion": "agree",
                                        "complete_step-comment": "材料齐全，符合条件。"})
    step = fresh(case).steps.get(order=2)
    assert step.state == "done" and step.opinion == "agree"
    assert step.assignee_id == cast["reviewer"].pk
    log_in(client, cast["chief"])
    assert case.number in _tasks(client, "open")


def test_claiming_a_step_someone_else_claimed_shows_who_has_it(client, cast, day, catalogue,
                                                               person):
    from oneseal.cases import services as svc

    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    svc.case_claim(actor=cast["chief"], case=case, at=at("2026-09-01"))
    log_in(client, cast["reviewer"])
    response = act(client, case, "claim")
    assert response.status_code in (403, 409)
    assert 'role="alert"' in response.content.decode()
    assert fresh(case).steps.get(order=2).assignee_id == cast["chief"].pk


def test_return_needs_the_earlier_step_and_a_reason(client, cast, day, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    from .helpers import pass_step

    pass_step(case, cast["reviewer"], "2026-09-01")
    log_in(client, cast["chief"])
    act(client, case, "claim")
    response = act(client, case, "complete_step", {"complete_step-opinion": "return"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请选择退回至哪个环节" in html and "退回时请写明理由" in html
    choices = html.split('id="id_complete_step-return_to"', 1)[1].split("</select>", 1)[0]
    assert '<option value="2">2. 审查</option>' in choices
    assert '<option value="1">' not in choices  # acceptance is not a review step
    act(client, case, "complete_step", {"complete_step-opinion": "return",
                                        "complete_step-return_to": "2",
                                        "complete_step-comment": "请补充现场照片"})
    case = fresh(case)
    assert case.steps.filter(order=2, state="open", round=2).exists()


def test_head_decides_with_reasons_required_for_a_refusal(client, cast, day, catalogue,
                                                         person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    bureau_to_final(cast, case, days=("2026-09-01", "2026-09-01", "2026-09-01"))
    day("2026-09-02")
    log_in(client, cast["head"])
    assert case.number in _tasks(client, "mine")
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "/do/decide/" in page and "/do/complete_step/" not in page
    refused = act(client, case, "decide", {"decide-outcome": "refused", "decide-reasons": ""})
    assert refused.status_code == 200
    assert "不予许可的，应当说明理由（第38条）" in refused.content.decode()
    assert fresh(case).state == "reviewing"
    act(client, case, "decide", {"decide-outcome": "granted", "decide-reasons": ""})
    case = fresh(case)
    assert case.state == "decided" and case.outcome == "granted"
    assert case.decided_by_id == cast["head"].pk


def test_article_45_special_procedure_hearing_fields_are_required_for_a_hearing(
        client, cast, day, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    log_in(client, cast["reviewer"])
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'class="hearing-fields"' in page and '<option value="expert_review">' in page
    response = act(client, case, "special_start", {
        "special_start-kind": "hearing", "special_start-reason": "涉及相邻人重大利益",
        "special_start-expected_days": "10"})
    assert response.status_code == 200 and "听证须填写此项" in response.content.decode()
    act(client, case, "special_start", {
        "special_start-kind": "expert_review", "special_start-reason": "技术方案需专家论证",
        "special_start-expected_days": "5"})
    case = fresh(case)
    assert case.state == "special" and case.clock_paused
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "暂停计时（特别程序）" in html and "/do/special_end/" in html
    day("2026-09-08")
    log_in(client, cast["reviewer"])
    act(client, case, "special_end", {"special_end-result": "专家同意", "special_end-minutes": ""})
    assert fresh(case).state == "reviewing"


def test_article_42_extension_requested_by_the_reviewer_and_approved_by_the_head(
        client, cast, day, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    log_in(client, cast["reviewer"])
    too_long = act(client, case, "extension_request", {"extension_request-days": "16",
                                                       "extension_request-reason": "复杂"})
    assert too_long.status_code == 200 and not case.extensions.exists()
    act(client, case, "extension_request", {"extension_request-days": "10",
                                            "extension_request-reason": "需要补充论证"})
    assert case.extensions.get().status == "pending"
    log_in(client, cast["head"])
    assert "/do/extension_approve/" in client.get(f"/workbench/cases/{case.pk}/").content.decode()
    act(client, case, "extension_approve", {"extension_approve-approve": "1",
                                            "extension_approve-note": "同意"})
    assert case.extensions.get().status == "approved"


# --- delivery (第44条) and the case list ------------------------------------------------------

def test_article_44_delivery_window_records_pickup_and_offers_the_receipt(client, cast, day,
                                                                        catalogue, person,
                                                                        seals):
    case = decided(cast, catalogue, person, on="2026-09-07")
    day("2026-09-08")
    log_in(client, cast["clerk"])
    # 第44条 under the bureau's seal: not listed at the window until the decision is signed
    assert case.number not in client.get("/workbench/cases/delivery/").content.decode()
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "待签章" in page and 'name="deliver-method"' not in page
    decision = case.documents.get(kind="grant_decision")
    draft_url = f"/workbench/cases/{case.pk}/documents/{decision.pk}/"
    # before the seal the document's name opens the draft, and says it is one
    assert f'<a href="{draft_url}">准予行政许可决定书<span class="muted">（未签章稿）' in page
    seal_case(cast, case, on="2026-09-08")
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    signed_url = f"/workbench/cases/{case.pk}/documents/{decision.pk}/signed/"
    assert "已签章" in page and signed_url in page
    # once sealed, the name itself opens the signed copy; the draft is no longer linked
    assert f'<a href="{signed_url}">准予行政许可决定书</a>' in page
    assert f'href="{draft_url}"' not in page
    signed = client.get(signed_url)
    assert signed.status_code == 200 and b"".join(signed).startswith(b"%PDF")
    queue = client.get("/workbench/cases/delivery/").content.decode()
    assert case.number in queue and f"/workbench/cases/delivery/{case.pk}/" in queue
    page = client.get(f"/workbench/cases/delivery/{case.pk}/").content.decode()
    assert "准予行政许可决定书" in page and 'name="deliver-method"' in page
    bad = act(client, case, "deliver", {"next": "delivery", "deliver-method": "pickup",
                                        "deliver-collector_name": "张三",
                                        "deliver-collector_id_number": "110105194912310021"})
    assert bad.status_code == 200 and "身份证号码校验码错误" in bad.content.decode()
    assert 'value="张三"' in bad.content.decode() and fresh(case).state == "ready"
    done = act(client, case, "deliver", {"next": "delivery", "deliver-method": "pickup",
                                         "deliver-collector_name": "张三",
                                         "deliver-collector_id_number": "53011219800101123X"})
    case = fresh(case)
    receipt = case.documents.get(kind="delivery_receipt")
    assert case.state == "delivered" and case.delivered_on.isoformat() == "2026-09-08"
    assert done["Location"] == f"/workbench/cases/delivery/{case.pk}/?doc={receipt.pk}"
    after = client.get(done["Location"]).content.decode()
    assert "已出具《送达回证》" in after and f"/documents/{receipt.pk}/" in after
    assert case.number not in client.get("/workbench/cases/delivery/").content.decode()


def test_delivery_by_post_needs_carrier_and_tracking_number(client, cast, day, catalogue,
                                                          person, seals):
    case = decide_and_seal(cast, catalogue, person, on="2026-09-07")
    day("2026-09-08")
    log_in(client, cast["clerk"])
    response = act(client, case, "deliver", {"deliver-method": "post",
                                             "deliver-carrier": "中国邮政"})
    assert response.status_code == 200 and "请填写此项" in response.content.decode()
    act(client, case, "deliver", {"deliver-method": "post", "deliver-carrier": "中国邮政",
                                  "deliver-tracking_number": "EMS0001"})
    assert fresh(case).delivery.tracking_number == "EMS0001"


def test_case_list_filters_and_pages_by_cursor(client, cast, day, catalogue, person, company,
                                               monkeypatch):
    from oneseal.cases import views_lists

    first = submit(cast, catalogue.bureau_item, person)
    second = submit(cast, catalogue.bureau_item, organisation=company)
    third = accepted(cast, catalogue.hall_item, person)
    log_in(client, cast["supervisor"])
    everything = client.get("/workbench/cases/").content.decode()
    assert all(c.number in everything for c in (first, second, third))
    received = client.get("/workbench/cases/", {"state": "received"}).content.decode()
    assert first.number in received and third.number not in received
    by_item = client.get("/workbench/cases/", {"item": catalogue.hall_item.pk}).content.decode()
    assert third.number in by_item and first.number not in by_item
    by_name = client.get("/workbench/cases/", {"q": "昆明西山"}).content.decode()
    assert second.number in by_name and first.number not in by_name
    by_number = client.get("/workbench/cases/", {"q": first.number}).content.decode()
    assert first.number in by_number and second.number not in by_number
    monkeypatch.setattr(views_lists, "PAGE", 2)
    page1 = client.get("/workbench/cases/").content.decode()
    cursor = re.search(r'href="\?cursor=(\d+)" rel="next"', page1).group(1)
    assert "下一页" in page1 and first.number not in page1
    page2 = client.get("/workbench/cases/", {"cursor": cursor}).content.decode()
    assert first.number in page2 and third.number not in page2 and "回到第一页" in page2


def test_department_officer_lists_only_his_departments_cases(client, cast, day, catalogue,
                                                            person, org):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["dept"])
    assert case.number in client.get("/workbench/cases/").content.decode()


# --- the public progress query --------------------------------------------------------------

def test_progress_shows_the_stage_and_dates_but_nothing_personal(client, cast, day,
                                                                 catalogue, person, seals):
    case = decide_and_seal(cast, catalogue, person, on="2026-09-07")
    from oneseal.cases import services as svc

    svc.case_deliver(actor=cast["clerk"], case=case, method="pickup", collector_name="张三",
                     collector_id_number="53011219800101123X", at=at("2026-09-08"))
    case = fresh(case)
    response = client.post("/progress/", {"number": case.number.lower(),
                                          "query_code": case.query_code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "已送达" in html and "2026-09-01" in html and "2026-09-07" in html
    assert "2026-09-08" in html and "排污许可（测试）" in html
    for personal in ("张三", "53011219800101123X", "5301**", "13800138000",
                     cast["head"].display_name, cast["clerk"].display_name):
        assert personal not in html, personal


def test_progress_gives_the_same_answer_for_a_wrong_code_and_a_wrong_number(client, cast, day,
                                                                           catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    wrong_code = client.post("/progress/", {"number": case.number, "query_code": "AAAAAAAA"})
    wrong_number = client.post("/progress/", {"number": case.number[:-1] + "9",
                                              "query_code": case.query_code})
    for response in (wrong_code, wrong_number):
        html = response.content.decode()
        assert response.status_code == 200 and "未找到该办件" in html
        assert "排污许可（测试）" not in html and "当前状态" not in html


def test_progress_limits_tries_per_address(client, db):
    from django.core.cache import cache

    from oneseal.cases import views_portal

    cache.clear()
    for _ in range(views_portal.TRIES):
        assert client.post("/progress/", {"number": "X", "query_code": "Y"}).status_code == 200
    blocked = client.post("/progress/", {"number": "X", "query_code": "Y"})
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.content.decode()
    cache.clear()


def test_article_82_deadline_in_a_year_without_schedule_is_provisional_on_the_pages(
        client, cast, day, catalogue, person):
    """The calendar knows no 2027 yet (第82条; law.md §1): a case received at the end of 2026
    moves through the pages with every date set, those reaching 2027 marked 暂定."""
    day("2026-12-28")
    case = submit(cast, catalogue.bureau_item, person, on="2026-12-28")
    # 5 working days from Mon 2026-12-28: 29, 30, 31, [01-01 元旦], 01-04, 01-05 → 01-05.
    assert case.correction_due == dt.date(2027, 1, 5) and not case.clock_error
    assert case.provisional_dues == {"correction_due": [2027]}
    log_in(client, cast["clerk"])
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "时限暂无法计算" not in html and "data-provisional" in html
    assert "2027-01-05" in html and "badge--provisional" in html
    act(client, case, "check_materials", check_all(case, then="accept"))
    case = fresh(case)
    assert case.state == "reviewing" and case.clock_provisional and not case.clock_error
    assert case.statutory_due is not None and case.promised_due is not None
    log_in(client, cast["reviewer"])
    tasks = client.get("/workbench/cases/tasks/", {"tab": "open"}).content.decode()
    assert case.number in tasks and "badge--provisional" in tasks
    listing = client.get("/workbench/cases/").content.decode()
    assert case.number in listing


def test_article_34_site_visit_step_needs_two_staff_chosen_on_the_page(client, cast, day,
                                                                       catalogue, person):
    from oneseal.cases.models import CaseStep

    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    CaseStep.objects.filter(case=case, order=2).update(site_visit=True)  # a site-visit step
    log_in(client, cast["reviewer"])
    act(client, case, "claim")
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'name="complete_step-site_staff"' in page and "现场核查人员（至少两名，第34条）" in page
    one = act(client, case, "complete_step", {"complete_step-opinion": "agree",
                                              "complete_step-site_staff": [cast["reviewer"].pk]})
    assert one.status_code == 200 and "现场核查应当指派两名以上工作人员" in one.content.decode()
    assert fresh(case).steps.get(order=2).state == "claimed"
    two = act(client, case, "complete_step", {
        "complete_step-opinion": "agree",
        "complete_step-site_staff": [cast["reviewer"].pk, cast["chief"].pk]})
    assert two.status_code == 302
    step = fresh(case).steps.get(order=2)
    assert step.state == "done" and len(step.site_staff) == 2


def test_chief_terminates_and_only_the_head_reopens(client, cast, day, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    log_in(client, cast["chief"])
    act(client, case, "terminate", {"terminate-reason": "申请人死亡"})
    assert fresh(case).state == "terminated"
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "/do/reopen/" not in page
    refused = act(client, case, "reopen", {"reopen-reason": "误操作"})
    assert refused.status_code == 403 and fresh(case).state == "terminated"
    log_in(client, cast["head"])
    assert "/do/reopen/" in client.get(f"/workbench/cases/{case.pk}/").content.decode()
    act(client, case, "reopen", {"reopen-reason": "误操作"})
    assert fresh(case).state == "reviewing"


def test_article_48_hearing_chaired_by_the_reviewer_is_refused_next_to_the_form(
        client, cast, day, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    log_in(client, cast["reviewer"])
    act(client, case, "claim")
    hearing = {"special_start-kind": "hearing", "special_start-reason": "涉及相邻人重大利益",
               "special_start-expected_days": "15",
               "special_start-rights_notified_on": "2026-08-28",
               "special_start-requested_on": "2026-08-31",
               "special_start-hearing_on": "2026-09-15", "special_start-place": "第一听证室",
               "special_start-chair": cast["reviewer"].pk}
    refused = act(client, case, "special_start", hearing)
    html = refused.content.decode()
    assert refused.status_code == 200 and 'id="error-special_start"' in html
    assert "听证主持人不能是审查该申请的工作人员" in html
    assert 'value="第一听证室"' in html  # the form keeps what was typed
    assert fresh(case).state == "reviewing" and not case.special_procedures.exists()
    act(client, case, "special_start", {**hearing, "special_start-chair": cast["head"].pk})
    run = fresh(case).special_procedures.get()
    assert run.kind == "hearing" and run.chair_id == cast["head"].pk
    assert fresh(case).documents.filter(kind="special_notice").exists()
