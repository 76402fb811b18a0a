"""Periods in calendar days and months (《民法典》第201–203条), worked by hand on the 2026
schedule: 国庆节 10-01..10-07 with Sunday 09-20 and Saturday 10-10 make-up working days;
劳动节 05-01..05-05 with Saturday 05-09 a make-up working day."""

from __future__ import annotations

import pytest

from oneseal.core.workcalendar.domain import (
    InvalidPeriod,
    LimitUnit,
    add_months,
    civil_period_end,
    period_before,
)

from .conftest import d


def test_civil_code_art_201_days_start_the_next_day(cal):
    # 5 days from Mon 2026-11-02: 11-03 … 11-07 → Sat 11-07 is a rest day → Mon 11-09 (第203条).
    assert civil_period_end(cal, d("2026-11-02"), 5, LimitUnit.DAYS) == d("2026-11-09")
    # 5 days from Tue 2026-11-03 end on Sun 11-08 → Mon 11-09.
    assert civil_period_end(cal, d("2026-11-03"), 5, "days") == d("2026-11-09")
    # 5 days from Wed 2026-11-04 end on Mon 11-09 itself, a working day.
    assert civil_period_end(cal, d("2026-11-04"), 5, "days") == d("2026-11-09")


def test_civil_code_art_203_last_day_in_a_statutory_holiday_moves_past_it(cal):
    # 5 days from Fri 2026-09-26 end on Thu 10-01 (国庆节): the holiday runs to 10-07, so the
    # period ends on Thu 10-08.
    assert civil_period_end(cal, d("2026-09-26"), 5, LimitUnit.DAYS) == d("2026-10-08")


def test_civil_code_art_203_a_makeup_working_day_is_not_a_rest_day(cal):
    # 5 days from Mon 2026-10-05 end on Sat 10-10, a make-up working day (调休上班): it stays.
    assert civil_period_end(cal, d("2026-10-05"), 5, LimitUnit.DAYS) == d("2026-10-10")
    # 5 days from Tue 2026-09-15 end on Sun 09-20, also a make-up working day.
    assert civil_period_end(cal, d("2026-09-15"), 5, LimitUnit.DAYS) == d("2026-09-20")


def test_civil_code_art_202_months_end_on_the_corresponding_day(cal):
    # Three months from Tue 2026-01-13 → Mon 2026-04-13 (a working day).
    assert civil_period_end(cal, d("2026-01-13"), 3, LimitUnit.MONTHS) == d("2026-04-13")
    # No 31st in June: one month from 2026-05-31 ends on Tue 06-30.
    assert add_months(d("2026-05-31"), 1) == d("2026-06-30")
    assert add_months(d("2024-01-31"), 1) == d("2024-02-29")
    assert add_months(d("2026-11-30"), 3) == d("2027-02-28")


def test_civil_code_art_202_203_month_ending_in_a_holiday(cal):
    # Three months from 2026-07-01 end on Thu 10-01 (国庆节) → Thu 10-08.
    assert civil_period_end(cal, d("2026-07-01"), 3, LimitUnit.MONTHS) == d("2026-10-08")


def test_working_days_unit_is_the_agencys_count(cal):
    # 第82条: 5 working days from Wed 2026-09-30: 10-08, 09, 10 (Sat, make-up), 12, 13.
    assert civil_period_end(cal, d("2026-09-30"), 5, LimitUnit.WORKING_DAYS) == d("2026-10-13")


def test_administrative_licensing_law_art_50_renewal_apply_by_date(cal):
    # Expiry Fri 2026-10-30: 30 days before is Wed 09-30, a working day.
    assert period_before(cal, d("2026-10-30"), 30) == d("2026-09-30")
    # Expiry Sat 2026-10-31: 30 days before is Thu 10-01 (国庆节) → Thu 10-08 (第203条).
    assert period_before(cal, d("2026-10-31"), 30) == d("2026-10-08")


def test_civil_periods_refuse_nonsense(cal):
    with pytest.raises(InvalidPeriod):
        civil_period_end(cal, d("2026-10-05"), 0, LimitUnit.DAYS)
    with pytest.raises(InvalidPeriod):
        period_before(cal, d("2026-10-05"), 0)
    with pytest.raises(ValueError):
        civil_period_end(cal, d("2026-10-05"), 3, "weeks")
