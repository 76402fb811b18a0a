"""The outbox listens to the case services (`cases.signals.case_event_recorded`), which
know nothing of it. The receiver runs inside the service's transaction: the notification
commits or rolls back with the change; its delivery is enqueued once that commits."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from oneseal.cases.models import Case
from oneseal.cases.signals import case_event_recorded

from .services import record_for_event
from .tasks import deliver_notification

logger = logging.getLogger("oneseal.notifications")


def _enqueue(notification_id: int) -> None:
    try:
        deliver_notification.enqueue(notification_id)
    except Exception:  # the periodic retry job delivers it anyway
        logger.exception("could not enqueue the delivery of notification %s", notification_id)


def _on_event(sender: Any, case: Case, event: Any, **kwargs: Any) -> None:
    note = record_for_event(case, event)
    if note is not None:
        transaction.on_commit(lambda: _enqueue(note.pk))


def connect() -> None:
    case_event_recorded.connect(_on_event, sender=Case,
                                dispatch_uid="notifications.case_event_recorded")
