"""The 用印审批 queue (`licences:seal_queue`): what is waiting for the bureau's seal.

Three lists, of the cases the user may see (`cases.permissions.visible_cases`), searchable by
case number:
1. decided cases whose decision (and licence) no one allowed to use the approval seal has
   authorised yet (the decider was not the head nor a delegate): "批准用印";
2. seal uses authorised but not signed yet, or failed (签章失败), with "重新签章";
3. notices (受理通知书, 补正材料通知书…) issued by someone who may not use the acceptance
   seal: "批准用印".
Who sees the page: the head, section chiefs and window clerks (the workbench feature); who
may press the buttons: whoever may use the seal that day (the head or a delegate,
`seal.services.may_use`) — the services refuse anyone else with 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.seal import services as seal_services
from oneseal.seal.errors import SealError
from oneseal.seal.models import SealKind

from . import signing
from .selectors import (
    pending_uses,
    unsealed_notices,
    visible_decided_case,
    visible_document,
    waiting_cases,
)

QUEUE_ROLES = (Role.HEAD, Role.CHIEF, Role.CLERK)
PAGE = 30


def _q(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip().upper()[:40]


def _may(user: Any, kind: str) -> bool:
    seal = signing.seal_or_none(kind, timezone.localdate())
    return seal is not None and seal_services.may_use(user, seal, timezone.localdate())


@require_roles(*QUEUE_ROLES)
def seal_queue(request: HttpRequest) -> HttpResponse:
    user, q = request.user, _q(request)

    def page(qs: QuerySet[Any], param: str) -> Any:
        return Paginator(qs, PAGE).get_page(request.GET.get(param))

    return render(request, "licences/seal_queue.html", {
        "q": q,
        "cases": page(waiting_cases(user, q), "cpage"),
        "uses": page(pending_uses(user, q), "upage"),
        "notices": page(unsealed_notices(user, q), "npage"),
        "may_approve": _may(user, SealKind.APPROVAL),
        "may_accept": _may(user, SealKind.ACCEPTANCE),
    })


def _run(request: HttpRequest, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except SealError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("licences:seal_queue")


@require_roles(*QUEUE_ROLES)
@require_POST
def authorise_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = visible_decided_case(request.user, case_id)
    if case is None:
        raise Http404
    return _run(request, lambda: signing.authorise_case(actor=request.user, case=case),
                _("已批准用印：%(number)s，正在签章。") % {"number": case.number})


@require_roles(*QUEUE_ROLES)
@require_POST
def authorise_document(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = visible_document(request.user, document_id)
    if doc is None:
        raise Http404
    return _run(request, lambda: signing.authorise_document(actor=request.user, document=doc),
                _("已批准用印：%(number)s，正在签章。") % {"number": doc.number})


@require_roles(*QUEUE_ROLES)
@require_POST
def retry(request: HttpRequest, use_id: int) -> HttpResponse:
    use = pending_uses(request.user).filter(pk=use_id).first()
    if use is None:
        raise Http404
    return _run(request, lambda: signing.retry_use(actor=request.user, use=use),
                _("已重新提交签章：%(title)s。") % {"title": use.title})

