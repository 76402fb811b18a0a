"""When an agent's authorisation (授权委托) is in force.

An authorisation is in force on a day when that day lies within its validity (from
`valid_from` to `valid_to`, both days included; no `valid_to` means until revoked) and the
authorisation had not been revoked by then: revocation takes effect on the day it is
recorded, so on that day and after it the agent may no longer act.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass


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


# --- does an authorisation cover an application? (代理权限核验) ---------------------------

#: Why an agent may not act for an applicant on an item on a day (the codes of the refusal).
NOT_AUTHORISED = "agent_not_authorised"  # no authorisation from this applicant at all
NOT_IN_FORCE = "agent_authorisation_not_in_force"  # expired, or not yet valid
REVOKED = "agent_authorisation_revoked"
OUT_OF_SCOPE = "agent_out_of_scope"  # in force, but not for this item


@dataclass(frozen=True)
class Grant:
    """One authorisation from the applicant to the agent, as the rule needs it."""

    valid_from: datetime.date
    valid_to: datetime.date | None
    revoked_on: datetime.date | None
    all_items: bool
    item_ids: frozenset[int]

    def in_force(self, on: datetime.date) -> bool:
        return in_force(valid_from=self.valid_from, valid_to=self.valid_to,
                        revoked_on=self.revoked_on, on=on)

    def covers(self, item_id: int) -> bool:
        return self.all_items or item_id in self.item_ids


def refusal(grants: Sequence[Grant], *, item_id: int, on: datetime.date) -> str | None:
    """None when one of the applicant's `grants` to the agent is in force on `on` and covers
    `item_id`; otherwise the reason, the most telling first: out of scope (one is in force
    but not for this item), revoked (one would be in force but was revoked), not in force
    (expired or not yet begun), not authorised (there is none)."""
    if not grants:
        return NOT_AUTHORISED
    current = [g for g in grants if g.in_force(on)]
    if any(g.covers(item_id) for g in current):
        return None
    if current:
        return OUT_OF_SCOPE
    within_period = [g for g in grants if in_force(valid_from=g.valid_from,
                                                   valid_to=g.valid_to, revoked_on=None, on=on)]
    if within_period:
        return REVOKED
    return NOT_IN_FORCE
