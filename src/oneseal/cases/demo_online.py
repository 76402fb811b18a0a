"""Demo loader `online`: the online hall's side of the demo — `applicant` has a draft of
食品经营许可 waiting at the form and an online application with a pending correction notice
(to correct at /apply/cases/<id>/corrections/); `company` has a draft for its firm. Runs
after the catalogue's online forms and the cases; a second run finds them and does nothing."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.pdfgen import canvas as rl_canvas

from oneseal.accounts.models import User
from oneseal.applicants.models import Person
from oneseal.applicants.selectors import organisations_for
from oneseal.catalog.models import ItemVersion
from oneseal.core import demo
from oneseal.core.fonts import cjk_font

from .models import Case, Channel, CheckStatus
from .models_online import ApplicationDraft
from .services import ApplicantRef, case_check_materials, case_correction_notice, online

ITEM = "食品经营许可"
FORM = {"operator_name": "杨丽华小吃店", "premises": "昆明市西山区前卫街道福海路88号",
        "business_scope": "热食类食品制售", "area": "45", "online_sales": "no",
        "safety_manager": "杨丽华", "contact_phone": "13987100001"}


def _pdf(title: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    pdf = rl_canvas.Canvas(buffer)
    pdf.setFont(cjk_font(), 14)
    pdf.drawString(72, 720, f"演示材料：{title}")  # in Chinese, like every page of the demo
    pdf.showPage()
    pdf.save()
    name = title.replace("/", "-")[:60]
    return SimpleUploadedFile(f"{name}.pdf", buffer.getvalue(), content_type="application/pdf")


def _filled(user: User, item_id: int, ref: ApplicantRef) -> ApplicationDraft:
    draft = online.draft_start(actor=user, item_id=item_id, applicant=ref)
    draft = online.draft_answer(actor=user, draft=draft, answers=[0])
    online.draft_save_form(actor=user, draft=draft, raw=FORM)
    for material in online.draft_materials(draft):
        if material.shareable:
            online.draft_confirm_shared(actor=user, draft=draft, material_ids=[
                m.pk for m in online.draft_materials(draft) if m.shareable])
        elif material.required:
            online.draft_attach(actor=user, draft=draft, material_id=material.pk,
                                upload=_pdf(material.name))
    return online.draft_set_delivery(actor=user, draft=draft, method="post",
                                     address=FORM["premises"])


def load_online() -> str:
    version = ItemVersion.objects.filter(name=ITEM, status="published").order_by(
        "-number").first()
    applicant = User.objects.filter(username="applicant").first()
    company_user = User.objects.filter(username="company").first()
    clerk = User.objects.filter(username="clerk").first()
    person = Person.objects.filter(user=applicant).first() if applicant else None
    if version is None or person is None or company_user is None or clerk is None:
        return "skipped (catalogue, applicants or staff missing)"
    made = []
    with transaction.atomic():
        if not ApplicationDraft.objects.filter(owner=applicant, case__isnull=True).exists():
            draft = online.draft_start(actor=applicant, item_id=version.item_id,
                                       applicant=ApplicantRef(person_id=person.pk))
            online.draft_answer(actor=applicant, draft=draft, answers=[0])
            made.append("applicant draft")
        org = organisations_for(company_user).first()
        if org is not None and not ApplicationDraft.objects.filter(
                organisation=org, case__isnull=True).exists():
            online.draft_start(actor=company_user, item_id=version.item_id,
                               applicant=ApplicantRef(organisation_id=org.pk))
            made.append("company draft")
        if not Case.objects.filter(person=person, channel=Channel.ONLINE,
                                   item_id=version.item_id).exists():
            case = online.draft_submit(actor=applicant, draft=_filled(
                applicant, version.item_id, ApplicantRef(person_id=person.pk)))
            results = [{"material": m.pk, "status": CheckStatus.DEFECTIVE,
                        "reason": "平面图未标注设备布局和工艺流程，请补充后重新上传"}
                       if m.name.startswith("经营场所平面图") else
                       {"material": m.pk, "status": CheckStatus.NOT_NEEDED, "reason": ""}
                       if not m.required else
                       {"material": m.pk, "status": CheckStatus.SHARED if m.shareable
                        else CheckStatus.OK, "reason": ""}
                       for m in case.materials.all()]
            case_check_materials(actor=clerk, case=case, results=results)
            case_correction_notice(actor=clerk, case=case)
            made.append(f"online case {case.number} waiting for corrections")
    return "; ".join(made) or "unchanged"


@demo.register("online", order=460)
def load(ctx: demo.DemoContext) -> None:
    ctx.log("网上申请 / online hall: " + load_online())
