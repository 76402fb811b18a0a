"""Background jobs of the outbox (django-tasks; `oneseal worker` runs them): deliver one
notification just recorded, and the periodic retry of everything due (hourly, see
`config/schedule.py`)."""

from __future__ import annotations

from django_tasks import task

from .services import deliver_due


@task()
def deliver_notification(notification_id: int) -> dict[str, int]:
    return deliver_due(notification_id=notification_id)


@task()
def retry_deliveries() -> dict[str, int]:
    """The periodic job: every pending delivery whose next attempt is due (idempotent)."""
    return deliver_due()
