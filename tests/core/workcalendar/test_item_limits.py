"""An item's own decision limit (行政许可法 第42条 "法律、法规另有规定的，依照其规定"): its unit,
its start and its extension cap, with the civil-law periods of 《民法典》第201–203条. Every
date below is worked out by hand on the 2026 calendar:

- 国庆/中秋 2026: 10-01 (Thu) to 10-07 rest, 10-10 (Sat) a make-up working day;
- 劳动节 2026: 05-01 (Fri) to 05-05 (Tue) rest; 端午 2026: 06-19 (Fri) rest.
"""

from __future__ import annotations

import pytest

from oneseal.core.workcalendar.domain import (
    Accepted,
    Corrected,
    CorrectionNotice,
    ExtensionApproved,
    ExtensionRejected,
    Handling,
    LimitUnit,
    Received,
    SpecialProcedure,
    SpecialProcedureEnded,
    SpecialProcedureStarted,
    case_clocks,
    compute_deadline,
    decision_clock,
)
from oneseal.core.workcalendar.domain.item_limits import (
    ItemLimit,
    LimitStart,
    check_item_extension,
    extension_cap,
    limit_deadline,
)

from .conftest import d

EXPERT = SpecialProcedure.EXPERT_REVIEW
DAYS, MONTHS, WORKING = LimitUnit.DAYS, LimitUnit.MONTHS, LimitUnit.WORKING_DAYS


def test_jianzhufa_article_8_seven_calendar_days_from_receipt_end_after_national_day(cal):
    """《建筑法》第8条 "自收到申请之日起七日内": received Mon 09-28, accepted 09-29. Seven
    days from 09-28 end on 10-05, a rest day of National Day, so the period ends on the next
    working day, 10-08 (民法典 第203条). As 7 working days from acceptance it would have been
    10-14 (09-30, 10-08, 10-09, 10-10, 10-12, 10-13, 10-14)."""
    events = [Received(d("2026-09-28")), Accepted(d("2026-09-29"))]
    clock = decision_clock(events, cal, days=7, unit=DAYS, start=LimitStart.RECEIPT,
                           extension_cap=0)
    assert clock is not None
    assert (clock.start, clock.due) == (d("2026-09-28"), d("2026-10-08"))
    old = decision_clock(events, cal, days=7)
    assert old is not None and old.due == d("2026-10-14")


def test_jianzhufa_article_8_after_corrections_counts_from_the_complete_materials(cal):
    """After a correction notice the seven days run from the day the complete materials
    arrived (《建筑工程施工许可管理办法》第5条): corrections Fri 10-09 → 10-16 (Fri)."""
    events = [Received(d("2026-09-28")), CorrectionNotice(d("2026-09-29")),
              Corrected(d("2026-10-09")), Accepted(d("2026-10-10"))]
    clock = decision_clock(events, cal, days=7, unit=DAYS, start=LimitStart.RECEIPT)
    assert clock is not None and (clock.start, clock.due) == (d("2026-10-09"), d("2026-10-16"))


def test_receipt_limit_has_no_clock_before_acceptance(cal):
    assert decision_clock([Received(d("2026-09-28"))], cal, days=7, unit=DAYS,
                          start=LimitStart.RECEIPT) is None


def test_minfadian_article_202_203_three_months_end_on_the_corresponding_day(cal):
    """《民办教育促进法》第17条 "三个月": accepted Sat 01-31 → 04-30 (April has no 31st: its
    last day, 民法典 第202条), a working Thursday."""
    clock = decision_clock([Accepted(d("2026-01-31"))], cal, days=3, unit=MONTHS)
    assert clock is not None and clock.due == d("2026-04-30")


def test_minfadian_article_203_three_months_ending_on_labour_day_move_to_may_6(cal):
    """Accepted Thu 02-05: three months end on 05-05, a rest day of 劳动节 (05-01 to 05-05),
    so on 05-06 (民法典 第203条) — not 60 working days later."""
    clock = decision_clock([Accepted(d("2026-02-05"))], cal, days=3, unit=MONTHS)
    assert clock is not None and clock.due == d("2026-05-06")


def test_article_45_suspension_moves_a_calendar_day_limit_by_its_calendar_days(cal):
    """《环境影响评价法》第22条: 30 days from receipt (Mon 06-01) → 07-01; an expert review
    from 06-10 to 06-19 (10 days, both excluded, 第45条) moves it to 07-11, a Saturday, so it
    ends on Mon 07-13 (民法典 第203条)."""
    events = [Received(d("2026-06-01")), Accepted(d("2026-06-02")),
              SpecialProcedureStarted(d("2026-06-10"), EXPERT),
              SpecialProcedureEnded(d("2026-06-19"), EXPERT)]
    clock = decision_clock(events, cal, days=30, unit=DAYS, start=LimitStart.RECEIPT)
    assert clock is not None and clock.due == d("2026-07-13")


def test_article_42_food_licence_extension_within_its_own_cap_of_5(cal):
    """10 working days from acceptance (Mon 09-28): 09-29, 09-30, 10-08, 10-09, 10-10 (the
    make-up Saturday), 10-12 … 10-16; extended by 5 (the item's own cap): 10-19 … 10-23."""
    events = [Accepted(d("2026-09-28")),
              ExtensionApproved(d("2026-10-12"), 5, "局长 陈志明")]
    clock = decision_clock(events, cal, days=10, extension_cap=5)
    assert clock is not None and clock.due == d("2026-10-23")


def test_article_42_extension_over_the_items_own_cap_is_rejected(cal):
    events = [Accepted(d("2026-09-28")), ExtensionApproved(d("2026-10-12"), 6, "局长 陈志明")]
    with pytest.raises(ExtensionRejected) as err:
        decision_clock(events, cal, days=10, extension_cap=5)
    assert err.value.params == {"cap": 5, "days": 6}
    # the same 6 days are fine under 第42条's own cap of 10: 10-16 + 6 working days (10-19 …
    # 10-23, 10-26)
    assert decision_clock(events, cal, days=10).due == d("2026-10-26")


def test_article_42_no_extension_where_the_items_law_allows_none(cal):
    limit = ItemLimit(7, DAYS, LimitStart.RECEIPT, extension_cap=0)
    ext = ExtensionApproved(d("2026-10-12"), 1, "局长 陈志明")
    with pytest.raises(ExtensionRejected) as err:
        decision_clock([Received(d("2026-09-28")), Accepted(d("2026-09-29")), ext], cal,
                       days=7, unit=DAYS, start=LimitStart.RECEIPT, extension_cap=0)
    assert "未规定可以延长" in err.value.msgid
    assert extension_cap(limit) == 0
    assert extension_cap(limit, Handling.JOINT) == 15  # 第42条第二款 overrides


def test_article_42_default_cap_is_10_and_15_for_joint_handling():
    assert extension_cap(ItemLimit(20)) == 10
    assert extension_cap(ItemLimit(20), Handling.JOINT) == 15
    assert check_item_extension((), ItemLimit(7, DAYS, extension_cap=0)) == 0


def test_limit_deadline_in_working_days_equals_the_default_clock(cal):
    """No unit, start or cap of its own: exactly 第42条's count (20 working days from
    acceptance Mon 09-28: 09-29, 09-30, 10-08 … 10-10, 10-12 … 10-16, 10-19 … 10-23, 10-26 …
    10-30)."""
    deadline = limit_deadline(cal, d("2026-09-28"), ItemLimit(20))
    assert deadline.due == d("2026-10-30") and deadline.days == 20
    assert deadline == compute_deadline(cal, d("2026-09-28"), 20)


def test_case_clocks_pass_the_items_unit_to_the_statutory_clock_only(cal):
    """The statutory clock counts the item's 7 calendar days from receipt; the bureau's
    promise (3 working days from acceptance 09-29: 09-30, 10-08, 10-09) stays in working
    days."""
    events = [Received(d("2026-09-28")), Accepted(d("2026-09-29"))]
    clocks = case_clocks(events, cal, statutory_days=7, promised_days=3,
                         statutory_unit=DAYS, statutory_start=LimitStart.RECEIPT,
                         extension_cap=0)
    assert clocks.statutory is not None and clocks.statutory.due == d("2026-10-08")
    assert clocks.promised is not None and clocks.promised.due == d("2026-10-09")
    assert clocks.errors == ()


def test_article_42_joint_handling_counts_45_working_days_whatever_the_items_unit(cal):
    events = [Accepted(d("2026-09-28"))]
    joint = decision_clock(events, cal, days=7, unit=DAYS, start=LimitStart.RECEIPT,
                           handling=Handling.JOINT)
    plain = decision_clock(events, cal, days=45, handling=Handling.JOINT)
    assert joint is not None and plain is not None and joint.due == plain.due
