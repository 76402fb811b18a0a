"""The statute's operations over the API: 当场更正 (第32条), joint handling and the
government's approval of its extension (第42条第二款), hearing notices and a hearing the
bureau calls itself (第36条, 第46–47条). Each endpoint calls the service the pages call; the
permission matrix is in test_api_permissions."""

from __future__ import annotations

import pytest
import time_machine

from oneseal.cases import services as svc

from .conftest import at
from .helpers import accepted, material, submit
from .test_api import Caller

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-02"), tick=False):
        yield


def test_article_32_spot_correction_over_the_api(client, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-02")
    form = material(case, "申请表")
    body = Caller(client).post("clerk", f"/cases/{case.pk}/spot-correction", {
        "items": [{"material": form.pk, "what": "申请日期笔误已更正"}]}).json()
    assert body["events"][-1]["kind"] == "spot_correction"
    assert body["events"][-1]["label"] == "当场更正"
    assert next(m for m in body["materials"] if m["id"] == form.pk)["status"] == "ok"
    refused = Caller(client).post("clerk", f"/cases/{case.pk}/spot-correction", {"items": []})
    assert refused.status_code == 422


def test_article_42_second_paragraph_joint_and_government_approval_over_the_api(
        client, cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    api = Caller(client)
    marked = api.post("chief", f"/cases/{case.pk}/joint",
                      {"kind": "unified", "reason": "统一办理"}).json()
    assert (marked["joint"], marked["joint_kind"], marked["joint_source"]) == (
        True, "unified", "bureau")
    assert marked["statutory_due"] == "2026-11-09"  # 45 working days from 09-01
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=15, reason="需会商",
                               at=at("2026-09-02"))
    head_view = api.get("head", f"/cases/{case.pk}").json()
    codes = {a["code"] for a in head_view["allowed_actions"]}
    assert "extension_government" in codes and "extension_approve" not in codes
    body = api.post("head", f"/cases/{case.pk}/extension/government", {
        "approver": "王副区长", "document_number": "西府复〔2026〕3号",
        "approved_on": "2026-09-02"}).json()
    assert body["statutory_due"] == "2026-11-30"
    assert body["extensions"][0]["external_approver"] == "王副区长"
    assert body["extensions"][0]["external_document"] == "西府复〔2026〕3号"


def test_article_46_47_hearings_over_the_api(client, cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    api = Caller(client)
    body = api.post("reviewer", f"/cases/{case.pk}/hearing-notice",
                    {"reason": "涉及相邻住户采光", "parties": ["李四"]}).json()
    assert [d["kind"] for d in body["documents"]].count("hearing_notice") == 2
    incomplete = api.post("reviewer", f"/cases/{case.pk}/special-procedures/start", {
        "kind": "hearing", "reason": "听证", "expected_days": 10,
        "hearing": {"hearing_on": "2026-09-11", "place": "第二听证室",
                    "chair_id": cast["chief"].pk}})
    assert incomplete.status_code == 422 and incomplete.json()["code"] == "hearing_incomplete"
    called = api.post("head", f"/cases/{case.pk}/special-procedures/start", {
        "kind": "hearing", "reason": "依职权听证", "expected_days": 10,
        "hearing": {"called_by_bureau": True, "hearing_on": "2026-09-11",
                    "place": "第二听证室", "chair_id": cast["chief"].pk,
                    "parties": ["李四"]}})
    assert called.status_code == 200, called.content.decode()
    assert called.json()["state"] == "special"
    assert [d["kind"] for d in called.json()["documents"]].count("hearing_notice") == 4
