"""The query code of the public progress page (查询码, `/progress/`) is in the API's case
answer for the applicant's side and the window clerks, and for no other role. Before, it was
only printed in the 受理通知书 PDF, so an API client could not hand it to the applicant."""

from __future__ import annotations

import json

import pytest
import time_machine

from oneseal.accounts.services import create_token
from oneseal.cases.models import Case
from tests.conftest import CAST

from .conftest import at
from .helpers import submit

SEES_CODE = {"clerk", "applicant"}


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-01"), tick=False):
        yield


def _headers(user, extra=None):
    return {"Authorization": f"Bearer {create_token(actor=None, user=user)[0]}",
            **(extra or {})}


@pytest.mark.parametrize("name", sorted(CAST))
def test_case_detail_shows_the_query_code_to_the_applicant_and_clerks_only(
        client, cast, catalogue, person, name):
    case = submit(cast, catalogue.bureau_item, person)
    response = client.get(f"/api/v1/cases/{case.pk}", headers=_headers(cast[name]))
    if response.status_code == 404:
        assert name not in SEES_CODE
        return
    assert response.status_code == 200
    expected = case.query_code if name in SEES_CODE else None
    assert response.json()["query_code"] == expected, name


def test_the_organisations_linked_account_sees_the_query_code(client, cast, catalogue,
                                                              company):
    case = submit(cast, catalogue.bureau_item, organisation=company)
    response = client.get(f"/api/v1/cases/{case.pk}", headers=_headers(cast["company"]))
    assert response.json()["query_code"] == case.query_code


@pytest.mark.parametrize("minimal", [False, True])
@pytest.mark.parametrize("who", ["clerk", "applicant"])
def test_the_submission_answer_carries_the_query_code(client, cast, catalogue, person,
                                                      who, minimal):
    body = {"item_id": catalogue.bureau_item.pk, "variant_code": "01",
            "applicant": {"person_id": person.pk}}
    extra = {"Prefer": "return=minimal"} if minimal else {}
    response = client.post("/api/v1/cases", json.dumps(body), content_type="application/json",
                           headers=_headers(cast[who], extra))
    assert response.status_code == 201, response.json()
    code = response.json()["query_code"]
    assert code and len(code) == 8
    assert Case.objects.get(pk=response.json()["id"]).query_code == code
