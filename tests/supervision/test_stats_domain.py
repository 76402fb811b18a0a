"""Case statistics, pure Python (`supervision.domain.stats`, `domain.charts`): what each event
counts, the derived rates, the reporting periods, and the SVG charts' accessibility and
escaping."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.supervision.domain.charts import Series, bar_chart, share_bars
from oneseal.supervision.domain.stats import (
    Counters,
    PeriodInvalid,
    event_counts,
    months,
    parse_period,
    rating_counts,
)

D = dt.date.fromisoformat
TODAY = D("2026-12-04")


def weekdays(first: dt.date, last: dt.date) -> int:
    """Working days in (first, last] on a calendar of plain weekdays (the tests' stand-in)."""
    return sum(1 for n in range(1, (last - first).days + 1)
               if (first + dt.timedelta(days=n)).weekday() < 5)


def counts(kind, **kw):
    base = {"channel": "window", "outcome": "", "on": D("2026-11-20"), "accepted_on": None,
            "promised_due": None, "statutory_due": None, "working_days": weekdays}
    return event_counts(kind, **{**base, **kw})


def test_receipt_counts_online_channels_as_online():
    assert counts("submit") == {"received": 1, "online": 0}
    assert counts("submit", channel="online") == {"received": 1, "online": 1}
    assert counts("submit", channel="api") == {"received": 1, "online": 1}
    assert counts("accept") == {"accepted": 1}
    assert counts("refuse") == {"not_accepted": 1}
    assert counts("claim") == {} and counts("deliver") == {}


def test_decision_on_time_against_promise_and_statute_art_42():
    # accepted Mon 11-02, decided Fri 11-20: 14 weekdays used (11-03 .. 11-20)
    late = counts("decide", accepted_on=D("2026-11-02"), promised_due=D("2026-11-16"),
                  statutory_due=D("2026-11-30"), outcome="refused")
    assert late == {"decided": 1, "refused": 1, "on_time_promise": 0, "on_time_statute": 1,
                    "days_used": 14}
    on_the_day = counts("decide", accepted_on=D("2026-11-02"), promised_due=D("2026-11-20"),
                        statutory_due=D("2026-11-20"), outcome="granted")
    assert (on_the_day["on_time_promise"], on_the_day["on_time_statute"]) == (1, 1)
    # an item without a promise is held to its statute
    no_promise = counts("decide", accepted_on=D("2026-11-02"), statutory_due=D("2026-11-20"))
    assert no_promise["on_time_promise"] == 1
    # no due date known (calendar year not entered): not counted as on time
    unknown = counts("decide", accepted_on=D("2026-11-02"))
    assert (unknown["on_time_promise"], unknown["on_time_statute"]) == (0, 0)


def test_on_the_spot_decision_is_accepted_and_takes_no_days_art_32():
    spot = counts("decide_on_spot", accepted_on=D("2026-11-20"), promised_due=D("2026-11-20"),
                  statutory_due=D("2026-12-18"), outcome="granted")
    assert spot == {"decided": 1, "refused": 0, "accepted": 1, "on_time_promise": 1,
                    "on_time_statute": 1, "days_used": 0}


def test_ratings_below_basic_are_not_satisfied_guobanfa_2019_51():
    assert rating_counts("basic") == {"ratings": 1, "satisfied": 1}
    assert rating_counts("dissatisfied") == {"ratings": 1, "satisfied": 0}
    assert rating_counts("very_dissatisfied") == {"ratings": 1, "satisfied": 0}


def test_rates_and_averages():
    c = Counters()
    assert (c.online_share, c.promise_rate, c.satisfaction, c.average_days) == (
        None, None, None, None)
    c.add({"received": 4, "online": 1, "decided": 4, "refused": 1, "on_time_promise": 3,
           "days_used": 22, "ratings": 4, "satisfied": 3})
    c.add(Counters(received=1))
    assert (c.received, c.granted) == (5, 3)
    assert (c.online_share, c.promise_rate, c.satisfaction, c.average_days) == (
        0.2, 0.75, 0.75, 5.5)


def span(period):
    return period.start, period.end


def test_periods():
    assert span(parse_period("month", "2026-02", "", "", TODAY)) == (D("2026-02-01"),
                                                                     D("2026-02-28"))
    assert parse_period("", "", "", "", TODAY).label == "2026-12"
    q = parse_period("quarter", "2026-q3", "", "", TODAY)
    assert (q.start, q.end, q.label, q.whole_months) == (D("2026-07-01"), D("2026-09-30"),
                                                         "2026-Q3", True)
    assert parse_period("quarter", "", "", "", TODAY).label == "2026-Q4"
    assert span(parse_period("year", "2025", "", "", TODAY)) == (D("2025-01-01"),
                                                                 D("2025-12-31"))
    custom = parse_period("custom", "", "2026-11-04", "2026-11-20", TODAY)
    assert (custom.whole_months, custom.label) == (False, "2026-11-04 – 2026-11-20")
    for bad in (("month", "2026-13"), ("quarter", "2026-Q5"), ("year", "abc"),
                ("week", "")):
        with pytest.raises(PeriodInvalid):
            parse_period(bad[0], bad[1], "", "", TODAY)
    with pytest.raises(PeriodInvalid):
        parse_period("custom", "", "2026-11-20", "2026-11-04", TODAY)
    with pytest.raises(PeriodInvalid):
        parse_period("custom", "", "2020-01-01", "2026-11-04", TODAY)  # over three years
    assert months(D("2025-11-15"), D("2026-02-01")) == [
        D("2025-11-01"), D("2025-12-01"), D("2026-01-01"), D("2026-02-01")]


def test_charts_are_named_described_and_escaped():
    svg = bar_chart("t", "按月<收件>", ["2026-10", "2026-11"],
                    [Series("收件", [2, 4], "chart-a"), Series("办结&", [0, 4], "chart-b")])
    assert svg.startswith('<svg class="chart" id="t"') and 'role="img"' in svg
    assert 'aria-labelledby="t-t t-d"' in svg
    assert "<title id=\"t-t\">按月&lt;收件&gt;</title>" in svg
    assert "2026-11：收件 4，办结&amp; 4" in svg  # every value in the description
    assert svg.count("<rect class=\"chart-a\"") == 3  # two bars and the legend
    assert "<script" not in svg and "style=" not in svg
    shares = share_bars("s", "比例", [("满意率", 0.75), ("网上办理占比", None)])
    assert "满意率：75.0%；网上办理占比：—" in shares
    assert shares.count('class="chart-track"') == 2
