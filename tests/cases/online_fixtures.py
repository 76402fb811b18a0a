"""An item applied for online (网办深度 四级) with guided questions and form fields, and the
helpers the online-hall tests share: a PDF made on the spot and a draft filled to the
summary."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas as rl_canvas

from oneseal.cases import services as svc
from oneseal.cases.services import online
from oneseal.catalog import online_form
from oneseal.catalog import services as catalog_services

from .conftest import BUREAU_CHAIN, MATERIALS, at

FIELDS = [
    {"key": "shop_name", "label": "店铺名称", "kind": "text", "required": True},
    {"key": "area", "label": "经营面积（平方米）", "kind": "number", "required": True,
     "min_value": 1, "max_value": 5000},
    {"key": "business_scope", "label": "经营项目", "kind": "choice", "required": True,
     "choices": ["预包装食品销售", "热食类食品制售"]},
    {"key": "change_what", "label": "变更事项", "kind": "textarea", "required": True,
     "variant": "02"},
]
QUESTIONS = [{"text": "您是否已持有许可证？", "options": [
    {"label": "没有，首次申请", "variant": "01"}, {"label": "有，需要变更", "variant": "02"}]}]


def make_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = rl_canvas.Canvas(buffer)
    pdf.drawString(72, 720, "material")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_upload(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


@pytest.fixture
def online_item(org):
    """A transferred bureau item, 四级 全程网办, variants 新办 (01) and 变更 (02)."""
    bureau, dept = org["bureau"], org["dept-env"]
    draft = catalog_services.item_create(
        actor=None, implementing_unit=bureau, exercise_level=4, basic_code="000100080000",
        name="食品经营许可（测试）", item_type="licensing", competent_department=dept,
        acceptance_conditions="符合法定条件。", review_standard="符合审查标准。",
        statutory_limit_days=20, promised_limit_days=10, online_depth=4, visits_required=0)
    catalog_services.draft_set_rows(actor=None, version=draft, kind="legal_bases", rows=[
        {"law": "《中华人民共和国食品安全法》", "article": "第三十五条", "text": ""}])
    for code, name in (("01", "新办"), ("02", "变更")):
        variant = catalog_services.variant_save(actor=None, version=draft, code=code, name=name)
        catalog_services.variant_set_materials(actor=None, variant=variant, rows=MATERIALS)
        catalog_services.variant_set_steps(actor=None, variant=variant, rows=BUREAU_CHAIN)
    online_form.form_definition_save(actor=None, version=draft, fields=FIELDS,
                                     questions=QUESTIONS)
    version = catalog_services.version_publish(actor=None, version=draft,
                                               valid_from=at("2019-01-01", 0))
    catalog_services.memo_save(
        actor=None, item=version.item, from_department=dept, to_unit=bureau,
        effective_on=at("2019-03-31").date(), approval_duty="审批", supervision_duty="监管")
    return version.item


def ready_draft(user: Any, item: Any, *, person: Any = None, organisation: Any = None):
    """A draft of 新办 answered, filled, uploaded, confirmed and with its delivery chosen."""
    draft = online.draft_start(actor=user, item_id=item.pk, applicant=svc.ApplicantRef(
        person_id=person.pk if person else None,
        organisation_id=organisation.pk if organisation else None))
    draft = online.draft_answer(actor=user, draft=draft, answers=[0])
    assert online.draft_save_form(actor=user, draft=draft, raw={
        "shop_name": "西山小厨", "area": "80", "business_scope": "热食类食品制售"}) == {}
    for material in online.draft_materials(draft):
        if material.shareable:
            online.draft_confirm_shared(actor=user, draft=draft, material_ids=[material.pk])
        elif material.required:
            online.draft_attach(actor=user, draft=draft, material_id=material.pk,
                                upload=pdf_upload(material.name + ".pdf"))
    return online.draft_set_delivery(actor=user, draft=draft, method="post",
                                     address="昆明市西山区前卫街道1号")
