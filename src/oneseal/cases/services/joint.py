"""Joint handling (统一办理、联合办理、集中办理, 行政许可法 第26条, 第42条第二款): the bureau
marks a case, which then has 45 working days; its one extension, by at most 15 working days,
needs the approval of 本级人民政府负责人 (the people's government at the bureau's level), which
the bureau enters as it received it — who approved, the document number and the date — and
never the bureau head's own approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from oneseal.core.audit import audit_frame

from .. import documents
from ..domain.states import Operation
from ..errors import RuleViolation
from ..models import Case, DocumentKind, ExtensionStatus, JointKind, JointSource
from .frame import _begin, _record, _required_text
from .review import ensure_limit_not_passed, extension_notice_details


def case_mark_joint(*, actor: Any, case: Case | int, kind: str, reason: str,
                    at: dt.datetime | None = None) -> Case:
    """标记统一办理、联合办理或集中办理 (第26条, 第42条第二款), decided by the bureau (a
    section chief or the head) before the decision: the statutory limit becomes 45 working
    days from acceptance. Not once an extension was requested (its cap would change)."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.MARK_JOINT, at)
        if kind not in JointKind.values:
            raise RuleViolation(_("联合办理方式只能是统一办理、联合办理或集中办理。"),
                                code="invalid_joint_kind")
        reason = _required_text(reason, _("请写明联合办理的理由。"), "reason_required")
        if case.joint:
            raise RuleViolation(_("本件已标记为%(kind)s。")
                                % {"kind": JointKind(case.joint_kind).label
                                   if case.joint_kind else _("联合办理")},
                                code="already_joint")
        if case.extensions.exists():
            raise RuleViolation(_("本件已申请延期，不能再改为联合办理。"),
                                code="joint_after_extension")
        case.joint, case.joint_kind, case.joint_source = True, kind, JointSource.BUREAU
        _record(case, actor=actor, op=Operation.MARK_JOINT, now=now, today=today,
                state_from=case.state, reason=reason,
                data={"kind": kind, "source": JointSource.BUREAU})
        return case


def case_extension_government(*, actor: Any, case: Case | int, approver: str,
                              document_number: str, approved_on: dt.date,
                              approve: bool = True, at: dt.datetime | None = None) -> Case:
    """登记本级人民政府负责人对延期的批准 (行政许可法 第42条第二款): for a case handled
    jointly, the bureau (a section chief or the head) enters the government's answer to the
    pending extension request: who approved, the document number and the date. The approval
    date must fall between the request and today, and within the limit being extended; an
    approval adds the requested days (at most 15) and the applicant is told by the 延期告知书."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.EXTENSION_GOVERNMENT, at)
        if not case.joint:
            raise RuleViolation(
                _("本件不是统一办理、联合办理或集中办理，延期由本机关负责人批准（第四十二条第一款）。"),
                code="not_joint")
        request = case.extensions.filter(status=ExtensionStatus.PENDING).first()
        if request is None:
            raise RuleViolation(_("没有待审批的延期申请。"), code="no_pending_extension")
        approver = _required_text(approver, _("请填写批准人（本级人民政府负责人）。"),
                                  "approver_required")[:100]
        number = _required_text(document_number, _("请填写批准文号。"),
                                "document_number_required")[:100]
        if not isinstance(approved_on, dt.date) or not \
                request.requested_on <= approved_on <= today:
            raise RuleViolation(
                _("批准日期应在延期申请日期（%(requested)s）与今天之间。")
                % {"requested": request.requested_on.isoformat()}, code="invalid_approval_date")
        if approve:
            ensure_limit_not_passed(case, approved_on)
        request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        request.decided_by, request.decided_on = actor, today
        request.external_approver, request.external_document = approver, number
        request.external_approved_on = approved_on
        request.save()
        _record(case, actor=actor, op=Operation.EXTENSION_GOVERNMENT, now=now, today=today,
                state_from=case.state, reason=request.reason,
                data={"days": request.days, "approved": bool(approve), "approver": approver,
                      "document_number": number, "approved_on": approved_on.isoformat(),
                      "request": request.pk, "entered_by": actor.pk})
        if approve:
            details = extension_notice_details(case, request, today)
            details.update({"approver": approver, "document_number": number,
                            "approved_on": approved_on.isoformat()})
            documents.issue_document(actor=actor, case=case,
                                     kind=DocumentKind.EXTENSION_NOTICE, on=today,
                                     details=details)
        return case
