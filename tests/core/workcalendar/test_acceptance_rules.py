"""The acceptance rules of 行政许可法 第32条 and the joint-handling limit of 第42条第二款, on the
case's events, worked by hand against the 2026 schedule (chinesecalendar):

- Mid-autumn 09-25..09-27 (Fri–Sun); **Sunday 09-20 is a make-up working day**;
- National Day 10-01..10-07; **Saturday 10-10 is a make-up working day**.

Received Monday 09-28: its 5 working days are 09-29, 09-30, 10-08, 10-09, Sat 10-10.
Corrections received Friday 09-18: 5 working days are Sun 09-20, 09-21, 09-22, 09-23, 09-24.
"""

from __future__ import annotations

from oneseal.core.workcalendar.domain import (
    Accepted,
    Corrected,
    CorrectionNotice,
    Decided,
    ExtensionApproved,
    Handling,
    Received,
    acceptance_date,
    case_clocks,
    correction_clock,
    decision_clock,
)
from oneseal.core.workcalendar.domain.clocks import JOINT_DECISION_DAYS, acceptance_windows

from .conftest import d

RECEIVED = Received(d("2026-09-28"))
EARLY = Received(d("2026-09-01"))


def test_article_32_acceptance_on_the_5th_working_day_is_an_ordinary_acceptance(cal):
    assert acceptance_date([RECEIVED, Accepted(d("2026-10-10"))], cal) == (
        d("2026-10-10"), False)


def test_article_32_acceptance_after_the_5th_working_day_counts_from_receipt(cal):
    """No notice at all, accepted Monday 10-12 (after the make-up Saturday 10-10): the
    application counts as accepted from the day the materials arrived, like a late notice."""
    events = [RECEIVED, Accepted(d("2026-10-12"))]
    assert acceptance_date(events, cal) == (d("2026-09-28"), True)
    clocks = case_clocks(events, cal, statutory_days=20)
    assert (clocks.accepted_on, clocks.deemed_accepted) == (d("2026-09-28"), True)
    # 20 working days from 09-28: 09-29, 09-30, 10-08..10-10 (5), 10-12..10-16 (10),
    # 10-19..10-23 (15), 10-26..10-30 (20).
    assert clocks.statutory.start == d("2026-09-28")
    assert clocks.statutory.due == d("2026-10-30")
    assert clocks.correction.stopped_on == d("2026-10-12")
    assert clocks.correction.on_time is False


def test_article_32_late_decision_without_notice_counts_from_receipt(cal):
    """An on-the-spot decision (accepted and decided the same day) after the 5th day."""
    events = [RECEIVED, Accepted(d("2026-10-12")), Decided(d("2026-10-12"))]
    assert acceptance_date(events, cal) == (d("2026-09-28"), True)


def test_article_32_windows_run_again_from_each_receipt_of_corrections():
    events = [EARLY, CorrectionNotice(d("2026-09-02")), Corrected(d("2026-09-18")),
              CorrectionNotice(d("2026-09-21")), Corrected(d("2026-09-24"))]
    assert acceptance_windows(events) == [
        (d("2026-09-01"), d("2026-09-02")), (d("2026-09-18"), d("2026-09-21")),
        (d("2026-09-24"), None)]


def test_article_32_correction_clock_runs_again_from_the_corrections(cal):
    """Corrections received Friday 09-18: due on the 5th working day after, 09-24 (the
    make-up Sunday 09-20 counts)."""
    events = [EARLY, CorrectionNotice(d("2026-09-02")), Corrected(d("2026-09-18"))]
    clock = correction_clock(events, cal)
    assert (clock.start, clock.due, clock.stopped_on) == (
        d("2026-09-18"), d("2026-09-24"), None)


def test_article_32_acceptance_within_5_working_days_of_the_corrections(cal):
    events = [EARLY, CorrectionNotice(d("2026-09-02")), Corrected(d("2026-09-18")),
              Accepted(d("2026-09-24"))]
    assert acceptance_date(events, cal) == (d("2026-09-24"), False)


def test_article_32_late_acceptance_after_corrections_counts_from_the_corrections(cal):
    """Accepted Monday 09-28, after the 5th working day (09-24) from the corrections of 09-18:
    the application counts as accepted from 09-18, the day the complete corrections arrived."""
    events = [EARLY, CorrectionNotice(d("2026-09-02")), Corrected(d("2026-09-18")),
              Accepted(d("2026-09-28"))]
    assert acceptance_date(events, cal) == (d("2026-09-18"), True)
    clock = correction_clock(events, cal)
    assert (clock.start, clock.due, clock.on_time) == (
        d("2026-09-18"), d("2026-09-24"), False)


def test_article_32_late_second_notice_after_corrections_counts_from_the_corrections(cal):
    events = [EARLY, CorrectionNotice(d("2026-09-02")), Corrected(d("2026-09-18")),
              CorrectionNotice(d("2026-09-28"))]
    assert acceptance_date(events, cal) == (d("2026-09-18"), True)
    # the decision clock runs from 09-18 although no acceptance was recorded
    assert decision_clock(events, cal, days=20).start == d("2026-09-18")


def test_article_32_first_late_window_wins(cal):
    """A late first notice makes the receipt day the acceptance day, whatever follows."""
    events = [RECEIVED, CorrectionNotice(d("2026-10-12")), Corrected(d("2026-10-13")),
              Accepted(d("2026-10-14"))]
    assert acceptance_date(events, cal) == (d("2026-09-28"), True)
    assert correction_clock(events, cal).start == d("2026-09-28")


def test_article_32_open_window_counts_as_accepted_once_past_at_as_of(cal):
    """Nothing done since receipt: on the make-up Saturday 10-10 the window is still open;
    on Monday 10-12 the application already counts as accepted by law."""
    assert acceptance_date([RECEIVED], cal, as_of=d("2026-10-10")) == (None, False)
    assert acceptance_date([RECEIVED], cal, as_of=d("2026-10-12")) == (d("2026-09-28"), True)
    assert acceptance_date([RECEIVED], cal) == (None, False)  # without as_of: events only


def test_article_42_joint_handling_has_45_working_days(cal):
    """Accepted Tuesday 09-01, joint handling: 45 working days → Monday 2026-11-09 (09-20 and
    10-10 count, Mid-autumn and National Day do not); the promised limit is unchanged."""
    events = [EARLY, Accepted(d("2026-09-01"))]
    assert JOINT_DECISION_DAYS == 45
    clocks = case_clocks(events, cal, statutory_days=20, promised_days=10,
                         handling=Handling.JOINT)
    assert clocks.statutory.due == d("2026-11-09")
    assert clocks.promised.due == d("2026-09-15")
    assert case_clocks(events, cal, statutory_days=20).statutory.due == d("2026-09-29")


def test_article_42_second_paragraph_joint_extension_of_15_days(cal):
    """45 + 15 working days from 09-01 → Monday 2026-11-30, approved by 本级人民政府负责人."""
    events = [EARLY, Accepted(d("2026-09-01")),
              ExtensionApproved(d("2026-10-20"), 15, "王副区长")]
    clock = decision_clock(events, cal, days=20, handling=Handling.JOINT)
    assert clock.due == d("2026-11-30")
