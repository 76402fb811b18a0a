"""h16b's receivers: decisions and licence changes into the departments' inboxes (审管互动),
and the joint-review check before a decision (`cases.signals.case_deciding`)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def _on_case_event(sender: Any, case: Any, event: Any, **kwargs: Any) -> None:
    from .claims import push_decision

    push_decision(case=case, event=event)


def _on_licence_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from .claims import push_licence_change

        push_licence_change(event=instance)


def _on_deciding(sender: Any, case: Any, **kwargs: Any) -> None:
    from .review import check_decision

    check_decision(case=case)


def connect() -> None:
    from oneseal.cases.models import Case
    from oneseal.cases.signals import case_deciding, case_event_recorded
    from oneseal.licences.models import LicenceEvent

    case_event_recorded.connect(_on_case_event, sender=Case,
                                dispatch_uid="coordination.claims.case_event")
    post_save.connect(_on_licence_event, sender=LicenceEvent,
                      dispatch_uid="coordination.claims.licence_event")
    case_deciding.connect(_on_deciding, sender=Case,
                          dispatch_uid="coordination.review.case_deciding")
