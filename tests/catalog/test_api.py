"""GET /api/v1/items and GET /api/v1/items/{id}: public, paginated, never a 500."""

from __future__ import annotations

import pytest

from oneseal.catalog.models import Item, VersionStatus
from tests.conftest import CAST
from tests.login_helpers import log_in

from .helpers import build_draft


def test_list_items_searches_filters_and_pages(client, demo_catalog):
    body = client.get("/api/v1/items", {"page_size": 10}).json()
    assert body["count"] == 29 and len(body["items"]) == 10 and body["page"] == 1
    last = client.get("/api/v1/items", {"page_size": 10, "page": 3}).json()
    assert len(last["items"]) == 9
    ids = {i["id"] for i in body["items"]} | {i["id"] for i in last["items"]}
    assert len(ids) == 19  # pages do not overlap
    food = client.get("/api/v1/items", {"q": "食品"}).json()
    assert [i["name"] for i in food["items"]] == ["食品经营许可"]
    assert food["items"][0]["handling_type"] == "承诺件"
    spjy = client.get("/api/v1/items", {"q": "SPJY"}).json()
    assert [i["name"] for i in spjy["items"]] == ["食品经营许可"]
    confirm = client.get("/api/v1/items", {"type": "confirmation"}).json()
    assert [i["name"] for i in confirm["items"]] == ["个体工商户登记"]
    assert confirm["items"][0]["handling_type"] == "即办件"
    deep = client.get("/api/v1/items", {"depth": 4, "street": True}).json()
    assert {i["name"] for i in deep["items"]} == {"食品经营许可", "个体工商户登记", "用水报装",
                                                  "用电报装"}
    moved = client.get("/api/v1/items", {"transferred": True, "page_size": 100}).json()
    assert moved["count"] == 22
    assert {i["implementing_body"]["name"] for i in moved["items"]} == {"昆明市西山区行政审批局"}


def test_item_detail_has_the_whole_guide(client, demo_catalog):
    item = Item.objects.get(versions__name="建设项目环境影响报告书审批")
    body = client.get(f"/api/v1/items/{item.pk}").json()
    assert body["statutory_limit_days"] == 60 and body["promised_limit_days"] == 30
    assert body["legal_bases"][1]["article"] == "第二十二条"
    assert {p["kind"] for p in body["special_procedures"]} == {"expert_review", "hearing"}
    assert all(p["stops_clock"] for p in body["special_procedures"])
    assert body["variants"][0]["steps"][0] == {
        "order": 1, "name": "受理", "role": "clerk", "limit_days": 1, "skippable_on_spot": False,
        "site_visit": False}
    assert body["transfer"]["effective_on"] == "2019-03-31"
    assert body["transfer"]["from_department"]["name"] == "西山区环境保护局"


def test_unknown_or_unpublished_item_is_404_in_chinese(client, org):
    draft = build_draft(None, org["dept-env"])
    for pk in (draft.item_id, 999999):
        response = client.get(f"/api/v1/items/{pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "事项不存在或未发布。", "code": "not_found"}
    assert draft.status == VersionStatus.DRAFT


@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 1000}, {"depth": 9},
                                    {"department": "x"}])
def test_bad_parameters_are_422_not_500(client, db, params):
    assert client.get("/api/v1/items", params).status_code == 422


@pytest.mark.parametrize("who", [None, *CAST])
def test_the_catalogue_api_is_public_for_everyone(client, cast, who):
    if who:
        log_in(client, cast[who])
    assert client.get("/api/v1/items").status_code == 200


def test_the_endpoints_are_documented_in_openapi(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"q", "department", "type", "street", "depth", "page", "page_size"} <= {
        p["name"] for p in paths["/api/v1/items"]["get"]["parameters"]}
    assert {"200", "404"} <= set(paths["/api/v1/items/{item_id}"]["get"]["responses"])
