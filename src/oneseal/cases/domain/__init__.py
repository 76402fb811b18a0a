"""The case lifecycle in pure Python (no Django): states, operations and the table of which
operation is allowed in which state (案件状态表)."""

from .states import (
    ACTIVE_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    CaseState,
    IllegalTransition,
    Operation,
    allowed_operations,
    next_state,
)

__all__ = [
    "ACTIVE_STATES",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "CaseState",
    "IllegalTransition",
    "Operation",
    "allowed_operations",
    "next_state",
]
