"""The outbox listens to the case services and the licence library, which know nothing of
it. Every receiver runs inside the transaction of the change: the event commits or rolls
back with it (`oneseal.cases.signals`; Django's `post_save` of `Licence` and
`LicenceEvent`, written only by the licence services in their transaction)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from oneseal.cases.models import Case
from oneseal.cases.signals import case_event_recorded
from oneseal.licences.models import Licence, LicenceEvent

from . import events


def _on_case_event(sender: Any, case: Case, event: Any, **kwargs: Any) -> None:
    events.on_case_event(case, event)


def _on_licence_saved(sender: Any, instance: Licence, created: bool, raw: bool = False,
                      **kwargs: Any) -> None:
    if created and not raw:
        events.on_licence_issued(instance)


def _on_licence_event(sender: Any, instance: LicenceEvent, created: bool, raw: bool = False,
                      **kwargs: Any) -> None:
    if created and not raw:
        events.on_licence_event(instance)


def connect() -> None:
    case_event_recorded.connect(_on_case_event, sender=Case,
                                dispatch_uid="coordination.events.case_event")
    post_save.connect(_on_licence_saved, sender=Licence,
                      dispatch_uid="coordination.events.licence_issued")
    post_save.connect(_on_licence_event, sender=LicenceEvent,
                      dispatch_uid="coordination.events.licence_event")
