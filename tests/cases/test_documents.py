"""The legal documents of a case (法律文书): numbering, the snapshot, and the PDF of each kind
with the statute it cites. Cases are built directly through the ORM (`make_case`), so these
tests do not depend on the services; one test at the end checks a document a real service
issues."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from oneseal.cases import documents
from oneseal.cases.models import Case, CaseDocument, CaseMaterial, CheckStatus, DocumentKind
from oneseal.core import fonts

from .conftest import at
from .helpers import seal_case

ID_NUMBER = "53011219800101123X"  # the `person` fixture's
DAY = dt.date(2026, 9, 1)
HEARING = {"rights_notified_on": "2026-09-02", "requested_on": "2026-09-03",
           "hearing_on": "2026-09-15", "place": "区政务服务中心第三听证室",
           "chair_name": "赵主持"}
DETAILS = {
    DocumentKind.ACCEPTANCE_NOTICE: {},
    DocumentKind.REFUSAL_NOTICE: {"reason": "申请事项依法不属于本机关职权范围",
                                  "competent_agency": "昆明市生态环境局"},
    DocumentKind.CORRECTION_NOTICE: {"notice_number": 1, "defects": [
        {"name": "申请表", "reason": "缺少申请人签字"},
        {"name": "场所平面图", "reason": "未标注比例尺"}]},
    DocumentKind.SPECIAL_NOTICE: {"kind": "hearing", "kind_label": "听证",
                                  "reason": "申请事项涉及他人重大利益", "expected_days": 12,
                                  "started_on": "2026-09-02", "hearing": HEARING},
    DocumentKind.EXTENSION_NOTICE: {"days": 10, "reason": "需要会同多个部门审查",
                                    "new_due": "2026-10-23"},
    DocumentKind.GRANT_DECISION: {"reasons": "申请符合法定条件、标准"},
    DocumentKind.REFUSAL_DECISION: {"reasons": "一、生产场所不符合卫生要求\n二、缺少必要设备"},
    DocumentKind.DELIVERY_RECEIPT: {"method": "pickup", "method_label": "窗口领取",
                                    "delivered_on": "2026-09-20", "collector_name": "王领取",
                                    "collector_id_number": "530112199001011234",
                                    "carrier": "", "tracking_number": "", "address": ""},
}
TITLES = {
    DocumentKind.ACCEPTANCE_NOTICE: "受理通知书",
    DocumentKind.REFUSAL_NOTICE: "不予受理决定书",
    DocumentKind.CORRECTION_NOTICE: "补正材料通知书",
    DocumentKind.SPECIAL_NOTICE: "特别程序告知书",
    DocumentKind.EXTENSION_NOTICE: "延期告知书",
    DocumentKind.GRANT_DECISION: "准予行政许可决定书",
    DocumentKind.REFUSAL_DECISION: "不予行政许可决定书",
    DocumentKind.DELIVERY_RECEIPT: "送达回证",
}


def make_case(catalogue, person, *, item=None, number="XS2026-T-0001", **fields) -> Case:
    """A case as the services would have created it, with the variant's materials."""
    item = item or catalogue.bureau_item
    version = item.versions.get()
    variant = version.variants.get(code="01")
    values = {"accepted_on": DAY, "received_at": at("2026-08-28"),
              "received_on": dt.date(2026, 8, 28)}
    values.update(fields)
    case = Case.objects.create(
        number=number, query_code="QC7788", item=item, version=version, variant=variant,
        department=version.competent_department, item_name=version.name,
        variant_name=variant.name, applicant_kind="person", person=person,
        applicant_name=person.name, channel="window", **values)
    for sort, material in enumerate(variant.materials.all()):
        CaseMaterial.objects.create(
            case=case, catalog_material=material, name=material.name,
            required=material.required, shareable=material.shareable, sort=sort,
            status=CheckStatus.SHARED if material.shareable else CheckStatus.OK)
    return case


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace removed (lines wrap anywhere in Chinese)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def issue(case, doc_kind, **overrides):
    details = dict(DETAILS[doc_kind], **overrides)
    return documents.issue_document(case=case, kind=doc_kind, on=DAY, details=details)


@pytest.fixture
def case(catalogue, person):
    return make_case(catalogue, person)


@pytest.mark.parametrize("kind", list(DETAILS))
def test_each_kind_renders_a_pdf_with_title_number_and_case(case, kind):
    document = issue(case, kind)
    data = documents.render_pdf(document)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    assert reader.metadata.title == TITLES[kind]
    text = pdf_text(data)
    assert TITLES[kind] in text
    assert case.number in text
    assert document.number in text
    assert "西山区行政审批局" in text  # the issuer, at the top and over the seal area
    assert "2026年9月1日" in text
    assert ID_NUMBER not in text


def test_article_32_correction_notice_lists_every_defect_once(case):
    document = issue(case, DocumentKind.CORRECTION_NOTICE)
    text = pdf_text(documents.render_pdf(document))
    assert "第三十二条" in text and "一次性告知" in text
    for defect in DETAILS[DocumentKind.CORRECTION_NOTICE]["defects"]:
        assert defect["name"] in text and defect["reason"] in text
    assert "1.申请表：缺少申请人签字" in text and "2.场所平面图：未标注比例尺" in text
    assert "共2项" in text
    assert "第2次补正通知" not in text


def test_article_32_correction_notice_says_where_how_and_whom_to_contact(case, cast, settings):
    """The one-time notice (第32条) tells the applicant where and when to hand in the
    corrections (the item's window, else the hall's), that the online hall takes them with
    the case number and query code, and whom to contact."""
    settings.ONESEAL_HALL_ADDRESS = "西山区政务服务中心一楼"
    settings.ONESEAL_HALL_HOURS = "工作日9:00—17:00"
    settings.ONESEAL_HALL_PHONE = "0871-68181234"
    clerk = cast["clerk"]
    clerk.display_name = "王小丽"
    clerk.save(update_fields=["display_name"])
    details = dict(DETAILS[DocumentKind.CORRECTION_NOTICE])
    document = documents.issue_document(case=case, kind=DocumentKind.CORRECTION_NOTICE, on=DAY,
                                        details=details, actor=clerk)
    text = pdf_text(documents.render_pdf(document))
    assert "到西山区政务服务中心一楼" in text and "提交" in text
    assert "工作日9:00—17:00" in text
    assert f"办件编号{case.number}" in text and "查询码QC7788" in text and "在线上传" in text
    assert "联系人：王小丽" in text and "联系电话：0871-68181234" in text


def test_correction_notice_uses_the_items_own_window_and_phone(case, settings):
    from oneseal.catalog.models import ItemVersion

    settings.ONESEAL_HALL_PHONE = "0871-00000000"
    ItemVersion.objects.filter(pk=case.version_id).update(
        window="3号窗口", address="西山区政务服务中心二楼", phone="0871-68189999",
        online_depth=1)
    case.refresh_from_db()
    document = issue(case, DocumentKind.CORRECTION_NOTICE)
    text = pdf_text(documents.render_pdf(document))
    assert "西山区政务服务中心二楼3号窗口提交" in text
    assert "联系电话：0871-68189999" in text and "在线上传" not in text


def test_article_42_acceptance_notice_states_the_items_own_limit_in_its_unit(case):
    """An item whose own law sets its limit in calendar days from receipt (《建筑法》第8条):
    the 受理通知书 states "7 日（自收到申请之日起，不得延长）" and cites that law, never
    "7个工作日" under 第42条."""
    from oneseal.catalog.models import ItemVersion

    ItemVersion.objects.filter(pk=case.version_id).update(
        statutory_limit_days=7, statutory_limit_unit="days", statutory_limit_start="receipt",
        statutory_limit_basis="《中华人民共和国建筑法》第八条", extension_limit_days=0,
        promised_limit_days=3)
    case.refresh_from_db()
    text = pdf_text(documents.render_pdf(issue(case, DocumentKind.ACCEPTANCE_NOTICE)))
    assert "依照《中华人民共和国建筑法》第八条的规定在法定期限内作出行政许可决定" in text
    assert "法定办结时限为7日（自收到申请之日起，不得延长）" in text
    assert "7个工作日" not in text


def test_article_42_acceptance_notice_of_an_ordinary_item_is_unchanged(case):
    text = pdf_text(documents.render_pdf(issue(case, DocumentKind.ACCEPTANCE_NOTICE)))
    assert "依照《中华人民共和国行政许可法》第四十二条的规定在法定期限内" in text
    assert "法定办结时限为20个工作日" in text


def test_article_32_second_correction_notice_says_it_repeats_the_first(case):
    issue(case, DocumentKind.CORRECTION_NOTICE)
    second = issue(case, DocumentKind.CORRECTION_NOTICE, notice_number=2,
                   defects=[{"name": "申请表", "reason": "签字仍不完整"}])
    text = pdf_text(documents.render_pdf(second))
    assert "第2次补正通知" in text and "第一次补正通知已告知" in text
    assert second.number.endswith("-BZ02")


def test_article_32_refusal_notice_names_the_competent_agency(case):
    text = pdf_text(documents.render_pdf(issue(case, DocumentKind.REFUSAL_NOTICE)))
    assert "第三十二条" in text and "不予受理" in text
    assert "昆明市生态环境局" in text


def test_article_32_refusal_notice_without_agency_does_not_invent_one(case):
    document = issue(case, DocumentKind.REFUSAL_NOTICE, competent_agency="",
                     reason="申请事项依法不需要取得行政许可")
    text = pdf_text(documents.render_pdf(document))
    assert "依法不需要取得行政许可" in text
    assert "提出申请" not in text


def test_article_38_refusal_decision_states_reasons_and_remedies(case, settings):
    settings.ONESEAL_RECONSIDERATION_BODY = "昆明市西山区人民政府"
    document = issue(case, DocumentKind.REFUSAL_DECISION)
    text = pdf_text(documents.render_pdf(document))
    assert "第三十八条第二款" in text
    # numbered by the document, without the numbering typed in the reasons
    assert "1.生产场所不符合卫生要求" in text and "2.缺少必要设备" in text
    assert "六十日" in text and "昆明市西山区人民政府申请行政复议" in text
    assert "六个月" in text and "人民法院提起行政诉讼" in text
    assert document.context["reconsideration_body"] == "昆明市西山区人民政府"


def test_article_38_reconsideration_body_comes_from_the_setting(case, settings):
    settings.ONESEAL_RECONSIDERATION_BODY = "昆明市人民政府"
    text = pdf_text(documents.render_pdf(issue(case, DocumentKind.REFUSAL_DECISION)))
    assert "昆明市人民政府申请行政复议" in text


def test_article_38_grant_decision(case):
    text = pdf_text(documents.render_pdf(issue(case, DocumentKind.GRANT_DECISION)))
    assert "第三十八条第一款" in text and "决定准予行政许可" in text
    assert "第四十四条" in text and "十个工作日内" in text
    assert "行政复议" not in text


def test_article_45_47_48_hearing_notice_gives_time_place_and_chair(case):
    text = pdf_text(documents.render_pdf(issue(case, DocumentKind.SPECIAL_NOTICE)))
    assert "第四十五条" in text and "不计算在行政许可的办理期限内" in text
    assert "预计需要12个工作日" in text and "申请事项涉及他人重大利益" in text
    assert "第四十七条" in text and "第四十八条" in text
    assert "听证日期：2026年9月15日" in text
    assert "区政务服务中心第三听证室" in text and "赵主持" in text
    assert "笔录" in text


def test_article_45_expert_review_notice_has_no_hearing_part(case):
    document = issue(case, DocumentKind.SPECIAL_NOTICE, kind="expert_review",
                     kind_label="专家评审", hearing=None, expected_days=5)
    text = pdf_text(documents.render_pdf(document))
    assert "进行专家评审" in text and "预计需要5个工作日" in text
    assert "第四十七条" not in text


def test_article_42_extension_notice_gives_days_reason_and_new_due_date(case):
    text = pdf_text(documents.render_pdf(issue(case, DocumentKind.EXTENSION_NOTICE)))
    assert "第四十二条第一款" in text and "本机关负责人批准" in text
    assert "延长10个工作日" in text and "需要会同多个部门审查" in text
    assert "2026年10月23日" in text


def test_article_42_joint_extension_cites_the_second_paragraph(catalogue, person):
    joint = make_case(catalogue, person, number="XS2026-T-0002", joint=True)
    document = issue(joint, DocumentKind.EXTENSION_NOTICE, days=15)
    text = pdf_text(documents.render_pdf(document))
    assert "第四十二条第二款" in text and "本级人民政府负责人批准" in text


def test_article_32_acceptance_notice(case):
    document = issue(case, DocumentKind.ACCEPTANCE_NOTICE)
    text = pdf_text(documents.render_pdf(document))
    assert "第三十二条第一款第（五）项" in text and "受理日期为2026年9月1日" in text
    assert "法定办结时限为20个工作日" in text and "承诺办结时限为10个工作日" in text
    assert "申请表" in text and "营业执照（共享获取，免提交）" in text
    assert "QC7788" in text  # the query code for the progress lookup


def test_article_32_deemed_acceptance_is_dated_from_receipt(catalogue, person):
    late = make_case(catalogue, person, number="XS2026-T-0003", deemed_accepted=True,
                     accepted_on=dt.date(2026, 8, 28))
    text = pdf_text(documents.render_pdf(issue(late, DocumentKind.ACCEPTANCE_NOTICE)))
    assert "第三十二条第一款第（四）项" in text
    assert "自收到申请材料之日（2026年8月28日）起即为受理" in text


def test_delivery_receipt_lists_the_decision_and_has_a_signature_line(case):
    decision = issue(case, DocumentKind.GRANT_DECISION)
    receipt = issue(case, DocumentKind.DELIVERY_RECEIPT)
    assert receipt.context["details"]["documents"] == [
        {"title": "准予行政许可决定书", "number": decision.number}]
    text = pdf_text(documents.render_pdf(receipt))
    assert decision.number in text and "窗口领取" in text and "2026年9月20日" in text
    assert "王领取" in text and "签名" in text and "送达人" in text
    assert "530112199001011234" not in text


def test_context_never_holds_an_identity_number(case):
    for kind in DETAILS:
        document = issue(case, kind, applicant_id_number=ID_NUMBER)
        stored = CaseDocument.objects.get(pk=document.pk)
        dumped = json.dumps(stored.context, ensure_ascii=False)
        assert ID_NUMBER not in dumped
        assert "530112199001011234" not in dumped
        assert stored.context["applicant_name"] == "张三"
        assert ID_NUMBER not in pdf_text(documents.render_pdf(stored))


def test_numbers_are_unique_per_kind_and_case(catalogue, person, case):
    first = issue(case, DocumentKind.ACCEPTANCE_NOTICE)
    second = issue(case, DocumentKind.ACCEPTANCE_NOTICE)
    notice = issue(case, DocumentKind.CORRECTION_NOTICE)
    other = make_case(catalogue, person, number="XS2026-T-0009")
    elsewhere = issue(other, DocumentKind.ACCEPTANCE_NOTICE)
    numbers = [first.number, second.number, notice.number, elsewhere.number]
    assert numbers == ["XS2026-T-0001-SL01", "XS2026-T-0001-SL02", "XS2026-T-0001-BZ01",
                       "XS2026-T-0009-SL01"]
    assert CaseDocument.objects.filter(number__in=numbers).count() == 4
    assert {d.context["number"] for d in CaseDocument.objects.all()} == set(numbers)


def test_numbers_skip_a_number_already_taken(case):
    CaseDocument.objects.create(case=case, kind=DocumentKind.ACCEPTANCE_NOTICE,
                                number="XS2026-T-0001-BZ01", issued_on=DAY, context={})
    notice = issue(case, DocumentKind.CORRECTION_NOTICE)
    assert notice.number == "XS2026-T-0001-BZ02"


def test_article_25_department_item_notices_and_decisions_carry_the_department(
        catalogue, person, cast, org):
    """A department that kept its item in the hall accepts and decides it in its own name
    (行政许可法 第25条): its notices and its decisions carry the department, not the bureau."""
    dept_user = cast["dept"]
    dept_user.unit = org["dept-env"]
    dept_user.save(update_fields=["unit"])
    hall_case = make_case(catalogue, person, item=catalogue.hall_item,
                          number="XS2026-T-0004", decided_by=dept_user, decided_on=DAY,
                          outcome="granted")
    decision = issue(hall_case, DocumentKind.GRANT_DECISION)
    notice = issue(hall_case, DocumentKind.ACCEPTANCE_NOTICE)
    assert decision.context["issuer"] == org["dept-env"].name
    assert notice.context["issuer"] == org["dept-env"].name
    assert org["dept-env"].name in pdf_text(documents.render_pdf(decision))
    assert org["dept-env"].name in pdf_text(documents.render_pdf(notice))


def test_article_25_transferred_item_documents_carry_the_bureau(case, org):
    """An item transferred to the bureau: every document in the bureau's name."""
    for kind in (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.GRANT_DECISION):
        assert issue(case, kind).context["issuer"] == org["bureau"].name


def test_bureau_name_defaults_when_no_bureau_is_known(case, monkeypatch):
    monkeypatch.setattr("oneseal.org.selectors.bureau", lambda: None)
    document = issue(case, DocumentKind.ACCEPTANCE_NOTICE)
    assert document.context["bureau"] == "行政审批局"
    # the issuer is the body exercising the item (the bureau's unit, known from the item)
    assert document.context["issuer"] == case.item.implementing_unit.name


def test_snapshot_renders_the_same_bytes_after_the_case_changes(case):
    document = issue(case, DocumentKind.GRANT_DECISION)
    before = documents.render_pdf(document)
    Case.objects.filter(pk=case.pk).update(applicant_name="改名后", item_name="别的事项")
    again = documents.render_pdf(CaseDocument.objects.get(pk=document.pk))
    assert again == before
    assert "改名后" not in pdf_text(again)


def test_seal_area_is_left_blank_on_the_page(case):
    rendered = documents.render(issue(case, DocumentKind.GRANT_DECISION))
    box = rendered.seal_box
    assert box.page == 0 and box.size > 100  # a 42 mm square
    assert 0 < box.x and box.x + box.size < 595.3 and 0 < box.y < 842 - box.size
    page = PdfReader(io.BytesIO(rendered.pdf)).pages[0]
    assert "/Annots" not in page and "/XObject" not in page.get("/Resources", {})


def test_document_filename(case):
    document = issue(case, DocumentKind.CORRECTION_NOTICE)
    assert documents.document_filename(document) == "XS2026-T-0001-BZ01-补正材料通知书.pdf"


@pytest.mark.skipif(not Path(fonts.FONT_CANDIDATES[0]).is_file(),
                    reason="fonts-wqy-zenhei is not installed")
def test_installed_truetype_font_is_embedded(case):
    data = documents.render_pdf(issue(case, DocumentKind.ACCEPTANCE_NOTICE))
    assert b"/FontFile2" in data  # an embedded TrueType subset
    assert b"STSong-Light" not in data


def test_missing_configured_font_logs_a_warning_and_still_renders(case, settings, tmp_path,
                                                                 caplog):
    settings.ONESEAL_CJK_FONT = str(tmp_path / "missing.ttf")
    with caplog.at_level(logging.WARNING, logger="oneseal.core.fonts"):
        data = documents.render_pdf(issue(case, DocumentKind.ACCEPTANCE_NOTICE))
    assert any("missing.ttf" in r.getMessage() for r in caplog.records)
    assert "受理通知书" in pdf_text(data)


def test_without_truetype_font_falls_back_to_cid_font(case, settings, tmp_path, caplog,
                                                     monkeypatch):
    monkeypatch.setattr(fonts, "FONT_CANDIDATES", (str(tmp_path / "none.ttc"),))
    settings.ONESEAL_CJK_FONT = str(tmp_path / "also-missing.ttf")
    with caplog.at_level(logging.WARNING, logger="oneseal.core.fonts"):
        data = documents.render_pdf(issue(case, DocumentKind.CORRECTION_NOTICE))
    assert any("STSong-Light" in r.getMessage() for r in caplog.records)
    assert b"/STSong-Light" in data and b"/FontFile2" not in data
    text = pdf_text(data)
    assert "补正材料通知书" in text and "场所平面图" in text


def test_unusable_font_file_is_skipped(case, settings, tmp_path, caplog):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font at all" * 10)
    settings.ONESEAL_CJK_FONT = str(bogus)
    with caplog.at_level(logging.WARNING, logger="oneseal.core.fonts"):
        data = documents.render_pdf(issue(case, DocumentKind.GRANT_DECISION))
    assert any("bogus.ttf" in r.getMessage() for r in caplog.records)
    assert "准予行政许可决定书" in pdf_text(data)


def test_article_32_real_service_issues_the_correction_notice_and_acceptance(catalogue, person,
                                                                            cast):
    """The documents the services issue render as well (correction notice, then 受理)."""
    from oneseal.cases import services

    clerk = cast["clerk"]
    case, _created = services.case_submit(
        actor=clerk, item_id=catalogue.bureau_item.pk, variant_code="01",
        applicant=services.ApplicantRef(person_id=person.pk), at=at("2026-09-01"))
    materials = {m.name: m for m in case.materials.all()}
    results = [{"material": materials["申请表"].pk, "status": "defective",
                "reason": "缺少申请人签字"},
               {"material": materials["场所平面图"].pk, "status": "defective",
                "reason": "未标注比例尺"},
               {"material": materials["营业执照"].pk, "status": "shared"},
               {"material": materials["授权委托书"].pk, "status": "not_needed"}]
    services.case_check_materials(actor=clerk, case=case, results=results,
                                  at=at("2026-09-01"))
    services.case_correction_notice(actor=clerk, case=case, at=at("2026-09-02"))
    notice = case.documents.get(kind=DocumentKind.CORRECTION_NOTICE)
    assert notice.number == f"{case.number}-BZ01"
    text = pdf_text(documents.render_pdf(notice))
    for needle in ("补正材料通知书", case.number, "申请表：缺少申请人签字",
                   "场所平面图：未标注比例尺", "一次性告知", "2026年9月2日"):
        assert needle in text
    assert ID_NUMBER not in json.dumps(notice.context, ensure_ascii=False)

    services.case_receive_corrections(actor=clerk, case=case, at=at("2026-09-03"))
    services.case_check_materials(actor=clerk, case=case, results=[
        {"material": materials["申请表"].pk, "status": "ok"},
        {"material": materials["场所平面图"].pk, "status": "ok"}], at=at("2026-09-03"))
    services.case_accept(actor=clerk, case=case, at=at("2026-09-03"))
    acceptance = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    text = pdf_text(documents.render_pdf(acceptance))
    assert "受理通知书" in text and "受理日期为2026年9月3日" in text
    assert "营业执照（共享获取，免提交）" in text


def test_line_breaking_keeps_chinese_punctuation_off_line_starts():
    """避头尾: no line starts with ，。）” etc. nor ends with （“; Latin runs stay whole."""
    from oneseal.cases.pdf.cjk import CANNOT_END, CANNOT_START, break_lines

    font = fonts.cjk_font()
    sample = ("你于2026年8月28日提交的“排污许可（测试）”（新办）行政许可申请（办件编号："
              "XS2026-T-0001），经审查，申请材料不齐全（第四十五条），本机关将书面告知。") * 3
    for width in range(150, 460, 7):
        lines = break_lines(sample, font, 15, width - 30, width)
        assert "".join(line for line, _wrapped in lines) == sample
        for line, wrapped in lines:
            assert line and line[0] not in CANNOT_START
            assert not wrapped or line[-1] not in CANNOT_END
        assert any("XS2026-T-0001" in line for line, _wrapped in lines)
    assert [line for line, _w in break_lines("甲\n\n乙", font, 15, 300, 300)] == ["甲", "", "乙"]


def test_long_document_continues_on_the_next_page_with_the_seal_area_last(case):
    defects = [{"name": f"材料{n}", "reason": "缺少签字，且复印件不清晰，需重新提供原件核对"}
               for n in range(1, 41)]
    document = issue(case, DocumentKind.CORRECTION_NOTICE, defects=defects)
    rendered = documents.render(document)
    assert rendered.pages >= 2
    assert rendered.seal_box.page == rendered.pages - 1
    text = pdf_text(rendered.pdf)
    assert all(f"{n}.材料{n}：" in text for n in range(1, 41)) and "共40项" in text


def test_article_38_real_services_issue_refusal_decision_and_receipt(catalogue, person, cast,
                                                                     seals):
    """Through the whole chain: the refusal decision states the remedies; the receipt names
    the collector but keeps no identity number."""
    from oneseal.cases import services

    case, _created = services.case_submit(
        actor=cast["clerk"], item_id=catalogue.bureau_item.pk, variant_code="01",
        applicant=services.ApplicantRef(person_id=person.pk), at=at("2026-09-01"))
    services.case_check_materials(actor=cast["clerk"], case=case, results=[
        {"material": m.pk, "status": "ok" if m.required else "not_needed"}
        for m in case.materials.all() if not m.shareable], at=at("2026-09-01"))
    services.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    for who in ("reviewer", "chief"):
        services.case_claim(actor=cast[who], case=case, at=at("2026-09-03"))
        services.case_complete_step(actor=cast[who], case=case, opinion="agree",
                                    at=at("2026-09-03"))
    services.case_claim(actor=cast["head"], case=case, at=at("2026-09-04"))
    services.case_decide(actor=cast["head"], case=case, outcome="refused",
                         reasons="生产场所与申报不符", at=at("2026-09-04"))
    decision = case.documents.get(kind=DocumentKind.REFUSAL_DECISION)
    text = pdf_text(documents.render_pdf(decision))
    for needle in ("不予行政许可决定书", "生产场所与申报不符", "第三十八条第二款", "六十日",
                   "六个月", "2026年9月4日"):
        assert needle in text
    seal_case(cast, case, on="2026-09-04")
    services.case_deliver(actor=cast["clerk"], case=case, method="pickup",
                          collector_name="张三", collector_id_number=ID_NUMBER,
                          at=at("2026-09-07"))
    receipt = case.documents.get(kind=DocumentKind.DELIVERY_RECEIPT)
    assert ID_NUMBER not in json.dumps(receipt.context, ensure_ascii=False)
    text = pdf_text(documents.render_pdf(receipt))
    assert decision.number in text and "窗口领取" in text and "张三" in text
    assert ID_NUMBER not in text
