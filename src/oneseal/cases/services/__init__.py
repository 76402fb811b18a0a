"""Writes of the case lifecycle (办件服务): one function per operation.

Every service (architecture rules 1, 5, 8):
1. locks the case row (`select_for_update`; on SQLite the whole write transaction is
   serialised by BEGIN IMMEDIATE), so two clerks pressing the same button produce one result;
2. checks the state table (`domain/states.py`) → `IllegalState` naming the current state;
3. checks who may do it (`permissions.may`) → `CaseForbidden`, or `CaseNotFound` for a case
   the actor may not see;
4. checks the statutory rules of the operation → `RuleViolation` with a Chinese message;
5. writes the change, one `CaseEvent` and one audit-chain event (`case.<operation>`) in the
   same transaction, issues the written document the law requires, and recomputes the clocks
   from the events (`clocks.recompute`). The transaction is an `audit_frame`: its audit
   events are written at its end in one locked section (the chain head is held only there),
   and the case event's `audit_seq` is filled in by that section.

`at` (an aware datetime, default now) lets the demo, the benchmarks and the tests place an
operation on a given day; pages and the API never pass it.
"""

from .frame import HEARING_HOLD_DAYS, HEARING_NOTICE_DAYS, HEARING_REQUEST_DAYS, QUERY_CODE_ALPHABET
from .hearing import case_hearing_notice
from .intake import (
    ApplicantRef,
    case_accept,
    case_attach_file,
    case_check_materials,
    case_correction_notice,
    case_decide_on_spot,
    case_receive_corrections,
    case_refuse,
    case_spot_correction,
    case_submit,
    new_query_code,
)
from .joint import case_extension_government, case_mark_joint
from .outcome import (
    case_decide,
    case_deliver,
    case_mark_ready,
    case_reopen,
    case_terminate,
    case_withdraw,
    grant_on_spot_authorisation,
)
from .review import (
    case_claim,
    case_complete_step,
    case_extension_approve,
    case_extension_request,
    case_special_end,
    case_special_start,
)

__all__ = [
    "HEARING_HOLD_DAYS",
    "HEARING_NOTICE_DAYS",
    "HEARING_REQUEST_DAYS",
    "QUERY_CODE_ALPHABET",
    "ApplicantRef",
    "case_accept",
    "case_attach_file",
    "case_check_materials",
    "case_claim",
    "case_complete_step",
    "case_correction_notice",
    "case_decide",
    "case_decide_on_spot",
    "case_deliver",
    "case_extension_approve",
    "case_extension_government",
    "case_extension_request",
    "case_hearing_notice",
    "case_mark_joint",
    "case_mark_ready",
    "case_receive_corrections",
    "case_refuse",
    "case_reopen",
    "case_special_end",
    "case_special_start",
    "case_spot_correction",
    "case_submit",
    "case_terminate",
    "case_withdraw",
    "grant_on_spot_authorisation",
    "new_query_code",
]
