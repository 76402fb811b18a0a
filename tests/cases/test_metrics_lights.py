"""The cases' gauges on /metrics (oneseal.cases.metrics): the open cases by state and by the
light of their running clock (行政许可法 第42条, 第45条), worked by hand on the 2026
schedule."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from oneseal.cases.models import Case
from oneseal.core import metrics

from .test_documents import make_case

pytestmark = pytest.mark.django_db


def _value(text: str, sample: str) -> float:
    found = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.M)
    assert found, f"{sample} not in\n{text}"
    return float(found[1])


def _light_counts(text: str) -> dict[str, float]:
    return {light: _value(text, f'oneseal_cases_open_by_light{{light="{light}"}}')
            for light in ("red", "yellow", "green", "paused", "unknown")}


def test_open_cases_by_light_over_a_weekend_art_42(catalogue, person, monkeypatch):
    """Thursday 2026-09-10 (no holiday near): due Wed 09-09 is red; due Fri 09-11 leaves one
    working day, yellow — and so does a due Sunday 09-13 (Sat and Sun are not working days);
    Mon 09-14 leaves two working days, green. A paused clock (特别程序, 第45条) is paused
    whatever its date; a case without a due date is unknown; delivered cases are not open."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 9, 10))
    dues = {"A1": dt.date(2026, 9, 9), "A2": dt.date(2026, 9, 11),
            "A3": dt.date(2026, 9, 13), "A4": dt.date(2026, 9, 14)}
    for number, due in dues.items():
        make_case(catalogue, person, number=number, state="reviewing", promised_due=due)
    make_case(catalogue, person, number="A5", state="reviewing",
              promised_due=dt.date(2026, 9, 1), clock_paused=True)
    make_case(catalogue, person, number="A6", state="received", accepted_on=None)
    make_case(catalogue, person, number="A7", state="delivered",
              promised_due=dt.date(2026, 9, 1))
    # the statutory due date counts when there is no promised one
    make_case(catalogue, person, number="A8", state="reviewing",
              statutory_due=dt.date(2026, 9, 8))
    assert _light_counts(metrics.render()) == {
        "red": 2, "yellow": 2, "green": 1, "paused": 1, "unknown": 1}
    text = metrics.render()
    assert _value(text, 'oneseal_cases_open{state="reviewing"}') == 6
    assert _value(text, 'oneseal_cases_open{state="received"}') == 1
    assert 'oneseal_cases_open{state="delivered"}' not in text
    assert Case.objects.count() == 8


def test_open_cases_by_light_across_national_day_2026_art_42(catalogue, person, monkeypatch):
    """Wednesday 2026-09-30, the eve of 国庆节 (1–7 October 2026 off, 10 October a 调休
    working Saturday): due Thu 10-08 — the first working day after the holiday — leaves one
    working day and is yellow; due Fri 10-09 leaves two: green."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 9, 30))
    make_case(catalogue, person, number="B1", state="reviewing",
              promised_due=dt.date(2026, 10, 8))
    make_case(catalogue, person, number="B2", state="reviewing",
              promised_due=dt.date(2026, 10, 9))
    counts = _light_counts(metrics.render())
    assert (counts["yellow"], counts["green"]) == (1, 1)
