"""Hall statistics in pure Python: counts, medians and nearest-rank p90, worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.hall.domain.stats import Dimension, TicketFact, median, percentile, summarise

DAY = dt.date(2026, 12, 4)
T0 = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def _fact(window="1", category="A", clerk="张三", wait=None, service=None, *, served=False,
          no_show=False, appointment=False, rating=None, day=DAY):
    called = T0 + dt.timedelta(seconds=wait) if wait is not None else None
    finished = called + dt.timedelta(seconds=service) if service is not None else None
    return TicketFact(day=day, window=window, category=category, clerk=clerk, issued_at=T0,
                      called_at=called, finished_at=finished, served=served,
                      no_show=no_show, appointment=appointment, rating=rating)


def test_percentile_nearest_rank_by_hand():
    values = [60, 10, 30, 20, 50, 40, 70, 80, 90, 100]
    assert percentile(values, 90) == 90  # ⌈0.9·10⌉ = 9th smallest
    assert percentile(values, 50) == 50  # 5th
    assert percentile([5, 1, 3], 90) == 5  # ⌈2.7⌉ = 3rd
    assert percentile([7], 90) == 7
    assert percentile([], 90) is None
    with pytest.raises(ValueError):
        percentile([1], 0)


def test_median_even_and_odd_counts():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None


def test_summarise_per_window_counts_times_and_ratings():
    facts = [
        _fact("1", wait=60, service=300, served=True, rating="very_satisfied"),
        _fact("1", wait=120, service=600, served=True, appointment=True,
              rating="dissatisfied"),
        _fact("1", wait=180, no_show=True),
        _fact("2", wait=30, service=100, served=True, rating="satisfied"),
        _fact("", category="B"),  # still waiting: no window, no times
    ]
    rows = {r.key: r for r in summarise(facts, Dimension.WINDOW)}
    assert list(rows) == ["", "1", "2", "*"]
    one = rows["1"]
    assert (one.tickets, one.served, one.no_shows, one.appointments) == (3, 2, 1, 1)
    assert one.wait_median == 120 and one.wait_p90 == 180
    assert one.service_median == 450 and one.service_p90 == 600  # no-show has no service
    assert (one.ratings, one.bad_ratings) == (2, 1)
    assert one.levels == {"very_satisfied": 1, "dissatisfied": 1}
    assert one.satisfaction == 0.5
    waiting = rows[""]
    assert waiting.tickets == 1 and waiting.wait_median is None and waiting.satisfaction is None
    total = rows["*"]
    assert (total.tickets, total.served, total.no_shows) == (5, 3, 1)
    assert total.wait_median == 90  # 30, 60, 120, 180 → (60 + 120) / 2
    assert total.wait_p90 == 180  # ⌈3.6⌉ = 4th


def test_summarise_per_day_category_and_clerk():
    other_day = DAY + dt.timedelta(days=3)
    facts = [_fact(category="A", clerk="张三"), _fact(category="B", clerk="李四"),
             _fact(category="A", clerk="李四", day=other_day)]
    assert [(r.key, r.tickets) for r in summarise(facts, "day")] == [
        ("2026-12-04", 2), ("2026-12-07", 1), ("*", 3)]
    assert [(r.key, r.tickets) for r in summarise(facts, Dimension.CATEGORY)] == [
        ("A", 2), ("B", 1), ("*", 3)]
    assert [(r.key, r.tickets) for r in summarise(facts, Dimension.CLERK)] == [
        ("张三", 1), ("李四", 2), ("*", 3)]


def test_service_time_only_for_served_tickets():
    fact = _fact(wait=10, service=50, served=False)
    assert fact.wait == 10 and fact.service is None


def test_unknown_dimension_refused():
    with pytest.raises(ValueError):
        summarise([], "week")


def test_service_time_counts_from_the_start_of_service_when_known():
    fact = TicketFact(day=DAY, window="1", category="A", clerk="", issued_at=T0,
                      called_at=T0 + dt.timedelta(seconds=60),
                      started_at=T0 + dt.timedelta(seconds=90),
                      finished_at=T0 + dt.timedelta(seconds=390), served=True)
    assert fact.wait == 60 and fact.service == 300
