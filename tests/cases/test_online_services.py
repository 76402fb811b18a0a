"""Applying and correcting online (网上申请、网上补正) through the services: drafts saved at
every step and private to their owner (an organisation's operators share its drafts), the
form checked on the server, materials checked by content or confirmed as shared, the
delivery choice, submission as an online case with 第32条's clock from the online receipt,
and corrections of only the listed materials.

Hand-worked dates (2026 schedule): received online Tuesday 09-01, the 5 working days to tell
the applicant what to correct are 09-02, 09-03, 09-04, 09-07, 09-08 (09-05/06 weekend).
"""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import CaseForbidden, CaseNotFound, IllegalState
from oneseal.cases.models import ApplicationDraft, Case, CaseFile, CheckStatus, DraftFile
from oneseal.cases.permissions_online import access_draft, visible_drafts
from oneseal.cases.services import online
from oneseal.cases.uploads import UploadRejected

from . import online_fixtures
from .helpers import at, check, day, fresh, material, unchanged, violates
from .online_fixtures import pdf_upload, ready_draft

online_item = online_fixtures.online_item  # the fixture

pytestmark = pytest.mark.django_db


def _start(user, item, person=None, organisation=None):
    return online.draft_start(actor=user, item_id=item.pk, applicant=svc.ApplicantRef(
        person_id=person.pk if person else None,
        organisation_id=organisation.pk if organisation else None))


# --- guided questions and the form ----------------------------------------------------------

def test_guided_answer_chooses_the_variant_and_its_form_fields(cast, online_item, person):
    draft = _start(cast["applicant"], online_item, person)
    assert (draft.step, draft.variant_code) == ("questions", "")
    draft = online.draft_answer(actor=cast["applicant"], draft=draft, answers=[1])
    assert (draft.variant_code, draft.step) == ("02", "form")
    errors = online.draft_save_form(actor=cast["applicant"], draft=draft, raw={})
    assert "change_what" in errors  # the field of 变更 only
    draft = online.draft_answer(actor=cast["applicant"], draft=draft, answers=[0])
    errors = online.draft_save_form(actor=cast["applicant"], draft=draft, raw={})
    assert "change_what" not in errors and "shop_name" in errors


def test_unanswered_questions_leave_no_variant(cast, online_item, person):
    draft = _start(cast["applicant"], online_item, person)
    with violates("variant_unknown"):
        online.draft_answer(actor=cast["applicant"], draft=draft, answers=[None])
    assert ApplicationDraft.objects.get(pk=draft.pk).variant_code == ""


def test_wrong_form_input_is_kept_and_reported(cast, online_item, person):
    draft = online.draft_answer(actor=cast["applicant"],
                                draft=_start(cast["applicant"], online_item, person),
                                answers=[0])
    errors = online.draft_save_form(actor=cast["applicant"], draft=draft, raw={
        "shop_name": "西山小厨", "area": "九十", "business_scope": "烟草"})
    assert set(errors) == {"area", "business_scope"}
    assert errors["area"] == "“经营面积（平方米）”须为数字。"
    saved = ApplicationDraft.objects.get(pk=draft.pk)
    assert saved.form_data["area"] == "九十" and saved.step == "form"


def test_item_below_online_depth_three_offers_no_online_application(cast, catalogue, person):
    from oneseal.catalog.models import ItemVersion

    ItemVersion.objects.filter(item=catalogue.hall_item).update(online_depth=2)
    with violates("online_not_offered"):
        _start(cast["applicant"], catalogue.hall_item, person)
    assert not ApplicationDraft.objects.exists()


# --- materials and delivery -----------------------------------------------------------------

def test_upload_is_checked_by_content_and_a_refused_file_keeps_nothing(cast, online_item,
                                                                       person):
    draft = online.draft_answer(actor=cast["applicant"],
                                draft=_start(cast["applicant"], online_item, person),
                                answers=[0])
    form = next(m for m in online.draft_materials(draft) if m.name == "申请表")
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(UploadRejected) as info:
        online.draft_attach(actor=cast["applicant"], draft=draft, material_id=form.pk,
                            upload=SimpleUploadedFile("申请表.pdf", b"MZ\x90\x00" * 64))
    assert info.value.detail["reason"] == "unsupported_type"
    assert not DraftFile.objects.exists()
    online.draft_attach(actor=cast["applicant"], draft=draft, material_id=form.pk,
                        upload=pdf_upload())
    online.draft_attach(actor=cast["applicant"], draft=draft, material_id=form.pk,
                        upload=pdf_upload("第二版.pdf"))
    assert list(DraftFile.objects.values_list("name", flat=True)) == ["第二版.pdf"]


def test_shared_material_is_confirmed_not_uploaded(cast, online_item, person):
    draft = online.draft_answer(actor=cast["applicant"],
                                draft=_start(cast["applicant"], online_item, person),
                                answers=[0])
    licence = next(m for m in online.draft_materials(draft) if m.shareable)
    with violates("material_not_found"):
        online.draft_attach(actor=cast["applicant"], draft=draft, material_id=licence.pk,
                            upload=pdf_upload())
    assert "营业执照" in online.materials_missing(draft)
    online.draft_confirm_shared(actor=cast["applicant"], draft=draft, material_ids=[licence.pk])
    assert "营业执照" not in online.materials_missing(ApplicationDraft.objects.get(pk=draft.pk))


def test_post_needs_an_address_and_download_only_where_the_item_allows(cast, online_item,
                                                                        catalogue, person):
    draft = _start(cast["applicant"], online_item, person)
    with violates("delivery_address_required"):
        online.draft_set_delivery(actor=cast["applicant"], draft=draft, method="post")
    assert online.draft_set_delivery(actor=cast["applicant"], draft=draft,
                                     method="electronic").delivery_method == "electronic"
    depth_three = _start(cast["applicant"], catalogue.bureau_item, person)
    with violates("delivery_not_offered"):
        online.draft_set_delivery(actor=cast["applicant"], draft=depth_three,
                                  method="electronic")
    assert ApplicationDraft.objects.get(pk=depth_three.pk).delivery_method == ""


# --- submission -----------------------------------------------------------------------------

def test_article_32_online_submission_files_an_online_case_with_the_5_day_clock(
        cast, online_item, person):
    """Received online Tuesday 2026-09-01: the correction notice is due by Tuesday 09-08."""
    draft = ready_draft(cast["applicant"], online_item, person=person)
    case = online.draft_submit(actor=cast["applicant"], draft=draft, at=at("2026-09-01"))
    case = fresh(case)
    assert (case.channel, case.state, case.variant_name) == ("online", "received", "新办")
    assert case.received_on == day("2026-09-01")
    assert case.correction_due == day("2026-09-08")
    assert case.form_data["business_scope"] == "热食类食品制售"
    assert (case.delivery_wanted, case.delivery_address) == ("post", "昆明市西山区前卫街道1号")
    files = CaseFile.objects.filter(case=case)
    assert sorted(f.material.name for f in files) == ["场所平面图", "申请表"]
    assert material(case, "营业执照").status == CheckStatus.SHARED
    assert ApplicationDraft.objects.get(pk=draft.pk).case_id == case.pk
    assert not visible_drafts(cast["applicant"]).exists()  # submitted: no longer a draft


def test_incomplete_draft_is_refused_and_files_no_case(cast, online_item, person):
    draft = _start(cast["applicant"], online_item, person)
    draft = online.draft_answer(actor=cast["applicant"], draft=draft, answers=[0])
    with violates("draft_incomplete") as info:
        online.draft_submit(actor=cast["applicant"], draft=draft, at=at("2026-09-01"))
    assert "尚未选择送达方式。" in info.value.detail["problems"]
    assert not Case.objects.exists()


def test_organisation_draft_is_shared_by_its_operators_only(cast, online_item, company,
                                                             person):
    from oneseal.applicants import services as applicant_services
    from tests.factories import UserFactory

    draft = _start(cast["company"], online_item, organisation=company)
    colleague = UserFactory(username="operator2", roles=["agent"])
    applicant_services.link_organisation_user(actor=None, organisation=company,
                                              user=colleague)
    assert access_draft(user=colleague, draft_id=draft.pk) == draft
    mine = _start(cast["applicant"], online_item, person)
    with pytest.raises(CaseNotFound):
        access_draft(user=colleague, draft_id=mine.pk)
    with pytest.raises(CaseNotFound):
        access_draft(user=cast["applicant"], draft_id=draft.pk)


@pytest.mark.parametrize("who", ["company", "clerk", "reviewer", "head", "helper", "outsider"])
def test_a_persons_draft_is_invisible_to_everyone_else(cast, online_item, person, who):
    draft = _start(cast["applicant"], online_item, person)
    with pytest.raises(CaseNotFound):
        access_draft(user=cast[who], draft_id=draft.pk)


def test_applicant_may_not_start_for_another_person_or_a_foreign_company(
        cast, online_item, person, company):
    with pytest.raises(CaseForbidden):
        _start(cast["applicant"], online_item, organisation=company)
    with pytest.raises(CaseForbidden):
        _start(cast["company"], online_item, person)
    with pytest.raises(CaseForbidden):
        _start(cast["clerk"], online_item, person)
    assert not ApplicationDraft.objects.exists()


# --- correcting online ----------------------------------------------------------------------

@pytest.fixture
def correcting(cast, online_item, person):
    case = online.draft_submit(actor=cast["applicant"],
                               draft=ready_draft(cast["applicant"], online_item, person=person),
                               at=at("2026-09-01"))
    check(case, cast["clerk"], defective={"场所平面图": "未标注设备布局"}, on="2026-09-02")
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    return fresh(case)


def test_correction_lists_only_the_noticed_materials_with_their_reason(cast, correcting):
    items = online.correction_items(correcting)
    assert [(i["material"].name, i["reason"], i["files"]) for i in items] == [
        ("场所平面图", "未标注设备布局", [])]
    form = material(correcting, "申请表")
    with unchanged(correcting), violates("material_not_listed"):
        online.online_correction_upload(actor=cast["applicant"], case=correcting,
                                        material_id=form.pk, upload=pdf_upload())


def test_article_32_corrections_submitted_online_restart_the_5_days(cast, correcting):
    """Corrections handed in online on Friday 09-18: the 5 working days run again, to
    Thursday 09-24 (Sunday 09-20 is a make-up working day; 09-25..27 Mid-autumn)."""
    plan = material(correcting, "场所平面图")
    with unchanged(correcting), violates("corrections_missing"):
        online.online_corrections_submit(actor=cast["applicant"], case=correcting,
                                         at=at("2026-09-18"))
    online.online_correction_upload(actor=cast["applicant"], case=correcting,
                                    material_id=plan.pk, upload=pdf_upload("平面图.pdf"),
                                    at=at("2026-09-18"))
    case = online.online_corrections_submit(actor=cast["applicant"], case=correcting,
                                            at=at("2026-09-18"))
    case = fresh(case)
    assert case.state == "received" and case.correction_due == day("2026-09-24")
    assert material(case, "场所平面图").status == CheckStatus.PENDING


@pytest.mark.parametrize("who", ["company", "reviewer", "head", "helper", "outsider"])
def test_others_may_not_correct_an_applicants_case(cast, correcting, who):
    plan = material(correcting, "场所平面图")
    with unchanged(correcting), pytest.raises(CaseNotFound):
        online.online_correction_upload(actor=cast[who], case=correcting,
                                        material_id=plan.pk, upload=pdf_upload())
    with unchanged(correcting), pytest.raises(CaseNotFound):
        online.online_corrections_submit(actor=cast[who], case=correcting)


def test_corrections_only_while_correcting(cast, online_item, person):
    case = online.draft_submit(actor=cast["applicant"],
                               draft=ready_draft(cast["applicant"], online_item, person=person),
                               at=at("2026-09-01"))
    with unchanged(case), pytest.raises(IllegalState):
        online.online_corrections_submit(actor=cast["applicant"], case=case)
