"""Webhook delivery (事件推送): signed POSTs to a local receiver that is down for an hour and
comes back — nothing lost, each event once per subscription, in order per case; retries
with backoff, dead letters with an alert, replay by the administrator, leases."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from oneseal.coordination import events, webhooks
from oneseal.coordination.errors_events import ExchangeRefused
from oneseal.coordination.models import (
    Event,
    EventAlert,
    Subscription,
    WebhookDelivery,
)
from oneseal.coordination.models_events import DeliveryState
from oneseal.core.models import AuditEvent
from tests.cases.helpers import accepted

T0 = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)


def _subscribe(receiver, **kwargs) -> Subscription:
    return Subscription.objects.create(name=kwargs.pop("name", "监管系统"), url=receiver.url,
                                       secret=kwargs.pop("secret", "s3cret"), **kwargs)


def _emit_many(case, n: int) -> list[Event]:
    return [events.emit(events.CASE_DECIDED, case=case, data={"n": i}, subject=case.number,
                        time=T0) for i in range(n)]


def _by_stream(received: list[dict]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for row in received:
        out.setdefault(row["event"]["stream"], []).append(int(row["event"]["sequence"]))
    return out


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = b'{"id":"1"}'
    expected = hmac.new(b"k", b"1767225600." + body, hashlib.sha256).hexdigest()
    assert webhooks.sign("k", 1767225600, body) == "v1=" + expected
    assert webhooks.verify("k", "1767225600", body, "v1=" + expected, now=1767225600 + 299)
    assert not webhooks.verify("k", "1767225600", body, "v1=" + expected, now=1767225600 + 301)
    assert not webhooks.verify("other", "1767225600", body, "v1=" + expected, now=1767225600)
    assert not webhooks.verify("k", "1767225600", body + b" ", "v1=" + expected,
                               now=1767225600)


def test_backoff_doubles_from_30_seconds_to_at_most_5_minutes():
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 6, 7, 20)] == \
        [30, 60, 120, 300, 300, 300]
    assert webhooks.backoff(webhooks.MAX_ATTEMPTS).total_seconds() == 300  # no overflow


def test_receiver_down_for_an_hour_loses_nothing_once_each_in_order_per_case(
        cast, catalogue, person, receiver):
    everything = _subscribe(receiver, name="全部")
    decided_only = _subscribe(receiver, name="仅决定", types=[events.CASE_DECIDED])
    first = accepted(cast, catalogue.bureau_item, person)
    second = accepted(cast, catalogue.bureau_item, person)
    _emit_many(first, 4)
    _emit_many(second, 2)
    total = Event.objects.count()
    assert total == 10
    # down: nothing listens on the port for an hour; one try per backoff period
    now, tries = T0, 0
    while now < T0 + dt.timedelta(hours=1):
        counts = webhooks.deliver_round(now=now)
        assert counts["delivered"] == 0 and counts["dead"] == 0
        tries += counts["failed"]
        now += dt.timedelta(minutes=1)
    assert receiver.received == []
    # two receivers, each tried 30 s, 1, 2, 4, then every 5 min: a few tries, not 60 x 16
    assert 6 <= tries <= 40
    assert not WebhookDelivery.objects.filter(state=DeliveryState.DEAD).exists()
    assert EventAlert.objects.count() == 0
    # it comes back: the next rounds drain everything
    receiver.up()
    for _i in range(40):
        webhooks.deliver_round(now=now)
        if not WebhookDelivery.objects.exclude(state=DeliveryState.DELIVERED).exists():
            break
        now += dt.timedelta(minutes=1)
    assert not WebhookDelivery.objects.exclude(state=DeliveryState.DELIVERED).exists()
    sent = {(r["headers"]["X-OneSeal-Delivery"]) for r in receiver.received}
    assert len(sent) == len(receiver.received) == 10 + 6  # once per subscription
    by_sub = {}
    for row in receiver.received:
        sub = WebhookDelivery.objects.get(pk=row["headers"]["X-OneSeal-Delivery"]).subscription
        by_sub.setdefault(sub.pk, []).append(row)
    assert len(by_sub[everything.pk]) == 10
    assert len(by_sub[decided_only.pk]) == 6
    assert {r["event"]["type"] for r in by_sub[decided_only.pk]} == {events.CASE_DECIDED}
    for rows in by_sub.values():
        for seqs in _by_stream(rows).values():
            assert seqs == sorted(seqs)
    assert _by_stream(by_sub[everything.pk])[f"case:{first.pk}"] == [1, 2, 3, 4, 5, 6]
    # every body is signed with its subscription's secret over timestamp.body
    for row in receiver.received:
        headers = row["headers"]
        assert webhooks.verify("s3cret", headers["X-OneSeal-Timestamp"], row["body"],
                               headers["X-OneSeal-Signature"],
                               now=int(headers["X-OneSeal-Timestamp"]))
        assert headers["Content-Type"].startswith("application/cloudevents+json")
        assert json.loads(row["body"])["specversion"] == "1.0"
    # a later round sends nothing again
    receiver.received.clear()
    webhooks.deliver_round(now=now + dt.timedelta(hours=1))
    assert receiver.received == []


def test_event_n_plus_1_of_a_case_waits_until_n_is_delivered(cast, catalogue, person,
                                                              receiver):
    _subscribe(receiver)
    first = accepted(cast, catalogue.bureau_item, person)
    second = accepted(cast, catalogue.bureau_item, person)
    stuck = Event.objects.get(case=first, seq=2)
    receiver.fail_ids[str(stuck.event_id)] = 1  # answered 500 once
    receiver.up()
    webhooks.deliver_round(now=T0)
    got = _by_stream(receiver.received)
    assert got[f"case:{first.pk}"] == [1]  # 2 failed: nothing after it
    assert got[f"case:{second.pk}"] == [1, 2]
    failed = WebhookDelivery.objects.get(event=stuck)
    assert (failed.state, failed.attempts, failed.last_status) == (DeliveryState.PENDING, 1,
                                                                   500)
    assert failed.next_attempt_at == T0 + dt.timedelta(seconds=30)
    webhooks.deliver_round(now=T0 + dt.timedelta(seconds=10))  # still in backoff
    assert _by_stream(receiver.received)[f"case:{first.pk}"] == [1]
    webhooks.deliver_round(now=T0 + dt.timedelta(seconds=31))
    assert _by_stream(receiver.received)[f"case:{first.pk}"] == [1, 2]


def test_final_failure_is_a_dead_letter_with_an_alert_and_replay_delivers_in_order(
        cast, catalogue, person, receiver):
    sub = _subscribe(receiver)
    case = accepted(cast, catalogue.bureau_item, person)
    head = WebhookDelivery.objects.get(subscription=sub, seq=1)
    WebhookDelivery.objects.filter(pk=head.pk).update(attempts=webhooks.MAX_ATTEMPTS - 1)
    counts = webhooks.deliver_round(now=T0)  # down: the last attempt fails
    assert counts["dead"] == 1
    head.refresh_from_db()
    assert head.state == DeliveryState.DEAD and head.dead_at == T0
    alert = EventAlert.objects.get()
    assert alert.delivery == head and "死信" in alert.text
    # the case's next event stays behind the dead letter, even with the receiver back
    receiver.up()
    later = T0 + dt.timedelta(hours=2)
    webhooks.deliver_round(now=later)
    assert receiver.received == []
    for role in ("clerk", "supervisor", "dept", "head"):
        with pytest.raises(ExchangeRefused):
            webhooks.replay(actor=cast[role], delivery=head)
    webhooks.replay(actor=cast["sysadmin"], delivery=head)
    assert AuditEvent.objects.filter(kind="coordination.webhook_replay").exists()
    webhooks.deliver_round(now=timezone.now())
    assert _by_stream(receiver.received)[f"case:{case.pk}"] == [1, 2]
    head.refresh_from_db()
    assert (head.state, head.replays) == (DeliveryState.DELIVERED, 1)
    with pytest.raises(ExchangeRefused):  # only a dead letter is replayed
        webhooks.replay(actor=cast["sysadmin"], delivery=head)


def test_a_claimed_head_is_leased_to_one_worker_until_its_lease_runs_out(
        cast, catalogue, person, receiver):
    _subscribe(receiver)
    first = accepted(cast, catalogue.bureau_item, person)
    accepted(cast, catalogue.bureau_item, person)
    a = webhooks.claim(T0, "worker-a")
    assert len(a) == 2  # the two heads (seq 1 of each case); the seconds wait behind them
    assert webhooks.claim(T0, "worker-b") == []
    assert set(WebhookDelivery.objects.filter(pk__in=a).values_list("stream", flat=True)) == \
        {f"case:{first.pk}", f"case:{first.pk + 1}"}
    # worker-a died: once the lease is over, worker-b takes them
    b = webhooks.claim(T0 + webhooks.LEASE + dt.timedelta(seconds=1), "worker-b")
    assert sorted(b) == sorted(a)


def test_the_worker_task_drains_and_schedules_itself_for_the_backoff(cast, catalogue, person,
                                                                     receiver):
    from django_tasks_db.models import DBTaskResult

    from oneseal.coordination import tasks_events

    _subscribe(receiver)
    accepted(cast, catalogue.bureau_item, person)
    DBTaskResult.objects.all().delete()
    counts = tasks_events.deliver_events.call()  # the receiver is down
    assert counts["failed"] == 1
    queued = DBTaskResult.objects.get(task_path=tasks_events.TASK_PATH, status="READY")
    assert queued.run_after is not None and queued.run_after > timezone.now()
    tasks_events.enqueue_delivery()  # one queued run is enough
    assert DBTaskResult.objects.filter(task_path=tasks_events.TASK_PATH).count() == 1
