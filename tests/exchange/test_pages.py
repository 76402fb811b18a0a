"""The data-exchange pages (数据交换): who sees what, who may change what. Every refused role
on every page is tested."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oneseal.coordination import apikeys
from oneseal.coordination.models import ApiKey, EventAlert, Subscription, WebhookDelivery
from oneseal.coordination.models_events import DeliveryState
from oneseal.org.models import Unit, UnitKind
from tests.cases.helpers import accepted
from tests.login_helpers import log_in as login

READERS = ("sysadmin", "supervisor", "dept")
REFUSED = ("applicant", "company", "clerk", "reviewer", "chief", "head", "catalog_admin",
           "helper", "outsider")


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()


@pytest.fixture
def world(cast, catalogue, person, department):
    other = Unit.objects.create(code="dept-other", name="西山区交通运输局",
                                kind=UnitKind.DEPARTMENT)
    own = Subscription.objects.create(name="环保监管平台", owner=department,
                                      url="http://127.0.0.1:9/hook", secret="s")
    theirs = Subscription.objects.create(name="交通执法平台", owner=other,
                                         url="http://127.0.0.1:9/other", secret="s")
    case = accepted(cast, catalogue.bureau_item, person)
    dead = WebhookDelivery.objects.filter(subscription=own, event__case=case).order_by(
        "seq").first()
    WebhookDelivery.objects.filter(pk=dead.pk).update(state=DeliveryState.DEAD,
                                                      last_error="连接失败", attempts=30)
    EventAlert.objects.create(delivery=dead, subscription=own, text="投递失败，已转入死信列表")
    expires = timezone.localdate() + dt.timedelta(days=30)
    own_key = apikeys.create_key(actor=cast["sysadmin"], name="环保监管系统密钥",
                                 department=department, operations=["case_status"],
                                 expires_on=expires)
    their_key = apikeys.create_key(actor=cast["sysadmin"], name="交通系统密钥",
                                   department=other, operations=["case_status"],
                                   expires_on=expires)
    for new in (own_key, their_key):
        Client().get(f"/api/v1/exchange/cases/{case.number}",
                     HTTP_AUTHORIZATION=f"Bearer {new.plaintext}")
    return {"own": own, "theirs": theirs, "dead": dead, "own_key": own_key.key,
            "their_key": their_key.key, "case": case}


def _pages(world):
    return [reverse("coordination_workbench:exchange"),
            reverse("coordination_workbench:deliveries"),
            reverse("coordination_workbench:subscription_detail", args=[world["own"].pk]),
            reverse("coordination_workbench:keys"),
            reverse("coordination_workbench:calls")]


def _admin_pages(world):
    return [reverse("coordination_workbench:subscription_new"),
            reverse("coordination_workbench:key_new")]


def _posts(world):
    return [reverse("coordination_workbench:replay", args=[world["dead"].pk]),
            reverse("coordination_workbench:key_revoke", args=[world["own_key"].pk])]


@pytest.mark.parametrize("role", REFUSED)
def test_every_page_refuses_roles_without_access(cast, world, role):
    client = login(Client(), cast[role])
    for url in _pages(world) + _admin_pages(world):
        assert client.get(url).status_code == 403, url
    for url in _posts(world):
        assert client.post(url).status_code == 403, url
    assert WebhookDelivery.objects.get(pk=world["dead"].pk).state == DeliveryState.DEAD
    assert ApiKey.objects.get(pk=world["own_key"].pk).revoked_at is None


def test_anonymous_is_sent_to_login(world):
    client = Client()
    for url in _pages(world) + _admin_pages(world):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]
    for url in _posts(world):
        assert client.post(url).status_code == 302


@pytest.mark.parametrize("role", ("supervisor", "dept"))
def test_readers_may_not_create_replay_or_revoke(cast, world, role):
    client = login(Client(), cast[role])
    for url in _admin_pages(world):
        assert client.get(url).status_code == 403
    for url in _posts(world):
        assert client.post(url).status_code == 403
    page = client.get(reverse("coordination_workbench:deliveries")).content.decode()
    assert "重放" not in page.split("</table>")[0].split("<tbody>")[-1]


def test_department_officer_sees_only_his_departments_rows(cast, world):
    client = login(Client(), cast["dept"])
    home = client.get(reverse("coordination_workbench:exchange")).content.decode()
    assert "环保监管平台" in home and "交通执法平台" not in home
    assert "投递失败，已转入死信列表" not in home  # alerts are for sysadmin and supervisors
    other = reverse("coordination_workbench:subscription_detail", args=[world["theirs"].pk])
    assert client.get(other).status_code == 404
    keys = client.get(reverse("coordination_workbench:keys")).content.decode()
    assert "环保监管系统密钥" in keys and "交通系统密钥" not in keys
    calls = client.get(reverse("coordination_workbench:calls")).content.decode()
    assert world["own_key"].prefix in calls and world["their_key"].prefix not in calls


def test_supervisor_sees_everything_and_the_alerts(cast, world):
    client = login(Client(), cast["supervisor"])
    home = client.get(reverse("coordination_workbench:exchange")).content.decode()
    assert "环保监管平台" in home and "交通执法平台" in home
    assert "投递失败，已转入死信列表" in home
    calls = client.get(reverse("coordination_workbench:calls")).content.decode()
    assert world["own_key"].prefix in calls and world["their_key"].prefix in calls


def test_sysadmin_replays_a_dead_letter_from_the_page(cast, world):
    client = login(Client(), cast["sysadmin"])
    page = client.get(reverse("coordination_workbench:deliveries")).content.decode()
    assert "连接失败" in page and "重放" in page
    response = client.post(reverse("coordination_workbench:replay", args=[world["dead"].pk]))
    assert response.status_code == 302
    row = WebhookDelivery.objects.get(pk=world["dead"].pk)
    assert (row.state, row.attempts, row.replays) == (DeliveryState.PENDING, 0, 1)


def test_sysadmin_creates_a_key_seen_once_and_revokes_it(cast, world, department):
    client = login(Client(), cast["sysadmin"])
    response = client.post(reverse("coordination_workbench:key_new"), {
        "name": "市场监管系统", "department": department.pk, "system": "市场监管平台",
        "operations": ["licence_lookup", "events_pull"],
        "expires_on": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        "rate_per_minute": 30})
    assert response.status_code == 200
    key = ApiKey.objects.get(name="市场监管系统")
    text = response.content.decode()
    assert f"osk_{key.prefix}_" in text
    shown = text.split('id="secret" type="text" readonly value="')[1].split('"')[0]
    assert apikeys.authenticate(shown) == key
    listing = client.get(reverse("coordination_workbench:keys")).content.decode()
    assert f"osk_{key.prefix}_…" in listing and "osk_" + key.prefix + "_" + "x" not in listing
    client.post(reverse("coordination_workbench:key_revoke", args=[key.pk]))
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None


def test_sysadmin_creates_a_subscription_and_sees_its_secret_once(cast, world, department):
    client = login(Client(), cast["sysadmin"])
    response = client.post(reverse("coordination_workbench:subscription_new"), {
        "name": "应急管理平台", "owner": department.pk, "url": "https://example.cn/hook",
        "types": ["cn.oneseal.case.decided"], "departments": [department.pk]})
    assert response.status_code == 200
    sub = Subscription.objects.get(name="应急管理平台")
    assert sub.secret in response.content.decode()
    assert sub.types == ["cn.oneseal.case.decided"]
    assert list(sub.departments.all()) == [department]
    detail = client.get(reverse("coordination_workbench:subscription_detail", args=[sub.pk]))
    assert sub.secret not in detail.content.decode()


def test_bad_form_input_gets_chinese_errors(cast, world):
    client = login(Client(), cast["sysadmin"])
    response = client.post(reverse("coordination_workbench:key_new"), {"name": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in \
        response.content.decode()
