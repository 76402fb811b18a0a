"""When an agent's authorisation (授权委托) is in force.

An authorisation is in force on a day when that day lies within its validity (from
`valid_from` to `valid_to`, both days included; no `valid_to` means until revoked) and the
authorisation had not been revoked by then: revocation takes effect on the day it is
recorded, so on that day and after it the agent may no longer act.
"""

from __future__ import annotations

import datetime


def in_force(
    *, valid_from: datetime.date, valid_to: datetime.date | None,
    revoked_on: datetime.date | None, on: datetime.date,
) -> bool:
    if on < valid_from:
        return False
    if valid_to is not None and on > valid_to:
        return False
    return revoked_on is None or on < revoked_on


def period_valid(valid_from: datetime.date, valid_to: datetime.date | None) -> bool:
    return valid_to is None or valid_to >= valid_from
