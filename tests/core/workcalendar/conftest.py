"""Calendars for the clock tests, built from `chinesecalendar` (2004–2026; 2027 unknown)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from oneseal.core.workcalendar.domain import WorkCalendar
from oneseal.core.workcalendar.package import calendar_from_package


@cache
def package_calendar() -> WorkCalendar:
    return calendar_from_package()


@pytest.fixture
def cal() -> WorkCalendar:
    return package_calendar()


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


SCHEDULE_2027 = """# 假设的2027年安排（测试用）
年份,2027
来源,国办发明电〔2026〕99号
放假,2027-01-01,2027-01-03,元旦
上班,2027-01-09,,元旦
放假,2027-02-06,2027-02-14,春节
上班,2027-02-20,,春节
放假,2027-10-01,2027-10-07,国庆节
"""


@pytest.fixture
def seeded(db):
    """The calendar table seeded from the package (a no-op when migrate already did it)."""
    from oneseal.core.workcalendar.selectors import clear_calendar_cache
    from oneseal.core.workcalendar.services import seed_calendar_from_package

    seed_calendar_from_package()
    clear_calendar_cache()
    yield
    clear_calendar_cache()
