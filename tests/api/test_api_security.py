"""A half-logged-in session (password given, TOTP code not yet) can do nothing through the
API: every route is walked — enumerated from the API's own URL patterns and OpenAPI
document, so a route added later is walked too — and each route that needs a credential
answers 401 in Chinese with a code, and nothing in the database changes.

Before the fix the licence routes accepted ninja's `django_auth`, which checks only
`is_authenticated`: such a session could revoke any licence."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.apps import apps

from oneseal.accounts.roles import TWO_FACTOR_ROLES
from oneseal.api.urls import api
from oneseal.cases.models import Case
from oneseal.licences.models import Licence
from tests.conftest import CAST
from tests.login_helpers import log_in

from .conftest import at

#: Routes anyone may call without logging in. A new public route must be added here on
#: purpose (the test below fails otherwise).
PUBLIC = {
    ("get", "/api/v1/health"), ("get", "/api/v1/calendar/deadline"),
    ("get", "/api/v1/items"), ("get", "/api/v1/items/{item_id}"),
    ("post", "/api/v1/verify"),
}
HALF_LOGGED_IN = sorted(name for name, roles in CAST.items() if set(roles) & TWO_FACTOR_ROLES)
#: Bodies that the operations would act on, had the session been accepted.
BODIES = {
    "licence_state": {"operation": "revoke", "reason": "以欺骗手段取得（第69条）。"},
    "refuse": {"reason": "不属于本机关职权。"}, "terminate": {"reason": "申请人死亡。"},
    "withdraw": {"reason": "申请人撤回。"}, "reopen": {"reason": "恢复。"},
    "extension_request": {"days": 10, "reason": "情况复杂。"},
    "extension_approve": {"approve": True},
    "decide": {"outcome": "granted"}, "decide_on_spot": {"outcome": "granted"},
}


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-10"), tick=False):
        yield


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every operation in the OpenAPI document."""
    schema = api.get_openapi_schema()
    return [(method, path, op) for path, ops in schema["paths"].items()
            for method, op in ops.items()]


def snapshot() -> dict[str, Any]:
    """Row counts of every table, and the states of every case and licence."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()
              if model._meta.label not in {"sessions.Session", "otp_totp.TOTPDevice"}}
    return {"counts": counts,
            "cases": list(Case.objects.order_by("pk").values_list("pk", "state", "revision")),
            "licences": list(Licence.objects.order_by("pk").values_list("pk", "state"))}


def test_every_api_url_is_in_the_openapi_document():
    """The walk below reads the OpenAPI document: a route hidden from it would escape."""
    documented = {re.sub(r"{(\w+)}", r"<\1>", path.removeprefix("/api/v1/"))
                  for _method, path, _op in operations()}
    served = {str(p.pattern) for p in api.urls[0]} - {"openapi.json", "docs", ""}
    assert served <= documented, served - documented


def test_routes_without_a_credential_are_exactly_the_public_ones():
    public = {(method, path) for method, path, op in operations() if not op.get("security")}
    assert public == PUBLIC


@pytest.mark.parametrize("name", HALF_LOGGED_IN)
def test_half_logged_in_session_is_refused_on_every_route(client, cast, licence, name):
    case = Case.objects.get(pk=licence.case_id)
    values = {"case_id": case.pk, "doc_id": case.documents.first().pk,
              "identifier": licence.identifier, "item_id": case.item_id,
              "number": case.number}
    log_in(client, cast[name], verified=False)
    before = snapshot()
    walked = 0
    for method, path, op in operations():
        if not op.get("security"):
            continue
        url = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
        name_of_op = op["operationId"].rsplit("_api_", 1)[-1]
        if method == "get":
            response = client.get(url, {"holder_id": "53011219800101123X"})
        else:
            response = client.post(url, BODIES.get(name_of_op, {}),
                                   content_type="application/json")
        assert response.status_code == 401, (method, path, response.content[:200])
        body = response.json()
        assert body["code"] in {"second_factor_required", "not_authenticated"}, (method, path)
        assert re.search(r"[\u4e00-\u9fff]", body["detail"]), body
        walked += 1
    assert walked >= 25
    assert snapshot() == before


def test_session_auth_says_the_second_factor_is_missing(client, cast, licence):
    log_in(client, cast["head"], verified=False)
    response = client.post(f"/api/v1/licences/{licence.identifier}/state",
                           BODIES["licence_state"], content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "请先完成双因素认证（输入动态验证码）后再调用接口。",
                               "code": "second_factor_required"}
    assert Licence.objects.get(pk=licence.pk).state == "valid"


def test_verified_session_may_act(client, cast, licence):
    log_in(client, cast["head"])
    response = client.post(f"/api/v1/licences/{licence.identifier}/state",
                           BODIES["licence_state"], content_type="application/json")
    assert response.status_code == 200
    assert Licence.objects.get(pk=licence.pk).state == "revoked"


def test_session_of_a_role_without_second_factor_may_read(client, cast, licence):
    log_in(client, cast["clerk"])
    response = client.get(f"/api/v1/licences/{licence.identifier}")
    assert response.status_code == 200
