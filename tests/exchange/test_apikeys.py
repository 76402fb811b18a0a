"""API keys of departments and systems (work-plan measure 九): scoped per department, item
and operation, expiring and revocable, hashed at rest, rate-limited, every call logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from oneseal.cases import services as svc
from oneseal.coordination import apikeys
from oneseal.coordination.errors_events import ExchangeRefused
from oneseal.coordination.models import ApiCall, ApiKey, Event
from oneseal.licences import services as licence_services
from oneseal.org.models import Unit, UnitKind
from tests.cases.conftest import at
from tests.cases.helpers import accepted, bureau_to_final

ALL = ["case_status", "events_pull", "licence_lookup"]


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()


def _key(cast, department, *, ops=ALL, items=(), rate=60, days=30):
    return apikeys.create_key(actor=cast["sysadmin"], name="环保监管系统", department=department,
                              operations=ops, items=items, rate_per_minute=rate,
                              expires_on=timezone.localdate() + dt.timedelta(days=days))


def _get(path, key, *, header="bearer"):
    client = Client()
    if header == "bearer":
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.get(path, HTTP_X_API_KEY=key)


@pytest.fixture
def decided_case(cast, catalogue, person, licence_type):
    case = accepted(cast, catalogue.bureau_item, person)
    bureau_to_final(cast, case)
    return svc.case_decide(actor=cast["head"], case=case, outcome="granted", reasons="",
                           at=at("2026-09-07"))


def test_key_is_shown_once_and_stored_as_a_hash(cast, department):
    new = _key(cast, department)
    assert new.plaintext.startswith("osk_" + new.key.prefix + "_")
    row = ApiKey.objects.get(pk=new.key.pk)
    assert new.plaintext not in row.key_hash and len(row.key_hash) == 64
    assert apikeys.authenticate(new.plaintext) == row


@pytest.mark.parametrize("role", ["dept", "supervisor", "clerk", "head", "chief",
                                  "catalog_admin", "applicant", "helper"])
def test_only_the_sysadmin_creates_and_revokes_keys(cast, department, role):
    with pytest.raises(ExchangeRefused):
        apikeys.create_key(actor=cast[role], name="x", department=department,
                           operations=ALL, expires_on=timezone.localdate() + dt.timedelta(1))
    new = _key(cast, department)
    with pytest.raises(ExchangeRefused):
        apikeys.revoke_key(actor=cast[role], key=new.key)


def test_key_creation_checks_its_fields(cast, department):
    today = timezone.localdate()
    bad = [dict(name=""), dict(operations=[]), dict(operations=["delete_everything"]),
           dict(expires_on=today), dict(expires_on=today + dt.timedelta(days=4 * 366)),
           dict(rate_per_minute=0)]
    for change in bad:
        fields = dict(name="k", department=department, operations=ALL,
                      expires_on=today + dt.timedelta(days=5), rate_per_minute=60)
        fields.update(change)
        with pytest.raises(ExchangeRefused):
            apikeys.create_key(actor=cast["sysadmin"], **fields)


def test_case_status_by_bearer_and_by_x_api_key_of_the_own_department(
        cast, catalogue, person, department, decided_case):
    new = _key(cast, department)
    for header in ("bearer", "x-api-key"):
        response = _get(f"/api/v1/exchange/cases/{decided_case.number}", new.plaintext,
                        header=header)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["number"] == decided_case.number
        assert body["outcome"] == "granted"
        assert body["applicant_name"] == "张*"
    calls = list(ApiCall.objects.filter(key=new.key).values_list("operation", "status",
                                                                   "query"))
    assert calls == [("case_status", 200, decided_case.number)] * 2


def test_other_departments_cases_are_not_found(cast, catalogue, person, decided_case):
    other = Unit.objects.create(code="dept-other", name="西山区交通运输局",
                                kind=UnitKind.DEPARTMENT)
    new = _key(cast, other)
    response = _get(f"/api/v1/exchange/cases/{decided_case.number}", new.plaintext)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert ApiCall.objects.get(key=new.key).status == 404


def test_items_scope_the_key(cast, catalogue, person, department, decided_case):
    new = _key(cast, department, items=[catalogue.hall_item])
    response = _get(f"/api/v1/exchange/cases/{decided_case.number}", new.plaintext)
    assert response.status_code == 404


def test_an_operation_outside_the_key_is_refused_and_logged(cast, department, decided_case):
    new = _key(cast, department, ops=["licence_lookup"])
    response = _get(f"/api/v1/exchange/cases/{decided_case.number}", new.plaintext)
    assert response.status_code == 403
    assert response.json()["code"] == "operation_not_allowed"
    assert ApiCall.objects.get(key=new.key).status == 403


def test_licence_lookup_masks_the_person(cast, department, decided_case):
    licence = decided_case.licences.get()
    new = _key(cast, department)
    response = _get(f"/api/v1/exchange/licences/{licence.identifier}", new.plaintext)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["holder_id"] == licence.holder_id_masked != licence.holder_id
    assert body["holder_name"] == "张*"
    assert body["case_number"] == decided_case.number


def test_events_pull_pages_through_the_departments_events(cast, department, decided_case):
    licence = decided_case.licences.get()
    licence_services.revoke_licence(actor=cast["head"], licence=licence, reason="以欺骗手段取得")
    new = _key(cast, department)
    first = _get("/api/v1/exchange/events?limit=3", new.plaintext).json()
    assert first["count"] == 3
    assert [e["type"] for e in first["items"]] == [
        "cn.oneseal.case.received", "cn.oneseal.case.accepted", "cn.oneseal.case.decided"]
    rest = _get(f"/api/v1/exchange/events?after={first['next_after']}", new.plaintext).json()
    assert [e["type"] for e in rest["items"]] == ["cn.oneseal.licence.issued",
                                                  "cn.oneseal.licence.revoked"]
    assert rest["items"][1]["data"]["state"] == "revoked"
    assert Event.objects.count() == 5


def test_revoked_expired_and_wrong_keys_are_refused_with_their_code(cast, department,
                                                                    decided_case):
    path = f"/api/v1/exchange/cases/{decided_case.number}"
    revoked = _key(cast, department)
    apikeys.revoke_key(actor=cast["sysadmin"], key=revoked.key)
    expired = _key(cast, department)
    ApiKey.objects.filter(pk=expired.key.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    wrong = revoked.plaintext[:-3] + "xyz"
    cases = [(revoked.plaintext, "api_key_revoked"), (expired.plaintext, "api_key_expired"),
             (wrong, "invalid_api_key"), ("os_not_a_key", "invalid_api_key")]
    for text, code in cases:
        response = _get(path, text)
        assert response.status_code == 401, text
        assert response.json()["code"] == code
    assert Client().get(path).status_code == 401  # no key at all
    # a user's bearer token or session is not a key
    client = Client()
    client.force_login(cast["dept"])
    assert client.get(path).status_code == 401
    logged = set(ApiCall.objects.values_list("prefix", "status"))
    assert (revoked.key.prefix, 401) in logged and (expired.key.prefix, 401) in logged


def test_rate_limit_per_key(cast, department, decided_case):
    new = _key(cast, department, rate=3)
    path = f"/api/v1/exchange/cases/{decided_case.number}"
    statuses = [_get(path, new.plaintext).status_code for _i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert ApiCall.objects.filter(key=new.key, status=429).count() == 2
    other = _key(cast, department, rate=3)  # another key has its own budget
    assert _get(path, other.plaintext).status_code == 200


def test_keys_and_calls_are_visible_to_the_department_and_supervision(cast, department,
                                                                      decided_case):
    own = _key(cast, department)
    other_dept = Unit.objects.create(code="dept-other", name="西山区交通运输局",
                                     kind=UnitKind.DEPARTMENT)
    theirs = _key(cast, other_dept)
    _get(f"/api/v1/exchange/cases/{decided_case.number}", own.plaintext)
    _get(f"/api/v1/exchange/cases/{decided_case.number}", theirs.plaintext)
    assert set(apikeys.visible_keys(cast["dept"])) == {own.key}
    assert apikeys.visible_calls(cast["dept"]).count() == 1
    for role in ("supervisor", "sysadmin"):
        assert set(apikeys.visible_keys(cast[role])) == {own.key, theirs.key}
        assert apikeys.visible_calls(cast[role]).count() == 2
    for role in ("clerk", "head", "applicant"):
        assert not apikeys.visible_keys(cast[role]).exists()
        assert not apikeys.visible_calls(cast[role]).exists()
