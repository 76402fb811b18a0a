"""When an agent's authorisation is in force (pure rule, worked by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.applicants.domain.authorisation import in_force, period_valid

FROM, TO = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("on", "valid_to", "revoked_on", "expected"),
    [
        (dt.date(2025, 12, 31), TO, None, False),  # the day before it starts
        (FROM, TO, None, True),  # first day included
        (TO, TO, None, True),  # last day included
        (dt.date(2027, 1, 1), TO, None, False),  # the day after it ends
        (dt.date(2030, 1, 1), None, None, True),  # open-ended
        (dt.date(2026, 6, 9), TO, dt.date(2026, 6, 10), True),  # before the revocation
        (dt.date(2026, 6, 10), TO, dt.date(2026, 6, 10), False),  # on the day revoked
        (dt.date(2026, 6, 11), None, dt.date(2026, 6, 10), False),
    ],
)
def test_in_force(on, valid_to, revoked_on, expected):
    assert in_force(valid_from=FROM, valid_to=valid_to, revoked_on=revoked_on, on=on) is expected


def test_period_valid():
    assert period_valid(FROM, None)
    assert period_valid(FROM, FROM)
    assert not period_valid(FROM, dt.date(2025, 12, 31))
