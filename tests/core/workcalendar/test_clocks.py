"""The clocks of a case computed from its events, worked by hand around National Day 2026."""

from __future__ import annotations

import pytest

from oneseal.core.workcalendar.domain import (
    Accepted,
    ClockKind,
    Corrected,
    CorrectionNotice,
    Decided,
    Delivered,
    ExtensionApproved,
    ExtensionRejected,
    InvalidPeriod,
    Light,
    Received,
    SpecialProcedure,
    SpecialProcedureEnded,
    SpecialProcedureStarted,
    StepCompleted,
    StepStarted,
    Suspension,
    acceptance_date,
    case_clocks,
    correction_clock,
    decision_clock,
    delivery_clock,
    step_clocks,
    suspensions_from,
)

from .conftest import d

HEARING = SpecialProcedure.HEARING
# Received Monday 2026-09-28: the 5 working days of 第32条 are 09-29, 09-30, 10-08, 10-09
# and the make-up Saturday 10-10.
RECEIVED = Received(d("2026-09-28"))


def test_art32_correction_notice_clock_ends_on_the_makeup_saturday(cal):
    clock = correction_clock([RECEIVED], cal)
    assert clock is not None and clock.kind is ClockKind.CORRECTION
    assert clock.due == d("2026-10-10")
    assert clock.stopped_on is None and clock.on_time is None
    assert clock.light(cal, d("2026-10-09")) is Light.YELLOW
    assert clock.light(cal, d("2026-10-12")) is Light.RED


def test_art32_notice_in_time_stops_the_clock_and_acceptance_is_the_acceptance_day(cal):
    events = [RECEIVED, CorrectionNotice(d("2026-10-10")), Corrected(d("2026-10-14")),
              Accepted(d("2026-10-15"))]
    clock = correction_clock(events[:2], cal)
    assert clock.stopped_on == d("2026-10-10") and clock.on_time is True
    assert clock.light(cal, d("2026-12-01")) is Light.YELLOW  # frozen at the stop day
    # after the corrections the 5 working days run again from 10-14 (第32条), to acceptance
    again = correction_clock(events, cal)
    assert (again.start, again.stopped_on, again.on_time) == (
        d("2026-10-14"), d("2026-10-15"), True)
    assert acceptance_date(events, cal) == (d("2026-10-15"), False)
    statutory = decision_clock(events, cal, days=20)
    # From Thursday 10-15: 10-16, then 10-19..10-23, 10-26..10-30, 11-02..11-06, 11-09..11-12.
    assert statutory.start == d("2026-10-15") and statutory.due == d("2026-11-12")


def test_art32_late_notice_counts_as_accepted_from_the_day_materials_arrived(cal):
    events = [RECEIVED, CorrectionNotice(d("2026-10-12")), Corrected(d("2026-10-15")),
              Accepted(d("2026-10-16"))]
    clock = correction_clock(events, cal)
    assert clock.on_time is False
    assert clock.light(cal, d("2026-10-20")) is Light.RED
    assert acceptance_date(events, cal) == (d("2026-09-28"), True)
    statutory = decision_clock(events, cal, days=20)
    assert statutory.start == d("2026-09-28") and statutory.due == d("2026-10-30")
    clocks = case_clocks(events, cal, statutory_days=20)
    assert clocks.deemed_accepted is True and clocks.accepted_on == d("2026-09-28")


def test_art32_late_notice_starts_the_decision_clock_even_before_acceptance(cal):
    events = [RECEIVED, CorrectionNotice(d("2026-10-12"))]
    assert decision_clock(events, cal, days=20).due == d("2026-10-30")


def test_art32_no_acceptance_no_decision_clock(cal):
    assert decision_clock([RECEIVED], cal, days=20) is None
    assert correction_clock([], cal) is None


def test_art42_art45_decision_clocks_statutory_and_promised_with_hearing(cal):
    events = [
        RECEIVED, Accepted(d("2026-09-28")),
        SpecialProcedureStarted(d("2026-10-12"), HEARING, "利害关系人申请听证"),
        SpecialProcedureEnded(d("2026-10-16"), HEARING),
    ]
    clocks = case_clocks(events, cal, statutory_days=20, promised_days=10)
    assert clocks.statutory.due == d("2026-11-06")
    # Promised 10: 09-29, 09-30, 10-08, 10-09, 10-10; hearing week out; 10-19..10-23.
    assert clocks.promised.due == d("2026-10-23")
    assert clocks.promised.kind is ClockKind.DECISION_PROMISED
    assert clocks.statutory.deadline.suspensions == (
        Suspension(d("2026-10-12"), d("2026-10-16"), "hearing", "利害关系人申请听证"),)
    assert clocks.statutory.paused is False


def test_art42_extension_event_with_approver_extends_both_clocks(cal):
    # received Monday 10-12, accepted in time (第32条) on Thursday 10-15
    events = [Received(d("2026-10-12")), Accepted(d("2026-10-15")),
              ExtensionApproved(d("2026-11-10"), 10, "张局长", "需现场核查")]
    clocks = case_clocks(events, cal, statutory_days=20, promised_days=10)
    assert clocks.statutory.due == d("2026-11-26")  # 11-12 plus 10 working days
    assert clocks.statutory.deadline.extensions[0].approved_by == "张局长"
    assert clocks.promised.due == d("2026-11-12")


def test_art42_extension_event_without_approver_is_rejected(cal):
    events = [RECEIVED, Accepted(d("2026-10-15")), ExtensionApproved(d("2026-11-10"), 10, "")]
    with pytest.raises(ExtensionRejected):
        decision_clock(events, cal, days=20)


def test_art42_second_extension_event_is_rejected(cal):
    events = [RECEIVED, Accepted(d("2026-10-15")),
              ExtensionApproved(d("2026-11-10"), 5, "张局长"),
              ExtensionApproved(d("2026-11-20"), 5, "张局长")]
    with pytest.raises(ExtensionRejected, match="只能延长一次"):
        decision_clock(events, cal, days=20)


def test_art45_running_procedure_pauses_the_clock_up_to_as_of(cal):
    events = [RECEIVED, Accepted(d("2026-09-28")),
              SpecialProcedureStarted(d("2026-10-12"), SpecialProcedure.APPRAISAL)]
    clock = decision_clock(events, cal, days=20, as_of=d("2026-10-14"))
    assert clock.paused is True
    # 10-12..10-14 out (3 days): 10-30 moves to 11-04.
    assert clock.due == d("2026-11-04")
    # Remaining is frozen while paused: as many as on the morning the procedure began.
    assert clock.remaining(cal, d("2026-10-14")) == 15
    sus, running = suspensions_from(events, d("2026-10-14"))
    assert running and sus == (Suspension(d("2026-10-12"), d("2026-10-14"), "appraisal"),)


def test_art45_unpaired_procedure_events_are_refused(cal):
    with pytest.raises(InvalidPeriod, match="没有开始记录"):
        suspensions_from([SpecialProcedureEnded(d("2026-10-12"), HEARING)])
    with pytest.raises(InvalidPeriod, match="尚未结束"):
        suspensions_from([SpecialProcedureStarted(d("2026-10-12"), HEARING),
                          SpecialProcedureStarted(d("2026-10-13"), HEARING)])


def test_art42_decision_stops_the_clock_late_decision_is_red(cal):
    events = [RECEIVED, Accepted(d("2026-09-28")), Decided(d("2026-11-02"))]
    clock = decision_clock(events, cal, days=20)
    assert clock.due == d("2026-10-30") and clock.on_time is False
    assert clock.light(cal, d("2026-12-31")) is Light.RED
    assert clock.remaining(cal, d("2026-12-31")) == -1  # frozen at the decision day


def test_art44_delivery_clock_ten_working_days_from_decision(cal):
    # Decided Wednesday 09-30: 10-08, 10-09, 10-10, 10-12..10-16, 10-19, 10-20.
    events = [RECEIVED, Accepted(d("2026-09-28")), Decided(d("2026-09-30"))]
    clock = delivery_clock(events, cal)
    assert clock.kind is ClockKind.DELIVERY and clock.due == d("2026-10-20")
    assert clock.stopped_on is None
    done = delivery_clock([*events, Delivered(d("2026-10-19"))], cal)
    assert done.on_time is True
    assert delivery_clock([RECEIVED], cal) is None


def test_art45_step_clocks_with_the_case_suspensions(cal):
    events = [
        RECEIVED, Accepted(d("2026-10-12")),
        StepStarted(d("2026-10-12"), "初审", 3), StepCompleted(d("2026-10-14"), "初审"),
        StepStarted(d("2026-10-15"), "复审", 2),
        SpecialProcedureStarted(d("2026-10-16"), SpecialProcedure.EXPERT_REVIEW),
        SpecialProcedureEnded(d("2026-10-16"), SpecialProcedure.EXPERT_REVIEW),
    ]
    first, second = step_clocks(events, cal)
    assert (first.step, first.due, first.on_time) == ("初审", d("2026-10-15"), True)
    assert (second.step, second.due, second.stopped_on) == ("复审", d("2026-10-20"), None)


def test_art82_step_started_again_gets_a_new_clock(cal):
    events = [StepStarted(d("2026-10-12"), "初审", 2), StepStarted(d("2026-10-19"), "初审", 2),
              StepCompleted(d("2026-10-20"), "初审")]
    first, second = step_clocks(events, cal)
    assert first.stopped_on is None and first.due == d("2026-10-14")
    assert second.stopped_on == d("2026-10-20") and second.on_time is True


def test_art32_events_are_replayed_in_date_order(cal):
    shuffled = [Accepted(d("2026-10-15")), CorrectionNotice(d("2026-10-10")), RECEIVED]
    assert acceptance_date(shuffled, cal) == (d("2026-10-15"), False)
