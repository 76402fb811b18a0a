"""Retention periods (国家档案局令第8号 第八条: 永久, 30年, 10年) and the archive number
(档号, DA/T 22-2015: fonds-year-retention-item-sequence), worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.archives.domain.retention import (
    DEFAULT_RETENTION,
    Result,
    Retention,
    archive_number,
    expires_on,
    is_due_for_appraisal,
    result_of,
)


def test_archive_number_fonds_year_retention_item_sequence_da_t_22():
    assert archive_number("X001", 2026, Retention.Y30, "000123456789", 7) == \
        "X001-2026-D30-000123456789-0007"
    assert archive_number("X001", 2026, Retention.PERMANENT, "A1", 1) == "X001-2026-Y-A1-0001"
    assert archive_number("X001", 2026, Retention.Y10, "A1", 12345) == "X001-2026-D10-A1-12345"


@pytest.mark.parametrize("fonds,item,seq", [("X-1", "A1", 1), ("x001", "A1", 1),
                                            ("X001", "A-1", 1), ("X001", "A1", 0)])
def test_archive_number_refuses_ambiguous_parts(fonds, item, seq):
    with pytest.raises(ValueError):
        archive_number(fonds, 2026, Retention.Y10, item, seq)


def test_retention_counts_from_1_january_after_the_filing_year_order_8_art_8():
    # closed in 2026, kept 10 years: 2027..2036, appraisal from 2037-01-01
    assert expires_on(2026, Retention.Y10) == dt.date(2037, 1, 1)
    assert expires_on(2026, Retention.Y30) == dt.date(2057, 1, 1)
    assert expires_on(2026, Retention.PERMANENT) is None
    assert not is_due_for_appraisal(2026, Retention.Y10, dt.date(2036, 12, 31))
    assert is_due_for_appraisal(2026, Retention.Y10, dt.date(2037, 1, 1))
    assert not is_due_for_appraisal(1990, Retention.PERMANENT, dt.date(2099, 1, 1))


def test_result_of_a_closed_case_and_the_defaults_order_8_art_8():
    assert result_of("delivered", "granted") is Result.GRANTED
    assert result_of("delivered", "refused") is Result.REFUSED
    assert result_of("not_accepted", "") is Result.NOT_ACCEPTED
    assert result_of("withdrawn", "") is Result.WITHDRAWN
    assert result_of("terminated", "") is Result.TERMINATED
    assert DEFAULT_RETENTION[Result.GRANTED] is Retention.Y30
    assert DEFAULT_RETENTION[Result.WITHDRAWN] is Retention.Y10
