"""Booleans are not integers, and numbers are not booleans, anywhere in the API: every JSON
field of every operation (found in the OpenAPI document, nested objects and lists
included) that expects an integer refuses `true`, and every one that expects a boolean
refuses `1` — with a 422 naming the field. Before the fix `"item_id": true` created a case
for item 1."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from oneseal.accounts.services import create_token
from oneseal.api.urls import api
from oneseal.cases.models import Case

from .conftest import at

Path = tuple[str | int, ...]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def leaves(schema: dict[str, Any], node: dict[str, Any], path: Path = ()
           ) -> Iterator[tuple[Path, str]]:
    """(path, type) of every integer or boolean field under `node`."""
    node = _resolve(schema, node)
    for option in node.get("anyOf", []):
        yield from leaves(schema, option, path)
    kind = node.get("type")
    if kind in ("integer", "boolean"):
        yield path, kind
    elif kind == "array":
        yield from leaves(schema, node.get("items", {}), (*path, 0))
    elif kind == "object":
        for name, child in node.get("properties", {}).items():
            yield from leaves(schema, child, (*path, name))


def body_with(path: Path, value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    return [body_with(rest, value)] if isinstance(head, int) else {head: body_with(rest, value)}


def typed_fields() -> list[tuple[str, Path, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            content = op.get("requestBody", {}).get("content", {})
            if method != "post" or "application/json" not in content:
                continue
            url = re.sub(r"{\w+}", "1", path)
            for field, kind in leaves(schema, content["application/json"]["schema"]):
                found.append((url, field, kind))
    return found


FIELDS = typed_fields()


def test_the_walk_finds_the_known_fields():
    assert ("/api/v1/cases", ("item_id",), "integer") in FIELDS
    assert ("/api/v1/cases", ("applicant", "person_id"), "integer") in FIELDS
    assert ("/api/v1/cases/1/complete-step", ("site_staff", 0), "integer") in FIELDS
    assert ("/api/v1/cases/1/extension/approve", ("approve",), "boolean") in FIELDS


@pytest.mark.parametrize(("url", "field", "kind"), FIELDS,
                         ids=[f"{u}:{'.'.join(map(str, f))}" for u, f, _k in FIELDS])
def test_wrong_json_kind_is_refused(client, cast, url, field, kind):
    token = create_token(actor=None, user=cast["clerk"])[0]
    wrong = True if kind == "integer" else 1
    with time_machine.travel(at("2026-09-01"), tick=False):
        response = client.post(url, json.dumps(body_with(field, wrong)),
                               content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422, response.content[:300]
    errors = response.json()["errors"]
    named = [e for e in errors if tuple(e["loc"][-len(field):]) == field]
    assert named and named[0]["type"] in {"int_type", "bool_type"}, errors
    assert Case.objects.count() == 0


def test_item_id_true_creates_no_case(client, cast, catalogue, person):
    token = create_token(actor=None, user=cast["clerk"])[0]
    body = {"item_id": True, "variant_code": "01", "applicant": {"person_id": person.pk}}
    with time_machine.travel(at("2026-09-01"), tick=False):
        response = client.post("/api/v1/cases", json.dumps(body),
                               content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input" and "item_id" in response.json()["detail"]
    assert Case.objects.count() == 0


def test_query_strings_are_still_read(client, cast):
    token = create_token(actor=None, user=cast["clerk"])[0]
    response = client.get("/api/v1/cases", {"limit": "2", "overdue": "true"},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
