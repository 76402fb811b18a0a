"""Applying and correcting online (网上申请、网上补正), on the same services as the window.

A draft (`ApplicationDraft`) is saved at every step: the guided questions (情形引导) choose
the business variant, the form is checked against the item's fields, each material is
uploaded with the window's content checks (`uploads.inspect_upload`) or, when obtained by
sharing (免提交), confirmed; then the delivery choice. `draft_submit` files the case through
`case_submit` (channel online) and attaches the files through `case_attach_file`, in one
transaction: the online receipt starts 第32条's 5-working-day clock like a window receipt.

After a correction notice the applicant replaces only the listed materials
(`online_correction_upload`) and hands the corrections in (`online_corrections_submit`,
which is `case_receive_corrections`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.applicants.models import Person
from oneseal.applicants.selectors import organisations_for
from oneseal.catalog.domain.application_form import FORM_ERRORS, choose_variant, validate_form
from oneseal.catalog.domain.enums import OnlineDepth
from oneseal.catalog.models import Item, ItemVersion, Material, Variant
from oneseal.catalog.online_form import fields_for, question_specs, spec_of
from oneseal.catalog.selectors import version_in_force
from oneseal.core.audit import audit_frame

from .. import uploads
from ..domain.states import CaseState
from ..errors import CaseForbidden, CaseNotFound, IllegalState, RuleViolation
from ..models import Case, Channel, DeliveryMethod
from ..models_online import ApplicationDraft, DraftFile, DraftStep
from ..permissions import is_owner
from ..permissions_online import may_apply_online
from ..signals import materials_supplied
from .intake import ApplicantRef, case_attach_file, case_receive_corrections, case_submit


def online_allowed(version: ItemVersion | None) -> bool:
    """在线办理 is offered for items applied for online: depth 三级 (在线申请、预审) or 四级."""
    return version is not None and version.online_depth >= OnlineDepth.APPLY


def electronic_delivery_allowed(version: ItemVersion) -> bool:
    """Download only (电子送达) is offered for items handled wholly online (四级 全程网办)."""
    return version.online_depth >= OnlineDepth.FULL


def delivery_choices(version: ItemVersion) -> list[tuple[str, str]]:
    out = [(DeliveryMethod.PICKUP.value, str(DeliveryMethod.PICKUP.label)),
           (DeliveryMethod.POST.value, str(DeliveryMethod.POST.label))]
    if electronic_delivery_allowed(version):
        out.append((DeliveryMethod.ELECTRONIC.value, str(DeliveryMethod.ELECTRONIC.label)))
    return out


def _lock(draft: ApplicationDraft) -> ApplicationDraft:
    locked = ApplicationDraft.objects.select_for_update(of=("self",)).select_related(
        "version").filter(pk=draft.pk, case__isnull=True).first()  # not the shared version
    if locked is None:
        raise CaseNotFound()
    return locked


def draft_start(*, actor: Any, item_id: int, applicant: ApplicantRef) -> ApplicationDraft:
    """Start an online application of the item version in force, for the actor himself or
    an organisation he may act for."""
    if not may_apply_online(actor):
        raise CaseForbidden(_("您的角色无权在线申请。"))
    item = Item.objects.filter(pk=item_id).first()
    version = version_in_force(item, timezone.now()) if item is not None else None
    if version is None or not online_allowed(version):
        raise RuleViolation(_("该事项不支持在线办理。"), code="online_not_offered")
    person = org = None
    if (applicant.person_id is None) == (applicant.organisation_id is None):
        raise RuleViolation(_("请指定一个申请人：自然人或法人和其他组织。"),
                            code="applicant_required")
    if applicant.person_id is not None:
        person = Person.objects.filter(pk=applicant.person_id, user=actor).first()
        if person is None:
            raise CaseForbidden(_("您只能以本人名义提交申请。"))
    else:
        org = organisations_for(actor).filter(pk=applicant.organisation_id).first()
        if org is None:
            raise CaseForbidden(_("您无权代表该单位提交申请。"))
    first = (DraftStep.QUESTIONS if version.guide_questions.exists()
             or version.variants.count() > 1 else DraftStep.FORM)
    variant = "" if first == DraftStep.QUESTIONS else version.variants.first().code  # type: ignore[union-attr]
    return ApplicationDraft.objects.create(
        owner=actor, person=person, organisation=org, item=item, version=version,
        item_name=version.name, step=first, variant_code=variant)


def draft_variant(draft: ApplicationDraft) -> Variant | None:
    if not draft.variant_code:
        return None
    return draft.version.variants.filter(code=draft.variant_code).first()


def draft_answer(*, actor: Any, draft: ApplicationDraft, answers: list[int | None],
                 variant_code: str = "") -> ApplicationDraft:
    """Save the guided questions' answers and the variant they lead to. An item without
    questions lets the applicant pick the variant (`variant_code`) directly."""
    with audit_frame():
        draft = _lock(draft)
        questions = list(draft.version.guide_questions.all())
        code = choose_variant(question_specs(questions), answers) if questions else variant_code
        draft.answers = list(answers)
        if not code or not draft.version.variants.filter(code=code).exists():
            draft.save(update_fields=["answers", "updated_at"])
            raise RuleViolation(_("请回答引导问题，以确定您要办理的业务。"), code="variant_unknown")
        if code != draft.variant_code:
            draft.files.all().delete()  # another variant asks for other materials
            draft.confirmed_shared = []
        draft.variant_code, draft.step = code, DraftStep.FORM
        draft.save(update_fields=["answers", "variant_code", "confirmed_shared", "step",
                                  "updated_at"])
        return draft


def form_errors(draft: ApplicationDraft, raw: dict[str, str]
                ) -> tuple[dict[str, str], dict[str, str]]:
    """(values, messages): the values of the draft's form fields and a translated message
    for each wrong one."""
    variant = draft_variant(draft)
    specs = [spec_of(f) for f in fields_for(draft.version, variant.pk if variant else None)]
    values, errors = validate_form(specs, raw)
    return values, {key: _(FORM_ERRORS[code]) % params for key, (code, params) in errors.items()}


def draft_save_form(*, actor: Any, draft: ApplicationDraft, raw: dict[str, str]
                    ) -> dict[str, str]:
    """Save what the applicant typed (also when wrong, so nothing is lost) and return the
    errors; without errors the draft moves on to the materials."""
    with audit_frame():
        draft = _lock(draft)
        values, errors = form_errors(draft, raw)
        draft.form_data = values
        if not errors and draft.step == DraftStep.FORM:
            draft.step = DraftStep.MATERIALS
        draft.save(update_fields=["form_data", "step", "updated_at"])
        return errors


def draft_materials(draft: ApplicationDraft) -> list[Material]:
    variant = draft_variant(draft)
    return list(variant.materials.all()) if variant is not None else []


def draft_attach(*, actor: Any, draft: ApplicationDraft, material_id: int,
                 upload: Any) -> DraftFile:
    """Upload a material's file, checked by content (the window's checks); it replaces the
    file uploaded before for that material. A refused file leaves the draft unchanged."""
    info = uploads.inspect_upload(upload, name=getattr(upload, "name", "") or "upload")
    with audit_frame():
        draft = _lock(draft)
        material = next((m for m in draft_materials(draft) if m.pk == material_id), None)
        if material is None or material.shareable:
            raise RuleViolation(_("该材料不属于此申请，或无需上传。"), code="material_not_found")
        old = list(draft.files.filter(material=material))
        row = DraftFile(draft=draft, material=material, name=info.safe_name, kind=info.kind,
                        size=info.size, sha256=info.sha256)
        stream = upload.file if hasattr(upload, "file") else upload
        stream.seek(0)
        row.file.save(info.safe_name, File(stream, name=info.safe_name), save=False)
        try:
            row.save()
        except BaseException:
            row.file.storage.delete(row.file.name)
            raise
        for previous in old:
            previous.file.delete(save=False)
            previous.delete()
        draft.save(update_fields=["updated_at"])
        return row


def draft_confirm_shared(*, actor: Any, draft: ApplicationDraft,
                         material_ids: list[int]) -> ApplicationDraft:
    """Confirm the materials obtained by sharing (已通过共享获取) instead of uploading them."""
    with audit_frame():
        draft = _lock(draft)
        shared = {m.pk for m in draft_materials(draft) if m.shareable}
        draft.confirmed_shared = sorted(shared & set(material_ids))
        draft.save(update_fields=["confirmed_shared", "updated_at"])
        return draft


def draft_supplied(draft: ApplicationDraft) -> dict[str, str]:
    """The draft's materials an app above cases supplies on submission, name → source
    (`signals.materials_supplied`, e.g. 中介超市): no upload is asked for them."""
    names = [m.name for m in draft_materials(draft) if not m.shareable]
    if not names or not (draft.person_id or draft.organisation_id):
        return {}
    out: dict[str, str] = {}
    for _receiver, answer in materials_supplied.send(
            sender=ApplicationDraft, person_id=draft.person_id,
            organisation_id=draft.organisation_id, item_id=draft.item_id, names=names):
        out.update(answer or {})
    return out


def materials_missing(draft: ApplicationDraft) -> list[str]:
    """The names of the required materials neither uploaded, confirmed nor supplied."""
    uploaded = set(draft.files.values_list("material_id", flat=True))
    supplied = draft_supplied(draft)
    return [m.name for m in draft_materials(draft) if m.required and m.name not in supplied and (
        m.pk not in draft.confirmed_shared if m.shareable else m.pk not in uploaded)]


def draft_set_delivery(*, actor: Any, draft: ApplicationDraft, method: str,
                       address: str = "") -> ApplicationDraft:
    """The delivery chosen: collect at the window, post to an address, or download (电子送达)
    where the item is handled wholly online."""
    with audit_frame():
        draft = _lock(draft)
        if method not in dict(delivery_choices(draft.version)):
            raise RuleViolation(_("请选择本事项提供的送达方式。"), code="delivery_not_offered")
        address = address.strip()
        if method == DeliveryMethod.POST and not address:
            raise RuleViolation(_("邮寄送达请填写收件地址。"), code="delivery_address_required")
        draft.delivery_method = method
        draft.delivery_address = address[:200] if method == DeliveryMethod.POST else ""
        draft.step = DraftStep.SUMMARY
        draft.save(update_fields=["delivery_method", "delivery_address", "step", "updated_at"])
        return draft


def draft_problems(draft: ApplicationDraft) -> list[str]:
    """What still stops the submission, in words (the summary page lists them)."""
    out: list[str] = []
    if draft_variant(draft) is None:
        out.append(_("尚未确定办理的业务（情形引导）。"))
        return out
    out += form_errors(draft, draft.form_data)[1].values()
    out += [_("尚未提供材料：%(name)s") % {"name": name} for name in materials_missing(draft)]
    if not draft.delivery_method:
        out.append(_("尚未选择送达方式。"))
    return out


def draft_submit(*, actor: Any, draft: ApplicationDraft,
                 at: dt.datetime | None = None) -> Case:
    """Submit the draft: the case is filed online (`case_submit`, channel online) with the
    form, the delivery choice and every uploaded file, all in one transaction."""
    with audit_frame():
        draft = _lock(draft)
        problems = draft_problems(draft)
        if problems:
            raise RuleViolation(problems[0], code="draft_incomplete", problems=problems)
        case, _created = case_submit(
            actor=actor, item_id=draft.item_id, variant_code=draft.variant_code,
            applicant=ApplicantRef(person_id=draft.person_id,
                                   organisation_id=draft.organisation_id),
            channel=Channel.ONLINE, at=at)
        if case.version_id != draft.version_id:
            raise RuleViolation(_("事项办事指南已更新，请重新填写申请。"), code="version_changed")
        case.form_data = dict(draft.form_data)
        case.delivery_wanted, case.delivery_address = (draft.delivery_method,
                                                       draft.delivery_address)
        case.save(update_fields=["form_data", "delivery_wanted", "delivery_address"])
        by_material = {m.catalog_material_id: m.pk for m in case.materials.all()}
        for row in draft.files.all():
            with row.file.open("rb") as stream:
                case_attach_file(actor=actor, case=case.pk,
                                 material_id=by_material.get(row.material_id),
                                 upload=File(stream, name=row.name), at=at)
        draft.case = case
        draft.save(update_fields=["case", "updated_at"])
    return case


def draft_delete(*, actor: Any, draft: ApplicationDraft) -> None:
    with audit_frame():
        draft = _lock(draft)
        for row in draft.files.all():
            row.file.delete(save=False)
        draft.delete()


# --- correcting online (网上补正) ---------------------------------------------------------


def correction_items(case: Case) -> list[dict[str, Any]]:
    """The materials of the latest correction notice, each with the notice's reason and
    whether a replacement has been uploaded since the notice."""
    notice = case.correction_notices.order_by("-number").first()
    if notice is None:
        return []
    issued = notice.issued_on
    materials = {m.pk: m for m in case.materials.all()}
    out = []
    for defect in notice.defects:
        material = materials.get(defect.get("material"))
        if material is None:
            continue
        since = [f for f in material.files.all()
                 if timezone.localdate(f.uploaded_at) >= issued and f.purpose == "correction"]
        out.append({"material": material, "reason": defect.get("reason", ""),
                    "files": since})
    return out


def _own_correcting(actor: Any, case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else int(case)
    found = Case.objects.filter(pk=pk).first()
    if found is None or not is_owner(actor, found):
        raise CaseNotFound()
    if found.state != CaseState.CORRECTING:
        raise IllegalState("corrections", found.state)
    return found


def online_correction_upload(*, actor: Any, case: Case | int, material_id: int,
                             upload: Any, at: dt.datetime | None = None) -> Any:
    """Upload a replacement for a material the correction notice lists (only those)."""
    found = _own_correcting(actor, case)
    if material_id not in {i["material"].pk for i in correction_items(found)}:
        raise RuleViolation(_("补正通知未列出该材料，无需补正。"), code="material_not_listed")
    return case_attach_file(actor=actor, case=found.pk, material_id=material_id, upload=upload,
                            purpose="correction", at=at)


def online_corrections_submit(*, actor: Any, case: Case | int,
                              at: dt.datetime | None = None) -> Case:
    """Hand the corrections in (补正材料提交): every listed material has a replacement."""
    found = _own_correcting(actor, case)
    missing = [str(i["material"].name) for i in correction_items(found) if not i["files"]]
    if missing:
        raise RuleViolation(_("请先上传补正材料：%(names)s") % {"names": "、".join(missing)},
                            code="corrections_missing")
    return case_receive_corrections(actor=actor, case=found.pk, at=at)

