"""Hand-over and appraisal (移交与鉴定销毁): the services that write transfer lists and
destruction lists. Every step is an audit-chain event in its transaction.

- Transfer list (移交清单, 《档案法》第十五条: records are handed to the archives office on
  schedule): the year's packages not yet on a list, exported as CSV / XLSX with each
  package's fingerprint, the CSV's own SHA-256 recorded; then the office's receipt.
- Destruction list (销毁清单, 《档案法》第二十八条 and 国家档案局令第8号: files whose
  retention has ended are appraised; destruction needs approval and a list kept for good):
  proposed by an archivist (system administrator), approved by two named people — the head
  (局长) and the archivist — then executed by the system: the package folders are removed,
  the rows stay as tombstones with the list. A package under a hold (诉讼、复议、审查) is
  never proposed, approved or destroyed.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.core.audit import append_event

from . import storage
from .domain.retention import Retention, is_due_for_appraisal
from .errors import ArchiveError
from .models import (
    ArchivePackage,
    DestructionApproval,
    DestructionList,
    DestructionState,
    PackageState,
    TransferList,
)

APPROVER_ROLES = (Role.HEAD, Role.SYSADMIN)  # 局长 and the archivist (系统管理员)
CSV_HEADER = ["序号", "档号", "办件编号", "题名", "事项名称", "保管期限", "年度", "办结日期",
              "文件数", "字节数", "标签清单SHA-256"]
RETENTION_TEXT = {"permanent": "永久", "30y": "30年", "10y": "10年"}


def _require(actor: Any, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise ArchiveError(_("您的角色无权进行此操作。"), code="forbidden", status=403)


def _next_number(model: Any, prefix: str, year: int) -> str:
    stem = f"{prefix}-{year}-"
    count = model.objects.filter(number__startswith=stem).count()
    return f"{stem}{count + 1:03d}"


# --- transfer lists -------------------------------------------------------------------------

def transfer_rows(transfer: TransferList) -> list[list[str]]:
    rows = []
    for n, p in enumerate(transfer.packages.order_by("archive_number"), 1):
        rows.append([str(n), p.archive_number, p.case_number, p.title, p.item_name,
                     RETENTION_TEXT.get(p.retention, p.retention), str(p.year),
                     p.closed_on.isoformat(), str(p.file_count), str(p.total_bytes),
                     p.bag_sha256])
    return rows


def transfer_csv(transfer: TransferList) -> bytes:
    """The list as CSV (UTF-8 with BOM, so that Excel reads the Chinese), the same bytes
    every time: its SHA-256 is recorded when the list is made."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(transfer_rows(transfer))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def transfer_xlsx(transfer: TransferList) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = transfer.number
    sheet.append(CSV_HEADER)
    for row in transfer_rows(transfer):
        sheet.append(row)
    sheet.append([])
    sheet.append(["CSV SHA-256", transfer.csv_sha256])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def create_transfer(*, actor: Any, year: int) -> TransferList:
    """移交清单 of `year`: every package of that year not yet on a list."""
    _require(actor, Role.SYSADMIN, Role.HEAD)
    with transaction.atomic():
        packages = list(ArchivePackage.objects.select_for_update(of=("self",))
                        .filter(year=year, state=PackageState.ARCHIVED,
                                transfer_lists__isnull=True).order_by("archive_number"))
        if not packages:
            raise ArchiveError(_("该年度没有待移交的归档信息包。"), code="nothing_to_transfer")
        transfer = TransferList.objects.create(
            number=_next_number(TransferList, "YJ", year), year=year,
            created_at=timezone.now(), created_by=actor)
        transfer.packages.set(packages)
        transfer.csv_sha256 = hashlib.sha256(transfer_csv(transfer)).hexdigest()
        transfer.save(update_fields=["csv_sha256"])
        append_event(actor=actor, kind="archive.transfer_list", subject=f"transfer:{transfer.pk}",
                     payload={"number": transfer.number, "year": year,
                              "packages": [p.archive_number for p in packages],
                              "csv_sha256": transfer.csv_sha256})
    return transfer


def record_receipt(*, actor: Any, transfer: TransferList, received_by: str, office: str,
                   note: str = "") -> TransferList:
    """The archives office's receipt (接收): who received it, where, when; the packages on
    the list become 已移交."""
    _require(actor, Role.SYSADMIN, Role.HEAD)
    received_by, office = " ".join(received_by.split()), " ".join(office.split())
    if not received_by or not office:
        raise ArchiveError(_("请填写接收单位和接收人。"), code="receipt_required", status=400)
    with transaction.atomic():
        row = TransferList.objects.select_for_update().get(pk=transfer.pk)
        if row.received_at is not None:
            raise ArchiveError(_("该移交清单已登记接收。"), code="already_received")
        row.received_at, row.recorded_by = timezone.now(), actor
        row.received_by_name, row.receiving_office = received_by[:100], office[:200]
        row.receipt_note = " ".join(note.split())[:300]
        row.save()
        row.packages.filter(state=PackageState.ARCHIVED).update(state=PackageState.TRANSFERRED)
        append_event(actor=actor, kind="archive.transfer_received", subject=f"transfer:{row.pk}",
                     payload={"number": row.number, "received_by": row.received_by_name,
                              "office": row.receiving_office, "csv_sha256": row.csv_sha256})
    return row


# --- destruction lists ----------------------------------------------------------------------

def due_for_destruction(today: Any = None) -> list[ArchivePackage]:
    """Packages whose retention has ended, not held and not on an open destruction list."""
    today = today or timezone.localdate()
    candidates = (ArchivePackage.objects.exclude(state=PackageState.DESTROYED)
                  .exclude(retention=Retention.PERMANENT).filter(hold=False, year__lt=today.year)
                  .exclude(destruction_lists__state__in=[DestructionState.PROPOSED,
                                                         DestructionState.APPROVED]))
    return [p for p in candidates.order_by("year", "archive_number")
            if is_due_for_appraisal(p.year, Retention(p.retention), today)]


def _held(packages: Any) -> list[str]:
    return [p.archive_number for p in packages if p.hold]


def propose_destruction(*, actor: Any, package_ids: list[int], reason: str,
                        today: Any = None) -> DestructionList:
    """销毁清单 proposed after appraisal: only packages whose retention has ended
    (国家档案局令第8号; counted from the year after closing), none under a hold."""
    _require(actor, Role.SYSADMIN)
    reason = " ".join(reason.split())
    if not reason:
        raise ArchiveError(_("请写明鉴定意见。"), code="reason_required", status=400)
    today = today or timezone.localdate()
    with transaction.atomic():
        packages = list(ArchivePackage.objects.select_for_update(of=("self",))
                        .filter(pk__in=package_ids).order_by("archive_number"))
        if not packages or len(packages) != len(set(package_ids)):
            raise ArchiveError(_("请选择要销毁的档案。"), code="nothing_selected", status=400)
        held = _held(packages)
        if held:
            raise ArchiveError(_("以下档案已冻结，不能销毁：%(n)s") % {"n": "、".join(held)},
                               code="on_hold")
        due = {p.pk for p in due_for_destruction(today)}
        early = [p.archive_number for p in packages if p.pk not in due]
        if early:
            raise ArchiveError(_("以下档案保管期限未满或已在销毁清单中：%(n)s")
                               % {"n": "、".join(early)}, code="not_due")
        destruction = DestructionList.objects.create(
            number=_next_number(DestructionList, "XH", timezone.localdate().year), reason=reason,
            proposed_at=timezone.now(), proposed_by=actor,
            snapshot=[{"archive_number": p.archive_number, "case_number": p.case_number,
                       "title": p.title, "year": p.year, "retention": p.retention,
                       "bag_sha256": p.bag_sha256} for p in packages])
        destruction.packages.set(packages)
        append_event(actor=actor, kind="archive.destruction_proposed",
                     subject=f"destruction:{destruction.pk}",
                     payload={"number": destruction.number, "reason": reason,
                              "packages": [p.archive_number for p in packages]})
    return destruction


def approve_destruction(*, actor: Any, destruction: DestructionList,
                        as_role: str) -> DestructionList:
    """One named approval, as 局长 (head) or as the archivist (sysadmin); two different
    people, one per role; the list is 已批准 once both have signed."""
    if as_role not in APPROVER_ROLES:
        raise ArchiveError(_("审批身份不正确。"), code="bad_role", status=400)
    _require(actor, as_role)
    with transaction.atomic():
        row = DestructionList.objects.select_for_update().get(pk=destruction.pk)
        if row.state != DestructionState.PROPOSED:
            raise ArchiveError(_("该销毁清单不在待审批状态。"), code="not_proposed")
        approvals = list(row.approvals.all())
        if any(a.user_id == actor.pk for a in approvals):
            raise ArchiveError(_("同一人不能审批两次，须由两名审批人分别审批。"),
                               code="same_approver")
        if any(a.role == as_role for a in approvals):
            raise ArchiveError(_("该身份已审批。"), code="role_done")
        held = _held(row.packages.all())
        if held:
            raise ArchiveError(_("以下档案已冻结，不能销毁：%(n)s") % {"n": "、".join(held)},
                               code="on_hold")
        name = actor.get_full_name() or actor.get_username()
        event = append_event(actor=actor, kind="archive.destruction_approved",
                             subject=f"destruction:{row.pk}",
                             payload={"number": row.number, "role": as_role})
        DestructionApproval.objects.create(destruction=row, user=actor, user_name=name,
                                           role=as_role, at=timezone.now(),
                                           audit_seq=event.seq)
        if len(approvals) + 1 == len(APPROVER_ROLES):
            row.state = DestructionState.APPROVED
            row.save(update_fields=["state"])
    return row


def execute_destruction(*, actor: Any, destruction: DestructionList,
                        today: Any = None) -> DestructionList:
    """Carry out an approved list: each package's folder removed, its row kept as the
    tombstone (已销毁, with this list). Refused while any package is held, and for any
    package whose retention has not ended on the day of execution."""
    _require(actor, Role.SYSADMIN)
    today = today or timezone.localdate()
    with transaction.atomic():
        row = DestructionList.objects.select_for_update().get(pk=destruction.pk)
        if row.state != DestructionState.APPROVED:
            raise ArchiveError(_("销毁清单须经两名审批人批准后才能执行。"), code="not_approved")
        packages = list(row.packages.select_for_update(of=("self",)).order_by("archive_number"))
        held = _held(packages)
        if held:
            raise ArchiveError(_("以下档案已冻结，不能销毁：%(n)s") % {"n": "、".join(held)},
                               code="on_hold")
        early = [p.archive_number for p in packages
                 if not is_due_for_appraisal(p.year, Retention(p.retention), today)]
        if early:
            raise ArchiveError(_("以下档案保管期限未满，不能销毁：%(n)s") % {"n": "、".join(early)},
                               code="not_due")
        now = timezone.now()
        for package in packages:
            package.state = PackageState.DESTROYED
            package.save(update_fields=["state"])
        row.state, row.executed_at, row.executed_by = DestructionState.EXECUTED, now, actor
        row.save(update_fields=["state", "executed_at", "executed_by"])
        append_event(actor=actor, kind="archive.destroyed", subject=f"destruction:{row.pk}",
                     payload={"number": row.number, "snapshot": row.snapshot})
        paths = [p.path for p in packages]
        transaction.on_commit(lambda: [storage.remove_tree(storage.package_dir(p))
                                       for p in paths])
    return row
