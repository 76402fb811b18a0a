"""Clocks of coordination, counted in working days (行政许可法 第82条; 民法典 第201条: the day
of the event is not counted).

- Claim (认领): a competent department claims each decision or licence change pushed to it
  within `CLAIM_DAYS` working days of the day it arrived (the district's 审管互动 rule, work
  plan measure 六).
- Forwarding upward (审核转报, 行政许可法 第43条): where the law says a lower agency reviews
  an application first and then reports it to the upper agency, the lower agency finishes its
  review within 20 working days of accepting the application and forwards all the
  materials directly; the upper agency does not ask the applicant again.
"""

from __future__ import annotations

import datetime as dt

from oneseal.core.workcalendar.domain import WorkCalendar
from oneseal.core.workcalendar.domain.deadline import Light, light_at

CLAIM_DAYS = 2
FORWARD_REVIEW_DAYS = 20  # 行政许可法 第43条
OPINION_DAYS = 5  # default clock of a department's written opinion in joint review


def claim_due(calendar: WorkCalendar, received_on: dt.date) -> dt.date:
    """The last day to claim: the 2nd working day after the day the item arrived."""
    return calendar.add_working_days(received_on, CLAIM_DAYS)


def forward_due(calendar: WorkCalendar, accepted_on: dt.date) -> dt.date:
    """第43条: the lower agency's review ends on the 20th working day after acceptance."""
    return calendar.add_working_days(accepted_on, FORWARD_REVIEW_DAYS)


def opinion_due(calendar: WorkCalendar, invited_on: dt.date, days: int) -> dt.date:
    """A department's written opinion is due `days` working days after the invitation."""
    return calendar.add_working_days(invited_on, days)


def clock_light(calendar: WorkCalendar, due: dt.date, today: dt.date,
                done_on: dt.date | None = None) -> str:
    """green / yellow (the due day or one working day before) / red (overdue); once done,
    red only if it was done late, green otherwise."""
    if done_on is not None:
        return Light.RED.value if done_on > due else Light.GREEN.value
    return light_at(calendar, due, today, warn_days=1).value
