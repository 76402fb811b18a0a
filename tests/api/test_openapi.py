"""The API schema is a contract other departments build against: the committed
docs/openapi.json must equal the generated one (architecture rule 10).

After an intended API change, regenerate it with
`ONESEAL_DEV=1 .venv/bin/oneseal manage export_openapi > docs/openapi.json`."""

import json
from pathlib import Path

from oneseal.api.urls import api

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_openapi_equals_generated():
    generated = api.get_openapi_schema()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(generated)), (
        "docs/openapi.json 已过期 / is stale: regenerate it (see this module's docstring)"
    )


def test_openapi_served_and_names_the_endpoints(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/me", "/api/v1/calendar/deadline", "/api/v1/items"):
        assert path in paths


def test_bad_input_anywhere_is_422_with_a_chinese_message_naming_the_field(client, db):
    response = client.get("/api/v1/items", {"page": "abc"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert "请求参数不正确" in body["detail"] and "page" in body["detail"]
    assert body["errors"][0]["loc"] == ["query", "page"]
