"""Reads of the message box (消息中心): an account's messages and how many are unread."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Channel, Delivery, DeliveryState


def inbox(user: Any) -> QuerySet[Delivery]:
    if not getattr(user, "is_authenticated", False):
        return Delivery.objects.none()
    return (Delivery.objects.filter(user=user, channel=Channel.INBOX,
                                    state=DeliveryState.SENT)
            .select_related("notification", "notification__case").order_by("-sent_at", "-id"))


def unread_count(user: Any) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def access_message(*, user: Any, delivery_id: int) -> Delivery | None:
    return inbox(user).filter(pk=delivery_id).first()
