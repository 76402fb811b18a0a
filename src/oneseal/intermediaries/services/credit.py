"""Credit (信用评价) and the measures by rule: warning, suspension, exit (警示、暂停、清退),
each published (`CreditMeasure`) and recorded in the audit chain. The formula and the rules
are in `domain/credit.py` (work-plan measure 十一: 评价退出机制)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from oneseal.core.audit import append_event

from ..domain import credit as rules
from ..models import (
    Complaint,
    ComplaintState,
    Contract,
    CreditMeasure,
    Intermediary,
    MeasureKind,
    ServiceRating,
    StandingChoices,
)

RULE_TEXT = {
    MeasureKind.WARNING: "信用分低于80分：警示",
    MeasureKind.SUSPENSION: "信用分低于60分：暂停承接业务90日",
    MeasureKind.EXIT: "信用分低于40分，或暂停期满后仍低于60分：清退出中介超市",
    MeasureKind.RESTORED: "信用分不低于80分：恢复正常",
}


def credit_inputs(intermediary_id: int) -> rules.CreditInputs:
    stars = tuple(ServiceRating.objects.filter(contract__intermediary_id=intermediary_id)
                  .order_by("id").values_list("stars", flat=True))
    late = tuple(Contract.objects.filter(intermediary_id=intermediary_id, days_late__gt=0)
                 .order_by("id").values_list("days_late", flat=True))
    upheld = Complaint.objects.filter(intermediary_id=intermediary_id,
                                      state=ComplaintState.UPHELD).count()
    return rules.CreditInputs(ratings=stars, overrun_days=late, upheld_complaints=upheld)


def _measure(found: Intermediary, kind: str, score: int, today: dt.date,
             until: dt.date | None = None) -> CreditMeasure:
    m = CreditMeasure.objects.create(intermediary=found, kind=kind, score=score,
                                     rule=RULE_TEXT[MeasureKind(kind)], taken_on=today, until=until)
    append_event(actor=None, kind=f"intermediary.credit_{kind}", subject=f"intermediary:{found.pk}",
                 payload={"score": score, "rule": m.rule,
                          "until": until.isoformat() if until else None})
    return m


def apply_credit_rules(intermediary_id: int, today: dt.date) -> Intermediary:
    """Recompute the score and apply the rules. A suspension runs its 90 days; at its end
    the intermediary is restored, warned, or — still below 60 — cleared out (清退). An exit
    is final."""
    with transaction.atomic():
        found = Intermediary.objects.select_for_update().get(pk=intermediary_id)
        value = rules.score(credit_inputs(found.pk))
        fields = ["credit_score"]
        found.credit_score = value
        if found.standing == StandingChoices.EXITED:
            found.save(update_fields=fields)
            return found
        in_suspension = (found.standing == StandingChoices.SUSPENDED
                         and found.suspended_until is not None and found.suspended_until >= today)
        suspended_before = found.measures.filter(kind=MeasureKind.SUSPENSION,
                                                 until__lt=today).exists()
        wanted = rules.standing(value, suspended_before=suspended_before)
        if wanted == rules.Standing.EXITED:
            found.standing, found.suspended_until = StandingChoices.EXITED, None
            _measure(found, MeasureKind.EXIT, value, today)
        elif in_suspension:
            pass  # the suspension runs its term
        elif wanted == rules.Standing.SUSPENDED:
            until = today + dt.timedelta(days=rules.SUSPENSION_DAYS)
            found.standing, found.suspended_until = StandingChoices.SUSPENDED, until
            _measure(found, MeasureKind.SUSPENSION, value, today, until)
        elif wanted == rules.Standing.WARNING and found.standing != StandingChoices.WARNING:
            found.standing, found.suspended_until = StandingChoices.WARNING, None
            _measure(found, MeasureKind.WARNING, value, today)
        elif wanted == rules.Standing.GOOD and found.standing != StandingChoices.GOOD:
            found.standing, found.suspended_until = StandingChoices.GOOD, None
            _measure(found, MeasureKind.RESTORED, value, today)
        fields += ["standing", "suspended_until"]
        found.save(update_fields=fields)
    return found


def apply_rules_to_ended_suspensions(today: dt.date) -> int:
    """The daily job: every suspension whose term ended is decided again."""
    ids = list(Intermediary.objects.filter(standing=StandingChoices.SUSPENDED,
                                           suspended_until__lt=today).values_list("pk", flat=True))
    for pk in ids:
        apply_credit_rules(pk, today)
    return len(ids)
