"""Assisted service pages (帮办代办, measure 十二): the helper's workbench (the applicants who
authorised him, his cases, filing a case for one of them) and the applicant's 我的授权 page,
where he sees and revokes what he authorised. parse -> access -> service -> template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles, verified_login_required
from oneseal.accounts.roles import Role
from oneseal.applicants import assist
from oneseal.applicants.domain.authorisation import in_force
from oneseal.cases import services as case_services
from oneseal.cases.errors import CaseError

from . import selectors_assist


def _state(auth: Any, today: Any) -> str:
    if auth.revoked_at is not None:
        return str(gettext_lazy("已撤销"))
    if in_force(valid_from=auth.valid_from, valid_to=auth.valid_to, revoked_on=None, on=today):
        return str(gettext_lazy("有效"))
    return str(gettext_lazy("未生效")) if today < auth.valid_from else str(gettext_lazy("已过期"))


def _rows(auths: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [{"auth": a, "principal": a.person or a.organisation, "state": _state(a, today),
             "in_force": a.revoked_at is None and in_force(
                 valid_from=a.valid_from, valid_to=a.valid_to, revoked_on=None, on=today),
             "items": [] if a.all_items else list(a.items.all())} for a in auths]


class FileForm(forms.Form):
    authorisation = forms.TypedChoiceField(label=gettext_lazy("申请人（授权人）"), coerce=int)
    item = forms.TypedChoiceField(label=gettext_lazy("申请事项"), coerce=int)
    variant_code = forms.CharField(label=gettext_lazy("业务办理项编码"), initial="01",
                                   max_length=10)

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authorisation"].choices = [
            (r["auth"].pk, str(r["principal"])) for r in rows if r["in_force"]]
        self.fields["item"].choices = selectors_assist.item_choices()


@require_roles(Role.HELPER)
def workbench(request: HttpRequest) -> HttpResponse:
    """帮办代办: who authorised me, my cases, and filing a case for one of them (the case
    service checks the authorisation: in force, and covering the item)."""
    user: Any = request.user
    rows = _rows(assist.helper_authorisations(user))
    form = FileForm(request.POST or None, rows=rows)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        auth = next(r["auth"] for r in rows if r["auth"].pk == form.cleaned_data["authorisation"])
        ref = case_services.ApplicantRef(person_id=auth.person_id,
                                         organisation_id=auth.organisation_id)
        try:
            case, _created = case_services.case_submit(
                actor=user, item_id=form.cleaned_data["item"],
                variant_code=form.cleaned_data["variant_code"], applicant=ref,
                agent_id=auth.agent_id, channel="online")
        except CaseError as exc:
            error, status = exc.message, (exc.status if exc.status in (403, 409) else 200)
        else:
            messages.success(request, _("已代为提交申请：%(n)s。") % {"n": case.number})
            return redirect("cases:case", case.pk)
    return render(request, "supervision/assist_workbench.html", {
        "rows": rows, "cases": selectors_assist.helper_cases(user), "form": form,
        "error": error}, status=status)


@verified_login_required
def my_authorisations(request: HttpRequest) -> HttpResponse:
    """我的授权: the authorisations the applicant gave (helpers and other agents), with the
    button to revoke each one still in force."""
    return render(request, "supervision/my_authorisations.html",
                  {"rows": _rows(assist.granted_by(request.user))})


@verified_login_required
@require_POST
def revoke(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    try:
        assist.revoke_by_applicant(actor=request.user,  # type: ignore[arg-type]
                                   authorisation_id=authorisation_id)
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, _("已撤销授权，被授权人自即日起不能再代您办理。"))
    return redirect("assist_portal:mine")
