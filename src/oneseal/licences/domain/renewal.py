"""Renewal of a licence (延续, 行政许可法 第50条), in pure Python.

- 第50条第一款: the holder applies "在该行政许可有效期届满三十日前": the last day to apply is
  30 days before the last day of validity; counted in calendar days (第82条 counts working
  days only for the agency's own limits), and when that day is a statutory rest day it moves
  to the next working day (《民法典》第203条; `civil.period_before`).
- 第50条第二款: the agency decides before the validity ends; "逾期未作决定的，视为准予延续":
  a renewal applied for in time and not decided by the last day of validity is deemed
  granted the day after, and the licence does not expire (失效).
"""

from __future__ import annotations

import datetime as dt

RENEWAL_LEAD_DAYS = 30  # 行政许可法 第50条第一款


def applied_in_time(applied_on: dt.date, apply_by: dt.date) -> bool:
    """Applied on or before the last day to apply (第50条第一款)."""
    return applied_on <= apply_by


def deemed_granted(*, applied_on: dt.date, apply_by: dt.date, valid_to: dt.date,
                   decided_on: dt.date | None) -> bool:
    """Whether a renewal is deemed granted at expiry (第50条第二款): applied in time and not
    decided on or before the last day of validity `valid_to`."""
    if not applied_in_time(applied_on, apply_by):
        return False
    return decided_on is None or decided_on > valid_to
