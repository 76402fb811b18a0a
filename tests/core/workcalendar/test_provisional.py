"""Years without an official schedule (law.md §1): the provisional rule of
《全国年节及纪念日放假办法》(2024) 第二条 and 第六条 (补假), no 调休; every deadline that counts
such a year is flagged 暂定. Dates worked out by hand from a printed 2027 calendar."""

from __future__ import annotations

import pytest

from oneseal.core.workcalendar.domain import (
    CalendarNotCovered,
    Received,
    StepStarted,
    WorkCalendar,
    case_clocks,
    compute_deadline,
    explain,
    format_explanation,
    provisional_schedule,
    statutory_holidays,
    years_to_fill,
)

from .conftest import d, package_calendar


def with_provisional(*years: int) -> WorkCalendar:
    """The package calendar (2004–2026) plus `years` filled by the provisional rule."""
    base = package_calendar()
    holidays = dict(base.holiday_names)
    holidays.update({day: "" for day in base.holidays if day not in holidays})
    for year in years:
        holidays.update(provisional_schedule(year))
    return WorkCalendar(
        years=[*base.years, *years], holidays=holidays, makeup_workdays=base.makeup_workdays,
        holiday_names=holidays, version="test-provisional", provisional_years=years,
    )


def test_law_md_s1_provisional_2027_lunar_dates_and_solar_term_from_the_library():
    days = dict(statutory_holidays(2027))
    assert days["春节"][0] == d("2027-02-05")  # 除夕
    assert days["春节"] == tuple(d(f"2027-02-0{i}") for i in (5, 6, 7, 8))  # 除夕 to 初三
    assert days["清明节"] == (d("2027-04-05"),)
    assert days["端午节"] == (d("2027-06-09"),)
    assert days["中秋节"] == (d("2027-09-15"),)
    assert days["元旦"] == (d("2027-01-01"),)
    assert days["劳动节"] == (d("2027-05-01"), d("2027-05-02"))
    assert days["国庆节"] == (d("2027-10-01"), d("2027-10-02"), d("2027-10-03"))


def test_law_md_s1_provisional_rule_matches_the_published_2026_holidays():
    # Cross-check on a year whose schedule is known: the lunar and solar-term dates the
    # library gives are the ones the State Council's 2026 schedule names.
    days = dict(statutory_holidays(2026))
    assert days["春节"][0] == d("2026-02-16")  # 除夕 2026
    assert days["清明节"] == (d("2026-04-05"),)
    assert days["端午节"] == (d("2026-06-19"),)
    assert days["中秋节"] == (d("2026-09-25"),)
    official = package_calendar()
    for _name, holiday in statutory_holidays(2026):
        for day in holiday:
            assert not official.is_workday(day), day


def test_provisional_article_6_makeup_for_holidays_on_a_weekend_2027():
    rest = provisional_schedule(2027)
    # 春节: Sat 02-06 and Sun 02-07 fall on the weekend → made up on Tue 02-09 and Wed 02-10.
    assert [day for day, name in rest.items() if name == "春节"] == [
        d("2027-02-05"), d("2027-02-06"), d("2027-02-07"), d("2027-02-08"),
        d("2027-02-09"), d("2027-02-10")]
    # 劳动节: Sat 05-01 and Sun 05-02 → Mon 05-03 and Tue 05-04.
    assert [day for day, name in rest.items() if name == "劳动节"] == [
        d("2027-05-01"), d("2027-05-02"), d("2027-05-03"), d("2027-05-04")]
    # 国庆节: Fri 10-01, Sat 10-02, Sun 10-03 → Mon 10-04 and Tue 10-05.
    assert [day for day, name in rest.items() if name == "国庆节"] == [
        d("2027-10-01"), d("2027-10-02"), d("2027-10-03"), d("2027-10-04"), d("2027-10-05")]
    # 元旦 on a Friday, 清明 on a Monday, 端午 and 中秋 on Wednesdays: nothing to make up.
    assert [day for day, name in rest.items() if name == "清明节"] == [d("2027-04-05")]


def test_law_md_s1_provisional_no_tiaoxiu_every_weekend_stays_a_rest_day():
    cal = with_provisional(2027)
    saturdays = [d("2027-01-09"), d("2027-02-20"), d("2027-09-26"), d("2027-10-09")]
    assert not any(cal.is_workday(day) for day in saturdays)
    assert cal.makeup_days(d("2026-12-31"), d("2027-12-31")) == []


def test_provisional_law_md_example_20_working_days_from_2026_12_15():
    # Counting after Tue 2026-12-15: Dec 16–18 (3), 21–25 (8), 28–31 (12); 2027-01-01 元旦;
    # Jan 4–8 (17), 11, 12, 13 (20) → Wed 2027-01-13, provisional because of 2027.
    deadline = compute_deadline(with_provisional(2027), d("2026-12-15"), 20)
    assert deadline.due == d("2027-01-13")
    assert deadline.provisional and deadline.provisional_years == (2027,)


def test_law_md_s1_civil_code_art_201_provisional_only_when_the_count_reaches_the_year():
    cal = with_provisional(2027)
    assert not compute_deadline(cal, d("2026-12-01"), 5).provisional  # due 2026-12-08
    # Start on 12-31: that day is not counted (民法典 第201条), the first counted day is 2027.
    late = compute_deadline(cal, d("2026-12-31"), 1)
    assert late.due == d("2027-01-04") and late.provisional_years == (2027,)
    # A deadline inside a provisional year is provisional too.
    assert compute_deadline(cal, d("2027-03-01"), 3).provisional_years == (2027,)


def test_law_md_s1_article_6_spring_festival_2027_skipped_with_its_makeup_days():
    # From Thu 2027-02-04: Fri 02-05 (除夕) … Wed 02-10 rest (4 holidays + 2 补假) → the first
    # working day is Thu 02-11.
    assert compute_deadline(with_provisional(2027), d("2027-02-04"), 1).due == d("2027-02-11")


def test_law_md_s1_explanation_names_the_year_and_the_official_schedule_prevails():
    cal = with_provisional(2027)
    text = format_explanation(explain(cal, compute_deadline(cal, d("2026-12-15"), 20)))
    assert "2027年1月1日至1月3日为法定节假日（元旦），不计算在内" in text
    assert "以国务院办公厅公布的2027年节假日安排为准" in text


def test_law_md_s1_years_filled_provisionally():
    assert years_to_fill([2024, 2026], 2026, horizon=2) == [2025, 2027, 2028]
    assert years_to_fill([2004, 2005], 2006, horizon=1) == [2006, 2007]
    assert years_to_fill([], 2026, horizon=1) == [2026, 2027]


def test_law_md_s1_one_clock_that_cannot_be_computed_never_blanks_the_others():
    # A calendar of 2026 alone (nothing provisional): the correction clock (5 working days
    # from 2026-12-01) is computable, a 40-day step clock reaches 2027 and is not.
    base = package_calendar()
    only_2026 = WorkCalendar(
        years=[2026], holidays=[h for h in base.holidays if h.year == 2026],
        makeup_workdays=[m for m in base.makeup_workdays if m.year == 2026], version="2026")
    clocks = case_clocks([Received(d("2026-12-01")), StepStarted(d("2026-12-01"), "1.1", 40),
                          StepStarted(d("2026-12-01"), "2.1", 3)],
                         only_2026, statutory_days=20, as_of=d("2026-12-02"))
    assert clocks.correction is not None and clocks.correction.due == d("2026-12-08")
    assert [c.step for c in clocks.steps] == ["2.1"]
    assert [kind for kind, _err in clocks.errors] == ["step"]
    assert isinstance(clocks.errors[0][1], CalendarNotCovered)


def test_law_md_s1_article_2_mid_autumn_on_national_day_2028_counts_once():
    # 2028: 中秋 is 10-03 (Tue), inside 国庆 10-01 (Sun) to 10-03; the Sunday is made up on
    # Wed 10-04; 10-03 is not counted twice and earns no extra day.
    rest = provisional_schedule(2028)
    october = [day for day in rest if day.month == 10]
    assert october == [d("2028-10-01"), d("2028-10-02"), d("2028-10-03"), d("2028-10-04")]


@pytest.mark.parametrize("year", [2029, 2030, 2035])
def test_provisional_article_2_thirteen_holiday_days_plus_one_per_weekend_day(year):
    # 第二条: 1 + 4 + 1 + 2 + 1 + 1 + 3 = 13 holiday days; 第六条 adds one per weekend day.
    rest = provisional_schedule(year)
    holidays = [day for _n, days in statutory_holidays(year) for day in days]
    weekend = sum(1 for day in holidays if day.weekday() >= 5)
    assert len(set(holidays)) == 13
    assert len(rest) == 13 + weekend
    assert all(day.year == year for day in rest)
