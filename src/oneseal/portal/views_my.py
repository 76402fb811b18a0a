"""The applicant's own pages (我的办件): every case of the person and of the organisations he
operates for, a case's page with its clocks in words, its history and its signed documents
and licences to download, withdrawal; and the message box (消息中心).

Access: `cases.selectors_applicant.access_my_case` — a case that is not the account's own
answers 404, whether it exists or not; the pages are for applicants and agents only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.cases import clocks, seal_status
from oneseal.cases import services as case_services
from oneseal.cases.domain.states import Operation
from oneseal.cases.errors import CaseError, CaseNotFound
from oneseal.cases.models import Case
from oneseal.cases.permissions import allowed_actions
from oneseal.cases.selectors_applicant import access_my_case, applicant_timeline, my_cases
from oneseal.notifications import selectors as inbox_selectors
from oneseal.notifications import services as inbox_services
from oneseal.supervision.domain.ratings import RatingChannel
from oneseal.supervision.selectors import online_rating
from oneseal.supervision.services import may_rate

PAGE_SIZE = 20
APPLICANT_ROLES = (Role.APPLICANT, Role.AGENT)


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        return access_my_case(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404(_("办件不存在，或您无权查看。")) from exc


@require_roles(*APPLICANT_ROLES)
def case_list(request: HttpRequest) -> HttpResponse:
    """我的办件 (the page `portal:my_cases` shows)."""
    q = request.GET.get("q", "")[:40]
    page = Paginator(my_cases(request.user, q), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"case": case, "light": clocks.case_light(case)} for case in page.object_list]
    return render(request, "portal/my_cases.html", {"page": page, "rows": rows, "q": q})


def _licence_rows(case: Case) -> list[dict[str, Any]]:
    out = []
    for info in seal_status.licences(case):
        url = ""
        if info.seal.signed:
            try:
                url = reverse("licences_portal:pdf", args=[info.id])
            except NoReverseMatch:
                url = ""
        out.append({"info": info, "url": url})
    return out


def _context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    statuses = seal_status.document_statuses(case)
    documents = [d for d in case.documents.order_by("id")
                 if statuses.get(d.pk) is not None and statuses[d.pk].signed]
    views = [v for v in clocks.clock_views(case) if v.kind != "step"]
    return {
        "case": case, "light": clocks.case_light(case), "clocks": views,
        "timeline": applicant_timeline(case), "documents": documents,
        "licences": _licence_rows(case),
        "may_withdraw": Operation.WITHDRAW in allowed_actions(request.user, case),
        # 一事一评 (国办发〔2019〕51号): rate once the case is delivered; show the rating after
        "may_rate": (case.state == "delivered" and online_rating(case) is None
                     and may_rate(request.user, case, RatingChannel.ONLINE)),
        "rating": online_rating(case),
        **extra,
    }


@require_roles(*APPLICANT_ROLES)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    return render(request, "portal/my/case.html", _context(request, case))


@require_roles(*APPLICANT_ROLES)
def case_document(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """The signed PDF of one of the case's documents; 404 while it is not signed."""
    case = _case(request, case_id)
    found = seal_status.signed_document(case, document_id)
    if found is None:
        raise Http404(_("该文书尚未签章。"))
    document, data = found
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{document.number or document.pk}-signed.pdf".replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_roles(*APPLICANT_ROLES)
@require_POST
def case_withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    """撤回申请, through the service the window uses (`case_withdraw`)."""
    case = _case(request, case_id)
    reason = request.POST.get("reason", "")[:500]
    try:
        case_services.case_withdraw(actor=request.user, case=case.pk, reason=reason)
    except CaseError as exc:
        return render(request, "portal/my/case.html",
                      _context(request, case, withdraw_error=exc.message, reason=reason),
                      status=exc.status)
    messages.success(request, _("申请已撤回。"))
    return redirect("portal:my_case", case_id=case.pk)


@require_roles(*APPLICANT_ROLES)
def message_list(request: HttpRequest) -> HttpResponse:
    """消息中心: the account's messages, newest first."""
    page = Paginator(inbox_selectors.inbox(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "portal/my/messages.html", {"page": page})


@require_roles(*APPLICANT_ROLES)
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    """One message; opening it marks it read."""
    delivery = inbox_selectors.access_message(user=request.user, delivery_id=message_id)
    if delivery is None:
        raise Http404(_("消息不存在。"))
    inbox_services.mark_read(actor=request.user, delivery=delivery)
    return render(request, "portal/my/message.html", {"message": delivery,
                                                       "note": delivery.notification})
