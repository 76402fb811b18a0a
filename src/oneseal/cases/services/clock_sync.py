"""Recomputing the clocks of the open cases after the calendar changes (行政许可法 第82条;
law.md §1): a year's official schedule entered, or a year corrected.

Every open case is recomputed; each due date that moved is listed (which case, whose, which
date, old → new) and recorded on the case as a `clocks_recomputed` event in its history and
the audit chain, in the same transaction as the new dates. When the promised or the
statutory date moved, the event says the applicant is told (the notification channel comes
with the online hall; until then the event is the record, shown on the public progress page
as the new date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oneseal.core.audit import append_event, audit_frame
from oneseal.core.workcalendar.services import MovedDate, RecomputeReport, on_calendar_entered

from .. import clocks
from ..domain.states import ACTIVE_STATES
from ..models import Case, CaseEvent
from ..signals import case_event_recorded
from .frame import _actor_name, _fill_audit_seq, _written_seq

DUE_LABELS = {
    "correction_due": gettext_noop("补正告知期限"),
    "statutory_due": gettext_noop("法定办结期限"),
    "promised_due": gettext_noop("承诺办结期限"),
    "delivery_due": gettext_noop("送达期限"),
}
DUE_FIELDS = tuple(DUE_LABELS)
TOLD_FIELDS = ("statutory_due", "promised_due")  # the dates the applicant was promised
EVENT = "clocks_recomputed"


def recompute_open_cases(*, actor: Any = None, today: dt.date | None = None,
                         reason: str = "", batch: int = 500) -> tuple[int, list[MovedDate]]:
    """Recompute the clocks of every open case and return how many were checked and every
    due date that moved. A case whose dates moved gets one `clocks_recomputed` event with
    the old and new dates (and whether they were provisional)."""
    today = today or timezone.localdate()
    states = [s.value for s in ACTIVE_STATES]
    moved: list[MovedDate] = []
    checked = 0
    last = 0
    while True:
        ids = list(Case.objects.filter(state__in=states, pk__gt=last).order_by("pk")
                   .values_list("pk", flat=True)[:batch])
        if not ids:
            break
        for pk in ids:
            with audit_frame():
                moved += _recompute_one(pk, actor=actor, today=today, reason=reason)
            checked += 1
        last = ids[-1]
    return checked, moved


def _recompute_one(pk: int, *, actor: Any, today: dt.date, reason: str) -> list[MovedDate]:
    case = Case.objects.select_for_update(of=("self",)).select_related("version").get(pk=pk)
    before = {f: getattr(case, f) for f in DUE_FIELDS}
    was_provisional = dict(case.provisional_dues or {})
    clocks.recompute(case, today=today, save=False)
    changed = [f for f in DUE_FIELDS if getattr(case, f) != before[f]
               or bool(was_provisional.get(f)) != bool((case.provisional_dues or {}).get(f))]
    if not changed:
        case.save(update_fields=["correction_due", "statutory_due", "promised_due",
                                 "delivery_due", "clock_paused", "clock_error",
                                 "calendar_version", "accepted_on", "deemed_accepted",
                                 "clock_provisional", "provisional_years",
                                 "provisional_dues"])
        return []
    told = any(getattr(case, f) != before[f] for f in TOLD_FIELDS)
    data = {
        "changes": {f: {"before": _iso(before[f]), "after": _iso(getattr(case, f)),
                        "was_provisional": bool(was_provisional.get(f)),
                        "provisional": bool((case.provisional_dues or {}).get(f))}
                    for f in changed},
        "applicant_told": told,
        "calendar_version": case.calendar_version,
    }
    now = timezone.now()
    case.revision += 1
    audit = append_event(actor=actor, kind=f"case.{EVENT}", subject=f"case:{case.pk}", payload={
        "number": case.number, "from": case.state, "to": case.state, "on": today.isoformat(),
        "reason": reason, "data": data})
    event = CaseEvent.objects.create(
        case=case, seq=case.revision, kind=EVENT, on=max(today, _last_on(case)), at=now,
        actor=actor, actor_name=_actor_name(actor) or _("系统"), state_from=case.state,
        state_to=case.state, reason=reason, data=data, audit_seq=_written_seq(audit))
    _fill_audit_seq(event, audit)
    case.save()
    case_event_recorded.send(sender=Case, case=case, event=event)
    return [MovedDate(case_number=case.number, applicant=case.applicant_name,
                      what=_(DUE_LABELS[f]), before=before[f], after=getattr(case, f),
                      was_provisional=bool(was_provisional.get(f)),
                      provisional=bool((case.provisional_dues or {}).get(f)),
                      applicant_told=told and f in TOLD_FIELDS)
            for f in changed]


def _last_on(case: Case) -> dt.date:
    last = case.events.order_by("-seq").values_list("on", flat=True).first()
    return last or case.received_on


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@on_calendar_entered
def recompute_after_calendar_entered(actor: Any, year: int) -> RecomputeReport:
    """The hook the calendar runs after a year's schedule is entered or corrected."""
    reason = _("录入%(year)d年放假调休安排后重新计算期限") % {"year": year}
    checked, moved = recompute_open_cases(actor=actor, reason=reason)
    return RecomputeReport(title=_("在办件期限"), checked=checked, moved=moved)
