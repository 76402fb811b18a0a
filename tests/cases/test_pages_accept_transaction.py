"""第32条 at the front desk: "保存并受理" runs the material check and the acceptance in one
transaction on the page, as `POST /api/v1/cases/{id}/accept` with `results` does (one rule,
two faces). Before, the page saved the check and then tried to accept: a refused acceptance
left the check saved behind the clerk's back."""

from __future__ import annotations

import json

import pytest
import time_machine

from oneseal.accounts.services import create_token
from oneseal.cases.models import CaseEvent, CaseMaterial, CheckStatus
from tests.login_helpers import log_in

from .conftest import at
from .helpers import fresh, submit


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-01"), tick=False):
        yield


def _rows(case, *, defective: str):
    """The check table with one required material marked 需补正."""
    rows = []
    for m in case.materials.order_by("sort"):
        status = ("shared" if m.shareable else "ok") if m.required else "not_needed"
        if m.name == defective:
            status = "defective"
        rows.append({"material": m.pk, "status": status,
                     "reason": "缺少签字" if status == "defective" else ""})
    return rows


def _state(case):
    return (fresh(case).state, fresh(case).revision,
            list(CaseMaterial.objects.filter(case=case).order_by("pk")
                 .values_list("status", "reason")),
            CaseEvent.objects.filter(case=case).count())


def test_article_32_refused_acceptance_keeps_no_check_on_the_page(client, cast, catalogue,
                                                                  person):
    case = submit(cast, catalogue.bureau_item, person)
    before = _state(case)
    assert all(s in (CheckStatus.PENDING, CheckStatus.SHARED) for s, _r in before[2])
    data = {"then": "accept"}
    for row in _rows(case, defective="申请表"):
        data[f"status-{row['material']}"] = row["status"]
        data[f"reason-{row['material']}"] = row["reason"]
    log_in(client, cast["clerk"])
    response = client.post(f"/workbench/cases/{case.pk}/do/check_materials/", data)
    assert response.status_code == 200
    assert "以下必要材料尚未核验合格，不能受理" in response.content.decode()
    assert _state(case) == before


def test_article_32_the_api_refuses_the_same_way(client, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    before = _state(case)
    token = create_token(actor=None, user=cast["clerk"])[0]
    response = client.post(f"/api/v1/cases/{case.pk}/accept",
                           json.dumps({"results": _rows(case, defective="申请表")}),
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and response.json()["code"] == "materials_not_ready"
    assert _state(case) == before


def test_article_32_check_and_accept_on_the_page_is_one_acceptance(client, cast, catalogue,
                                                                   person):
    case = submit(cast, catalogue.bureau_item, person)
    data = {"then": "accept"}
    for row in _rows(case, defective=""):
        data[f"status-{row['material']}"] = row["status"]
        data[f"reason-{row['material']}"] = row["reason"]
    log_in(client, cast["clerk"])
    response = client.post(f"/workbench/cases/{case.pk}/do/check_materials/", data)
    assert response.status_code == 302
    case = fresh(case)
    assert case.state == "reviewing"
    kinds = list(CaseEvent.objects.filter(case=case).order_by("seq")
                 .values_list("kind", flat=True))
    assert kinds == ["submit", "check_materials", "accept"]
