"""The notification outbox: written in the transaction of the change it reports, delivered
by the worker with retries and backoff to SMS, e-mail and the message box, each message
once per channel; nothing lost when a channel is down for an hour."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from oneseal.cases import services as svc
from oneseal.cases.models import Case, CaseEvent
from oneseal.cases.services.clock_sync import recompute_open_cases
from oneseal.notifications import channels, services, tasks
from oneseal.notifications.models import Channel, Delivery, DeliveryState, Kind, Notification
from tests.cases.conftest import at
from tests.cases.helpers import accepted, check, decide_and_seal, fresh, submit


@pytest.fixture
def reachable(cast, person):
    cast["applicant"].email = "zhangsan@example.cn"
    cast["applicant"].save(update_fields=["email"])
    return cast["applicant"]


def kinds(case: Case) -> list[str]:
    return list(Notification.objects.filter(case=case).order_by("id")
                .values_list("kind", flat=True))


def test_received_and_accepted_write_one_notification_each_with_three_channels(
        cast, catalogue, person, reachable):
    case = accepted(cast, catalogue.bureau_item, person)
    assert kinds(case) == [Kind.RECEIVED, Kind.ACCEPTED]
    note = Notification.objects.get(case=case, kind=Kind.ACCEPTED)
    assert note.event.kind == "accept"
    assert case.number in note.title
    assert case.promised_due.isoformat() in note.text
    rows = sorted(note.deliveries.values_list("channel", "address"))
    assert rows == [(Channel.EMAIL, "zhangsan@example.cn"), (Channel.INBOX,
                    f"user:{reachable.pk}"), (Channel.SMS, "13800138000")]
    assert set(note.deliveries.values_list("state", flat=True)) == {DeliveryState.PENDING}


def test_internal_events_write_no_notification(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    before = Notification.objects.count()
    svc.case_claim(actor=cast["reviewer"], case=case, at=at("2026-09-02"))
    assert CaseEvent.objects.filter(case=case, kind="claim").exists()
    assert Notification.objects.count() == before


def test_correction_notice_names_the_materials(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    check(case, cast["clerk"], defective={"场所平面图": "未标注面积"})
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-01"))
    note = Notification.objects.get(case=case, kind=Kind.CORRECTION)
    assert "场所平面图" in note.text


def test_notification_rolls_back_with_the_change(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    check(case, cast["clerk"])
    before = Notification.objects.count(), Delivery.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
        assert Notification.objects.filter(case=case, kind=Kind.ACCEPTED).exists()
        raise RuntimeError("the caller's transaction fails after the service")
    assert (Notification.objects.count(), Delivery.objects.count()) == before
    assert Case.objects.get(pk=case.pk).state == "received"


def test_on_commit_enqueues_the_delivery(cast, catalogue, person,
                                         django_capture_on_commit_callbacks):
    case = submit(cast, catalogue.bureau_item, person)
    check(case, cast["clerk"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svc.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
    note = Notification.objects.get(case=case, kind=Kind.ACCEPTED)
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_notification").exists()
    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.filter(task_path__endswith="deliver_notification")
    assert [row.args_kwargs["args"] for row in queued] == [[note.pk]]


def test_delivery_reaches_each_channel_once(cast, catalogue, person, reachable, monkeypatch):
    sms: list[tuple[str, str]] = []
    monkeypatch.setattr(channels, "send_sms", lambda phone, text: sms.append((phone, text)))
    case = accepted(cast, catalogue.bureau_item, person)
    services.deliver_due()
    services.deliver_due()  # a second worker run finds nothing due
    assert [p for p, _ in sms] == ["13800138000", "13800138000"]  # received, accepted
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["zhangsan@example.cn"]
    assert not Delivery.objects.exclude(state=DeliveryState.SENT).exists()
    inbox = Delivery.objects.filter(user=reachable, channel=Channel.INBOX)
    assert inbox.count() == 2 and all(d.sent_at for d in inbox)
    assert case.number in mail.outbox[1].subject


def test_backoff_doubles_up_to_an_hour():
    assert [services.backoff(n).total_seconds() / 60 for n in range(1, 9)] == [
        1, 2, 4, 8, 16, 32, 60, 60]


def test_sms_gateway_down_for_an_hour_loses_nothing_and_sends_once(
        cast, catalogue, person, reachable, monkeypatch):
    """The gateway refuses everything for an hour and comes back; the hourly job and the
    backoff deliver each message once, e-mail and the message box meanwhile unaffected."""
    state = {"up": False}
    sent: list[str] = []

    def gateway(phone: str, text: str) -> None:
        if not state["up"]:
            raise channels.ChannelDown("gateway unreachable")
        sent.append(text)

    monkeypatch.setattr(channels, "send_sms", gateway)
    start = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        case = accepted(cast, catalogue.bureau_item, person)
        services.deliver_due()
        sms = Delivery.objects.filter(notification__case=case, channel=Channel.SMS)
        assert set(sms.values_list("state", flat=True)) == {DeliveryState.PENDING}
        assert len(mail.outbox) == 2  # the other channels were not held up
        for _minute in range(0, 60, 5):  # the worker keeps trying during the hour
            clock.shift(dt.timedelta(minutes=5))
            tasks.retry_deliveries.call()
        assert sent == [] and all(d.attempts >= 5 for d in sms)
        assert all(d.last_error == "gateway unreachable" for d in sms)
        state["up"] = True
        clock.shift(dt.timedelta(hours=1))  # the hourly job after the gateway is back
        tasks.retry_deliveries.call()
        tasks.retry_deliveries.call()
    assert len(sent) == 2
    assert set(sms.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert len(mail.outbox) == 2


def test_delivery_gives_up_after_the_last_attempt(cast, catalogue, person, monkeypatch):
    def down(phone: str, text: str) -> None:
        raise channels.ChannelDown("down")

    monkeypatch.setattr(channels, "send_sms", down)
    case = submit(cast, catalogue.bureau_item, person)
    delivery = Delivery.objects.get(notification__case=case, channel=Channel.SMS)
    Delivery.objects.filter(pk=delivery.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    assert services.deliver_one(delivery.pk, now=delivery.next_attempt_at) == "failed"
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.FAILED


def test_organisation_agent_authorised_in_force_is_told(cast, catalogue, firm, agent_person):
    case = submit(cast, catalogue.bureau_item, organisation=firm)
    note = Notification.objects.get(case=case, kind=Kind.RECEIVED)
    assert set(note.deliveries.values_list("channel", "user")) == {
        (Channel.INBOX, cast["company"].pk), (Channel.SMS, cast["company"].pk)}


def test_date_moved_by_a_recomputation_is_told(cast, catalogue, person, monkeypatch):
    case = accepted(cast, catalogue.bureau_item, person)
    # the calendar moved the promised date: simulate by shifting the stored one
    Case.objects.filter(pk=case.pk).update(promised_due=dt.date(2026, 9, 30))
    recompute_open_cases(today=dt.date(2026, 9, 2))
    event = CaseEvent.objects.get(case=case, kind="clocks_recomputed")
    assert event.data["applicant_told"]
    note = Notification.objects.get(case=case, kind=Kind.DATE_MOVED)
    assert note.event_id == event.pk
    assert f"承诺办结期限 2026-09-30 → {fresh(case).promised_due.isoformat()}" in note.text


def test_special_procedure_tells_its_expected_length(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    svc.case_special_start(actor=cast["head"], case=case, kind="expert_review",
                           reason="专家论证", expected_days=3, at=at("2026-09-02"))
    note = Notification.objects.get(case=case, kind=Kind.SPECIAL)
    assert "预计需要3个工作日" in note.text and "第四十五条" in note.text


def test_article_42_extension_tells_the_new_statutory_date(cast, catalogue, person):
    """Accepted Tue 2026-09-01: 20 working days (Sunday 09-20 worked, 中秋 Friday 09-25 off)
    end Tue 09-29; 10 more — 09-30, then after 国庆 10-01..10-07: 10-08, 10-09, Saturday
    10-10 (调休, worked), 10-12..10-16, 10-19 — end Mon 2026-10-19."""
    case = accepted(cast, catalogue.bureau_item, person)
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=10,
                               reason="需补充现场勘验。", at=at("2026-09-10"))
    assert not Notification.objects.filter(case=case, kind=Kind.EXTENDED).exists()
    svc.case_extension_approve(actor=cast["head"], case=case, approve=True,
                               at=at("2026-09-11"))
    note = Notification.objects.get(case=case, kind=Kind.EXTENDED)
    assert "延长10个工作日" in note.text and "2026-10-19" in note.text


def test_decided_ready_and_delivered_are_told(cast, catalogue, person, seals):
    case = decide_and_seal(cast, catalogue, person)
    svc.case_deliver(actor=cast["clerk"], case=case, method="pickup", collector_name="张三",
                     collector_id_number="53011219800101123X", at=at("2026-09-08"))
    assert kinds(case)[-3:] == [Kind.DECIDED, Kind.READY, Kind.DELIVERED]
    assert "准予许可" in Notification.objects.get(case=case, kind=Kind.DECIDED).text


def test_admin_lists_the_outbox_read_only(client, cast, catalogue, person, django_user_model):
    submit(cast, catalogue.bureau_item, person)
    admin_user = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin_user)
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.login_helpers import confirmed_device

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(admin_user).persistent_id
    session.save()
    response = client.get("/django-admin/notifications/delivery/")
    html = response.content.decode()
    assert response.status_code == 200 and "138****8000" in html and "13800138000" not in html
    delivery = Delivery.objects.first()
    before = Delivery.objects.count()
    client.post(f"/django-admin/notifications/delivery/{delivery.pk}/delete/", {"post": "yes"})
    assert Delivery.objects.count() == before
