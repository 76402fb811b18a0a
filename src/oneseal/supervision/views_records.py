"""Supervision pages of the workbench, continued: 异常监察 (the anomaly hits with their
evidence, closed with a note), 差评整改 (follow-ups: rectification, return visit, appeal and
review), 审计记录 (the audit chain: browse, check, reconcile, last anchor) and 监管日志
(the supervision log and accountability records). The supervisor acts; the head views."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles, staff_required
from oneseal.accounts.roles import Role
from oneseal.cases.models import Case
from oneseal.core.models import AuditEvent

from . import anomalies as anomaly_service
from . import followups
from . import log as log_service
from .errors import SupervisionRefused
from .models import (
    Accountability,
    Anomaly,
    AnomalyState,
    FollowUp,
    FollowUpState,
    LogEntry,
    ReviewResult,
)
from .tasks import audit_check

VIEWERS = (Role.SUPERVISOR, Role.HEAD)
AUDIT_PAGE = 50


def _refused(request: HttpRequest, exc: SupervisionRefused) -> None:
    if exc.status == 404:
        raise Http404(exc.message) from exc
    messages.error(request, exc.message)


# --- 异常监察 ---------------------------------------------------------------------------

@require_roles(*VIEWERS)
def anomaly_list(request: HttpRequest) -> HttpResponse:
    qs = Anomaly.objects.select_related("case", "owner", "closed_by")
    state = request.GET.get("state", "open")
    if state in AnomalyState.values:
        qs = qs.filter(state=state)
    rule = request.GET.get("rule", "")
    if rule in anomaly_service.RULES_BY_CODE:
        qs = qs.filter(rule=rule)
    page = Paginator(qs.order_by("-found_at", "-id"), 30).get_page(request.GET.get("page"))
    labels = {r.code: (_(r.label), _(r.basis)) for r in anomaly_service.RULES}
    rows = [{"a": a, "label": labels.get(a.rule, (a.rule, ""))[0],
             "basis": labels.get(a.rule, ("", ""))[1],
             "evidence": json.dumps(a.evidence, ensure_ascii=False, indent=1)}
            for a in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/anomalies.html", {
        "rows": rows, "page": page, "state": state, "rule": rule,
        "rules": [(r.code, _(r.label)) for r in anomaly_service.RULES],
        "states": AnomalyState.choices, "query": query.urlencode(),
        "can_handle": request.user.has_role(Role.SUPERVISOR)})


@require_roles(Role.SUPERVISOR)
@require_POST
def anomaly_close(request: HttpRequest, anomaly_id: int) -> HttpResponse:
    try:
        anomaly_service.close(actor=request.user, anomaly_id=anomaly_id,
                              note=request.POST.get("note", ""))
    except SupervisionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("异常已办结。"))
    return redirect("supervision:anomalies")


@require_roles(Role.SUPERVISOR)
@require_POST
def anomaly_take(request: HttpRequest, anomaly_id: int) -> HttpResponse:
    try:
        anomaly_service.take_over(actor=request.user, anomaly_id=anomaly_id)
    except SupervisionRefused as exc:
        _refused(request, exc)
    return redirect("supervision:anomalies")


@require_roles(Role.SUPERVISOR)
@require_POST
def anomaly_scan(request: HttpRequest) -> HttpResponse:
    found = anomaly_service.scan()
    messages.success(request, _("扫描完成，新发现 %(n)d 条异常。") % {"n": sum(found.values())})
    return redirect("supervision:anomalies")


# --- 差评整改 ---------------------------------------------------------------------------

@staff_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """Supervisors and the head see every follow-up; anyone else the ones he owns."""
    qs = FollowUp.objects.select_related("case", "rating", "owner")
    if not request.user.has_role(*VIEWERS):
        qs = qs.filter(owner=request.user)
    state = request.GET.get("state", "")
    if state in FollowUpState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("due", "id"), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/follow_ups.html", {
        "page": page, "follow_ups": page.object_list, "state": state,
        "states": FollowUpState.choices, "today": timezone.localdate(),
        "query": f"state={state}" if state else "",
        "viewer": request.user.has_role(*VIEWERS)})


@staff_required
def follow_up_detail(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = (FollowUp.objects.select_related("case", "rating", "owner", "visit_by",
                                                 "reviewed_by")
                 .filter(pk=follow_up_id).first())
    if follow_up is None or not followups.may_see(request.user, follow_up):
        raise Http404(_("整改记录不存在或您无权查看。"))
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "rectify":
                followups.rectify(actor=request.user, follow_up_id=follow_up.pk,
                                  text=request.POST.get("text", ""))
            elif action == "appeal":
                followups.appeal(actor=request.user, follow_up_id=follow_up.pk,
                                 reason=request.POST.get("text", ""))
            elif action == "review":
                followups.review(actor=request.user, follow_up_id=follow_up.pk,
                                 result=request.POST.get("result", ""),
                                 note=request.POST.get("text", ""))
            elif action == "visit":
                try:
                    on = dt.date.fromisoformat(request.POST.get("on", ""))
                except ValueError:
                    raise SupervisionRefused(_("回访日期不正确。"), code="bad_date") from None
                followups.visit(actor=request.user, follow_up_id=follow_up.pk, on=on,
                                result=request.POST.get("text", ""),
                                satisfied=request.POST.get("satisfied") == "1")
            else:
                raise SupervisionRefused(_("未知的操作。"), code="bad_action")
        except SupervisionRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("supervision:follow_up", follow_up.pk)
    user = request.user
    owner = follow_up.owner_id == user.pk
    supervisor = followups.is_supervisor(user)
    return render(request, "supervision/follow_up.html", {
        "f": follow_up, "today": timezone.localdate(),
        "may_rectify": follow_up.state == FollowUpState.OPEN and (owner or supervisor),
        "may_appeal": (follow_up.state == FollowUpState.OPEN and owner
                       and follow_up.appealed_at is None),
        "may_review": follow_up.state == FollowUpState.APPEALED and supervisor,
        "may_visit": follow_up.state == FollowUpState.DONE and supervisor,
        "review_results": ReviewResult.choices,
        "named": bool(follow_up.rating.rated_by_id or follow_up.rating.recorded_by_id)})


# --- 审计记录 ---------------------------------------------------------------------------

def _audit_filters(request: HttpRequest) -> tuple[object, dict[str, str]]:
    qs = AuditEvent.objects.all()
    got = {k: (request.GET.get(k) or "").strip()[:60]
           for k in ("who", "what", "case", "from", "to")}
    if got["who"]:
        qs = qs.filter(actor_name__icontains=got["who"])
    if got["what"]:
        qs = qs.filter(kind__startswith=got["what"])
    if got["case"]:
        case = Case.objects.filter(number=got["case"]).values_list("pk", flat=True).first()
        qs = qs.filter(subject=f"case:{case}") if case else qs.none()
    for key, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        if got[key]:
            try:
                qs = qs.filter(**{lookup: dt.date.fromisoformat(got[key])})
            except ValueError:
                got[key] = ""
    return qs, got


@require_roles(*VIEWERS)
def audit_page(request: HttpRequest) -> HttpResponse:
    """审计记录: the chain newest first (50 a page, by sequence number), the filters, the
    last anchor and the result of a check started here."""
    from oneseal.core.audit_anchor import read_anchors

    qs, got = _audit_filters(request)
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(seq__lt=int(before))
    events = list(qs.order_by("-seq")[:AUDIT_PAGE + 1])
    more = len(events) > AUDIT_PAGE
    events = events[:AUDIT_PAGE]
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("check", None)
    check = None
    check_id = request.GET.get("check", "")
    kept = request.session.get(f"audit_check:{check_id}") if check_id else None
    if kept is not None:
        check = {"status": "SUCCESSFUL", "id": check_id, "value": kept}
    elif check_id:
        try:
            found = audit_check.get_result(check_id)
            check = {"status": str(found.status), "id": check_id,
                     "value": found.return_value if str(found.status) == "SUCCESSFUL"
                     else None}
        except Exception:  # an unknown id, or a result of another task
            check = None
    anchors = read_anchors(record=False)
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash", "at").first()
    return render(request, "supervision/audit.html", {
        "events": events, "got": got, "query": query.urlencode(),
        "next_before": events[-1].seq if more and events else None,
        "anchor": anchors.newest, "bad_anchors": anchors.bad_files, "head": head,
        "check": check, "can_check": request.user.has_role(Role.SUPERVISOR)})


@require_roles(Role.SUPERVISOR)
@require_POST
def audit_run_check(request: HttpRequest) -> HttpResponse:
    """Start the chain check (or the deep reconciliation) as a worker task."""
    deep = request.POST.get("deep") == "1"
    result = audit_check.enqueue(deep=deep)
    if str(result.status) == "SUCCESSFUL":  # a backend that ran it at once keeps no result
        request.session[f"audit_check:{result.id}"] = result.return_value
    else:
        messages.info(request, _("核验已开始，完成后本页显示结果。"))
    return redirect(f"{request.path.rsplit('check/', 1)[0]}?check={result.id}")


# --- 监管日志 ---------------------------------------------------------------------------

@require_roles(*VIEWERS)
def log_page(request: HttpRequest) -> HttpResponse:
    qs = LogEntry.objects.select_related("case", "author")
    q = (request.GET.get("q") or "").strip()[:60]
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(finding__icontains=q) | Q(told__icontains=q)
                       | Q(responsible__icontains=q) | Q(case__number__icontains=q))
    accountability = request.GET.get("accountability", "")
    if accountability in Accountability.values:
        qs = qs.filter(accountability=accountability)
    page = Paginator(qs.order_by("-found_on", "-id"), 30).get_page(request.GET.get("page"))
    error = ""
    form = {"found_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        if not request.user.has_role(Role.SUPERVISOR):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("监管日志由监督人员记录。"))
        form = {k: request.POST.get(k, "") for k in (
            "found_on", "finding", "told", "action", "accountability", "responsible",
            "case_number", "anomaly")}
        try:
            try:
                found_on = dt.date.fromisoformat(form["found_on"])
            except ValueError:
                raise SupervisionRefused(_("发现日期不正确。"), code="bad_date") from None
            anomaly = form["anomaly"]
            log_service.record(
                actor=request.user, found_on=found_on, finding=form["finding"],
                told=form["told"], action=form["action"],
                accountability=form["accountability"] or Accountability.NONE,
                responsible=form["responsible"], case_number=form["case_number"],
                anomaly_id=int(anomaly) if anomaly.isdigit() else None)
        except SupervisionRefused as exc:
            error = exc.message
        else:
            messages.success(request, _("监管日志已记录。"))
            return redirect("supervision:log")
    return render(request, "supervision/log.html", {
        "page": page, "entries": page.object_list, "q": q,
        "accountability": accountability, "accountabilities": Accountability.choices,
        "form": form, "error": error, "query": f"q={q}" if q else "",
        "can_write": request.user.has_role(Role.SUPERVISOR)}, status=400 if error else 200)
