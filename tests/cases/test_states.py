"""The case state table (案件状态表), pure Python, no database.

Written from the lifecycle in the cases spec and the statute: acceptance and correction
(行政许可法 第32条), review (第34条), special procedures (第45条), extension (第42条), decision
(第37–38条), delivery (第44条), withdrawal / termination / reopening. Every (operation, state)
pair of the full product is checked: allowed exactly where the lifecycle allows it, refused
with `IllegalTransition` everywhere else."""

from __future__ import annotations

import itertools

import pytest

from oneseal.cases.domain import (
    ACTIVE_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    CaseState,
    IllegalTransition,
    Operation,
    allowed_operations,
    next_state,
)

S = CaseState
O = Operation  # noqa: E741 - short alias for a table
PRE_DECISION = {S.RECEIVED, S.CORRECTING, S.REVIEWING, S.SPECIAL}
CLOSED = {S.NOT_ACCEPTED, S.WITHDRAWN, S.TERMINATED}

# The lifecycle, written out independently of the code: op -> {state it may run in: result}.
# A result equal to the source state means "the operation does not move the case".
EXPECTED: dict[Operation, dict[CaseState, CaseState]] = {
    O.CHECK_MATERIALS: {S.RECEIVED: S.RECEIVED},
    # Files come with the application and its corrections, and during review (site-visit
    # photos, the hearing minutes of 第48条) until the decision.
    O.ATTACH_FILE: {s: s for s in PRE_DECISION},
    O.ACCEPT: {S.RECEIVED: S.REVIEWING},
    O.REFUSE: {S.RECEIVED: S.NOT_ACCEPTED},
    O.CORRECTION_NOTICE: {S.RECEIVED: S.CORRECTING},
    O.CORRECTIONS: {S.CORRECTING: S.RECEIVED},
    O.DECIDE_ON_SPOT: {S.RECEIVED: S.DECIDED},
    O.CLAIM: {S.REVIEWING: S.REVIEWING},
    O.COMPLETE_STEP: {S.REVIEWING: S.REVIEWING},
    O.SPECIAL_START: {S.REVIEWING: S.SPECIAL},
    O.SPECIAL_END: {S.SPECIAL: S.REVIEWING},
    O.EXTENSION_REQUEST: {S.REVIEWING: S.REVIEWING, S.SPECIAL: S.SPECIAL},
    O.EXTENSION_APPROVE: {S.REVIEWING: S.REVIEWING, S.SPECIAL: S.SPECIAL},
    O.DECIDE: {S.REVIEWING: S.DECIDED},
    # The signing pipeline marks a decision sealed (签章完成); only a sealed one is delivered.
    O.SEAL: {S.DECIDED: S.READY},
    O.DELIVER: {S.READY: S.DELIVERED},
    O.WITHDRAW: {s: S.WITHDRAWN for s in PRE_DECISION},
    O.TERMINATE: {s: S.TERMINATED for s in PRE_DECISION},
    # 当场更正 at the window, before acceptance (第32条第一款第（三）项).
    O.SPOT_CORRECTION: {S.RECEIVED: S.RECEIVED},
    # The bureau marks joint handling (第26条, 第42条第二款) any time before the decision.
    O.MARK_JOINT: {s: s for s in PRE_DECISION},
    # The people's government's approval of a joint extension, like the head's (第42条).
    O.EXTENSION_GOVERNMENT: {S.REVIEWING: S.REVIEWING, S.SPECIAL: S.SPECIAL},
    # Hearing rights (第47条) or a hearing the bureau calls (第46条), during review.
    O.HEARING_NOTICE: {S.REVIEWING: S.REVIEWING},
}
NON_REOPEN = [op for op in Operation if op is not O.REOPEN]
ALLOWED_PAIRS = sorted((op, st) for op in NON_REOPEN for st in EXPECTED[op])
ILLEGAL_PAIRS = sorted((op, st) for op, st in itertools.product(Operation, CaseState)
                       if not (op is O.REOPEN and st in CLOSED)
                       and not (op is not O.REOPEN and st in EXPECTED[op]))


def test_expected_table_covers_every_operation():
    assert set(EXPECTED) | {O.REOPEN} == set(Operation)
    assert set(TRANSITIONS) == set(Operation)
    assert len(ALLOWED_PAIRS) + len(ILLEGAL_PAIRS) + len(CLOSED) == (
        len(Operation) * len(CaseState))


def test_states_partition_into_active_and_terminal():
    assert TERMINAL_STATES == {S.NOT_ACCEPTED, S.DELIVERED, S.WITHDRAWN, S.TERMINATED}
    assert ACTIVE_STATES | TERMINAL_STATES == set(CaseState)
    assert not ACTIVE_STATES & TERMINAL_STATES


@pytest.mark.parametrize(("op", "state"), ALLOWED_PAIRS, ids=lambda v: str(v))
def test_operation_allowed_in_its_states(op, state):
    assert next_state(op, state) == EXPECTED[op][state]
    assert op in allowed_operations(state)


@pytest.mark.parametrize(("op", "state"), ILLEGAL_PAIRS, ids=lambda v: str(v))
def test_every_illegal_pair_raises_illegal_transition(op, state):
    with pytest.raises(IllegalTransition) as exc:
        next_state(op, state, reopen_to=S.RECEIVED)
    assert exc.value.operation == op
    assert exc.value.state == state
    assert op not in allowed_operations(state)


@pytest.mark.parametrize("state", list(CaseState), ids=str)
def test_allowed_operations_is_exactly_the_table(state):
    expected = {op for op in NON_REOPEN if state in EXPECTED[op]}
    if state in CLOSED:
        expected.add(O.REOPEN)
    assert allowed_operations(state) == expected


def test_delivered_is_final():
    """A delivered case (办结) admits no operation at all."""
    assert allowed_operations(S.DELIVERED) == frozenset()


def test_article_32_acceptance_outcomes_from_received():
    """第32条: from the received materials the agency accepts, refuses (不予受理) or gives
    the one-time correction notice; corrections bring the case back to received."""
    assert next_state(O.ACCEPT, S.RECEIVED) is S.REVIEWING
    assert next_state(O.REFUSE, S.RECEIVED) is S.NOT_ACCEPTED
    assert next_state(O.CORRECTION_NOTICE, S.RECEIVED) is S.CORRECTING
    assert next_state(O.CORRECTIONS, S.CORRECTING) is S.RECEIVED
    with pytest.raises(IllegalTransition):
        next_state(O.ACCEPT, S.CORRECTING)  # not before the corrections arrive
    with pytest.raises(IllegalTransition):
        next_state(O.CORRECTION_NOTICE, S.CORRECTING)  # no second notice while correcting


def test_article_45_special_procedure_round_trip():
    assert next_state(O.SPECIAL_START, S.REVIEWING) is S.SPECIAL
    assert next_state(O.SPECIAL_END, S.SPECIAL) is S.REVIEWING
    with pytest.raises(IllegalTransition):
        next_state(O.DECIDE, S.SPECIAL)  # no decision while the clock is stopped


def test_article_44_delivery_only_after_decision_and_seal():
    """第44条 delivers the decision; the bureau delivers it under its seal, so a decided case
    (已决定，待签章) is delivered only after `seal` made it ready (已签章，待送达)."""
    assert next_state(O.SEAL, S.DECIDED) is S.READY
    assert next_state(O.DELIVER, S.READY) is S.DELIVERED
    for state in set(CaseState) - {S.READY}:
        with pytest.raises(IllegalTransition):
            next_state(O.DELIVER, state)
    for state in set(CaseState) - {S.DECIDED}:
        with pytest.raises(IllegalTransition):
            next_state(O.SEAL, state)


def test_ready_is_active_not_terminal():
    assert S.READY in ACTIVE_STATES and S.DECIDED in ACTIVE_STATES
    assert allowed_operations(S.READY) == {O.DELIVER}
    assert allowed_operations(S.DECIDED) == {O.SEAL}


# --- reopen ------------------------------------------------------------------------------

@pytest.mark.parametrize("closed", sorted(CLOSED), ids=str)
@pytest.mark.parametrize("before", sorted(PRE_DECISION), ids=str)
def test_reopen_returns_to_the_recorded_active_state(closed, before):
    assert next_state(O.REOPEN, closed, reopen_to=before) is before


@pytest.mark.parametrize("closed", sorted(CLOSED), ids=str)
def test_reopen_without_recorded_state_is_illegal(closed):
    with pytest.raises(IllegalTransition):
        next_state(O.REOPEN, closed)
    with pytest.raises(IllegalTransition):
        next_state(O.REOPEN, closed, reopen_to=None)


@pytest.mark.parametrize("closed", sorted(CLOSED), ids=str)
@pytest.mark.parametrize("target", sorted(TERMINAL_STATES), ids=str)
def test_reopen_never_goes_to_a_terminal_state(closed, target):
    with pytest.raises(IllegalTransition):
        next_state(O.REOPEN, closed, reopen_to=target)


@pytest.mark.parametrize("state", sorted(set(CaseState) - CLOSED), ids=str)
def test_reopen_refused_from_open_or_delivered_states(state):
    with pytest.raises(IllegalTransition):
        next_state(O.REOPEN, state, reopen_to=S.RECEIVED)


def test_reopen_to_is_ignored_by_other_operations():
    assert next_state(O.ACCEPT, S.RECEIVED, reopen_to=S.SPECIAL) is S.REVIEWING
