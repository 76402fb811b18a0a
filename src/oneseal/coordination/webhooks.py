"""Delivery of the outbox by webhook (事件推送) — the scheme is in docs/coordination.md.

Each delivery is a POST of the event's CloudEvents JSON (structured mode) with

    X-OneSeal-Timestamp: <unix seconds>
    X-OneSeal-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
    X-OneSeal-Event-Id, X-OneSeal-Delivery

and counts as delivered on any 2xx answer. Rules:

- once per subscription: one `WebhookDelivery` row per (subscription, event) (a unique
  constraint), moved from pending to delivered once, by the worker holding its lease;
- in order per case: only the head of a (subscription, stream) — its lowest `seq` not yet
  delivered — is ever sent; event n+1 of a case waits until n has been delivered, even
  while n is in the dead-letter list;
- claims: a worker takes a batch of due heads with ``SELECT … FOR UPDATE SKIP LOCKED``
  (PostgreSQL; SQLite has one writer) and leases them for `LEASE` (a worker that dies
  leaves them to the next one once the lease runs out), then posts outside any transaction;
- retries: after a failure the delivery waits 30 s, 1, 2, 4… minutes, at most 5 minutes
  (`backoff`); when the receiver gave no answer (or 429/502/503/504) the receiver as a whole
  waits as long (`Subscription.retry_at`), so a receiver that is down gets one try per
  period, not one per case, while an event it refuses (500, 4xx) holds back only its
  case; after `MAX_ATTEMPTS` failures (about 12 hours) the delivery becomes a dead
  letter, an alert is written for the administrators and supervisors, and an
  administrator can replay it from the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import os
import socket
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.audit import append_event

from .events import envelope
from .models_events import DeliveryState, EventAlert, Subscription, WebhookDelivery

logger = logging.getLogger("oneseal.coordination")

BACKOFF_FIRST = dt.timedelta(seconds=30)
BACKOFF_MAX = dt.timedelta(minutes=5)  # a receiver back from an outage waits ≤ 5 min
MAX_ATTEMPTS = 150  # 30 s … 4 min, then every 5 min: about 12 hours
LEASE = dt.timedelta(minutes=2)
BATCH = 100
SIGNATURE_HEADER = "X-OneSeal-Signature"
TIMESTAMP_HEADER = "X-OneSeal-Timestamp"
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure in a row: 30 s, 1, 2, 4… min, at most 5."""
    doublings = min(max(attempts - 1, 0), 16)  # bounded: 2**149 × 30 s overflows timedelta
    return min(BACKOFF_FIRST * (2 ** doublings), BACKOFF_MAX)


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """``v1=`` + hex HMAC-SHA256 over ``"<timestamp>." + body`` with the subscription's
    secret (the receiver recomputes it and refuses a timestamp older than 5 minutes)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *,
           now: float | None = None, tolerance: int = 300) -> bool:
    """The receiver's check (for integrators and the tests)."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(envelope(delivery.event), ensure_ascii=False,
                      separators=(",", ":")).encode()


#: Answers that say the receiver as a whole is unavailable (with no answer at all).
RECEIVER_DOWN = frozenset({429, 502, 503, 504})


class DeliveryFailed(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def receiver_down(self) -> bool:
        """No answer, or an answer saying the receiver is unavailable: the whole receiver
        waits. Any other refusal (500, 4xx) holds back only this event's stream."""
        return self.status is None or self.status in RECEIVER_DOWN


class Poster:
    """Posts to receivers, keeping one connection per host for a round (keep-alive)."""

    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = timeout or float(getattr(settings, "ONESEAL_WEBHOOK_TIMEOUT", 10))
        self.connections: dict[tuple[str, str, int], http.client.HTTPConnection] = {}

    def _connection(self, url: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        https = url.scheme == "https"
        port = url.port or (443 if https else 80)
        key = (url.scheme, url.hostname or "", port)
        conn = self.connections.get(key)
        if conn is None:
            cls = http.client.HTTPSConnection if https else http.client.HTTPConnection
            conn = cls(url.hostname or "", port, timeout=self.timeout)
            self.connections[key] = conn
        if conn.sock is None:
            conn.connect()
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def post(self, url_text: str, body: bytes, headers: dict[str, str]) -> int:
        url = urllib.parse.urlsplit(url_text)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise DeliveryFailed(_("接收地址无效。"))
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        conn: http.client.HTTPConnection | None = None
        try:
            conn = self._connection(url)
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            if conn is not None:
                conn.close()
            raise DeliveryFailed(_("连接失败：%(error)s") % {"error": exc}) from exc
        if not 200 <= status < 300:
            raise DeliveryFailed(_("接收方返回 HTTP %(status)s。") % {"status": status},
                                 status=status)
        return status

    def close(self) -> None:
        for conn in self.connections.values():
            conn.close()
        self.connections.clear()


def _worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _heads(now: dt.datetime) -> Any:
    """Due deliveries that are the head of their (subscription, stream), unleased, to an
    active receiver not in backoff."""
    earlier = WebhookDelivery.objects.filter(
        subscription_id=OuterRef("subscription_id"), stream=OuterRef("stream"),
        seq__lt=OuterRef("seq")).exclude(state=DeliveryState.DELIVERED)
    return (WebhookDelivery.objects
            .filter(state=DeliveryState.PENDING, next_attempt_at__lte=now,
                    subscription__active=True)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .filter(Q(subscription__retry_at__isnull=True) | Q(subscription__retry_at__lte=now))
            .filter(~Exists(earlier)))


def claim(now: dt.datetime, worker: str, limit: int = BATCH) -> list[int]:
    """Lease up to `limit` due heads to `worker` (skipping rows another worker locked)."""
    with transaction.atomic():
        ids = list(_heads(now).select_for_update(skip_locked=True, of=("self",))
                   .order_by("id").values_list("id", flat=True)[:limit])
        if ids:
            WebhookDelivery.objects.filter(pk__in=ids).update(
                leased_by=worker, leased_until=now + LEASE)
    return ids


def _claim_next(after: WebhookDelivery, now: dt.datetime,
                worker: str) -> WebhookDelivery | None:
    """After delivering `after`, lease the next delivery of its stream if it is due (the
    row, with its event and subscription, ready to send)."""
    nxt = (WebhookDelivery.objects.select_related("event", "subscription")
           .filter(subscription_id=after.subscription_id, stream=after.stream,
                   seq__gt=after.seq).exclude(state=DeliveryState.DELIVERED)
           .order_by("seq").first())
    if nxt is None or nxt.state != DeliveryState.PENDING or nxt.next_attempt_at > now:
        return None
    taken = (WebhookDelivery.objects.filter(pk=nxt.pk, state=DeliveryState.PENDING)
             .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
             .update(leased_by=worker, leased_until=now + LEASE))
    if not taken:
        return None
    nxt.leased_by, nxt.leased_until = worker, now + LEASE
    return nxt


def _alert(delivery: WebhookDelivery) -> None:
    sub = delivery.subscription
    text = _("事件“%(type)s”（%(subject)s）向订阅“%(sub)s”投递%(n)s次均失败，已转入死信列表，"
             "请检查接收方后重放。最近错误：%(error)s") % {
        "type": delivery.event.type, "subject": delivery.event.subject, "sub": sub.name,
        "n": delivery.attempts, "error": delivery.last_error}
    EventAlert.objects.create(delivery=delivery, subscription=sub, text=text[:500])
    logger.error("webhook delivery %s dead after %s attempts", delivery.pk, delivery.attempts)


def _record_failure(delivery: WebhookDelivery, exc: DeliveryFailed, now: dt.datetime,
                    worker: str) -> None:
    with transaction.atomic():
        row = (WebhookDelivery.objects.select_for_update().select_related("event", "subscription")
               .filter(pk=delivery.pk, leased_by=worker, state=DeliveryState.PENDING).first())
        if row is None:  # the lease was lost: another worker owns it now
            return
        row.attempts += 1
        row.last_error, row.last_status = str(exc)[:300], exc.status
        row.leased_by, row.leased_until = "", None
        if row.attempts >= MAX_ATTEMPTS:
            row.state, row.dead_at = DeliveryState.DEAD, now
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        row.save(update_fields=["attempts", "last_error", "last_status", "leased_by",
                                "leased_until", "state", "dead_at", "next_attempt_at"])
        if exc.receiver_down:
            Subscription.objects.filter(pk=row.subscription_id).update(
                failures=F("failures") + 1)
            failures = Subscription.objects.values_list("failures", flat=True).get(
                pk=row.subscription_id)
            Subscription.objects.filter(pk=row.subscription_id).update(
                retry_at=now + backoff(failures))
        if row.state == DeliveryState.DEAD:
            _alert(row)


def _record_success(delivery: WebhookDelivery, status: int, now: dt.datetime,
                    worker: str) -> bool:
    done = (WebhookDelivery.objects
            .filter(pk=delivery.pk, leased_by=worker, state=DeliveryState.PENDING)
            .update(state=DeliveryState.DELIVERED, delivered_at=now, last_status=status,
                    last_error="", attempts=F("attempts") + 1, leased_by="",
                    leased_until=None))
    if delivery.subscription.failures or delivery.subscription.retry_at:
        Subscription.objects.filter(pk=delivery.subscription_id).update(failures=0,
                                                                      retry_at=None)
        delivery.subscription.failures, delivery.subscription.retry_at = 0, None
    return bool(done)


def headers_for(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": CONTENT_TYPE, "User-Agent": "OneSeal-Webhook/1",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(delivery.subscription.secret, timestamp, body),
        "X-OneSeal-Event-Id": str(delivery.event.event_id),
        "X-OneSeal-Delivery": str(delivery.pk),
    }


@dataclass
class RoundResult:
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    skipped: int = 0
    down: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        return {"delivered": self.delivered, "failed": self.failed, "dead": self.dead,
                "skipped": self.skipped}


def _release(ids: list[int], worker: str) -> None:
    WebhookDelivery.objects.filter(pk__in=ids, leased_by=worker).update(
        leased_by="", leased_until=None)


def deliver_round(*, now: dt.datetime | None = None, poster: Poster | None = None,
                  limit: int = BATCH, worker: str | None = None,
                  follow: int = 1000) -> dict[str, int]:
    """Claim a batch of heads and deliver them, following each stream on success (up to
    `follow` more of its events); the count of each outcome."""
    fixed_now = now
    worker = worker or _worker_id()
    own_poster = poster is None
    poster = poster or Poster()
    result = RoundResult()
    try:
        ids = claim(fixed_now or timezone.now(), worker, limit)
        queue: list[int | WebhookDelivery] = list(ids)
        while queue:
            item = queue.pop(0)
            row = item if isinstance(item, WebhookDelivery) else (
                WebhookDelivery.objects.select_related("event", "subscription")
                .filter(pk=item).first())
            if row is None:
                continue
            pk = row.pk
            if row.subscription_id in result.down:  # the receiver failed in this round
                _release([pk], worker)
                result.skipped += 1
                continue
            moment = fixed_now or timezone.now()
            body = body_of(row)
            try:
                status = poster.post(row.subscription.url, body,
                                     headers_for(row, body, int(moment.timestamp())))
            except DeliveryFailed as exc:
                _record_failure(row, exc, moment, worker)
                if exc.receiver_down:
                    result.down.add(row.subscription_id)
                row.refresh_from_db(fields=["state"])
                if row.state == DeliveryState.DEAD:
                    result.dead += 1
                else:
                    result.failed += 1
                continue
            with transaction.atomic():  # one commit: the mark and the next lease
                done = _record_success(row, status, moment, worker)
                nxt = _claim_next(row, moment, worker) if done and follow > 0 else None
            if done:
                result.delivered += 1
                if nxt is not None:
                    follow -= 1
                    queue.insert(0, nxt)
    finally:
        if own_poster:
            poster.close()
    return result.as_dict()


def deliver_all(*, now: dt.datetime | None = None, poster: Poster | None = None,
                rounds: int = 1000) -> dict[str, int]:
    """Rounds until nothing is due (the worker's task; tests and the benchmark)."""
    total: dict[str, int] = {}
    own_poster = poster is None
    poster = poster or Poster()
    try:
        for _i in range(rounds):
            counts = deliver_round(now=now, poster=poster)
            for key, value in counts.items():
                total[key] = total.get(key, 0) + value
            if not any(counts.values()) or counts["delivered"] == 0:
                break
    finally:
        if own_poster:
            poster.close()
    return total


def next_due() -> dt.datetime | None:
    """When the earliest pending delivery may be tried (for the worker's next run)."""
    row = WebhookDelivery.objects.filter(state=DeliveryState.PENDING).aggregate(
        at=Min("next_attempt_at"))
    at = row["at"]
    retry = Subscription.objects.filter(
        active=True, retry_at__isnull=False,
        deliveries__state=DeliveryState.PENDING).aggregate(at=Min("retry_at"))["at"]
    if at is None:
        return None
    return max(at, retry) if retry is not None else at


def replay(*, actor: Any, delivery: WebhookDelivery | int) -> WebhookDelivery:
    """An administrator sends a dead letter again (重放): pending, tried at once, the
    receiver's backoff lifted; recorded in the audit chain."""
    from .errors_events import ExchangeRefused

    if not (actor is not None and actor.is_authenticated and actor.has_role("sysadmin")):
        raise ExchangeRefused(_("只有系统管理员可以重放死信。"))
    pk = delivery.pk if isinstance(delivery, WebhookDelivery) else int(delivery)
    with transaction.atomic():
        row = WebhookDelivery.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.state != DeliveryState.DEAD:
            raise ExchangeRefused(_("只有死信可以重放。"))
        now = timezone.now()
        row.state, row.attempts, row.next_attempt_at = DeliveryState.PENDING, 0, now
        row.replays += 1
        row.leased_by, row.leased_until, row.dead_at = "", None, None
        row.save(update_fields=["state", "attempts", "next_attempt_at", "replays",
                                "leased_by", "leased_until", "dead_at"])
        Subscription.objects.filter(pk=row.subscription_id).update(failures=0, retry_at=None)
        append_event(actor=actor, kind="coordination.webhook_replay",
                     subject=f"webhook_delivery:{row.pk}",
                     payload={"subscription": row.subscription_id, "event": row.event_id,
                              "replays": row.replays})
        from .events import _enqueue_delivery

        transaction.on_commit(_enqueue_delivery)
        return row


def backfill(subscription: Subscription, *, since: dt.datetime | None = None) -> int:
    """Give a new subscription the events already in the outbox that match its filters
    (since a moment, or all), as pending deliveries in their streams' order. Idempotent:
    an event already delivered or pending for it is skipped (the unique constraint)."""
    from .events import matches
    from .models_events import Event

    items = {i.pk for i in subscription.items.all()}
    departments = {d.pk for d in subscription.departments.all()}
    qs = Event.objects.order_by("id")
    if since is not None:
        qs = qs.filter(time__gte=since)
    if subscription.types:
        qs = qs.filter(type__in=subscription.types)
    if departments:
        qs = qs.filter(department_id__in=departments)
    if items:
        qs = qs.filter(item_id__in=items)
    rows = [WebhookDelivery(subscription=subscription, event=event, stream=event.stream,
                            seq=event.seq, next_attempt_at=event.time)
            for event in qs.iterator() if matches(subscription, event, items, departments)]
    before = subscription.deliveries.count()
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return subscription.deliveries.count() - before
