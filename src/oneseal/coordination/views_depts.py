"""部门协同 pages (h16b): the claim inbox (认领), a pushed item with its supervision records
and problem report, the bureau's handling of a report, a case's joint review (who owes
what), the expert pool and draws; the public draw page. parse -> access -> service ->
template; a refusal is shown beside the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.cases.models import Case
from oneseal.core.masking import mask_phone

from . import claims, experts, review, sealing
from .common import Forbidden, NotFound, Refused, calendar, department_id_of, is_bureau
from .forms_depts import (
    DismissForm,
    DrawForm,
    ExpertForm,
    ForwardForm,
    ForwardStartForm,
    InviteForm,
    ItemPolicyForm,
    MeetingForm,
    OpinionForm,
    PhotoForm,
    ProblemForm,
    ProcedureForm,
    ReceiptForm,
    RecomputeForm,
    SignForm,
    SupervisionForm,
    UpperDecisionForm,
    VisitForm,
)
from .models_claims import ProblemStatus
from .models_experts import DrawState, Expert, ExpertDraw

READERS = (Role.DEPT_OFFICER, Role.CHIEF, Role.HEAD, Role.SUPERVISOR)
PAGE = 25


def _fail(exc: Refused) -> str:
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from exc
    return exc.message


def _readable(user: Any) -> None:
    if department_id_of(user) is None and not is_bureau(user, claims.BUREAU_READERS):
        raise PermissionDenied(_("您的角色无权访问此页面。"))


@require_roles(*READERS)
def inbox(request: HttpRequest) -> HttpResponse:
    """认领 inbox: the department's (or, for the bureau, every department's) pushed
    decisions and licence changes with the 2-working-day claim clock."""
    _readable(request.user)
    today = timezone.localdate()
    tab = request.GET.get("tab", "open")
    q = (request.GET.get("q") or "").strip()[:60]
    rows = claims.inbox(request.user)
    if tab == "open":
        rows = rows.filter(claimed_at__isnull=True).order_by("claim_due", "id")
    elif tab == "claimed":
        rows = rows.filter(claimed_at__isnull=False).order_by("-claimed_at", "-id")
    else:
        tab = "all"
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(case__number__icontains=q))
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    cal = calendar()
    tickets = [{"t": t, "light": claims.ticket_light(t, today, cal)} for t in page]
    dept = department_id_of(request.user)
    owed = list(review.invitations_for_department(request.user)
                .filter(answered_on__isnull=True)[:50]) if dept else []
    reports = claims.reports_for(request.user)
    if not dept:
        reports = reports.filter(status=ProblemStatus.OPEN)
    return render(request, "coordination/depts/inbox.html", {
        "tickets": tickets, "page": page, "tab": tab, "q": q, "is_dept": dept is not None,
        "owed": [{"i": i, "light": review.invitation_light(i, today)} for i in owed],
        "reports": list(reports[:50]),
        "overdue": claims.inbox(request.user).filter(claimed_at__isnull=True,
                                                     claim_due__lt=today).count(),
    })


@require_roles(*READERS)
def ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    try:
        row = claims.get_ticket(request.user, ticket_id)
    except Refused as exc:
        _fail(exc)
    is_dept = department_id_of(request.user) == row.department_id
    sup_form = SupervisionForm(request.POST if request.POST.get("action") == "supervise"
                               else None)
    problem_form = ProblemForm(request.POST if request.POST.get("action") == "report" else None)
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "claim":
                claims.claim(actor=request.user, ticket_id=row.pk)
                messages.success(request, _("已认领。"))
                return redirect("coordination_workbench:ticket", row.pk)
            if action == "supervise" and sup_form.is_valid():
                d = sup_form.cleaned_data
                claims.record_supervision(actor=request.user, ticket_id=row.pk,
                                          action=d["measure"], result=d["result"],
                                          note=d["note"])
                messages.success(request, _("监管记录已登记。"))
                return redirect("coordination_workbench:ticket", row.pk)
            if action == "report" and problem_form.is_valid():
                report = claims.report_problem(actor=request.user, ticket_id=row.pk,
                                               **problem_form.cleaned_data)
                messages.success(request, _("问题已反馈审批局。"))
                return redirect("coordination_workbench:report", report.pk)
        except Refused as exc:
            error = _fail(exc)
            status = exc.status if exc.status == 409 else 200
    row.refresh_from_db()
    return render(request, "coordination/depts/ticket.html", {
        "ticket": row, "light": claims.ticket_light(row, timezone.localdate()),
        "is_dept": is_dept, "records": list(row.records.select_related("actor")),
        "problems": list(row.problems.all()), "sup_form": sup_form,
        "problem_form": problem_form, "error": error}, status=status)


@require_roles(*READERS)
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        row = claims.get_report(request.user, report_id)
    except Refused as exc:
        _fail(exc)
    may_handle = is_bureau(request.user) and row.status == ProblemStatus.OPEN
    action = request.POST.get("action")
    proc_form = ProcedureForm(request.POST if action == "procedure" else None, kind=row.kind)
    dismiss_form = DismissForm(request.POST if action == "dismiss" else None)
    error = ""
    if request.method == "POST":
        try:
            if action == "procedure" and proc_form.is_valid():
                claims.open_procedure(actor=request.user, report_id=row.pk,
                                      **proc_form.cleaned_data)
                messages.success(request, _("已启动程序，电子证照状态已变更。"))
                return redirect("coordination_workbench:report", row.pk)
            if action == "dismiss" and dismiss_form.is_valid():
                claims.dismiss_report(actor=request.user, report_id=row.pk,
                                      **dismiss_form.cleaned_data)
                return redirect("coordination_workbench:report", row.pk)
            if action not in ("procedure", "dismiss"):
                raise PermissionDenied(_("未知的操作。"))
        except Refused as exc:
            error = _fail(exc)
    return render(request, "coordination/depts/report.html", {
        "report": row, "timeline": claims.problem_timeline(row), "may_handle": may_handle,
        "proc_form": proc_form, "dismiss_form": dismiss_form, "error": error})


@require_roles(Role.DEPT_OFFICER, Role.CHIEF, Role.HEAD, Role.SUPERVISOR, Role.REVIEWER)
def case_review(request: HttpRequest, case_id: int) -> HttpResponse:
    """联合审查 of one case: who owes what with the clocks; the bureau invites, the invited
    department gives its written opinion."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None or not review.may_read_case_review(request.user, case):
        raise Http404(_("办件不存在。"))
    action = request.POST.get("action")
    invite_form = InviteForm(request.POST if action == "invite" else None)
    opinion_form = OpinionForm(request.POST if action == "opinion" else None)
    error = ""
    if request.method == "POST":
        try:
            if action == "invite" and invite_form.is_valid():
                d = invite_form.cleaned_data
                review.invite(actor=request.user, case_id=case.pk,
                              department_id=d["department"].pk, question=d["question"],
                              required=d["required"], days=d["days"])
                return redirect("coordination_workbench:case_review", case.pk)
            if action == "sign_offs":
                review.invite_sign_offs(actor=request.user, case_id=case.pk,
                                        question=_("专项联合审查会签"))
                return redirect("coordination_workbench:case_review", case.pk)
            if action == "opinion" and opinion_form.is_valid():
                review.give_opinion(actor=request.user,
                                    invitation_id=int(request.POST.get("invitation") or 0),
                                    **opinion_form.cleaned_data)
                messages.success(request, _("书面意见已出具。"))
                return redirect("coordination_workbench:case_review", case.pk)
        except Refused as exc:
            error = _fail(exc)
    dept = department_id_of(request.user)
    board = review.case_review_board(case, timezone.localdate())
    policy = review.policy_of(case.item_id)
    return render(request, "coordination/depts/case_review.html", {
        "case": case, "board": board, "blockers": review.blockers(case), "policy": policy,
        "mine": [r for r in board if r["invitation"].department_id == dept
                 and r["invitation"].answered_on is None],
        "may_invite": is_bureau(request.user) and case.state in review.OPEN_STATES,
        "invite_form": invite_form, "opinion_form": opinion_form, "error": error})


@require_roles(Role.CHIEF, Role.HEAD, Role.REVIEWER)
def expert_pool(request: HttpRequest) -> HttpResponse:
    if not experts.may_manage(request.user):
        raise PermissionDenied(_("您的角色无权访问此页面。"))
    action = request.POST.get("action")
    form = ExpertForm(request.POST if action == "expert" else None)
    draw_form = DrawForm(request.POST if action == "draw" else None)
    error = ""
    if request.method == "POST":
        try:
            if action == "expert" and form.is_valid():
                d = form.cleaned_data
                experts.save_expert(actor=request.user, name=d["name"], field=d["field"],
                                    title=d["title"], unit_name=d["unit_name"],
                                    phone=d["phone"],
                                    relations=d["relations"].splitlines())
                messages.success(request, _("专家已入库。"))
                return redirect("coordination_workbench:experts")
            if action == "draw" and draw_form.is_valid():
                d = draw_form.cleaned_data
                case_id = None
                if d["case_number"]:
                    found = Case.objects.filter(number=d["case_number"].strip()).first()
                    if found is None:
                        raise Refused(_("办件编号不存在。"), code="case_not_found")
                    case_id = found.pk
                row = experts.commit_draw(actor=request.user, field=d["field"],
                                          count=d["count"], case_id=case_id,
                                          related_names=d["related"].splitlines(),
                                          recent_days=d["recent_days"])
                return redirect("coordination_workbench:draw", row.pk)
        except Refused as exc:
            error = _fail(exc)
    q = (request.GET.get("q") or "").strip()[:50]
    rows = Expert.objects.all()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(field__icontains=q)
                           | Q(unit_name__icontains=q))
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/depts/experts.html", {
        "page": page, "experts": [{"e": e, "phone": mask_phone(e.phone)} for e in page],
        "q": q, "form": form, "draw_form": draw_form, "error": error,
        "draws": ExpertDraw.objects.select_related("case")[:20]})


@require_roles(Role.CHIEF, Role.HEAD, Role.REVIEWER)
def draw(request: HttpRequest, draw_id: int) -> HttpResponse:
    if not experts.may_manage(request.user):
        raise PermissionDenied(_("您的角色无权访问此页面。"))
    error = ""
    if request.method == "POST":
        try:
            experts.run_draw(actor=request.user, draw_id=draw_id)
            return redirect("coordination_workbench:draw", draw_id)
        except Refused as exc:
            error = _fail(exc)
    try:
        row = experts.public_draw(draw_id)
    except Refused as exc:
        _fail(exc)
    chosen = {e.pk: e for e in Expert.objects.filter(pk__in=row.selected_ids)}
    return render(request, "coordination/depts/draw.html", {
        "draw": row, "selected": [chosen[i] for i in row.selected_ids if i in chosen],
        "error": error, "drawn": row.state == DrawState.DRAWN})


def public_draw(request: HttpRequest, draw_id: int) -> HttpResponse:
    """The public page of a draw: the commitment (before), then the seed, the eligible list
    and the result, recomputed here; and a form to recompute any draw."""
    try:
        row = experts.public_draw(draw_id)
    except Refused as exc:
        _fail(exc)
    result = None
    if row.state == DrawState.DRAWN:
        result = experts.recompute(seed_hex=row.seed, commitment=row.commitment,
                                   eligible_ids=row.eligible_ids, count=row.count)
    return render(request, "coordination/depts/public_draw.html",
                  {"draw": row, "result": result, "drawn": row.state == DrawState.DRAWN})


def recompute(request: HttpRequest) -> HttpResponse:
    form = RecomputeForm(request.POST or None)
    result, error = None, ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = experts.recompute(seed_hex=d["seed"], commitment=d["commitment"],
                                       eligible_ids=d["eligible"], count=d["count"])
        except Refused as exc:
            error = exc.message
    return render(request, "coordination/depts/recompute.html",
                  {"form": form, "result": result, "error": error})


@require_roles(Role.CATALOG_ADMIN, Role.HEAD)
def item_policies(request: HttpRequest) -> HttpResponse:
    """事项协同设置: which departments a joint review waits for, special joint review."""
    from .models_review import ItemCoordination

    form = ItemPolicyForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            review.set_item_policy(actor=request.user, item=d["item"], wait=d["wait"],
                                   opinion_days=d["opinion_days"],
                                   special_area=d["special_area"], sign_off=list(d["sign_off"]),
                                   upper_authority=d["upper_authority"])
            messages.success(request, _("事项协同设置已保存。"))
            return redirect("coordination_workbench:item_policies")
        except Refused as exc:
            error = _fail(exc)
    rows = ItemCoordination.objects.select_related("item").prefetch_related(
        "sign_off_departments").order_by("item__implementation_code")
    return render(request, "coordination/depts/item_policies.html",
                  {"form": form, "rows": rows, "error": error})


@require_roles(Role.DEPT_OFFICER, Role.CHIEF, Role.HEAD, Role.SUPERVISOR, Role.REVIEWER)
def meetings(request: HttpRequest) -> HttpResponse:
    """联席会议: the meetings the user may see; the bureau convenes one."""
    rows = review.meetings_for(request.user)
    if department_id_of(request.user) is None and not is_bureau(request.user, (
            *claims.BUREAU_READERS, Role.REVIEWER)):
        raise PermissionDenied(_("您的角色无权访问此页面。"))
    form = MeetingForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if not is_bureau(request.user):
            raise PermissionDenied(_("只有审批局的科长或局长可以召集联席会议。"))
        if form.is_valid():
            d = form.cleaned_data
            numbers = [n.strip() for n in d["case_numbers"].splitlines() if n.strip()]
            found = dict(Case.objects.filter(number__in=numbers).values_list("number", "pk"))
            missing = [n for n in numbers if n not in found]
            try:
                if missing:
                    raise Refused(_("办件编号不存在：%(n)s") % {"n": "、".join(missing)})
                meeting = review.create_meeting(
                    actor=request.user, title=d["title"], held_on=d["held_on"],
                    place=d["place"], agenda=d["agenda"],
                    department_ids=[u.pk for u in d["departments"]],
                    participants=d["participants"], case_ids=list(found.values()))
                return redirect("coordination_workbench:meeting", meeting.pk)
            except Refused as exc:
                error = _fail(exc)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/depts/meetings.html", {
        "page": page, "form": form, "error": error, "may_convene": is_bureau(request.user)})


@require_roles(Role.DEPT_OFFICER, Role.CHIEF, Role.HEAD, Role.SUPERVISOR, Role.REVIEWER)
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        row = review.get_meeting(request.user, meeting_id)
    except Refused as exc:
        _fail(exc)
    error = ""
    if request.method == "POST":
        decisions = {}
        for mc in row.cases.all():
            decisions[mc.case_id] = request.POST.get(f"decision-{mc.case_id}", "")
        try:
            review.record_minutes(actor=request.user, meeting_id=row.pk,
                                  minutes=request.POST.get("minutes", ""), decisions=decisions)
            messages.success(request, _("会议纪要已确认。"))
            return redirect("coordination_workbench:meeting", row.pk)
        except Refused as exc:
            error = _fail(exc)
    return render(request, "coordination/depts/meeting.html", {
        "meeting": row, "cases": list(row.cases.select_related("case")), "error": error,
        "may_close": is_bureau(request.user) and row.closed_at is None,
        "posted": request.POST})


def _bureau_case(request: HttpRequest, case_id: int, roles: tuple[str, ...]) -> Case:
    if not is_bureau(request.user, roles):
        raise PermissionDenied(_("您的角色无权访问此页面。"))
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise Http404(_("办件不存在。"))
    return case


@require_roles(Role.REVIEWER, Role.CHIEF, Role.HEAD)
def case_visits(request: HttpRequest, case_id: int) -> HttpResponse:
    """现场勘察 of a case (第34条): schedule with two or more staff, photos, signed record."""
    from . import visits
    from .models_visits import SiteVisit

    case = _bureau_case(request, case_id, visits.VISIT_ROLES)
    action = request.POST.get("action")
    form = VisitForm(request.POST if action == "schedule" else None)
    photo_form = PhotoForm(request.POST if action == "photo" else None,
                           request.FILES if action == "photo" else None)
    sign_form = SignForm(request.POST if action == "sign" else None)
    error = ""
    if request.method == "POST":
        visit_id = int(request.POST.get("visit") or 0)
        if visit_id and not SiteVisit.objects.filter(pk=visit_id, case=case).exists():
            raise Http404(_("现场勘察不存在。"))
        try:
            if action == "schedule" and form.is_valid():
                d = form.cleaned_data
                visits.schedule_visit(actor=request.user, case_id=case.pk,
                                      scheduled_on=d["scheduled_on"], place=d["place"],
                                      staff_ids=[u.pk for u in d["staff"]],
                                      contracted=d["contracted"],
                                      provider_name=d["provider_name"])
                return redirect("coordination_workbench:case_visits", case.pk)
            if action == "photo" and photo_form.is_valid():
                visits.add_photo(actor=request.user, visit_id=visit_id,
                                 upload=photo_form.cleaned_data["photo"],
                                 caption=photo_form.cleaned_data["caption"])
                return redirect("coordination_workbench:case_visits", case.pk)
            if action == "sign" and sign_form.is_valid():
                visits.sign_record(actor=request.user, visit_id=visit_id,
                                   findings=sign_form.cleaned_data["findings"])
                messages.success(request, _("勘察笔录已签署。"))
                return redirect("coordination_workbench:case_visits", case.pk)
            if action == "seal" and visit_id:
                sealing.authorise_record(actor=request.user, key=sealing.visit_key(visit_id))
                messages.success(request, _("已批准用印，勘察笔录正在签章。"))
                return redirect("coordination_workbench:case_visits", case.pk)
        except Refused as exc:
            error = _fail(exc)
    rows = list(SiteVisit.objects.filter(case=case).prefetch_related("staff", "photos__file"))
    for v in rows:
        _seal_state(v, request.user, sealing.visit_key(v.pk), signed=v.signed_at is not None)
    return render(request, "coordination/depts/visits.html", {
        "case": case, "visits": rows, "form": form, "photo_form": photo_form,
        "sign_form": sign_form, "error": error})


def _seal_state(row: Any, user: Any, key: str, *, signed: bool) -> None:
    """What a record's page shows of its seal: the ledger row, and whether `user` may
    authorise it now (the record is finished and not authorised yet)."""
    row.seal_key = key
    row.seal = sealing.seal_use(key) if signed else None
    row.may_seal = signed and row.seal is None and sealing.may_authorise(user, key)


@require_roles(Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.SUPERVISOR)
def sealed_record(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    """The sealed PDF of a forwarding package (转报材料包) or a site-visit record (勘察笔录),
    for the bureau's staff who handle or supervise them."""
    if not is_bureau(request.user, (Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.SUPERVISOR)):
        raise PermissionDenied(_("您的角色无权访问此页面。"))
    keys = {sealing.FORWARDING: sealing.forwarding_key, sealing.VISIT: sealing.visit_key}
    if kind not in keys:
        raise Http404(_("记录不存在。"))
    try:
        data = sealing.signed_record(keys[kind](record_id))
    except Refused as exc:
        raise Http404(exc.message) from exc
    return HttpResponse(data, headers={
        "Content-Type": "application/pdf",
        "Content-Disposition": f'attachment; filename="{kind}-{record_id}-signed.pdf"'})


@require_roles(Role.CHIEF, Role.HEAD)
def case_forwarding(request: HttpRequest, case_id: int) -> HttpResponse:
    """审核转报 of a case (第43条): start, forward with the package, receipt, upper decision."""
    from . import forwarding
    from .models_forwarding import Forwarding

    case = _bureau_case(request, case_id, ("chief", "head"))
    row = Forwarding.objects.filter(case=case).first()
    action = request.POST.get("action")
    forms_ = {"start": ForwardStartForm, "forward": ForwardForm, "receipt": ReceiptForm,
              "decision": UpperDecisionForm}
    bound = {k: f(request.POST if action == k else None) for k, f in forms_.items()}
    error = ""
    if request.method == "POST" and action == "seal" and row is not None:
        try:
            sealing.authorise_record(actor=request.user, key=sealing.forwarding_key(row.pk))
            messages.success(request, _("已批准用印，转报材料包正在签章。"))
            return redirect("coordination_workbench:case_forwarding", case.pk)
        except Refused as exc:
            error = _fail(exc)
    if request.method == "POST" and action in bound and bound[action].is_valid():
        d = bound[action].cleaned_data
        try:
            if action == "start":
                forwarding.start(actor=request.user, case_id=case.pk, **d)
            elif row is None:
                raise Refused(_("尚未登记转报。"), code="not_started")
            elif action == "forward":
                forwarding.forward(actor=request.user, forwarding_id=row.pk, **d)
            elif action == "receipt":
                forwarding.record_receipt(actor=request.user, forwarding_id=row.pk, **d)
            else:
                forwarding.record_upper_decision(actor=request.user, forwarding_id=row.pk, **d)
            return redirect("coordination_workbench:case_forwarding", case.pk)
        except Refused as exc:
            error = _fail(exc)
    if row is not None:
        _seal_state(row, request.user, sealing.forwarding_key(row.pk),
                    signed=bool(row.package_sha256))
    return render(request, "coordination/depts/forwarding.html", {
        "case": case, "row": row, "forms": bound, "error": error,
        "light": forwarding.light(row, timezone.localdate()) if row else None})
