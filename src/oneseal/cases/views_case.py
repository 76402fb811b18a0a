"""The case page (办件详情) and its operations, for staff and for the applicant who owns the
case: parse -> access (`permissions.access_case`) -> service -> template.

Only the operations `permissions.allowed_actions` offers are shown; the services check every
rule again. A refusal by a service (`CaseError`) is shown next to its form, in Chinese, with
what was typed kept: 409 for a state or concurrency conflict, 403 for a role the operation
does not allow, 200 for a rule (the page itself is fine). A case the user may not see is a
404 whether or not it exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import verified_login_required
from oneseal.accounts.roles import Role
from oneseal.core.audit import audit_frame
from oneseal.core.bounds import parse_ids

from . import clocks, forms, permissions, seal_status, selectors, services
from .domain.states import Operation
from .errors import CaseError, CaseNotFound, operation_label
from .models import (
    Case,
    CaseDocument,
    CaseFile,
    CaseStep,
    CheckStatus,
    SpecialKind,
    StepState,
)

NO_FORM = frozenset({Operation.ACCEPT, Operation.CORRECTION_NOTICE, Operation.CORRECTIONS,
                     Operation.CLAIM})
REASON_OPS = frozenset({Operation.WITHDRAW, Operation.TERMINATE, Operation.REOPEN})
THEN_OPS = (Operation.ACCEPT, Operation.CORRECTION_NOTICE)  # after checking the materials


def load_case(request: HttpRequest, case_id: int) -> Case:
    try:
        return permissions.access_case(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc


def error_status(exc: CaseError) -> int:
    """409 (state, conflict) and 403 (role) keep their status; rules are shown with 200."""
    return exc.status if exc.status in (403, 409) else 200


# --- the forms of the page ----------------------------------------------------------------


def _earlier_steps(case: Case, step: CaseStep | None) -> list[tuple[int, str]]:
    if step is None:
        return []
    done = (case.steps.filter(order__lt=step.order, state=StepState.DONE)
            .exclude(order=1, role=Role.CLERK)  # acceptance is not returned to
            .order_by("order", "-round"))
    seen: dict[int, str] = {}
    for s in done:
        seen.setdefault(s.order, f"{s.order}. {s.name}")
    return list(seen.items())


def _assignee_unit(step: CaseStep | None) -> int | None:
    """The unit whose staff go on a site visit: the unit of whoever holds the step."""
    if step is None or step.assignee_id is None:
        return None
    return step.assignee.unit_id


def _special_kinds(case: Case) -> list[tuple[str, str]]:
    """The special procedures the item declares (办事指南 特别程序), all kinds if none."""
    labels = dict(SpecialKind.choices)
    declared = [row.kind for row in case.version.special_procedures.all() if row.kind in labels]
    return [(k, labels[k]) for k in dict.fromkeys(declared)] or list(SpecialKind.choices)


def build_form(op: str, case: Case, step: CaseStep | None, data: Any = None,
               files: Any = None) -> django_forms.Form | None:
    """The (bound when `data`) form of one operation, or None for a plain button."""
    if op in NO_FORM or op == Operation.CHECK_MATERIALS:
        return None
    if op == Operation.ATTACH_FILE:
        return forms.UploadForm(data, files, materials=list(case.materials.all()),
                                prefix=op)
    if op == Operation.COMPLETE_STEP:
        return forms.CompleteStepForm(
            data, earlier=_earlier_steps(case, step),
            staff=forms.staff_choices(_assignee_unit(step)),
            site_visit=bool(step and step.site_visit), prefix=op)
    if op == Operation.SPECIAL_START:
        return forms.SpecialStartForm(data, kinds=_special_kinds(case),
                                      staff=forms.staff_choices(), prefix=op)
    if op == Operation.SPOT_CORRECTION:
        return forms.SpotCorrectionForm(data, materials=list(case.materials.all()), prefix=op)
    simple: dict[str, type[django_forms.Form]] = {
        Operation.REFUSE: forms.RefuseForm, Operation.DECIDE_ON_SPOT: forms.OnSpotForm,
        Operation.SPECIAL_END: forms.SpecialEndForm,
        Operation.EXTENSION_REQUEST: forms.ExtensionRequestForm,
        Operation.EXTENSION_APPROVE: forms.ExtensionApproveForm,
        Operation.DECIDE: forms.DecideForm, Operation.DELIVER: forms.DeliverForm,
        Operation.MARK_JOINT: forms.MarkJointForm,
        Operation.EXTENSION_GOVERNMENT: forms.ExtensionGovernmentForm,
        Operation.HEARING_NOTICE: forms.HearingNoticeForm,
    }
    if op in simple:
        return simple[op](data, prefix=op)
    if op in REASON_OPS:
        return forms.ReasonForm(data, prefix=op)
    return None


# --- running an operation -------------------------------------------------------------------

Runner = Callable[..., Any]


def _runners() -> dict[str, Runner]:
    s = services
    return {
        Operation.ACCEPT: lambda a, c, d: s.case_accept(actor=a, case=c),
        Operation.CORRECTION_NOTICE: lambda a, c, d: s.case_correction_notice(actor=a, case=c),
        Operation.CORRECTIONS: lambda a, c, d: s.case_receive_corrections(actor=a, case=c),
        Operation.CLAIM: lambda a, c, d: s.case_claim(actor=a, case=c),
        Operation.REFUSE: lambda a, c, d: s.case_refuse(actor=a, case=c, **d),
        Operation.DECIDE_ON_SPOT: lambda a, c, d: s.case_decide_on_spot(actor=a, case=c, **d),
        Operation.DECIDE: lambda a, c, d: s.case_decide(actor=a, case=c, **d),
        Operation.COMPLETE_STEP: lambda a, c, d: s.case_complete_step(
            actor=a, case=c, opinion=d["opinion"], comment=d.get("comment", ""),
            return_to=d.get("return_to") if d["opinion"] == "return" else None,
            site_staff=d.get("site_staff") or None),
        Operation.SPECIAL_END: lambda a, c, d: s.case_special_end(actor=a, case=c, **d),
        Operation.EXTENSION_REQUEST: lambda a, c, d: s.case_extension_request(
            actor=a, case=c, **d),
        Operation.EXTENSION_APPROVE: lambda a, c, d: s.case_extension_approve(
            actor=a, case=c, **d),
        Operation.DELIVER: lambda a, c, d: s.case_deliver(actor=a, case=c, **d),
        Operation.WITHDRAW: lambda a, c, d: s.case_withdraw(actor=a, case=c, **d),
        Operation.TERMINATE: lambda a, c, d: s.case_terminate(actor=a, case=c, **d),
        Operation.REOPEN: lambda a, c, d: s.case_reopen(actor=a, case=c, **d),
        Operation.SPOT_CORRECTION: lambda a, c, d: s.case_spot_correction(
            actor=a, case=c, items=[{"material": d["material"], "what": d["what"]}]),
        Operation.MARK_JOINT: lambda a, c, d: s.case_mark_joint(actor=a, case=c, **d),
        Operation.EXTENSION_GOVERNMENT: lambda a, c, d: s.case_extension_government(
            actor=a, case=c, **d),
        Operation.HEARING_NOTICE: lambda a, c, d: s.case_hearing_notice(actor=a, case=c, **d),
    }


def _last_document_id(case: Case) -> int:
    return case.documents.order_by("-id").values_list("id", flat=True).first() or 0


def run_operation(request: HttpRequest, case: Case, op: str) -> tuple[bool, Any, str]:
    """Parse and run `op`: (done, bound form or the material errors, error message)."""
    step = permissions.open_step(case)
    user = request.user
    if op == Operation.CHECK_MATERIALS:
        materials = list(case.materials.all())
        results, errors = forms.parse_material_checks(request.POST, materials)
        if errors:
            return False, errors, _("请更正材料核验表中标出的错误。")
        then = request.POST.get("then", "")
        if then == Operation.ACCEPT:
            # The check and the acceptance in one transaction, as the API's accept does: if
            # acceptance is refused, the check is not kept either (one rule, two faces).
            services.case_accept(actor=user, case=case, results=results)
        elif then in THEN_OPS:
            with audit_frame():  # the same for the check and the correction notice
                services.case_check_materials(actor=user, case=case, results=results)
                _runners()[then](user, case, {})
        else:
            services.case_check_materials(actor=user, case=case, results=results)
        return True, None, ""
    form = build_form(op, case, step, request.POST, request.FILES)
    if form is not None and not form.is_valid():
        return False, form, _("请更正下列标出的错误。")
    data = dict(form.cleaned_data) if form is not None else {}
    if op == Operation.ATTACH_FILE:
        services.case_attach_file(actor=user, case=case, material_id=data["material"],
                                  upload=data["upload"])
    elif op == Operation.SPECIAL_START:
        assert isinstance(form, forms.SpecialStartForm)
        services.case_special_start(actor=user, case=case, kind=data["kind"],
                                    reason=data["reason"],
                                    expected_days=data["expected_days"],
                                    hearing=form.hearing())
    else:
        _runners()[op](user, case, data)
    return True, form, ""


@verified_login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id)
    return render_case(request, case)


@verified_login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, op: str) -> HttpResponse:
    """POST one operation from the case page (or the delivery window, `next=delivery`)."""
    case = load_case(request, case_id)
    try:
        operation = Operation(op)
    except ValueError as exc:
        raise Http404 from exc
    before = _last_document_id(case)
    status = 200
    try:
        done, bound, message = run_operation(request, case, operation)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc
    except CaseError as exc:
        done, message, status = False, exc.message, error_status(exc)
        bound = (build_form(operation, case, permissions.open_step(case), request.POST,
                            request.FILES) if operation != Operation.CHECK_MATERIALS else {})
        if bound is not None and hasattr(bound, "is_valid"):
            bound.is_valid()  # keep what was typed, with its cleaned values
    if not done:
        case = load_case(request, case_id)
        return render_case(request, case, op=operation, bound=bound, error=message,
                           status=status, delivery_page=request.POST.get("next") == "delivery")
    messages.success(request, _("已完成：%(op)s。") % {"op": operation_label(operation)})
    new_docs = list(case.documents.filter(id__gt=before).values_list("id", flat=True))
    if request.POST.get("next") == "delivery":
        target = reverse("cases:deliver", args=[case.pk])
    else:
        target = reverse("cases:case", args=[case.pk])
    if new_docs:
        target += "?doc=" + ",".join(str(d) for d in new_docs)
    return redirect(target)


def render_case(request: HttpRequest, case: Case, *, op: str = "", bound: Any = None,
                error: str = "", status: int = 200, delivery_page: bool = False
                ) -> HttpResponse:
    """The case page, or the delivery window's page of the case (统一出件)."""
    context = case_context(request, case, op=op, bound=bound, error=error,
                           delivery_page=delivery_page)
    template = "cases/delivery.html" if delivery_page else "cases/case.html"
    return render(request, template, context, status=status)


def case_context(request: HttpRequest, case: Case, *, op: str = "", bound: Any = None,
                 error: str = "", delivery_page: bool = False) -> dict[str, Any]:
    user = request.user
    step = permissions.open_step(case)
    actions = [str(a) for a in permissions.allowed_actions(user, case)]
    page_forms = {a: build_form(a, case, step) for a in actions}
    material_errors: dict[int, str] = {}
    if op == Operation.CHECK_MATERIALS and isinstance(bound, dict):
        material_errors = bound
    elif op and bound is not None:
        page_forms[op] = bound
    materials = list(case.materials.prefetch_related("files"))
    posted = request.POST if op == Operation.CHECK_MATERIALS else None
    rows = [{"m": m, "status": (posted.get(f"status-{m.pk}") if posted else None)
             or _default_status(m),
             "reason": (posted.get(f"reason-{m.pk}") if posted else None) or m.reason,
             "error": material_errors.get(m.pk, "")} for m in materials]
    shown_docs = _shown_documents(request, case)
    if not error:
        _focus_first(actions, page_forms)
    return {
        "case": case, "step": step, "actions": actions, "forms": page_forms,
        "error_op": op, "error": error, "material_rows": rows, "focus_materials": not error,
        "material_error": material_errors.get(0, ""),
        "check_choices": forms.MATERIAL_CHOICES,
        "steps": case.steps.select_related("assignee").order_by("order", "round"),
        "clocks": [c for c in clocks.clock_views(case)
                   if not delivery_page or c.kind == "delivery"],
        "history": selectors.case_history(case),
        "documents": _documents_with_seal(case),
        "licences": _licences(case, staff=user.is_staff_member),
        "new_documents": shown_docs,
        "specials": case.special_procedures.select_related("chair").order_by("id"),
        "extensions": case.extensions.order_by("id"),
        "notices": case.correction_notices.order_by("number"),
        "other_files": [f for f in case.files.all() if f.material_id is None],
        "delivery": getattr(case, "delivery", None) if case.delivered_on else None,
        "staff_view": user.is_staff_member,
        "base": "workbench/base.html" if user.is_staff_member else "portal/base.html",
        "today": timezone.localdate(),
        "secondary": [str(label) for key, label in SECONDARY_OPS.items() if key in actions],
        "secondary_open": op in SECONDARY_OPS,
    }


#: Secondary operations (不予受理, 特别程序, 延期, 听证告知, 联合办理, 撤回, 终止): behind a
#: disclosure (其他操作), never open beside the main action; opened when one of them failed.
SECONDARY_OPS = {
    "refuse": gettext_lazy("不予受理"), "special_start": gettext_lazy("特别程序"),
    "extension_request": gettext_lazy("延期"), "hearing_notice": gettext_lazy("听证告知"),
    "mark_joint": gettext_lazy("联合办理"), "withdraw": gettext_lazy("撤回"),
    "terminate": gettext_lazy("终止"),
}


FOCUS_OPS = (Operation.DECIDE, Operation.COMPLETE_STEP, Operation.DELIVER,
             Operation.DECIDE_ON_SPOT, Operation.EXTENSION_APPROVE, Operation.SPECIAL_END)


def _focus_first(actions: list[str], page_forms: dict[str, Any]) -> None:
    """Autofocus the first field of the main operation (never a refusal, a withdrawal or a
    termination); the claim and corrections buttons and the material table focus
    themselves."""
    if {"claim", "corrections", "check_materials"} & set(actions):
        return
    for op in FOCUS_OPS:
        form = page_forms.get(op)
        if op in actions and form is not None:
            for field in form.visible_fields():
                field.field.widget.attrs["autofocus"] = True
                return


def _default_status(material: Any) -> str:
    """The result shown checked in the material table: the one recorded, or none at all for
    a material not checked yet — the clerk looks at each and chooses (no risky default)."""
    if material.status != CheckStatus.PENDING:
        return str(material.status)
    return ""


def _documents_with_seal(case: Case) -> list[CaseDocument]:
    """The case's documents, each with its seal status (`seal`, see `seal_status`)."""
    statuses = seal_status.document_statuses(case)
    docs = list(case.documents.order_by("id"))
    for doc in docs:
        doc.seal = statuses.get(doc.pk)  # type: ignore[attr-defined]
    return docs


def _licences(case: Case, *, staff: bool) -> list[dict[str, Any]]:
    """The case's licences with the page to open: the library's detail page for staff, the
    applicant's own licences in the portal otherwise ("" while that page is not mounted)."""
    out = []
    for info in seal_status.licences(case):
        try:
            url = (reverse("licences:detail", args=[info.id]) if staff
                   else reverse("licences_portal:mine"))
        except NoReverseMatch:
            url = ""
        out.append({"info": info, "url": url})
    return out


def _shown_documents(request: HttpRequest, case: Case) -> list[CaseDocument]:
    """The documents just issued (?doc=), each with its seal status: the notice offers the
    sealed copy to print, or says that it waits for the seal (never the unsigned draft)."""
    ids = parse_ids(request.GET.get("doc", ""), limit=10)
    if not ids:
        return []
    statuses = seal_status.document_statuses(case)
    docs = list(case.documents.filter(id__in=ids).order_by("id"))
    for doc in docs:
        doc.seal = statuses.get(doc.pk)  # type: ignore[attr-defined]
    return docs


# --- files and documents -------------------------------------------------------------------

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png",
                 "ofd": "application/ofd"}


@verified_login_required
def case_file(request: HttpRequest, case_id: int, file_id: int) -> FileResponse:
    """A material's file, to whoever may see the case; always as a download."""
    case = load_case(request, case_id)
    row = CaseFile.objects.filter(case=case, pk=file_id).first()
    if row is None:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (restored backup...)
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=row.name,
                            content_type=CONTENT_TYPES.get(row.kind, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    return response


@verified_login_required
def case_document(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """A written document of the case (法律文书) as PDF, rendered from its snapshot."""
    from . import documents

    case = load_case(request, case_id)
    document = CaseDocument.objects.filter(case=case, pk=document_id).first()
    if document is None:
        raise Http404
    response = HttpResponse(documents.render_pdf(document), content_type="application/pdf")
    filename = f"{document.number or document.pk}.pdf".replace('"', "")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@verified_login_required
def case_document_signed(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """The signed PDF of a written document (the bytes the seal ledger recorded), to whoever
    may see the case; 404 while it is not signed."""
    case = load_case(request, case_id)
    found = seal_status.signed_document(case, document_id)
    if found is None:
        raise Http404
    document, data = found
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{document.number or document.pk}-signed.pdf".replace('"', "")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
