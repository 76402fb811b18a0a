"""Staff pages of the marketplace: the catalogue administrator checks qualifications
(approve, or reject with reasons); a supervisor handles complaints within their clock. No
staff page chooses, draws or awards: 《优化营商环境条例》第43条 forbids staff to designate
an intermediary (see tests/intermediaries/test_pages.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles
from oneseal.core.roles import Role
from oneseal.core.workcalendar.domain import light_at
from oneseal.core.workcalendar.selectors import get_work_calendar

from . import selectors
from .errors import MarketError, MarketForbidden
from .forms import ServiceForm
from .models import Service
from .services import delivery, registry


@require_roles(Role.CATALOG_ADMIN, Role.SUPERVISOR)
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calendar = get_work_calendar()
    complaints = [{"c": c, "light": str(light_at(calendar, c.due_on, today))}
                  for c in selectors.open_complaints()[:100]]
    return render(request, "intermediaries/workbench.html", {
        "qualifications": selectors.pending_qualifications()[:100],
        "complaints": complaints,
        "may_review": request.user.has_role(Role.CATALOG_ADMIN),
        "may_handle": request.user.has_role(Role.SUPERVISOR)})


def _done(request: HttpRequest, call: object, done: str) -> HttpResponse:
    try:
        call()  # type: ignore[operator]
    except MarketForbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except MarketError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("intermediaries_workbench:index")


@require_roles(Role.CATALOG_ADMIN)
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    return _done(request, lambda: registry.review_qualification(
        actor=request.user, qualification_id=pk, approve=approve,
        reason=request.POST.get("reason", "")), _("资质审核已完成。"))


@require_roles(Role.SUPERVISOR)
@require_POST
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    upheld = request.POST.get("decision") == "upheld"
    return _done(request, lambda: delivery.handle_complaint(
        actor=request.user, complaint_id=pk, upheld=upheld,
        result=request.POST.get("result", "")), _("投诉已办结。"))


@require_roles(Role.CATALOG_ADMIN)
def services(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """中介服务事项清单: the catalogue administrator adds and edits the services."""
    service = None
    if pk is not None:
        service = Service.objects.filter(pk=pk).first()
        if service is None:
            raise Http404
    initial = {}
    if service is not None:
        initial = {"code": service.code, "name": service.name,
                   "legal_basis": service.legal_basis, "compulsory": service.compulsory,
                   "fee_basis": service.fee_basis, "published": service.published,
                   "material_names": service.material_names,
                   "items": list(service.items.values_list("pk", flat=True))}
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            registry.save_service(
                actor=request.user, code=d["code"], name=d["name"], legal_basis=d["legal_basis"],
                compulsory=d["compulsory"], fee_basis=d["fee_basis"],
                item_ids=[i.pk for i in d["items"]], published=d["published"],
                service_id=service.pk if service else None, material_names=d["material_names"])
        except MarketForbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except MarketError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("中介服务事项已保存。"))
            return redirect("intermediaries_workbench:services")
    return render(request, "intermediaries/workbench_services.html", {
        "form": form, "service": service,
        "services": Service.objects.order_by("code").prefetch_related("items")})
