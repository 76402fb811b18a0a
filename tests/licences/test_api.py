"""The licence API × the cast: readers see every licence (full holder number), the holder
sees their own (masked), everyone else finds nothing; anonymous callers get 401; every call
is logged (每次调用均登记), 404s and malformed identifiers included; state changes only by
the head and chiefs (撤销 第69条 etc.), a refused one changing nothing."""

from __future__ import annotations

import pytest
import time_machine

from oneseal.accounts.services import create_token
from oneseal.licences.models import Licence, LicenceAccess, LicenceEvent
from oneseal.licences.selectors import READERS
from tests.conftest import CAST
from tests.login_helpers import log_in

from .conftest import at

READER_NAMES = {name for name, roles in CAST.items() if set(roles) & set(READERS)}
HOLDER = "applicant"  # the cast's applicant is 张三, the fixture licence's holder
ID = "53011219800101123X"


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-10"), tick=False):
        yield


def _url(licence):
    return f"/api/v1/licences/{licence.identifier}"


@pytest.mark.parametrize("name", sorted(CAST))
def test_lookup_by_identifier_for_the_cast(client, cast, licence, name):
    log_in(client, cast[name])
    response = client.get(_url(licence))
    access = LicenceAccess.objects.get()
    assert access.user == cast[name] and access.query_kind == "identifier"
    assert access.token_label == "session"
    if name in READER_NAMES:
        assert response.status_code == 200, name
        body = response.json()
        assert body["holder_id"] == ID and body["identifier"] == licence.identifier
        assert body["state_today"] == "valid" and body["state_today_label"] == "有效"
        assert body["links"]["verify"].endswith(f"/verify/l/{licence.identifier}/")
        assert access.result_count == 1 and access.identifiers == [licence.identifier]
    elif name == HOLDER:
        assert response.status_code == 200
        assert response.json()["holder_id"] == "5301**********123X"
        assert "workbench" not in response.json()["links"]
    else:
        assert response.status_code == 404, name
        assert response.json()["code"] == "licence_not_found"
        assert access.result_count == 0


def test_lookup_fields_and_seal_status(client, cast, licence):
    log_in(client, cast["clerk"])
    body = client.get(_url(licence)).json()
    assert body["number"] == licence.number and body["type_code"] == licence.type.code
    assert body["valid_from"] == "2026-09-07" and body["valid_to"] == "2026-11-06"
    assert body["renewal_apply_by"] == "2026-10-08"  # 10-07 is a rest day (民法典 第203条)
    assert body["seal"] == {"signed": False, "signed_sha256": "", "signed_at": None}
    assert body["holder_id_type"] == "111" and body["issuer_code"] == licence.issuer_code


def test_anonymous_gets_401(client, licence):
    assert client.get(_url(licence)).status_code == 401
    assert client.get("/api/v1/licences", {"holder_id": ID}).status_code == 401
    assert client.post(_url(licence) + "/state", {"operation": "suspend", "reason": "x"},
                       content_type="application/json").status_code == 401


def test_bearer_token_lookup_is_logged_with_the_token_prefix(client, cast, licence):
    raw, token = create_token(actor=None, user=cast["dept"], name="监管系统")
    response = client.get(_url(licence), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and token.prefix and raw.startswith(token.prefix)
    access = LicenceAccess.objects.get()
    assert access.user == cast["dept"] and access.token_label == raw[:12]
    assert access.ip == "127.0.0.1"


def test_lookup_log_reads_the_client_address_through_a_trusted_proxy(client, cast, licence,
                                                                      settings):
    settings.ONESEAL_TRUSTED_PROXIES = ["127.0.0.1/32"]
    raw, _token = create_token(actor=None, user=cast["dept"], name="监管系统")
    response = client.get(_url(licence), HTTP_AUTHORIZATION=f"Bearer {raw}",
                          HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 200
    assert LicenceAccess.objects.get().ip == "203.0.113.7"


def test_malformed_identifier_is_422_with_the_check_message_and_logged(client, cast, licence):
    log_in(client, cast["clerk"])
    tampered = licence.identifier[:-1] + ("0" if licence.identifier[-1] != "0" else "1")
    response = client.get(f"/api/v1/licences/{tampered}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_identifier"
    assert "校验码" in response.json()["detail"]
    assert LicenceAccess.objects.get().result_count == 0


def test_unknown_identifier_is_404_and_logged(client, cast, licence):
    from oneseal.licences.domain.identifier import build_identifier

    log_in(client, cast["clerk"])
    other = build_identifier(licence.type.code, licence.issuer_code, "2026999999", 1)
    response = client.get(f"/api/v1/licences/{other}")
    assert response.status_code == 404 and response.json()["code"] == "licence_not_found"
    assert LicenceAccess.objects.get().query == other


@pytest.mark.parametrize("name", sorted(CAST))
def test_lookup_by_holder_for_the_cast(client, cast, licence, name):
    log_in(client, cast[name])
    response = client.get("/api/v1/licences", {"holder_id": ID,
                                               "type_code": licence.type.code})
    access = LicenceAccess.objects.get()
    assert access.query_kind == "holder" and access.query.startswith("5301**********123X")
    if name in READER_NAMES or name == HOLDER:
        assert response.status_code == 200, name
        assert response.json()["count"] == 1
        assert access.identifiers == [licence.identifier]
    elif name == "company":  # an agent: may ask, finds only its organisations' licences
        assert response.status_code == 200 and response.json()["count"] == 0
    else:
        assert response.status_code == 403, name
        assert access.result_count == 0


def test_lookup_by_holder_of_another_type_finds_nothing(client, cast, licence):
    log_in(client, cast["chief"])
    body = client.get("/api/v1/licences", {"holder_id": ID, "type_code": "999"}).json()
    assert body["count"] == 0


@pytest.mark.parametrize("name", sorted(CAST))
def test_art69_state_change_endpoint_for_the_cast(client, cast, licence, name):
    log_in(client, cast[name])
    events = LicenceEvent.objects.count()
    response = client.post(_url(licence) + "/state",
                           {"operation": "revoke", "reason": "以欺骗手段取得（第69条）。"},
                           content_type="application/json")
    state = Licence.objects.get(pk=licence.pk).state
    if name in {"head", "chief"}:
        assert response.status_code == 200, name
        assert response.json()["state"] == "revoked" and state == "revoked"
    else:
        expected = 403 if name in READER_NAMES or name == HOLDER else 404
        assert response.status_code == expected, name
        assert state == "valid" and LicenceEvent.objects.count() == events


def test_state_change_refusals_name_the_problem(client, cast, licence):
    log_in(client, cast["head"])
    url = _url(licence) + "/state"
    blank = client.post(url, {"operation": "suspend", "reason": " "},
                        content_type="application/json")
    assert blank.status_code == 422 and blank.json()["code"] == "reason_required"
    wrong = client.post(url, {"operation": "restore", "reason": "恢复。"},
                        content_type="application/json")
    assert wrong.status_code == 409 and "有效" in wrong.json()["detail"]
    assert Licence.objects.get(pk=licence.pk).state == "valid"
