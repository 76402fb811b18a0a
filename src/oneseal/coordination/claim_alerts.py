"""The claim clock (部门认领时限) in the alert sweep of supervision (超期预警).

A decision or licence change pushed to a department must be claimed within 2 working days
(`domain.clocks.claim_due`, 行政许可法 第82条 working days, 民法典 第201条 the day it
arrived not counted). Supervision cannot import coordination (it sits below it), so this
module registers the clock with `supervision.clock_sources` from `AppConfig.ready()`: the
hourly sweep (`supervision.alerts.sweep`, task ``supervision.alerts``) then asks `find`
for the unclaimed tickets that crossed a threshold — yellow when at most the configured
warning period (for a 2-day clock: the due day and the working day before, by default) is
left, red the day after the due date — and raises each crossing once, to the supervisors,
and to the department's own officers (`told_ids`) so that the department sees its overdue
claims in 我的预警 as well as in its inbox. The claim closes the clock's alerts
(`claims.claim` → `supervision.alerts.close_clock`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models import When as W
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext as _

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role
from oneseal.catalog.selectors import legal_body
from oneseal.org.models import Unit
from oneseal.supervision import clock_sources
from oneseal.supervision.alerts import Crossing
from oneseal.supervision.domain import alerts as rules
from oneseal.supervision.models import Alert, AlertClock

from .domain.clocks import CLAIM_DAYS
from .models_claims import ClaimTicket

PREFIX = "claim:"


def clock_key(ticket_id: int) -> str:
    return f"{PREFIX}{ticket_id}"


def officers_by_department(department_ids: set[int]) -> dict[int, tuple[int, ...]]:
    """The active department officers (主管部门人员) acting for each department."""
    out: dict[int, list[int]] = {}
    if not department_ids:
        return {}
    for user in (User.objects.filter(is_active=True, role_grants__role=Role.DEPT_OFFICER,
                                     unit__isnull=False)
                 .select_related("unit").distinct().order_by("pk")):
        body = legal_body(user.unit).pk
        if body in department_ids:
            out.setdefault(body, []).append(user.pk)
    return {k: tuple(v) for k, v in out.items()}


def find(calendar: Any, today: dt.date, limit: Any, widest: dt.date,
         lower: dt.date | None) -> list[Crossing]:
    """The unclaimed tickets whose claim clock is yellow or red on `today` and has no alert
    yet for its due date and colour (the same anti-join on `Alert` as the sweep's own
    clocks). `lower`: a later run of the same day looks only at due dates from today on."""
    upper = rules.yellow_until(calendar, today, limit.warn_days(CLAIM_DAYS))
    alerted = Alert.objects.filter(clock_key=OuterRef("key"), due=OuterRef("claim_due"),
                                   light=OuterRef("colour"))
    tickets = ClaimTicket.objects.filter(claimed_at__isnull=True, case__isnull=False,
                                         claim_due__lte=upper)
    if lower is not None:
        tickets = tickets.filter(claim_due__gte=lower)
    rows = list(tickets
                .annotate(key=Concat(Value(PREFIX), Cast("pk", CharField()),
                                     output_field=CharField()),
                          colour=SqlCase(W(claim_due__lt=today, then=Value(rules.RED)),
                                         default=Value(rules.YELLOW)))
                .filter(~Exists(alerted))
                .values_list("pk", "case_id", "claim_due", "colour", "department_id",
                             "due_provisional"))
    if not rows:
        return []
    names = dict(Unit.objects.filter(pk__in={r[4] for r in rows}).values_list("pk", "name"))
    officers = officers_by_department({r[4] for r in rows})
    label = _("部门认领时限：%(department)s")
    return [Crossing(clock=AlertClock.CLAIM, key=clock_key(pk), case_id=case_id, due=due,
                     light=colour, label=label % {"department": names.get(dept, "")},
                     provisional=provisional, department_id=dept,
                     told_ids=officers.get(dept, ()))
            for pk, case_id, due, colour, dept, provisional in rows]


def link(key: str) -> str:
    """The claim record an alert of the claim clock opens (认领记录)."""
    return reverse("coordination_workbench:ticket", args=[int(key[len(PREFIX):])])


def register() -> None:
    clock_sources.register(clock_sources.ClockSource(
        clock=AlertClock.CLAIM, prefix=PREFIX, find=find, link=link))
