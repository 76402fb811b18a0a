"""The data-exchange part of the demo (`oneseal load-demo`, imported by the app's `ready`):

- a subscription of 西山区生态环境局 (dept-env) to its cases' events, at a local URL where
  nothing listens (127.0.0.1 port 9): its history is queued, one delivery was tried until it
  became a dead letter (with its alert), the rest wait in backoff — what 投递与死信 shows;
- an API key of the same department with a few logged calls (case status, licence lookup,
  events pull, one call out of scope).

Idempotent: a second load finds the subscription and the key and changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.test import Client
from django.utils import timezone

from oneseal.accounts.models import User
from oneseal.cases.models import Case
from oneseal.core import demo
from oneseal.org.models import Unit

from . import apikeys, webhooks
from .models_events import ApiKey, DeliveryState, Subscription, WebhookDelivery

SUBSCRIPTION = "生态环境监管平台（演示，接收方离线）"
KEY_NAME = "生态环境监管系统（演示）"
DOWN_URL = "http://127.0.0.1:9/oneseal/events"


def _subscription(ctx: demo.DemoContext, dept: Unit, admin: User | None) -> None:
    sub = Subscription.objects.filter(name=SUBSCRIPTION).first()
    if sub is not None:
        return
    sub = Subscription.objects.create(name=SUBSCRIPTION, owner=dept, system="生态环境监管平台",
                                      url=DOWN_URL, secret="demo-secret-not-for-production",  # noqa: S106
                                      created_by=admin)
    sub.departments.add(dept)
    queued = webhooks.backfill(sub)
    if not queued:
        ctx.log("数据交换 / exchange: 没有可推送的事件")
        return
    # the receiver has been down for half a day: one delivery tried until it is a dead letter
    last = WebhookDelivery.objects.filter(subscription=sub).aggregate(at=Max(
        "next_attempt_at"))["at"]
    now = max(timezone.now() - dt.timedelta(hours=13), last)
    poster = webhooks.Poster(timeout=2)
    try:
        for _i in range(webhooks.MAX_ATTEMPTS + 5):
            counts = webhooks.deliver_round(now=now, poster=poster, limit=1)
            if counts["dead"]:
                break
            sub.refresh_from_db(fields=["retry_at"])
            now = max(now + dt.timedelta(seconds=1), sub.retry_at or now)
        webhooks.deliver_round(now=timezone.now(), poster=poster)  # the latest try: in backoff
    finally:
        poster.close()
    states = dict.fromkeys(DeliveryState.values, 0)
    for state in sub.deliveries.values_list("state", flat=True):
        states[state] += 1
    ctx.log(f"数据交换 / exchange: 订阅“{sub.name}” {states}")


def _key(ctx: demo.DemoContext, dept: Unit, admin: User | None) -> None:
    if ApiKey.objects.filter(name=KEY_NAME).exists() or admin is None:
        return
    new = apikeys.create_key(
        actor=admin, name=KEY_NAME, department=dept, system="生态环境监管平台",
        operations=["case_status", "licence_lookup", "events_pull"], rate_per_minute=120,
        expires_on=timezone.localdate() + dt.timedelta(days=365))
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {new.plaintext}")
    own = Case.objects.filter(department=dept).order_by("id").first()
    other = Case.objects.exclude(department=dept).order_by("id").first()
    if own is not None:
        client.get(f"/api/v1/exchange/cases/{own.number}")
        licence = own.licences.first() if hasattr(own, "licences") else None
        if licence is None:
            licence = (Case.objects.filter(department=dept, licences__isnull=False)
                       .order_by("id").first())
            licence = licence.licences.first() if licence else None
        if licence is not None:
            client.get(f"/api/v1/exchange/licences/{licence.identifier}")
    client.get("/api/v1/exchange/events?limit=20")
    if other is not None:
        client.get(f"/api/v1/exchange/cases/{other.number}")  # out of scope: 404, logged
    ctx.log(f"数据交换 / exchange: 接口密钥“{KEY_NAME}”（osk_{new.key.prefix}_…）"
            f"调用 {new.key.calls.count()} 次")


@demo.register("exchange", order=850)
def load(ctx: demo.DemoContext) -> None:
    dept = Unit.objects.filter(code="dept-env").first()
    if dept is None:
        return
    admin = User.objects.filter(username="admin").first()
    _subscription(ctx, dept, admin)
    _key(ctx, dept, admin)
