"""The only writers of the archives' package rows (services, architecture rule 1): build the
archival package of a closed case (归档), check its fixity (检测), hold it (冻结) or release
it. Every change is an audit-chain event in the same transaction.

Law: 国务院令第716号 第12条 — records of online government services are archived
electronically; the bureau keeps each case's file for its retention period (保管期限) and
proves it complete and unchanged.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.cases.domain.states import TERMINAL_STATES, CaseState
from oneseal.cases.models import Case
from oneseal.core.audit import append_event

from . import storage
from .contents import collect
from .domain.bagit import BagReport, validate_bag, write_bag
from .domain.retention import (
    DEFAULT_RETENTION,
    RETENTION_CODES,
    Result,
    Retention,
    archive_number,
    expires_on,
    result_of,
)
from .errors import ArchiveError
from .models import ArchivePackage, PackageState, RetentionRule

SOFTWARE = "OneSeal archives (RFC 8493 BagIt 1.0)"
RETENTION_LABELS = {Retention.PERMANENT: "永久", Retention.Y30: "30年", Retention.Y10: "10年"}


def retention_for(case: Case, result: Result) -> tuple[Retention, str]:
    """The retention of the case's file and its basis: the item's rule for this result,
    else the default (`domain.retention.DEFAULT_RETENTION`)."""
    rule = RetentionRule.objects.filter(item_id=case.item_id, result=result).first()
    if rule is not None:
        return Retention(rule.retention), rule.basis
    return DEFAULT_RETENTION[result], _(
        "未设定事项保管期限，按本系统默认（国家档案局令第8号第八条）")


def _metadata(case: Case, number: str, fonds: str, year: int, retention: Retention,
              basis: str, result: Result, closed_on: dt.date) -> dict[str, Any]:
    """Archival metadata (归档元数据), named after the elements of GB/T 42727-2023 /
    DA/T 85-2019 and DA/T 46-2009 as far as we could name them (docs/archives.md)."""
    bureau = case.department.name
    due = expires_on(year, retention)
    return {
        "聚合层次": "件", "全宗号": fonds, "档号": number, "年度": year,
        "保管期限": RETENTION_LABELS[retention], "保管期限代码": RETENTION_CODES[retention],
        "保管期限依据": basis, "到期鉴定日期": due.isoformat() if due else None,
        "题名": f"{case.applicant_name}{case.item_name}办件",
        "责任者": case.competent_agency or bureau,
        "事项名称": case.item_name, "事项编码": case.item.implementation_code,
        "事项基本编码": case.item.basic_code, "业务办理项": case.variant_name,
        "办件编号": case.number, "申请人": case.applicant_name,
        "申请人类型": case.applicant_kind, "收件日期": case.received_on.isoformat(),
        "受理日期": case.accepted_on.isoformat() if case.accepted_on else None,
        "办结日期": closed_on.isoformat(), "办理结果": result.value,
        "收件渠道": case.channel, "办理机构": bureau,
        "格式": "BagIt 1.0 (RFC 8493), SHA-256",
    }


def _year_and_close(case: Case) -> dt.date:
    return case.closed_on or case.delivered_on or case.decided_on or timezone.localdate()


def _next_sequence(fonds: str, year: int, retention: Retention, item_code: str) -> int:
    top = (ArchivePackage.objects.filter(fonds_code=fonds, year=year, retention=retention,
                                         item_code=item_code)
           .aggregate(top=Max("sequence"))["top"])
    return int(top or 0) + 1


def build_package(case_id: int, *, actor: Any = None) -> ArchivePackage:
    """Build the package of a closed case once (idempotent: an existing package is returned
    untouched). The case row is locked, so two workers never build the same case; the bag
    is written to a temporary folder, renamed into place, made read-only, then recorded."""
    existing = ArchivePackage.objects.filter(case_id=case_id).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        case = (Case.objects.select_for_update(of=("self",))
                .select_related("item", "department", "person", "organisation", "agent")
                .get(pk=case_id))
        existing = ArchivePackage.objects.filter(case_id=case_id).first()
        if existing is not None:
            return existing
        if CaseState(case.state) not in TERMINAL_STATES:
            raise ArchiveError(_("办件尚未办结，不能归档。"), code="case_open")
        closed_on = _year_and_close(case)
        year = closed_on.year
        result = result_of(case.state, case.outcome)
        retention, basis = retention_for(case, result)
        fonds = storage.fonds_code()
        item_code = case.item.basic_code or case.item.implementation_code
        sequence = _next_sequence(fonds, year, retention, item_code)
        number = archive_number(fonds, year, retention, item_code, sequence)
        metadata = _metadata(case, number, fonds, year, retention, basis, result, closed_on)
        files = collect(case, metadata)
        now = timezone.now()
        info = {
            "Source-Organization": case.department.name,
            "External-Identifier": number,
            "External-Description": metadata["题名"],
            "Bag-Software-Agent": SOFTWARE,
            "Fonds-Code": fonds,
            "Retention-Period": RETENTION_CODES[retention],
            "Case-Number": case.number,
        }
        work = storage.tmp_dir() / f"{number}.{secrets.token_hex(4)}"
        try:
            bag_sha = write_bag(work, files, info, timezone.localdate().isoformat())
            relative = f"packages/{year}/{number}"
            storage.place(work, relative)
        except BaseException:
            storage.remove_tree(work)
            raise
        package = ArchivePackage.objects.create(
            case=case, archive_number=number, fonds_code=fonds, year=year,
            retention=retention, retention_basis=basis[:300], item_code=item_code,
            sequence=sequence, case_number=case.number, title=metadata["题名"][:300],
            item_name=case.item_name, applicant_name=case.applicant_name,
            applicant_kind=case.applicant_kind, result=result, closed_on=closed_on,
            path=relative, bag_sha256=bag_sha, file_count=len(files),
            total_bytes=sum(len(f.data) for f in files), built_at=now)
        event = append_event(actor=actor, kind="archive.package", subject=f"case:{case.pk}",
                             payload={"archive_number": number, "bag_sha256": bag_sha,
                                      "files": len(files), "retention": retention.value,
                                      "path": relative})
        package.audit_seq = event.seq
        package.save(update_fields=["audit_seq"])
    return package


@dataclass(frozen=True)
class FixityResult:
    package: ArchivePackage
    report: BagReport

    @property
    def ok(self) -> bool:
        return self.report.ok


def check_package(package: ArchivePackage) -> BagReport:
    """Re-read every file of the package against its manifests and recorded fingerprint."""
    return validate_bag(storage.package_dir(package.path), package.bag_sha256)


def verify_package(package: ArchivePackage, *, actor: Any = None) -> FixityResult:
    """检测: check the package and record when and with what result; a failed check is an
    audit event naming every missing, changed and extra file."""
    if package.state == PackageState.DESTROYED:
        raise ArchiveError(_("该档案已销毁，只保留销毁记录。"), code="destroyed")
    report = check_package(package)
    now = timezone.now()
    with transaction.atomic():
        ArchivePackage.objects.filter(pk=package.pk).update(last_verified_at=now,
                                                            last_verify_ok=report.ok)
        if not report.ok:
            append_event(actor=actor, kind="archive.fixity_failed",
                         subject=f"case:{package.case_id}", payload={
                             "archive_number": package.archive_number,
                             "missing": report.missing[:200], "changed": report.changed[:200],
                             "extra": report.extra[:200], "errors": report.errors[:50]})
    package.last_verified_at, package.last_verify_ok = now, report.ok
    return FixityResult(package, report)


def set_hold(*, actor: Any, package: ArchivePackage, hold: bool, reason: str = "") -> None:
    """冻结 / 解除冻结: a package under a hold (诉讼、行政复议、审查) is never destroyed."""
    reason = " ".join(reason.split())
    if hold and not reason:
        raise ArchiveError(_("请写明冻结原因（如诉讼、行政复议）。"), code="reason_required",
                           status=400)
    with transaction.atomic():
        row = ArchivePackage.objects.select_for_update().get(pk=package.pk)
        if row.state == PackageState.DESTROYED:
            raise ArchiveError(_("该档案已销毁，只保留销毁记录。"), code="destroyed")
        row.hold, row.hold_reason = hold, reason[:300] if hold else ""
        row.save(update_fields=["hold", "hold_reason"])
        append_event(actor=actor, kind="archive.hold" if hold else "archive.release",
                     subject=f"case:{row.case_id}",
                     payload={"archive_number": row.archive_number, "reason": reason})
    package.hold, package.hold_reason = row.hold, row.hold_reason


def closed_without_package() -> list[int]:
    """Ids of closed cases that have no package yet (the catch-up job's work)."""
    return list(Case.objects.filter(state__in=[s.value for s in TERMINAL_STATES],
                                    archive_package__isnull=True)
                .order_by("id").values_list("id", flat=True))


def set_retention_rule(*, actor: Any, item_id: int, result: str, retention: str,
                       basis: str) -> RetentionRule:
    """保管期限 of an item's files for one result, with its basis (required); applies to
    packages built from now on (a package keeps the retention it was archived with)."""
    from oneseal.accounts.roles import Role

    if not actor.has_role(Role.CATALOG_ADMIN, Role.SYSADMIN):
        raise ArchiveError(_("您的角色无权进行此操作。"), code="forbidden", status=403)
    basis = " ".join(basis.split())
    if not basis:
        raise ArchiveError(_("请写明保管期限的依据。"), code="basis_required", status=400)
    Result(result)
    Retention(retention)
    with transaction.atomic():
        rule, _created = RetentionRule.objects.update_or_create(
            item_id=item_id, result=result,
            defaults={"retention": retention, "basis": basis[:300]})
        append_event(actor=actor, kind="archive.retention_rule", subject=f"item:{item_id}",
                     payload={"result": result, "retention": retention, "basis": basis})
    return rule

