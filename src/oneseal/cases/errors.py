"""Errors the case services raise. Each carries a machine `code`, an HTTP `status` for the
API, and a Chinese `message` (translated) that pages and the API show as is."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oneseal.core.errors import ServiceError

from .domain.states import STATE_LABELS, CaseState, Operation

OPERATION_LABELS: dict[Operation, str] = {
    Operation.CHECK_MATERIALS: gettext_noop("核验材料"),
    Operation.ATTACH_FILE: gettext_noop("上传材料"),
    Operation.ACCEPT: gettext_noop("受理"),
    Operation.REFUSE: gettext_noop("不予受理"),
    Operation.CORRECTION_NOTICE: gettext_noop("一次性告知补正"),
    Operation.CORRECTIONS: gettext_noop("登记补正材料"),
    Operation.DECIDE_ON_SPOT: gettext_noop("即办件当场办结"),
    Operation.CLAIM: gettext_noop("认领环节"),
    Operation.COMPLETE_STEP: gettext_noop("办结环节"),
    Operation.SPECIAL_START: gettext_noop("启动特别程序"),
    Operation.SPECIAL_END: gettext_noop("结束特别程序"),
    Operation.EXTENSION_REQUEST: gettext_noop("申请延期"),
    Operation.EXTENSION_APPROVE: gettext_noop("审批延期"),
    Operation.DECIDE: gettext_noop("作出许可决定"),
    Operation.SEAL: gettext_noop("签章完成"),
    Operation.DELIVER: gettext_noop("送达"),
    Operation.WITHDRAW: gettext_noop("撤回申请"),
    Operation.TERMINATE: gettext_noop("终止办理"),
    Operation.REOPEN: gettext_noop("恢复办理"),
    Operation.SPOT_CORRECTION: gettext_noop("当场更正"),
    Operation.MARK_JOINT: gettext_noop("标记联合办理"),
    Operation.EXTENSION_GOVERNMENT: gettext_noop("登记人民政府批准延期"),
    Operation.HEARING_NOTICE: gettext_noop("告知听证"),
}


def state_label(state: str) -> str:
    """The Chinese (or, in English, translated) name of a case state."""
    try:
        return _(STATE_LABELS[CaseState(state)])
    except ValueError:
        return state


def operation_label(op: str) -> str:
    try:
        return _(OPERATION_LABELS[Operation(op)])
    except ValueError:
        return op


class CaseError(ServiceError):
    """Base of every refusal by the case services."""

    code = "case_error"


class CaseNotFound(CaseError):
    """The case does not exist, or the user may not see it (the same answer for both)."""

    code = "not_found"
    status = 404

    def __init__(self) -> None:
        super().__init__(_("办件不存在，或您无权查看。"))


class CaseForbidden(CaseError):
    """The user may see the case but not do this to it."""

    code = "forbidden"
    status = 403


class IllegalState(CaseError):
    """The operation is not allowed in the case's current state (状态表, domain/states.py)."""

    code = "illegal_transition"
    status = 409

    def __init__(self, operation: str, state: str) -> None:
        super().__init__(
            _("办件当前状态为“%(state)s”，不能%(operation)s。")
            % {"state": state_label(state), "operation": operation_label(operation)},
            state=str(state), operation=str(operation),
        )


class CaseConflict(CaseError):
    """Someone else changed the same thing first (e.g. a step already claimed)."""

    code = "conflict"
    status = 409


class RuleViolation(CaseError):
    """A statutory or business rule refuses the operation; `code` names the rule."""

    code = "rule_violation"
    status = 422
