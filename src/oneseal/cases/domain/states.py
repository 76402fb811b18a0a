"""The state table of a case (案件状态表).

A case moves only by operations; each operation is allowed in some states and leads to one
state (or, for `reopen`, back to the state the case was in before it closed). The table is
the single source of truth: services refuse an operation the table does not allow, with a
Chinese message naming the current state; pages and the API offer only allowed operations.

Statutory grounds: acceptance, on-the-spot correction and correction (行政许可法 第32条),
review (第34条), special procedures (第45条), hearings (第46–48条), extension (第42条; joint
handling 第42条第二款), decision (第37–38条), delivery (第44条), unified acceptance and
delivery (第26条).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from oneseal.core.workcalendar.domain.i18n import gettext_noop


class CaseState(StrEnum):
    RECEIVED = "received"  # 已收件，待受理 (materials received, acceptance pending)
    CORRECTING = "correcting"  # 待补正 (one-time correction notice issued, 第32条)
    NOT_ACCEPTED = "not_accepted"  # 不予受理 (第32条)
    REVIEWING = "reviewing"  # 审查中 (accepted, in the review chain)
    SPECIAL = "special"  # 特别程序中 (clock stopped, 第45条)
    DECIDED = "decided"  # 已决定，待签章 (decided, its documents not yet sealed)
    READY = "ready"  # 已签章，待送达 (sealed, waiting for delivery, 第44条)
    DELIVERED = "delivered"  # 已送达 (办结)
    WITHDRAWN = "withdrawn"  # 已撤回 (by the applicant)
    TERMINATED = "terminated"  # 已终止


STATE_LABELS: Mapping[CaseState, str] = {
    CaseState.RECEIVED: gettext_noop("已收件，待受理"),
    CaseState.CORRECTING: gettext_noop("待补正"),
    CaseState.NOT_ACCEPTED: gettext_noop("不予受理"),
    CaseState.REVIEWING: gettext_noop("审查中"),
    CaseState.SPECIAL: gettext_noop("特别程序中"),
    CaseState.DECIDED: gettext_noop("已决定，待签章"),
    CaseState.READY: gettext_noop("已签章，待送达"),
    CaseState.DELIVERED: gettext_noop("已送达"),
    CaseState.WITHDRAWN: gettext_noop("已撤回"),
    CaseState.TERMINATED: gettext_noop("已终止"),
}

TERMINAL_STATES = frozenset({CaseState.NOT_ACCEPTED, CaseState.DELIVERED, CaseState.WITHDRAWN,
                             CaseState.TERMINATED})
ACTIVE_STATES = frozenset(CaseState) - TERMINAL_STATES


class Operation(StrEnum):
    CHECK_MATERIALS = "check_materials"  # 材料核验 (合格 / 需补正)
    ATTACH_FILE = "attach_file"  # 上传材料文件
    ACCEPT = "accept"  # 受理 (第32条)
    REFUSE = "refuse"  # 不予受理 (第32条)
    CORRECTION_NOTICE = "correction_notice"  # 一次性告知补正 (第32条)
    CORRECTIONS = "corrections"  # 补正材料收到
    DECIDE_ON_SPOT = "decide_on_spot"  # 即办件当场办结
    CLAIM = "claim"  # 认领环节
    COMPLETE_STEP = "complete_step"  # 办结环节 (同意 / 不同意 / 退回)
    SPECIAL_START = "special_start"  # 特别程序开始 (第45条)
    SPECIAL_END = "special_end"  # 特别程序结束
    EXTENSION_REQUEST = "extension_request"  # 申请延期 (第42条)
    EXTENSION_APPROVE = "extension_approve"  # 批准延期 (第42条, 局长)
    DECIDE = "decide"  # 作出准予 / 不予许可决定 (第37–38条)
    SEAL = "seal"  # 签章完成 (system: every approval-seal use of the decision is signed)
    DELIVER = "deliver"  # 送达 (第44条)
    WITHDRAW = "withdraw"  # 申请人撤回
    TERMINATE = "terminate"  # 终止
    REOPEN = "reopen"  # 恢复办理 (局长)
    SPOT_CORRECTION = "spot_correction"  # 当场更正 (第32条第一款第（三）项)
    MARK_JOINT = "mark_joint"  # 统一办理、联合办理、集中办理 (第26条, 第42条第二款)
    EXTENSION_GOVERNMENT = "extension_government"  # 本级人民政府负责人批准延期 (第42条第二款)
    HEARING_NOTICE = "hearing_notice"  # 告知听证权利 (第47条) or 依职权听证公告 (第46条)


_PRE_DECISION = frozenset({CaseState.RECEIVED, CaseState.CORRECTING, CaseState.REVIEWING,
                           CaseState.SPECIAL})

#: operation -> (states it is allowed in, state it leads to; None = stays / computed)
TRANSITIONS: Mapping[Operation, tuple[frozenset[CaseState], CaseState | None]] = {
    Operation.CHECK_MATERIALS: (frozenset({CaseState.RECEIVED}), None),
    Operation.ATTACH_FILE: (frozenset({CaseState.RECEIVED, CaseState.CORRECTING,
                                       CaseState.REVIEWING, CaseState.SPECIAL}), None),
    Operation.ACCEPT: (frozenset({CaseState.RECEIVED}), CaseState.REVIEWING),
    Operation.REFUSE: (frozenset({CaseState.RECEIVED}), CaseState.NOT_ACCEPTED),
    Operation.CORRECTION_NOTICE: (frozenset({CaseState.RECEIVED}), CaseState.CORRECTING),
    Operation.CORRECTIONS: (frozenset({CaseState.CORRECTING}), CaseState.RECEIVED),
    Operation.DECIDE_ON_SPOT: (frozenset({CaseState.RECEIVED}), CaseState.DECIDED),
    Operation.CLAIM: (frozenset({CaseState.REVIEWING}), None),
    Operation.COMPLETE_STEP: (frozenset({CaseState.REVIEWING}), None),
    Operation.SPECIAL_START: (frozenset({CaseState.REVIEWING}), CaseState.SPECIAL),
    Operation.SPECIAL_END: (frozenset({CaseState.SPECIAL}), CaseState.REVIEWING),
    Operation.EXTENSION_REQUEST: (frozenset({CaseState.REVIEWING, CaseState.SPECIAL}), None),
    Operation.EXTENSION_APPROVE: (frozenset({CaseState.REVIEWING, CaseState.SPECIAL}), None),
    Operation.DECIDE: (frozenset({CaseState.REVIEWING}), CaseState.DECIDED),
    Operation.SEAL: (frozenset({CaseState.DECIDED}), CaseState.READY),
    Operation.DELIVER: (frozenset({CaseState.READY}), CaseState.DELIVERED),
    Operation.WITHDRAW: (_PRE_DECISION, CaseState.WITHDRAWN),
    Operation.TERMINATE: (_PRE_DECISION, CaseState.TERMINATED),
    Operation.REOPEN: (frozenset({CaseState.NOT_ACCEPTED, CaseState.WITHDRAWN,
                                  CaseState.TERMINATED}), None),
    Operation.SPOT_CORRECTION: (frozenset({CaseState.RECEIVED}), None),
    Operation.MARK_JOINT: (_PRE_DECISION, None),
    Operation.EXTENSION_GOVERNMENT: (frozenset({CaseState.REVIEWING, CaseState.SPECIAL}), None),
    Operation.HEARING_NOTICE: (frozenset({CaseState.REVIEWING}), None),
}


class IllegalTransition(Exception):
    """The operation is not allowed in the case's current state."""

    def __init__(self, operation: Operation, state: CaseState) -> None:
        self.operation = operation
        self.state = state
        super().__init__(f"{operation} not allowed in state {state}")


def allowed_operations(state: CaseState) -> frozenset[Operation]:
    """Every operation the table allows in `state` (before role and rule checks)."""
    return frozenset(op for op, (sources, _target) in TRANSITIONS.items() if state in sources)


def next_state(operation: Operation, state: CaseState,
               reopen_to: CaseState | None = None) -> CaseState:
    """The state `operation` leads to from `state`, or raise `IllegalTransition`.

    Operations that do not change the state (claim, complete a middle step, record an
    extension) return `state`. `reopen` returns `reopen_to`: the state before the case
    closed, which must be an active state (恢复办理 only by the bureau head, a service rule).
    """
    sources, target = TRANSITIONS[operation]
    if state not in sources:
        raise IllegalTransition(operation, state)
    if operation is Operation.REOPEN:
        if reopen_to is None or reopen_to not in ACTIVE_STATES:
            raise IllegalTransition(operation, state)
        return reopen_to
    return state if target is None else target
