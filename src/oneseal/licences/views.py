"""The licence pages: the library's list and a licence's page in the workbench (readers:
clerk, reviewer, chief, head, department officer, supervisor; state changes by the head and
the chiefs), and the holder's own licences in the portal (我的电子证照)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role

from . import selectors, services
from .errors import LicenceError
from .forms import LicenceFilterForm, StateChangeForm
from .models import Licence
from .render import validity_text

PAGE = 50


def _cursor(request: HttpRequest) -> str | None:
    return request.GET.get("cursor", "").strip()[:40] or None


def _row(licence: Licence, today: object) -> dict[str, object]:
    masked = licence.holder_id_masked
    state = services.state_today(licence, today)  # type: ignore[arg-type]
    return {"licence": licence, "holder_id": masked, "state": state,
            "state_label": services.state_label(state), "validity": validity_text(licence),
            "apply_by": services.renewal_apply_by(licence)}


@require_roles(*selectors.READERS)
def licence_list(request: HttpRequest) -> HttpResponse:
    """电子证照库: search by identifier, number or holder name prefix, type, state, 临近延续."""
    form = LicenceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("type")
    filters = selectors.LicenceFilters(q=data.get("q", ""), type_id=kind.pk if kind else None,
                                       state=data.get("state", ""),
                                       renewal_due=bool(data.get("renewal_due")))
    page = selectors.licence_list(filters, _cursor(request), user=request.user, limit=PAGE)
    today = timezone.localdate()
    return render(request, "licences/list.html", {
        "form": form, "rows": [_row(licence, today) for licence in page.items],
        "next_cursor": page.next_cursor, "paged": bool(_cursor(request))})


def _load(request: HttpRequest, licence_id: int) -> Licence:
    licence = selectors.visible_licences(request.user).filter(pk=licence_id).first()
    if licence is None:
        raise Http404(_("电子证照不存在，或您无权查看。"))
    return licence


def _detail(request: HttpRequest, licence: Licence, form: StateChangeForm | None = None,
            status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    may_change = services.may_change_state(request.user)
    if may_change and form is None:
        form = StateChangeForm(state=licence.state)
    use = licence.seal_use
    return render(request, "licences/detail.html", {
        "licence": licence, "row": _row(licence, today), "full_holder_id": licence.holder_id,
        "events": [{"event": e, "operation": services.op_label(e.operation),
                    "from": services.state_label(e.from_state) if e.from_state else "",
                    "to": services.state_label(e.to_state)}
                   for e in licence.events.select_related("actor").order_by("id")],
        "form": form if may_change and form is not None and form.fields["operation"].choices
        else None,
        "signed": bool(use is not None and use.state == "signed"), "seal_use": use,
        "case": licence.case}, status=status)


@require_roles(*selectors.READERS)
def licence_detail(request: HttpRequest, licence_id: int) -> HttpResponse:
    return _detail(request, _load(request, licence_id))


@require_POST
@require_roles(Role.HEAD, Role.CHIEF)
def licence_state(request: HttpRequest, licence_id: int) -> HttpResponse:
    """The state change form (暂扣/恢复/撤回/撤销/注销/吊销), through the same service as the
    API."""
    licence = _load(request, licence_id)
    form = StateChangeForm(request.POST, state=licence.state)
    if not form.is_valid():
        return _detail(request, licence, form, status=422)
    try:
        services.change_state(actor=request.user, licence=licence,
                              operation=form.cleaned_data["operation"],
                              reason=form.cleaned_data["reason"])
    except LicenceError as exc:
        form.add_error(None, exc.message)
        return _detail(request, licence, form, status=exc.status)
    messages.success(request, _("证照状态已变更。"))
    return redirect("licences:detail", licence_id=licence.pk)


def _signed_response(licence: Licence) -> HttpResponse:
    from oneseal.seal.services import signed_pdf

    use = licence.seal_use
    if use is None or use.state != "signed":
        raise Http404(_("该证照尚未签章。"))
    response = HttpResponse(signed_pdf(use), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="licence-{licence.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_roles(*selectors.READERS)
def licence_pdf(request: HttpRequest, licence_id: int) -> HttpResponse:
    """The signed licence PDF (the bytes the seal ledger recorded); 404 until signed."""
    return _signed_response(_load(request, licence_id))


@require_roles(Role.APPLICANT, Role.AGENT)
def my_licences(request: HttpRequest) -> HttpResponse:
    """我的电子证照: the licences the account holds (as the person, or for its
    organisations), with the renewal reminders (第50条)."""
    today = timezone.localdate()
    rows = [_row(licence, today) for licence in
            Licence.objects.select_related("type", "seal_use")
            .filter(selectors.held_by(request.user)).distinct().order_by("-id")[:200]]
    return render(request, "licences/portal/mine.html", {
        "rows": rows, "reminders": selectors.reminders_of(request.user, today)})


@require_roles(Role.APPLICANT, Role.AGENT)
def my_licence_pdf(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = (Licence.objects.filter(selectors.held_by(request.user))
               .filter(pk=licence_id).select_related("seal_use").first())
    if licence is None:
        raise Http404(_("电子证照不存在，或您无权查看。"))
    return _signed_response(licence)
