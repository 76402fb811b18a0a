"""Background jobs of the marketplace (django-tasks), thin and idempotent wrappers around
the services. To run them periodically, `config/schedule.py` lists them as
``intermediaries.close_postings`` (hourly) and ``intermediaries.credit_rules`` (daily)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def close_due_postings() -> dict[str, int]:
    """Close every posting past its deadline: draw, lowest price, or wait for the owner;
    fewer bidders than the minimum and it fails (流标). A closed posting is never closed
    twice."""
    from .services.selection import close_due_postings as close

    return {"closed": close()}


@task()
def apply_credit_rules() -> dict[str, int]:
    """Decide again every suspension whose 90 days ended: restored, warned or cleared out
    (domain/credit.py)."""
    from .services.credit import apply_rules_to_ended_suspensions

    return {"decided": apply_rules_to_ended_suspensions(timezone.localdate())}
