"""Integers beyond a 64-bit column (2⁶⁴ here) are refused or ignored, never a 500: every
`<int:…>` part of every page URL (walked from the URL configuration), every integer
parameter of the API (walked from the OpenAPI document), and the integer query-string
parameters the pages read. Before the fix `/api/v1/items?page=`, `?department=`,
`/api/v1/items/{id}`, `/items/<id>/` and `?doc=` on the case page answered 500
(`OverflowError: Python int too large to convert to SQLite INTEGER`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import URLResolver, get_resolver

from oneseal.accounts.roles import Role
from oneseal.accounts.services import create_token
from oneseal.api.urls import api
from oneseal.cases.models import Case
from oneseal.core.api_types import MAX_DB_INT
from oneseal.core.bounds import parse_id, parse_ids
from tests.factories import UserFactory
from tests.login_helpers import log_in

from .conftest import at

HUGE = str(2**64)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-10"), tick=False):
        yield


@pytest.fixture
def everyone(db, bureau):
    """A verified session of a person holding every role, so no page stops at a 403."""
    user = UserFactory(username="all-roles", unit=bureau, roles=[r.value for r in Role])
    return log_in(Client(raise_request_exception=False), user)


def page_patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from page_patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


INT_PAGES = sorted(p for p in page_patterns() if "<int:" in p)


def test_the_walk_finds_the_pages_with_integers():
    assert "workbench/cases/<int:case_id>/" in INT_PAGES
    assert "items/<int:item_id>/" in INT_PAGES


@pytest.mark.parametrize("pattern", INT_PAGES)
def test_huge_integer_in_a_page_url_is_404(everyone, pattern):
    url = "/" + re.sub(r"<str:\w+>", "x", re.sub(r"<int:\w+>", HUGE, pattern))
    response = everyone.get(url)
    assert response.status_code == 404, (url, response.status_code)


def api_integer_parameters() -> list[tuple[str, str, str, dict]]:
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            for param in op.get("parameters", []):
                kinds = {param["schema"].get("type")} | {
                    o.get("type") for o in param["schema"].get("anyOf", [])}
                if "integer" in kinds:
                    found.append((method, path, param["name"], param))
    return found


API_INTS = api_integer_parameters()


def test_the_walk_finds_the_api_integers():
    names = {(path, name) for _m, path, name, _p in API_INTS}
    assert {("/api/v1/items", "page"), ("/api/v1/items", "department"),
            ("/api/v1/items/{item_id}", "item_id"), ("/api/v1/cases", "item_id")} <= names


@pytest.mark.parametrize(("method", "path", "name", "param"), API_INTS,
                         ids=[f"{m} {p} {n}" for m, p, n, _ in API_INTS])
def test_huge_integer_anywhere_in_the_api_is_4xx(client, cast, method, path, name, param):
    token = create_token(actor=None, user=cast["chief"])[0]
    url = re.sub(r"{(\w+)}", lambda m: HUGE if m.group(1) == name else "1", path)
    query = {name: HUGE} if param["in"] == "query" else {}
    headers = {"Authorization": f"Bearer {token}"}
    if method == "get":
        response = client.get(url, query, headers=headers)
    else:
        response = client.post(url + ("?" + f"{name}={HUGE}" if query else ""), "{}",
                               content_type="application/json", headers=headers)
    assert 400 <= response.status_code < 500, (method, url, name, response.status_code)
    assert response.json()["code"], response.json()
    if param["in"] == "query":
        bounds = [param["schema"], *param["schema"].get("anyOf", [])]
        assert any(b.get("maximum", MAX_DB_INT + 1) <= MAX_DB_INT for b in bounds), name


def test_huge_page_number_is_422_naming_page(client, db):
    response = client.get("/api/v1/items", {"page": HUGE})
    assert response.status_code == 422 and "page" in response.json()["detail"]


def _unknown_and_huge(client: Client, url: str, param: str, extra: str = "") -> tuple:
    unknown = client.get(f"{url}?{extra}{param}=987654321")
    huge = client.get(f"{url}?{extra}{param}={HUGE}")
    return unknown.status_code, huge.status_code


def test_page_query_integers_behave_as_an_unknown_id(everyone, licence):
    """A huge id in a page's query string is treated as an id that does not exist."""
    case = Case.objects.get(pk=licence.case_id)
    checks = [
        (f"/workbench/cases/{case.pk}/", "doc", ""),
        ("/workbench/cases/intake/new/", "person", ""),
        ("/workbench/cases/intake/new/", "organisation", ""),
        ("/workbench/cases/intake/new/", "item", f"person={case.person_id}&"),
        ("/workbench/cases/", "item", ""),
        ("/workbench/cases/", "cursor", ""),
        ("/items/", "department", ""),
        ("/items/", "page", ""),
    ]
    for url, param, extra in checks:
        unknown, huge = _unknown_and_huge(everyone, url, param, extra)
        assert huge == unknown and huge < 500, (url, param, unknown, huge)


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), (" 42 ", 42), (str(MAX_DB_INT), MAX_DB_INT), (str(MAX_DB_INT + 1), None),
    (HUGE, None), ("0", None), ("-3", None), ("²", None), ("１", None), ("", None),
    (None, None), ("1e3", None),
])
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


def test_parse_ids_skips_bad_parts_and_keeps_the_limit():
    assert parse_ids(f"3,{HUGE},²,4,5", limit=4) == [3, 4]
