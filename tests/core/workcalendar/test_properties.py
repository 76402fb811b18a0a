"""Properties of the clock for random inputs (hypothesis), against the package's own
`chinese_calendar.is_workday` where a reference is needed (第82条, 第45条, 民法典 第201条)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from oneseal.core.workcalendar.domain import (
    Suspension,
    compute_deadline,
    explain,
    remaining_working_days,
)
from oneseal.core.workcalendar.package import is_workday

from .conftest import package_calendar

CAL = package_calendar()
# Starts leave room for 60 working days plus suspensions before the end of 2026.
starts = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 6, 30))
limits = st.integers(min_value=1, max_value=60)


@st.composite
def suspensions_near(draw: st.DrawFn, start: dt.date) -> list[Suspension]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        first = start + dt.timedelta(days=draw(st.integers(-10, 60)))
        out.append(Suspension(first, first + dt.timedelta(days=draw(st.integers(0, 20)))))
    return out


@st.composite
def cases(draw: st.DrawFn) -> tuple[dt.date, int, list[Suspension]]:
    start = draw(starts)
    return start, draw(limits), draw(suspensions_near(start))


def naive_due(start: dt.date, days: int, suspensions: list[Suspension]) -> dt.date:
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if any(s.first <= day <= s.last for s in suspensions):
            continue
        if is_workday(day):
            left -= 1
    return day


@given(cases())
def test_art82_deadline_is_always_a_working_day_outside_every_suspension(case):
    start, days, sus = case
    due = compute_deadline(CAL, start, days, suspensions=sus).due
    assert due > start
    assert CAL.is_workday(due) and is_workday(due)
    assert not any(s.first <= due <= s.last for s in sus)


@given(cases(), st.integers(-10, 60), st.integers(0, 20))
def test_art45_adding_a_suspension_never_makes_a_deadline_earlier(case, offset, length):
    start, days, sus = case
    first = start + dt.timedelta(days=offset)
    extra = Suspension(first, first + dt.timedelta(days=length))
    before = compute_deadline(CAL, start, days, suspensions=sus).due
    after = compute_deadline(CAL, start, days, suspensions=[*sus, extra]).due
    assert after >= before


@given(starts, st.integers(0, 60))
def test_civil_code_art201_add_then_count_returns_n(start, days):
    assert CAL.count_working_days(start, CAL.add_working_days(start, days)) == days


@given(cases())
def test_art45_counted_days_up_to_the_deadline_equal_the_limit(case):
    start, days, sus = case
    due = CAL.due_date(start, days, sus)
    assert CAL.counted_working_days(start, due, sus) == days
    assert remaining_working_days(CAL, due, start, sus) == days
    # The day before the due date has one counted working day still to go.
    assert CAL.counted_working_days(start, due - dt.timedelta(days=1), sus) == days - 1


@settings(max_examples=150, deadline=None)
@given(cases())
def test_art82_art45_fast_path_equals_day_by_day_loop(case):
    start, days, sus = case
    assert CAL.due_date(start, days, sus) == naive_due(start, days, sus)


@given(cases())
def test_art45_explanation_accounts_for_every_working_day(case):
    start, days, sus = case
    deadline = compute_deadline(CAL, start, days, suspensions=sus)
    explanation = explain(CAL, deadline)
    excluded = sum(s.excluded_working_days for s in explanation.suspensions)
    assert CAL.count_working_days(start, deadline.due) - excluded == days
    for run in explanation.nonworking:
        assert start < run.first <= run.last <= deadline.due
        assert not any(CAL.is_workday(run.first + dt.timedelta(days=i))
                       for i in range((run.last - run.first).days + 1))
