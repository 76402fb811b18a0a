"""The online hall's application pages (网上申请, `/apply/`): from a guide's 在线办理 button
through the guided questions, the form, the materials, the delivery choice and the summary
to the receipt (收件凭证); the drafts (我的草稿); and correcting online (网上补正).

Every page: parse -> access (`permissions_online.access_draft`, `permissions.access_case`)
-> service (`services/online.py`) -> template. Only applicants and operators (申请人、经办人)
get in; a draft or case of someone else is 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.roles import Role
from oneseal.applicants.models import Person
from oneseal.applicants.selectors import organisations_for
from oneseal.catalog.models import Item
from oneseal.catalog.online_form import fields_for
from oneseal.catalog.selectors import version_in_force
from oneseal.core.access import require_roles
from oneseal.org.selectors import bureau

from . import receipt
from .errors import CaseError, CaseNotFound
from .models import Case, Channel
from .models_online import ApplicationDraft, DraftStep
from .permissions import access_case, is_owner
from .permissions_online import access_draft, visible_drafts
from .services import ApplicantRef
from .services import online as svc

applicant_only = require_roles(Role.APPLICANT, Role.AGENT)
STEPS = [DraftStep.QUESTIONS, DraftStep.FORM, DraftStep.MATERIALS, DraftStep.DELIVERY,
         DraftStep.SUMMARY]


def _draft(request: HttpRequest, draft_id: int) -> ApplicationDraft:
    try:
        return access_draft(user=request.user, draft_id=draft_id)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc


def _own_case(request: HttpRequest, case_id: int) -> Case:
    try:
        case = access_case(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc
    if not is_owner(request.user, case):  # staff see cases on the workbench, not here
        raise Http404
    return case


def _page(request: HttpRequest, draft: ApplicationDraft, template: str,
          context: dict[str, Any], status: int = 200) -> HttpResponse:
    steps = [(s.value, s.label) for s in STEPS]
    return render(request, f"cases/apply/{template}.html", {
        "draft": draft, "steps": steps, "variant": svc.draft_variant(draft), **context},
        status=status)


def _go(draft: ApplicationDraft, step: str) -> HttpResponse:
    return redirect("apply:step", draft_id=draft.pk, step=step)


@applicant_only
def start(request: HttpRequest, item_id: int) -> HttpResponse:
    """在线办理: choose for whom (oneself, or an organisation one operates for)."""
    item = Item.objects.filter(pk=item_id).first()
    version = version_in_force(item) if item is not None else None
    if version is None or not svc.online_allowed(version):
        raise Http404
    person = Person.objects.filter(user=request.user).first()
    orgs = list(organisations_for(request.user))
    error = ""
    if request.method == "POST":
        who = request.POST.get("applicant", "")
        ref = (ApplicantRef(person_id=person.pk) if who == "self" and person is not None else
               ApplicantRef(organisation_id=int(who[4:])) if who.startswith("org-")
               and who[4:].isdigit() else ApplicantRef())
        try:
            draft = svc.draft_start(actor=request.user, item_id=item_id, applicant=ref)
        except CaseError as exc:
            error = exc.message
        else:
            return _go(draft, draft.step)
    return render(request, "cases/apply/start.html", {
        "version": version, "person": person, "organisations": orgs, "error": error},
        status=422 if error else 200)


@applicant_only
def resume(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    return _go(draft, draft.step)


@applicant_only
def drafts(request: HttpRequest) -> HttpResponse:
    """我的草稿."""
    return render(request, "cases/apply/drafts.html", {
        "drafts": visible_drafts(request.user)[:100]})


@applicant_only
def step(request: HttpRequest, draft_id: int, step: str) -> HttpResponse:
    draft = _draft(request, draft_id)
    handler = {DraftStep.QUESTIONS: _questions, DraftStep.FORM: _form,
               DraftStep.MATERIALS: _materials, DraftStep.DELIVERY: _delivery,
               DraftStep.SUMMARY: _summary}.get(step)  # type: ignore[call-overload]
    if handler is None:
        raise Http404
    if step != DraftStep.QUESTIONS and svc.draft_variant(draft) is None:
        return _go(draft, DraftStep.QUESTIONS)
    return handler(request, draft)  # type: ignore[no-any-return]


def _questions(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    questions = list(draft.version.guide_questions.all())
    error = ""
    if request.method == "POST":
        answers: list[int | None] = []
        for index in range(len(questions)):
            raw = request.POST.get(f"q{index}", "")
            answers.append(int(raw) if raw.isdigit() else None)
        try:
            draft = svc.draft_answer(actor=request.user, draft=draft, answers=answers,
                                     variant_code=request.POST.get("variant", ""))
        except CaseError as exc:
            error = exc.message
        else:
            return _go(draft, DraftStep.FORM)
    return _page(request, draft, "questions", {
        "questions": [(i, q, draft.answers[i] if i < len(draft.answers) else None)
                      for i, q in enumerate(questions)],
        "variants": list(draft.version.variants.all()), "error": error},
        status=422 if error else 200)


def _form(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    variant = svc.draft_variant(draft)
    fields = list(fields_for(draft.version, variant.pk if variant else None))
    values, errors = dict(draft.form_data), {}
    if request.method == "POST":
        raw = {f.key: request.POST.get(f.key, "") for f in fields}
        errors = svc.draft_save_form(actor=request.user, draft=draft, raw=raw)
        if not errors:
            return _go(draft, DraftStep.MATERIALS)
        values = raw
    rows = [{"field": f, "value": values.get(f.key, ""), "error": errors.get(f.key, "")}
            for f in fields]
    return _page(request, draft, "form", {"rows": rows, "errors": errors},
                 status=422 if errors else 200)


def _materials(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "upload":
                material = request.POST.get("material", "")
                upload = request.FILES.get("file")
                if upload is None or not material.isdigit():
                    error = _("请选择要上传的文件。")
                else:
                    svc.draft_attach(actor=request.user, draft=draft,
                                     material_id=int(material), upload=upload)
                    messages.success(request, _("文件已上传。"))
                    return _go(draft, DraftStep.MATERIALS)
            elif action == "next":
                ids = [int(v) for v in request.POST.getlist("shared") if v.isdigit()]
                draft = svc.draft_confirm_shared(actor=request.user, draft=draft,
                                                 material_ids=ids)
                missing = svc.materials_missing(draft)
                if not missing:
                    return _go(draft, DraftStep.DELIVERY)
                error = _("尚未提供材料：%(names)s") % {"names": "、".join(missing)}
        except CaseError as exc:
            error = exc.message
    files = {f.material_id: f for f in draft.files.all()}
    supplied = svc.draft_supplied(draft)
    rows = [{"material": m, "file": files.get(m.pk),
             "confirmed": m.pk in draft.confirmed_shared, "supplied": supplied.get(m.name, "")}
            for m in svc.draft_materials(draft)]
    return _page(request, draft, "materials", {"rows": rows, "error": error},
                 status=422 if error else 200)


def _delivery(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    error = ""
    method, address = draft.delivery_method, draft.delivery_address
    if request.method == "POST":
        method = request.POST.get("method", "")
        address = request.POST.get("address", "")
        try:
            svc.draft_set_delivery(actor=request.user, draft=draft, method=method,
                                   address=address)
        except CaseError as exc:
            error = exc.message
        else:
            return _go(draft, DraftStep.SUMMARY)
    return _page(request, draft, "delivery", {
        "choices": svc.delivery_choices(draft.version), "method": method,
        "address": address, "error": error}, status=422 if error else 200)


def _summary(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            case = svc.draft_submit(actor=request.user, draft=draft)
        except CaseError as exc:
            error = exc.message
        else:
            return redirect("apply:receipt", case_id=case.pk)
    variant = svc.draft_variant(draft)
    fields = list(fields_for(draft.version, variant.pk if variant else None))
    files = {f.material_id: f for f in draft.files.all()}
    supplied = svc.draft_supplied(draft)
    return _page(request, draft, "summary", {
        "answers": [(f.label, draft.form_data.get(f.key, "")) for f in fields],
        "materials": [{"material": m, "file": files.get(m.pk),
                       "confirmed": m.pk in draft.confirmed_shared,
                       "supplied": supplied.get(m.name, "")}
                      for m in svc.draft_materials(draft)],
        "delivery": dict(svc.delivery_choices(draft.version)).get(draft.delivery_method, ""),
        "problems": svc.draft_problems(draft), "error": error},
        status=422 if error else 200)


@applicant_only
@require_POST
def delete(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    svc.draft_delete(actor=request.user, draft=draft)
    messages.success(request, _("草稿已删除。"))
    return redirect("apply:drafts")


def _issuer() -> str:
    unit = bureau()
    return unit.name if unit is not None else ""


@applicant_only
def receipt_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """收件凭证 of an online application."""
    case = _own_case(request, case_id)
    if case.channel != Channel.ONLINE:
        raise Http404
    return render(request, "cases/apply/receipt.html", {
        "case": case, "rows": receipt.receipt_rows(case),
        "materials": receipt.material_lines(case), "issuer": _issuer()})


@applicant_only
def receipt_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _own_case(request, case_id)
    if case.channel != Channel.ONLINE:
        raise Http404
    response = HttpResponse(receipt.render_receipt(case, _issuer()),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{case.number}.pdf"'
    return response


@applicant_only
def corrections(request: HttpRequest, case_id: int) -> HttpResponse:
    """网上补正: only the materials the notice lists, each with its reason."""
    case = _own_case(request, case_id)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "submit":
                svc.online_corrections_submit(actor=request.user, case=case)
                messages.success(request, _("补正材料已提交，请等待受理。"))
                return redirect("apply:corrections", case_id=case.pk)
            material = request.POST.get("material", "")
            upload = request.FILES.get("file")
            if upload is None or not material.isdigit():
                error = _("请选择要上传的文件。")
            else:
                svc.online_correction_upload(actor=request.user, case=case,
                                             material_id=int(material), upload=upload)
                messages.success(request, _("文件已上传。"))
                return redirect("apply:corrections", case_id=case.pk)
        except CaseError as exc:
            error = exc.message
    case.refresh_from_db()
    return render(request, "cases/apply/corrections.html", {
        "case": case, "items": svc.correction_items(case) if case.state == "correcting"
        else [], "error": error}, status=422 if error else 200)
