"""The outbox listens to the case services and the licence library, which know nothing of
it. Every receiver runs inside the transaction of the change: the event commits or rolls
back with it (`oneseal.cases.signals`; Django's `post_save` of `Licence` and
`LicenceEvent`, written only by the licence services in their transaction)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from oneseal.cases.models import Case
from oneseal.cases.signals import case_event_recorded
from oneseal.licences.models import Licence, LicenceEvent

from . import events
from .models_events import Subscription


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
    # the cached subscriptions of `events._fan_out`
    post_save.connect(events.forget_subscriptions, sender=Subscription,
                      dispatch_uid="coordination.events.subscription_saved")
    post_delete.connect(events.forget_subscriptions, sender=Subscription,
                        dispatch_uid="coordination.events.subscription_deleted")
    for through in (Subscription.items.through, Subscription.departments.through):
        m2m_changed.connect(events.forget_subscriptions, sender=through,
                            dispatch_uid=f"coordination.events.{through.__name__}")
