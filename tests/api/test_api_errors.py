"""Every error of the API is `{"detail": <Chinese>, "code": ...}` and documented: a body that
is not JSON, a missing or bad credential, a failed CSRF check — which django-ninja used to
answer in English ("Cannot parse request body", "Unauthorized") and left out of the OpenAPI
document."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from oneseal.accounts.services import create_token
from oneseal.api.urls import api
from oneseal.cases.models import Case
from tests.login_helpers import log_in

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _token(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(actor=None, user=user)[0]}"}


def test_malformed_json_is_400_in_chinese_with_a_code(client, cast):
    response = client.post("/api/v1/cases", "{not json", content_type="application/json",
                           headers=_token(cast["clerk"]))
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON，无法解析。",
                               "code": "malformed_body"}
    assert Case.objects.count() == 0


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer os_unknown"},
                                     {"Authorization": "Basic abc"}])
def test_missing_or_bad_credential_is_401_in_chinese_with_a_code(client, db, headers):
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated" and CHINESE.search(body["detail"])
    assert response["WWW-Authenticate"] == "Bearer"


def test_session_write_without_csrf_token_is_403_in_chinese(cast):
    client = Client(enforce_csrf_checks=True)
    log_in(client, cast["chief"])
    response = client.post("/api/v1/licences/1.2.3/state", {"operation": "revoke",
                                                            "reason": "x"},
                           content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "csrf_failed" and CHINESE.search(body["detail"])


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else node


def test_every_operation_documents_its_errors_with_detail_and_code():
    schema = api.get_openapi_schema()
    checked = 0
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            responses = op["responses"]
            where = (method, path)
            if op.get("security"):
                assert "401" in responses, where
            if "application/json" in op.get("requestBody", {}).get("content", {}):
                assert "400" in responses, where
            if op.get("parameters") or op.get("requestBody"):
                assert "422" in responses, where
            for status, answer in responses.items():
                if not status.startswith("4"):
                    continue
                body = _resolve(schema, answer["content"]["application/json"]["schema"])
                assert {"detail", "code"} <= set(body["properties"]), (where, status)
                assert {"detail", "code"} <= set(body.get("required", [])), (where, status)
                checked += 1
    assert checked > 100
