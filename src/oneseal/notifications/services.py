"""Writes of the outbox: record the notification of a case event (inside the case
service's transaction) and deliver what is due (the worker).

Retries: a delivery whose channel is down is tried again after 1, 2, 4, 8... minutes, at
most an hour apart (`backoff`), up to `MAX_ATTEMPTS` times (about a day and a half), so a
channel down for an hour loses nothing. A delivery moves from pending to sent once, under
its row lock: each message reaches each recipient once per channel."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from oneseal.accounts.models import User
from oneseal.applicants.models import AgentAuthorisation, Person
from oneseal.applicants.selectors import may_act_for

from . import channels
from .messages import message_for
from .models import Channel, Delivery, DeliveryState, Notification

logger = logging.getLogger("oneseal.notifications")

BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=1)
MAX_ATTEMPTS = 40
BATCH = 200


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4... minutes, at most an hour."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _accounts(case: Any) -> list[User]:
    """The accounts told of `case`: the person behind it, the agent who filed it, and
    everyone who operates for the applicant organisation (linked, or authorised in force)."""
    found: dict[int, User] = {}
    for person in (case.person, case.agent):
        if person is not None and person.user_id is not None:
            found[person.user_id] = person.user
    org = case.organisation
    if org is not None:
        for user in org.users.all():
            found[user.pk] = user
        agents = (Person.objects.filter(
            pk__in=AgentAuthorisation.objects.filter(organisation=org).values("agent_id"),
            user__isnull=False).select_related("user"))
        for agent in agents:
            if agent.user is not None and may_act_for(agent, org):
                found[agent.user.pk] = agent.user
    return [found[pk] for pk in sorted(found)]


def _phone(user: User) -> str:
    person = Person.objects.filter(user=user).only("phone").first()
    return (person.phone if person is not None and person.phone else user.phone or "").strip()


def _rows(case: Any) -> list[tuple[str, str, User | None]]:
    rows: list[tuple[str, str, User | None]] = []
    for user in _accounts(case):
        rows.append((Channel.INBOX, f"user:{user.pk}", user))
        if user.email:
            rows.append((Channel.EMAIL, user.email.strip().lower(), user))
        phone = _phone(user)
        if phone:
            rows.append((Channel.SMS, phone, user))
    if case.person is not None and case.person.user_id is None and case.person.phone:
        rows.append((Channel.SMS, case.person.phone, None))  # a person without an account
    seen: set[tuple[str, str]] = set()
    unique = []
    for channel, address, user in rows:
        if (channel, address) not in seen:
            seen.add((channel, address))
            unique.append((channel, address, user))
    return unique


def record_for_event(case: Any, event: Any) -> Notification | None:
    """Write the notification of `event` and its deliveries, in the caller's transaction
    (the receiver enqueues their delivery once it commits); None for an event the applicant
    need not be told of."""
    with translation.override(settings.LANGUAGE_CODE):
        message = message_for(case, event)
    if message is None:
        return None
    now = timezone.now()
    note = Notification.objects.create(case=case, event=event, kind=message.kind,
                                       title=message.title, text=message.text, created_at=now)
    Delivery.objects.bulk_create([
        Delivery(notification=note, channel=channel, address=address, user=user,
                 next_attempt_at=now)
        for channel, address, user in _rows(case)])
    return note


def deliver_one(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Try delivery `delivery_id` if it is due; its state afterwards."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update().select_related("notification")
                    .filter(pk=delivery_id).first())
        if delivery is None:
            return ""
        if delivery.state != DeliveryState.PENDING or delivery.next_attempt_at > now:
            return str(delivery.state)
        delivery.attempts += 1
        try:
            channels.send(delivery)
        except channels.ChannelDown as exc:
            delivery.last_error = str(exc)[:300]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.state = DeliveryState.FAILED
                logger.error("gave up delivery %s after %s attempts", delivery.pk,
                             delivery.attempts)
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        else:
            delivery.state, delivery.sent_at, delivery.last_error = DeliveryState.SENT, now, ""
        delivery.save(update_fields=["attempts", "state", "sent_at", "last_error",
                                     "next_attempt_at"])
        return str(delivery.state)


def deliver_due(*, now: dt.datetime | None = None, notification_id: int | None = None,
                ) -> dict[str, int]:
    """Deliver every pending delivery that is due (of one notification, or all): the count
    of each resulting state."""
    now = now or timezone.now()
    qs = Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
    if notification_id is not None:
        qs = qs.filter(notification_id=notification_id)
    counts: dict[str, int] = {}
    for pk in list(qs.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:BATCH]):
        state = deliver_one(pk, now=now)
        counts[state] = counts.get(state, 0) + 1
    return counts


def mark_read(*, actor: Any, delivery: Delivery) -> None:
    """The applicant opened a message of his message box."""
    if delivery.read_at is None:
        Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(
            read_at=timezone.now())
