"""The archives listen to the case services (`cases.signals.case_event_recorded`): when an
event closes a case (送达、不予受理、撤回、终止), its package is built by the worker once the
transaction commits."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from oneseal.cases.domain.states import TERMINAL_STATES
from oneseal.cases.models import Case
from oneseal.cases.signals import case_event_recorded

from .tasks import build_package

logger = logging.getLogger("oneseal.archives")


def _enqueue(case_id: int) -> None:
    try:
        build_package.enqueue(case_id)
    except Exception:  # the daily catch-up job archives it anyway
        logger.exception("could not enqueue the archiving of case %s", case_id)


def _on_event(sender: Any, case: Case, event: Any, **kwargs: Any) -> None:
    if case.state in {s.value for s in TERMINAL_STATES} and \
            getattr(event, "state_to", "") in {s.value for s in TERMINAL_STATES}:
        case_id = case.pk
        transaction.on_commit(lambda: _enqueue(case_id))


def connect() -> None:
    case_event_recorded.connect(_on_event, sender=Case,
                                dispatch_uid="archives.case_event_recorded")



