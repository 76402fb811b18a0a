"""The event outbox (work-plan measure 九): case milestones and licence changes become
CloudEvents 1.0 events in the transaction of the change, numbered per case."""

from __future__ import annotations

import pytest
from django.db import transaction

from oneseal.cases import services as svc
from oneseal.cases.models import Case
from oneseal.coordination import events
from oneseal.coordination.models import Event, Subscription, WebhookDelivery
from oneseal.licences import services as licence_services
from tests.cases.conftest import at
from tests.cases.helpers import accepted, bureau_to_final, check, submit


def types(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("seq").values_list("type", flat=True))


def test_case_milestones_are_events_numbered_per_case(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    svc.case_claim(actor=cast["reviewer"], case=case, at=at("2026-09-02"))  # internal step
    assert types(case) == [events.CASE_RECEIVED, events.CASE_ACCEPTED]
    other = accepted(cast, catalogue.bureau_item, person)
    assert list(Event.objects.filter(case=other).values_list("seq", flat=True)) == [1, 2]
    event = Event.objects.get(case=case, type=events.CASE_ACCEPTED)
    assert (event.stream, event.seq) == (f"case:{case.pk}", 2)
    assert event.item_id == catalogue.bureau_item.pk
    assert event.department_id == case.department_id
    assert event.data["case_number"] == case.number
    assert event.data["applicant_name"] == "张*"  # a person's name masked


def test_envelope_is_cloudevents_1_0(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    event = Event.objects.get(case=case, type=events.CASE_ACCEPTED)
    body = events.envelope(event)
    assert body["specversion"] == "1.0"
    assert body["id"] == str(event.event_id)
    assert body["source"].startswith("/oneseal/")
    assert body["type"] == "cn.oneseal.case.accepted"
    assert body["subject"] == case.number
    assert body["datacontenttype"] == "application/json"
    assert body["time"].endswith("Z")
    assert body["sequence"] == "2"
    assert body["data"]["state"] == "reviewing"  # accepted: into the review chain


def test_event_rolls_back_with_the_change(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    check(case, cast["clerk"])
    before = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
        assert Event.objects.filter(case=case, type=events.CASE_ACCEPTED).exists()
        raise RuntimeError("the caller's transaction fails after the service")
    assert Event.objects.count() == before


def test_decision_and_licence_issue_and_revocation_are_events_of_the_case(
        cast, catalogue, person, licence_type):
    case = accepted(cast, catalogue.bureau_item, person)
    bureau_to_final(cast, case)
    svc.case_decide(actor=cast["head"], case=case, outcome="granted", reasons="",
                    at=at("2026-09-07"))
    licence = case.licences.get()
    licence_services.revoke_licence(actor=cast["head"], licence=licence,
                                    reason="以欺骗手段取得（第六十九条第二款）")
    assert types(case) == [events.CASE_RECEIVED, events.CASE_ACCEPTED, events.CASE_DECIDED,
                           events.LICENCE_ISSUED, events.LICENCE_REVOKED]
    seqs = list(Event.objects.filter(stream=f"case:{case.pk}").order_by("id")
                .values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5]
    revoked = Event.objects.get(case=case, type=events.LICENCE_REVOKED)
    assert revoked.subject == licence.identifier
    assert revoked.data["state"] == "revoked"
    assert revoked.data["holder_id"] == licence.holder_id_masked != licence.holder_id


def test_deliveries_written_for_matching_subscriptions_only(cast, catalogue, person,
                                                            department):
    every = Subscription.objects.create(name="全部", url="http://127.0.0.1:9/", secret="s")
    accepted_only = Subscription.objects.create(
        name="受理", url="http://127.0.0.1:9/", secret="s", types=[events.CASE_ACCEPTED])
    other_item = Subscription.objects.create(name="别的事项", url="http://127.0.0.1:9/",
                                             secret="s")
    other_item.items.add(catalogue.hall_item)
    own_dept = Subscription.objects.create(name="本部门", url="http://127.0.0.1:9/",
                                           secret="s", owner=department)
    own_dept.departments.add(department)
    off = Subscription.objects.create(name="停用", url="http://127.0.0.1:9/", secret="s",
                                      active=False)
    case = accepted(cast, catalogue.bureau_item, person)
    count = dict.fromkeys((every, accepted_only, other_item, own_dept, off), 0)
    for sub in count:
        count[sub] = WebhookDelivery.objects.filter(subscription=sub, event__case=case).count()
    assert case.department_id == department.pk
    assert [count[s] for s in (every, accepted_only, other_item, own_dept, off)] == \
        [2, 1, 0, 2, 0]


def test_emit_refuses_a_foreign_type_and_a_missing_stream(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    with pytest.raises(ValueError):
        events.emit("org.example.thing", case=case, data={})
    with pytest.raises(ValueError):
        events.emit(events.CASE_DECIDED, data={})


def test_event_emitted_signal_is_sent_inside_the_transaction(cast, catalogue, person):
    seen = []

    def receiver(sender, event, **kwargs):
        seen.append((event.type, transaction.get_connection().in_atomic_block))

    events.event_emitted.connect(receiver)
    try:
        accepted(cast, catalogue.bureau_item, person)
    finally:
        events.event_emitted.disconnect(receiver)
    assert seen == [(events.CASE_RECEIVED, True), (events.CASE_ACCEPTED, True)]
