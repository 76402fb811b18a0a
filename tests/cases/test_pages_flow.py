"""A case through the pages at the front desk: find or register the applicant, create the
case, check the materials and accept, notify the defects once or refuse (第32条), upload
files; the refusals of the services shown in Chinese next to their form (409 for a state
conflict, 200 for a rule), never a 500, with nothing changed. The back office, delivery,
the lists and the public progress page are in test_pages_review.py.

Pages call the services without `at`: each test travels to fixed days of 2026."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from oneseal.applicants.models import Person
from oneseal.cases.models import Case, CaseEvent, CaseFile, CheckStatus
from tests.login_helpers import log_in

from .conftest import at
from .helpers import VALID_ID, accepted, fresh, submit


@pytest.fixture
def day():
    """day("2026-09-02") moves the clock to that day (10:00 in Kunming)."""
    travellers = []

    def _go(text: str) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(at(text), tick=False)
        traveller.start()
        travellers.append(traveller)

    _go("2026-09-01")
    yield _go
    for traveller in travellers:
        traveller.stop()


def act(client, case, op, data=None, **extra):
    return client.post(f"/workbench/cases/{case.pk}/do/{op}/", data or {}, **extra)


def check_all(case, then=""):
    """The material table as the clerk submits it: required ones 合格 (shareable ones
    共享获取), the optional one 不适用."""
    data = {"then": then}
    for m in case.materials.all():
        data[f"status-{m.pk}"] = ("shared" if m.shareable else "ok") if m.required \
            else "not_needed"
        data[f"reason-{m.pk}"] = ""
    return data


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "application form")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- the front desk ---------------------------------------------------------------------------

def test_front_desk_finds_applicants_by_name_and_id_number_and_masks_them(client, cast, day,
                                                                          person, company):
    log_in(client, cast["clerk"])
    html = client.get("/workbench/cases/intake/", {"q": "张三"}).content.decode()
    assert "张三" in html and "5301**********123X" in html and "138****8000" in html
    assert "53011219800101123X" not in html and "13800138000" not in html
    assert f"/workbench/cases/intake/new/?person={person.pk}" in html
    by_id = client.get("/workbench/cases/intake/", {"q": "53011219800101123x"}).content.decode()
    assert f"?person={person.pk}" in by_id
    by_code = client.get("/workbench/cases/intake/",
                         {"q": "91530112MA6K00000C"}).content.decode()
    assert f"?organisation={company.pk}" in by_code and "昆明西山测试有限公司" in by_code
    nothing = client.get("/workbench/cases/intake/", {"q": "王五"}).content.decode()
    assert "没有找到“王五”" in nothing


def test_front_desk_search_answers_htmx_with_the_results_only(client, cast, day, person):
    log_in(client, cast["clerk"])
    response = client.get("/workbench/cases/intake/", {"q": "张"},
                          headers={"HX-Request": "true", "HX-Target": "applicant-results"})
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div id="applicant-results"')
    assert "<html" not in html and "张三" in html


def test_registering_a_person_with_a_bad_id_number_shows_the_chinese_error(client, cast, day,
                                                                           catalogue):
    log_in(client, cast["clerk"])
    response = client.post("/workbench/cases/intake/person/",
                           {"name": "王五", "id_number": "110105194912310021", "phone": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "身份证号码校验码错误" in html
    assert 'value="王五"' in html  # what was typed is kept
    assert not Person.objects.filter(name="王五").exists()


def test_registering_a_person_then_creating_the_case_at_the_window(client, cast, day,
                                                                   catalogue):
    log_in(client, cast["clerk"])
    response = client.post("/workbench/cases/intake/person/",
                           {"name": "王五", "id_number": VALID_ID.lower(), "phone": ""})
    person = Person.objects.get(name="王五")
    assert person.id_number == VALID_ID
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/cases/intake/new/?person={person.pk}"
    # the same number again: already registered, offered for selection
    again = client.post("/workbench/cases/intake/person/",
                        {"name": "王五", "id_number": VALID_ID, "phone": ""}).content.decode()
    assert "该申请人已经登记" in again and f"?person={person.pk}" in again
    # choose the item from the catalogue search
    found = client.get("/workbench/cases/intake/new/",
                       {"person": person.pk, "q": "排污"}).content.decode()
    item = catalogue.bureau_item
    assert "排污许可（测试）" in found and f"item={item.pk}" in found
    page = client.get("/workbench/cases/intake/new/",
                      {"person": person.pk, "item": item.pk}).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    form = {"person": person.pk, "item": item.pk, "variant": "01", "token": token}
    created = client.post("/workbench/cases/intake/new/", form)
    case = Case.objects.get(person=person)
    assert created.status_code == 302 and created["Location"] == f"/workbench/cases/{case.pk}/"
    assert case.channel == "window" and case.state == "received"
    # a double click (same form token) does not create a second case
    twice = client.post("/workbench/cases/intake/new/", form)
    assert twice["Location"] == f"/workbench/cases/{case.pk}/"
    assert Case.objects.filter(person=person).count() == 1


def test_registering_an_organisation_with_a_bad_credit_code_is_refused(client, cast, day):
    log_in(client, cast["clerk"])
    response = client.post("/workbench/cases/intake/organisation/", {
        "name": "某公司", "credit_code": "91530112MA6K00000D", "legal_representative": "赵六"})
    assert response.status_code == 200 and "统一社会信用代码" in response.content.decode()
    assert 'class="field-error"' in response.content.decode()


# --- acceptance (第32条) -----------------------------------------------------------------------

def test_article_32_clerk_checks_materials_and_accepts_with_the_notice_to_print(client, cast,
                                                                              day, catalogue,
                                                                              person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["clerk"])
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "5301**********123X" in html and "53011219800101123X" not in html
    # no risky default: no material starts checked; the clerk chooses each result
    assert 'name="status-' in html and "保存并受理" in html
    for m in case.materials.filter(status="pending"):
        assert not re.search(rf'name="status-{m.pk}" value="[a-z_]+" checked', html), m.name
    response = act(client, case, "check_materials", check_all(case, then="accept"))
    case = fresh(case)
    assert case.state == "reviewing" and case.accepted_on.isoformat() == "2026-09-01"
    notice = case.documents.get(kind="acceptance_notice")
    assert response["Location"] == f"/workbench/cases/{case.pk}/?doc={notice.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "已出具《受理通知书》" in page
    assert f"/workbench/cases/{case.pk}/documents/{notice.pk}/" in page
    pdf = client.get(f"/workbench/cases/{case.pk}/documents/{notice.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_article_32_accepting_twice_shows_the_state_in_chinese_and_changes_nothing(
        client, cast, day, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    events = CaseEvent.objects.filter(case=case).count()
    log_in(client, cast["clerk"])
    response = act(client, case, "accept")
    html = response.content.decode()
    assert response.status_code == 409
    assert "办件当前状态为“审查中”，不能受理。" in html and 'role="alert"' in html
    assert CaseEvent.objects.filter(case=case).count() == events
    assert fresh(case).state == "reviewing"


def test_article_32_defect_without_reason_is_marked_on_its_row(client, cast, day, catalogue,
                                                              person):
    case = submit(cast, catalogue.bureau_item, person)
    form = check_all(case)
    plan = case.materials.get(name="场所平面图")
    form[f"status-{plan.pk}"] = "defective"
    before = sorted(case.materials.values_list("pk", "status"))
    log_in(client, cast["clerk"])
    response = act(client, case, "check_materials", form)
    html = response.content.decode()
    assert response.status_code == 200 and "需补正的材料请写明补正原因" in html
    assert 'value="defective" checked' in html  # the table keeps what was chosen
    assert sorted(case.materials.values_list("pk", "status")) == before
    assert plan.status == CheckStatus.PENDING


def test_article_32_one_notice_lists_every_defect_and_corrections_come_back(client, cast,
                                                                          day, catalogue,
                                                                          person):
    case = submit(cast, catalogue.bureau_item, person)
    form = check_all(case, then="correction_notice")
    plan = case.materials.get(name="场所平面图")
    form[f"status-{plan.pk}"] = "defective"
    form[f"reason-{plan.pk}"] = "未标注尺寸"
    log_in(client, cast["clerk"])
    response = act(client, case, "check_materials", form)
    case = fresh(case)
    assert case.state == "correcting"
    notice = case.documents.get(kind="correction_notice")
    page = client.get(response["Location"]).content.decode()
    assert "已出具《补正材料通知书》" in page and "场所平面图（未标注尺寸）" in page
    assert f"/documents/{notice.pk}/" in page
    assert "/do/corrections/" in page
    day("2026-09-03")
    log_in(client, cast["clerk"])  # a new day, a new session (sessions last 8 hours)
    act(client, case, "corrections")
    assert fresh(case).state == "received"


def test_article_32_refusal_names_the_competent_agency(client, cast, day, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["clerk"])
    empty = act(client, case, "refuse", {"refuse-reason": "", "refuse-competent_agency": ""})
    assert empty.status_code == 200 and fresh(case).state == "received"
    assert "这个字段是必填项" in empty.content.decode()
    act(client, case, "refuse", {"refuse-reason": "不属于本机关职权范围",
                                 "refuse-competent_agency": "市生态环境局"})
    case = fresh(case)
    assert case.state == "not_accepted" and case.competent_agency == "市生态环境局"
    assert case.documents.filter(kind="refusal_notice").exists()


def test_clerk_uploads_a_material_file_and_anyone_who_sees_the_case_downloads_it(
        client, cast, day, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    form_material = case.materials.get(name="申请表")
    log_in(client, cast["clerk"])
    upload = SimpleUploadedFile("申请表.pdf", pdf_bytes(), content_type="application/pdf")
    response = act(client, case, "attach_file", {"attach_file-material": form_material.pk,
                                                 "attach_file-upload": upload})
    assert response.status_code == 302
    stored = CaseFile.objects.get(case=case)
    assert stored.material_id == form_material.pk and stored.kind == "pdf"
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert f"/workbench/cases/{case.pk}/files/{stored.pk}/" in html
    log_in(client, cast["reviewer"])
    download = client.get(f"/workbench/cases/{case.pk}/files/{stored.pk}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    log_in(client, cast["outsider"])
    assert client.get(f"/workbench/cases/{case.pk}/files/{stored.pk}/").status_code == 404


def test_a_file_that_is_not_what_it_claims_is_refused_in_chinese(client, cast, day, catalogue,
                                                                 person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["clerk"])
    fake = SimpleUploadedFile("申请表.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = act(client, case, "attach_file", {"attach_file-upload": fake})
    assert response.status_code == 200
    assert 'id="error-attach_file"' in response.content.decode()
    assert not CaseFile.objects.filter(case=case).exists()


def test_applicant_withdraws_his_own_case_from_its_page(client, cast, day, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["applicant"])
    act(client, case, "withdraw", {"withdraw-reason": "暂不办理"})
    assert fresh(case).state == "withdrawn"


def test_item_search_answers_htmx_with_the_results_only(client, cast, day, catalogue, person):
    log_in(client, cast["clerk"])
    response = client.get("/workbench/cases/intake/new/", {"person": person.pk, "q": "环评"},
                          headers={"HX-Request": "true", "HX-Target": "item-results"})
    html = response.content.decode()
    assert html.startswith('<div id="item-results"') and "环评审批（测试）" in html
    assert "排污许可（测试）" not in html


def test_unknown_operation_is_404_and_get_is_not_allowed(client, cast, day, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["clerk"])
    assert act(client, case, "explode").status_code == 404
    assert client.get(f"/workbench/cases/{case.pk}/do/accept/").status_code == 405


def test_authorised_clerk_decides_an_on_the_spot_item_at_the_window(client, cast, day,
                                                                    catalogue, person):
    from oneseal.cases import services as svc

    case = submit(cast, catalogue.on_spot_item, person)
    log_in(client, cast["clerk"])
    assert "/do/decide_on_spot/" not in client.get(f"/workbench/cases/{case.pk}/").content.decode()
    svc.grant_on_spot_authorisation(actor=cast["head"], user=cast["clerk"],
                                    item=catalogue.on_spot_item)
    act(client, case, "check_materials", check_all(case))
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "/do/decide_on_spot/" in page
    response = act(client, case, "decide_on_spot", {"decide_on_spot-outcome": "granted",
                                                    "decide_on_spot-reasons": ""})
    case = fresh(case)
    assert case.state == "decided" and case.outcome == "granted"
    assert "?doc=" in response["Location"]


def test_applicant_does_not_see_who_handles_his_case(client, cast, day, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    log_in(client, cast["applicant"])
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert cast["clerk"].display_name not in html
    log_in(client, cast["supervisor"])
    assert cast["clerk"].display_name in client.get(f"/workbench/cases/{case.pk}/").content.decode()
