"""The seal pages (/workbench/seal/): the seals with their pictures and certificates, the
delegations (用印授权) and the seal ledger (用印登记).

Who: the bureau head, supervisors and system administrators read; only the head grants or
revokes delegations (the services check it again). Everyone else gets the 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role

from . import services
from .errors import SealError
from .forms import DelegationForm
from .models import Seal, SealDelegation, SealUse
from .picture import MAX_PICTURE_BYTES, seal_svg

READERS = (Role.HEAD, Role.SUPERVISOR, Role.SYSADMIN)
LEDGER_PAGE = 30


@require_roles(*READERS)
def index(request: HttpRequest) -> HttpResponse:
    """The seals, their pictures, certificates and validity; the current delegations."""
    seals = list(Seal.objects.select_related("unit", "maker").prefetch_related("certificates"))
    rows = [{"seal": seal, "svg": mark_safe(seal_svg(seal))} for seal in seals]  # noqa: S308 - escaped in seal_svg
    delegations = (SealDelegation.objects.select_related("seal", "user", "granted_by")
                   .order_by("revoked_at", "-valid_to", "-id")[:50])
    return render(request, "seal/index.html", {
        "rows": rows, "delegations": delegations,
        "can_manage": request.user.has_role(Role.HEAD)})


@require_roles(Role.HEAD)
def delegation_new(request: HttpRequest) -> HttpResponse:
    """Grant a delegation (the head only)."""
    form = DelegationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_delegation(actor=request.user, seal=data["seal"], user=data["user"],
                                      valid_from=data["valid_from"], valid_to=data["valid_to"],
                                      note=data["note"])
        except SealError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已授权。"))
            return redirect("seal:index")
    return render(request, "seal/delegation_form.html", {"form": form})


@require_POST
@require_roles(Role.HEAD)
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a delegation now (the head only)."""
    try:
        services.revoke_delegation(actor=request.user, delegation=services.get_delegation(pk))
    except SealError as exc:
        if exc.status == 404:
            from django.http import Http404

            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销授权。"))
    return redirect("seal:index")


@require_POST
@require_roles(Role.HEAD)
def picture(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a seal picture, or go back to the drawn one (the head only)."""
    from django.http import Http404

    seal = Seal.objects.filter(pk=pk).first()
    if seal is None:
        raise Http404(_("印章不存在。"))
    reset = request.POST.get("reset") == "1"
    upload = None if reset else request.FILES.get("picture")
    if upload is None and not reset:
        messages.error(request, _("请选择印模图片。"))
        return redirect("seal:index")
    try:
        data = None
        if upload is not None:
            if upload.size > MAX_PICTURE_BYTES:
                raise SealError(_("印模图片不能超过 2 MB。"))
            data = upload.read()
        services.set_seal_picture(actor=request.user, seal=seal, data=data)
    except SealError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("印模已更新。"))
    return redirect("seal:index")


@require_roles(*READERS)
def ledger(request: HttpRequest) -> HttpResponse:
    """用印登记: every use of the seals, newest first, searchable by case number, title or
    seal."""
    query = request.GET.get("q", "").strip()[:60]
    uses = (SealUse.objects.select_related("seal", "case", "authorised_by", "certificate")
            .order_by("-authorised_at", "-id"))
    if query:
        uses = uses.filter(Q(case__number__icontains=query) | Q(title__icontains=query)
                           | Q(seal__code=query) | Q(seal__name__icontains=query)
                           | Q(signed_sha256=query.lower()))
    page = Paginator(uses, LEDGER_PAGE).get_page(request.GET.get("page"))
    return render(request, "seal/ledger.html", {"page": page, "q": query})


@require_roles(*READERS)
def signed_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDF of a ledger entry, checked against its hash."""
    from django.http import Http404

    use = SealUse.objects.select_related("seal").filter(pk=pk).first()
    if use is None:
        raise Http404(_("用印记录不存在。"))
    try:
        data = services.signed_pdf(use)
    except SealError as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sealed-{use.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
