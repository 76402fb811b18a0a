"""Workbench pages of the electronic archives: the archive index (search, masked applicants,
pages of 25), a package with its fixity check, holds, transfer lists with their exports and
receipt, destruction lists with two approvals, and the backup status. parse -> access
(`require_roles`) -> service -> template; a refused step is a Chinese message."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role

from . import appraisal, selectors, services
from .backup import backup_status
from .errors import ArchiveError
from .forms import (
    ApproveForm,
    HoldForm,
    IndexFilterForm,
    ProposeForm,
    ReceiptForm,
    RetentionRuleForm,
    TransferForm,
)
from .models import (
    ArchivePackage,
    DestructionList,
    DestructionState,
    PackageState,
    RetentionRule,
    TransferList,
)

VIEW_ROLES = (Role.HEAD, Role.CHIEF, Role.SUPERVISOR, Role.SYSADMIN)
MANAGE_ROLES = (Role.HEAD, Role.SYSADMIN)
BACKUP_ROLES = (Role.SUPERVISOR, Role.SYSADMIN)
PAGE = 25


def _refused(request: HttpRequest, exc: ArchiveError) -> None:
    messages.error(request, exc.message)


@require_roles(*VIEW_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    """档案检索: by case number, archive number or applicant, item, year, retention, state."""
    form = IndexFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.search(data), PAGE).get_page(request.GET.get("page"))
    rows = [{"p": p, "applicant": selectors.shown_applicant(p)} for p in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "archives/index.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode()})


def _detail(request: HttpRequest, package: ArchivePackage, *, report: object = None,
            status: int = 200) -> HttpResponse:
    user = request.user
    return render(request, "archives/detail.html", {
        "package": package, "files": selectors.package_files(package),
        "applicant": selectors.shown_applicant(package), "report": report,
        "may_hold": user.has_role(*MANAGE_ROLES) and package.state != PackageState.DESTROYED,
        "hold_form": HoldForm(), "destroyed": package.state == PackageState.DESTROYED,
        "destruction": package.destruction_lists.filter(
            state=DestructionState.EXECUTED).first()}, status=status)


@require_roles(*VIEW_ROLES)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(ArchivePackage, pk=pk))


@require_roles(*VIEW_ROLES)
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    """检测: re-read every file of the package now and show what is missing, changed, extra."""
    package = get_object_or_404(ArchivePackage, pk=pk)
    try:
        result = services.verify_package(package, actor=request.user)
    except ArchiveError as exc:
        _refused(request, exc)
        return redirect("archives_workbench:detail", pk)
    return _detail(request, package, report=result.report)


@require_roles(*MANAGE_ROLES)
@require_POST
def hold(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_object_or_404(ArchivePackage, pk=pk)
    form = HoldForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.set_hold(actor=request.user, package=package,
                          hold=request.POST.get("action") != "release", reason=reason)
    except ArchiveError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已冻结。") if package.hold else _("已解除冻结。"))
    return redirect("archives_workbench:detail", pk)


@require_roles(*VIEW_ROLES)
@require_http_methods(["GET", "POST"])
def transfers(request: HttpRequest) -> HttpResponse:
    """移交清单: the lists made, and a new list of a year's packages."""
    may_manage = request.user.has_role(*MANAGE_ROLES)
    form = TransferForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        if not may_manage:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                made = appraisal.create_transfer(actor=request.user,
                                                 year=form.cleaned_data["year"])
            except ArchiveError as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("已编制移交清单 %(n)s。") % {"n": made.number})
                return redirect("archives_workbench:transfer", made.pk)
    page = Paginator(TransferList.objects.all(), PAGE).get_page(request.GET.get("page"))
    return render(request, "archives/transfers.html", {
        "form": form, "page": page, "may_manage": may_manage})


@require_roles(*VIEW_ROLES)
@require_http_methods(["GET", "POST"])
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(TransferList, pk=pk)
    may_manage = request.user.has_role(*MANAGE_ROLES)
    form = ReceiptForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                appraisal.record_receipt(actor=request.user, transfer=row,
                                         received_by=form.cleaned_data["received_by"],
                                         office=form.cleaned_data["office"],
                                         note=form.cleaned_data["note"])
            except ArchiveError as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("已登记接收。"))
            return redirect("archives_workbench:transfer", pk)
    return render(request, "archives/transfer.html", {
        "t": row, "rows": appraisal.transfer_rows(row), "form": form,
        "may_manage": may_manage and row.received_at is None})


@require_roles(*VIEW_ROLES)
def transfer_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    row = get_object_or_404(TransferList, pk=pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("请求的页面不存在。"))
    if fmt == "xlsx":
        data = appraisal.transfer_xlsx(row)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, kind = appraisal.transfer_csv(row), "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{row.number}.{fmt}"'
    response["X-Content-SHA256"] = row.csv_sha256 if fmt == "csv" else ""
    return response


@require_roles(*VIEW_ROLES)
@require_http_methods(["GET", "POST"])
def destructions(request: HttpRequest) -> HttpResponse:
    """销毁清单: the lists, and (archivist) a new proposal from the packages now due."""
    may_propose = request.user.has_role(Role.SYSADMIN)
    due = appraisal.due_for_destruction() if may_propose else []
    form = ProposeForm(request.POST or None, choices=[
        (p.pk, f"{p.archive_number} {p.title}") for p in due])
    if request.method == "POST":
        if not may_propose:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                made = appraisal.propose_destruction(
                    actor=request.user, reason=form.cleaned_data["reason"],
                    package_ids=[int(v) for v in form.cleaned_data["packages"]])
            except ArchiveError as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("已提出销毁清单 %(n)s，待审批。") % {"n": made.number})
                return redirect("archives_workbench:destruction", made.pk)
    page = Paginator(DestructionList.objects.all(), PAGE).get_page(request.GET.get("page"))
    return render(request, "archives/destructions.html", {
        "form": form, "page": page, "may_propose": may_propose, "due": due})


@require_roles(*VIEW_ROLES)
@require_http_methods(["GET", "POST"])
def destruction(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(DestructionList, pk=pk)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if not user.has_role(*MANAGE_ROLES) or (action == "execute"
                                                and not user.has_role(Role.SYSADMIN)):
            return render(request, "403.html", status=403)
        try:
            if action == "execute":
                appraisal.execute_destruction(actor=user, destruction=row)
                messages.success(request, _("已执行销毁，保留销毁清单和档案目录记录。"))
            else:
                form = ApproveForm(request.POST)
                if not form.is_valid():
                    raise ArchiveError(_("审批身份不正确。"), code="bad_role", status=400)
                appraisal.approve_destruction(actor=user, destruction=row,
                                              as_role=form.cleaned_data["as_role"])
                messages.success(request, _("已审批。"))
        except ArchiveError as exc:
            _refused(request, exc)
        return redirect("archives_workbench:destruction", pk)
    roles_left = [r for r in appraisal.APPROVER_ROLES
                  if r not in {a.role for a in row.approvals.all()} and user.has_role(r)]
    return render(request, "archives/destruction.html", {
        "d": row, "approvals": row.approvals.order_by("at"),
        "packages": row.packages.order_by("archive_number"),
        "may_approve": row.state == DestructionState.PROPOSED and bool(roles_left),
        "approve_form": ApproveForm(initial={"as_role": roles_left[0] if roles_left else ""}),
        "may_execute": row.state == DestructionState.APPROVED and user.has_role(Role.SYSADMIN)})


@require_roles(*BACKUP_ROLES)
def backups(request: HttpRequest) -> HttpResponse:
    """数据备份: the last good backup and an alert when it is older than allowed."""
    return render(request, "archives/backups.html", backup_status())


@require_roles(Role.CATALOG_ADMIN, Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    """保管期限: per item and result, with its basis (items without a rule: the default)."""
    names = selectors.item_names()
    form = RetentionRuleForm(request.POST or None, items=list(names.items()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_retention_rule(actor=request.user, item_id=data["item"],
                                        result=data["result"], retention=data["retention"],
                                        basis=data["basis"])
        except ArchiveError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已保存保管期限。"))
            return redirect("archives_workbench:retention")
    rules = RetentionRule.objects.select_related("item").order_by("item__implementation_code",
                                                                  "result")
    page = Paginator(rules, 50).get_page(request.GET.get("page"))
    rows = [{"r": r, "item": names.get(r.item_id, r.item.implementation_code)} for r in page]
    return render(request, "archives/retention.html", {"form": form, "page": page,
                                                       "rows": rows})

