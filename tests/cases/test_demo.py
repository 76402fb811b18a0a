"""The demo cases (`oneseal load-demo`, loader `cases`): every state, realistic clocks seen on
the demo day, a history and an audit-chain row for every change, and a second load that
changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from oneseal.cases.demo import DESIGN_DAY, KEY_PREFIX, demo_today, shifted
from oneseal.cases.domain.states import ACTIVE_STATES, CaseState
from oneseal.cases.models import (
    Case,
    CaseEvent,
    CaseStep,
    Delivery,
    ExtensionStatus,
    IdempotencyRecord,
    SpecialKind,
    StepState,
)
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.core.workcalendar.selectors import get_work_calendar


def _load() -> str:
    out = StringIO()
    call_command("load_demo", "--no-logins", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db) -> str:
    return _load()


def test_every_state_has_a_case_and_the_summary_counts_them(loaded):
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(CaseState)
    # The cases loader's own cases (idempotency keys demo-case-NN); the online hall's and the
    # helpers' loaders add theirs later and report them themselves.
    total = IdempotencyRecord.objects.filter(key__startswith=KEY_PREFIX).count()
    assert 40 <= total <= 60 and Case.objects.count() >= total
    assert f"办件 / cases: 共 {total} 件" in loaded
    assert "网上申请 / online hall: " in loaded and Case.objects.filter(
        draft__isnull=False, state=CaseState.CORRECTING).count() == 1


def test_article_42_clocks_some_cases_overdue_some_due_within_a_working_day(loaded):
    calendar = get_work_calendar()
    DEMO_TODAY = demo_today()
    active = Case.objects.filter(state__in=[s.value for s in ACTIVE_STATES],
                                 promised_due__isnull=False, clock_paused=False)
    assert active.filter(promised_due__lt=DEMO_TODAY).exists()  # red
    near = [c for c in active.filter(promised_due__gte=DEMO_TODAY)
            if calendar.count_working_days(DEMO_TODAY, c.promised_due) <= 1]
    assert near  # yellow
    assert active.filter(promised_due__gt=DEMO_TODAY).count() > len(near)  # green too
    # law.md §1: no clock is ever blank for a year without a schedule; such dates are
    # provisional, and flagged exactly when they reach a provisional year
    assert not Case.objects.exclude(clock_error="").exists()
    for case in active:
        years = {d.year for d in (case.statutory_due, case.promised_due) if d}
        reaches = any(calendar.is_provisional(y) for y in years)
        assert case.clock_provisional == reaches or case.provisional_years, case.number


def test_review_steps_are_open_and_claimed_at_different_steps(loaded):
    steps = CaseStep.objects.filter(case__state=CaseState.REVIEWING)
    open_steps = steps.filter(state=StepState.OPEN)
    claimed = steps.filter(state=StepState.CLAIMED)
    assert {"reviewer", "chief", "head", "dept_officer"} <= set(
        open_steps.values_list("role", flat=True))
    assert {"reviewer", "chief", "head"} <= set(
        claimed.values_list("assignee__username", flat=True))
    assert steps.filter(round__gt=1).exists()  # a step returned to (退回)


def test_article_45_special_procedures_hearing_and_expert_review(loaded):
    running = Case.objects.filter(state=CaseState.SPECIAL)
    kinds = set(running.values_list("special_procedures__kind", flat=True))
    assert {SpecialKind.HEARING, SpecialKind.EXPERT_REVIEW} <= kinds
    assert all(c.clock_paused for c in running)
    held = Case.objects.filter(state=CaseState.DELIVERED,
                               special_procedures__kind=SpecialKind.HEARING,
                               special_procedures__ended_on__isnull=False)
    assert held.exists() and held.first().special_procedures.get().minutes


def test_decisions_deliveries_and_the_special_paths(loaded):
    decided = Case.objects.filter(state__in=[CaseState.DECIDED, CaseState.READY])
    assert set(decided.values_list("outcome", flat=True)) == {"granted", "refused"}
    assert set(Delivery.objects.values_list("method", flat=True)) == {
        "pickup", "post", "electronic"}
    assert Case.objects.filter(extensions__status=ExtensionStatus.APPROVED).exists()
    assert Case.objects.filter(deemed_accepted=True).exists()  # 第32条 late notice
    reopened = Case.objects.filter(events__kind="reopen")
    assert reopened.exists() and reopened.first().state == CaseState.REVIEWING
    assert Case.objects.filter(correction_notices__number=2).exists()  # a second notice


def test_on_the_spot_case_decided_at_the_window_by_the_departments_clerk(loaded):
    """即办件: 个体工商户登记 stays with the market department (not transferred, 第25条), so its
    clerk stationed at the hall window decides it there, authorised for the item."""
    spot = Case.objects.filter(on_the_spot=True, events__kind="decide_on_spot").distinct()
    assert spot.count() == 2
    for case in spot:
        event = case.events.get(kind="decide_on_spot")
        assert event.actor.username == "market-clerk"
        assert case.decided_on == case.accepted_on == event.on
        assert case.item_name == "个体工商户登记"


def test_every_case_has_its_history_and_the_audit_chain_verifies(loaded):
    for case in Case.objects.all():
        events = list(case.events.order_by("seq"))
        assert events and events[0].kind == "submit"
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[-1].state_to == case.state
    audit = dict(AuditEvent.objects.filter(kind__startswith="case.")
                 .values_list("seq", "subject"))
    for event in CaseEvent.objects.all():
        assert audit[event.audit_seq] == f"case:{event.case_id}"
    assert verify_chain().ok


def test_loading_the_demo_twice_changes_nothing(loaded):
    before = (Case.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count())
    _load()
    assert (Case.objects.count(), CaseEvent.objects.count(),
            AuditEvent.objects.count()) == before


def test_art44_demo_decisions_are_signed_except_todays_in_the_seal_queue(loaded):
    """Every decision before the demo day carries the seal (ready or delivered); the one
    decided today at the window by a clerk without the approval seal waits in the queue."""
    from oneseal.accounts.models import User
    from oneseal.licences.views_queue import waiting_cases
    from oneseal.seal.models import SealUse

    waiting = Case.objects.filter(state=CaseState.DECIDED)
    assert waiting.count() == 1 and waiting.get().decided_on == demo_today()
    assert list(waiting_cases(User.objects.get(username="head"))) == list(waiting)
    sealed = Case.objects.filter(state__in=[CaseState.READY, CaseState.DELIVERED])
    for case in sealed:
        decision = case.documents.get(kind__in=["grant_decision", "refusal_decision"])
        assert SealUse.objects.get(key=f"document:{decision.pk}").state == "signed"
    assert "签章 / signed:" in loaded


def test_demo_dates_follow_the_load_day_in_working_days(db):
    """The scenarios keep their distance in working days (行政许可法 第82条) to the load day."""
    import datetime as dt

    anchor = dt.date(2026, 12, 4)  # a Friday, like the design day
    assert shifted(DESIGN_DAY, anchor) == anchor
    # 2026-11-26 (Thu) is one working day before the design day → Thu 2026-12-03.
    assert shifted(dt.date(2026, 11, 26), anchor) == dt.date(2026, 12, 3)
    # 2026-11-20 (Fri) is five working days before → Fri 2026-11-27.
    assert shifted(dt.date(2026, 11, 20), anchor) == dt.date(2026, 11, 27)
    # 2026-10-09 (Fri; Sat 10-10 is a make-up working day after 国庆): working days in
    # (10-09, 11-27] are 10-10 and seven whole weeks from 10-12 = 36; the day with 36
    # working days in (X, 2026-12-04] is Thu 2026-10-15 (10-16, seven weeks to 12-04).
    assert shifted(dt.date(2026, 10, 9), anchor) == dt.date(2026, 10, 15)
