"""Background jobs of the webhook delivery (django-tasks; `oneseal worker` runs them).

`deliver_events` drains what is due, then, if deliveries wait in backoff, enqueues itself to
run when the first is due (`run_after`) unless such a run is already queued. Each commit
that writes deliveries enqueues it too, and the hourly job `coordination.deliver_events`
(`config/schedule.py`) catches anything left over (the task is idempotent)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import TaskResultStatus, task

logger = logging.getLogger("oneseal.coordination")

TASK_PATH = "oneseal.coordination.tasks_events.deliver_events"


def _queued() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=TASK_PATH,
                                       status=TaskResultStatus.READY).exists()


def enqueue_delivery(run_after: object = None) -> None:
    """Queue a delivery run unless one is already waiting (after a commit, or later)."""
    try:
        if _queued():
            return
        if run_after is not None:
            deliver_events.using(run_after=run_after).enqueue()
        else:
            deliver_events.enqueue()
    except Exception:  # the hourly job delivers anyway
        logger.exception("could not enqueue the webhook delivery")


@task()
def deliver_events() -> dict[str, int]:
    from .webhooks import deliver_all, next_due

    counts = deliver_all()
    due = next_due()
    if due is not None:
        enqueue_delivery(max(due, timezone.now()))
    return counts
