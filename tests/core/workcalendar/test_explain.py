"""Explanations a clerk can read to an applicant (第82条, 第45条, 第42条; 民法典 第201条)."""

from __future__ import annotations

from oneseal.core.workcalendar.domain import (
    Extension,
    SpecialProcedure,
    Suspension,
    compute_deadline,
    explain,
    format_explanation,
)

from .conftest import d


def test_art45_explanation_of_the_national_day_2026_example(cal):
    deadline = compute_deadline(
        cal, d("2026-09-28"), 20,
        suspensions=[Suspension(d("2026-10-12"), d("2026-10-16"), SpecialProcedure.HEARING)],
    )
    text = format_explanation(explain(cal, deadline))
    assert text == (
        "自2026年9月28日的次日起计算20个工作日；"
        "2026年10月1日至10月7日为法定节假日（国庆节），不计算在内；"
        "2026年10月10日为调休工作日，计算在内；"
        "2026年10月12日至10月16日举行听证，依法不计算在期限内（《行政许可法》第45条）；"
        "办理期限至2026年11月6日。"
    )


def test_art45_explanation_structured_data(cal):
    deadline = compute_deadline(
        cal, d("2026-09-28"), 20,
        suspensions=[Suspension(d("2026-10-12"), d("2026-10-14"), SpecialProcedure.HEARING),
                     Suspension(d("2026-10-13"), d("2026-10-16"), SpecialProcedure.TESTING)],
    )
    data = explain(cal, deadline).as_dict()
    assert data["due"] == "2026-11-06" and data["calendar_version"] == cal.version
    assert data["holidays"] == [{"first": "2026-10-01", "last": "2026-10-07",
                                 "names": ["国庆节"]}]
    assert data["makeup_workdays"] == ["2026-10-10"]
    assert {"first": "2026-10-11", "last": "2026-10-11"} in data["weekends"]
    # The overlap is counted once: 3 days for the hearing, 2 more for the testing.
    assert [(s["kind"], s["excluded_working_days"]) for s in data["suspensions"]] == [
        ("hearing", 3), ("testing", 2)]


def test_art42_explanation_mentions_the_extension(cal):
    deadline = compute_deadline(cal, d("2026-09-28"), 20, extensions=[Extension(10, "张局长")])
    explanation = explain(cal, deadline)
    text = format_explanation(explanation)
    assert "经批准延长10个工作日（《行政许可法》第42条）" in text
    assert text.endswith("办理期限至2026年11月13日。")
    assert explanation.as_dict()["total_days"] == 30


def test_art82_explanation_across_the_year_boundary(cal):
    deadline = compute_deadline(cal, d("2025-12-26"), 5)
    text = format_explanation(explain(cal, deadline))
    assert text == (
        "自2025年12月26日的次日起计算5个工作日；"
        "2026年1月1日至1月3日为法定节假日（元旦），不计算在内；"
        "2026年1月4日为调休工作日，计算在内；办理期限至2026年1月5日。"
    )


def test_art82_explanation_names_mid_autumn_inside_national_day_2025(cal):
    text = format_explanation(explain(cal, compute_deadline(cal, d("2025-09-26"), 10)))
    assert "2025年10月1日至10月8日为法定节假日（国庆节、中秋节），不计算在内" in text
    assert "2025年9月28日为调休工作日" in text and "2025年10月11日为调休工作日" in text


def test_art45_makeup_day_inside_a_suspension_is_not_said_to_count(cal):
    deadline = compute_deadline(cal, d("2026-09-28"), 20,
                                suspensions=[Suspension(d("2026-10-10"), d("2026-10-11"))])
    explanation = explain(cal, deadline)
    assert explanation.makeup_days == ()
    assert "2026年10月10日至10月11日中止计算" in format_explanation(explanation)


def test_civil_code_art201_start_on_a_holiday_clips_the_holiday_range(cal):
    text = format_explanation(explain(cal, compute_deadline(cal, d("2026-10-03"), 1)))
    assert "2026年10月4日至10月7日为法定节假日" in text
    assert text.endswith("办理期限至2026年10月8日。")


def test_art82_formatter_translates_through_the_given_function(cal):
    english = {
        "自%(start)s的次日起计算%(days)d个工作日":
            "%(days)d working days from the day after %(start)s",
        "%(year)d年%(month)d月%(day)d日": "%(year)d-%(month)02d-%(day)02d",
        "办理期限至%(due)s": "due on %(due)s",
        "；": "; ",
        "。": ".",
    }
    deadline = compute_deadline(cal, d("2026-03-02"), 3)
    text = format_explanation(explain(cal, deadline), lambda m: english.get(m, m))
    assert text == "3 working days from the day after 2026-03-02; due on 2026-03-05."


def test_civil_code_art_201_203_explanation_of_a_limit_in_calendar_days(cal):
    """《建筑法》第8条: 7 days from receipt Mon 2026-09-28 → nominal Mon 10-05, inside 国庆节
    (10-01..10-07) → Thu 10-08 (民法典 第203条). Rest days inside the period count, so
    none is listed as "不计算在内"."""
    from oneseal.core.workcalendar.domain import LimitUnit
    from oneseal.core.workcalendar.domain.item_limits import ItemLimit, LimitStart, limit_deadline

    deadline = limit_deadline(cal, d("2026-09-28"),
                              ItemLimit(7, LimitUnit.DAYS, LimitStart.RECEIPT, 0))
    assert deadline.due == d("2026-10-08") and deadline.unit == "days"
    text = format_explanation(explain(cal, deadline))
    assert text.startswith("自2026年9月28日的次日起计算7日（《民法典》第201条）")
    assert "工作日" not in text and "不计算在内" not in text
    assert "办理期限至2026年10月8日" in text and "《民法典》第203条" in text


def test_civil_code_art_202_explanation_of_a_limit_in_months(cal):
    from oneseal.core.workcalendar.domain import LimitUnit
    from oneseal.core.workcalendar.domain.item_limits import ItemLimit, limit_deadline

    deadline = limit_deadline(cal, d("2026-03-02"), ItemLimit(3, LimitUnit.MONTHS))
    assert deadline.due == d("2026-06-02")  # Tue, a working day
    text = format_explanation(explain(cal, deadline))
    assert "计算3个月" in text and "《民法典》第202条" in text and "工作日" not in text
