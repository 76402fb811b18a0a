"""Staff pages of the marketplace: the catalogue administrator checks qualifications
(approve, or reject with reasons); a supervisor handles complaints within their clock. No
staff page chooses, draws or awards: 《优化营商环境条例》第43条 forbids staff to designate
an intermediary (see tests/intermediaries/test_pages.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
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


@require_POST
@require_roles(Role.CATALOG_ADMIN)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    return _done(request, lambda: registry.review_qualification(
        actor=request.user, qualification_id=pk, approve=approve,
        reason=request.POST.get("reason", "")), _("资质审核已完成。"))


@require_POST
@require_roles(Role.SUPERVISOR)
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    upheld = request.POST.get("decision") == "upheld"
    return _done(request, lambda: delivery.handle_complaint(
        actor=request.user, complaint_id=pk, upheld=upheld,
        result=request.POST.get("result", "")), _("投诉已办结。"))
