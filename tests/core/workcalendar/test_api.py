"""`GET /api/v1/calendar/deadline`: public, the same JSON as `oneseal deadline --json`,
Chinese errors with 400 or 422 (行政许可法 第82条, 第45条, 第42条)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

URL = "/api/v1/calendar/deadline"
pytestmark = pytest.mark.django_db


def test_art45_api_answers_the_same_json_as_the_command(client, seeded):
    response = client.get(URL, {"start": "2026-09-28", "days": "20",
                                "suspend": ["2026-10-12:2026-10-14:听证",
                                            "2026-10-15:2026-10-16"]})
    assert response.status_code == 200
    data = response.json()
    assert data["due"] == "2026-11-06"
    out = io.StringIO()
    call_command("deadline", "2026-09-28", "20", "--suspend", "2026-10-12:2026-10-14:听证",
                 "--suspend", "2026-10-15:2026-10-16", "--json", stdout=out)
    assert data == json.loads(out.getvalue())
    assert data["explanation"]["suspensions"][0]["kind"] == "hearing"
    assert data["explanation"]["holidays"][0]["names"] == ["国庆节"]


def test_art42_api_extension_and_joint_handling(client, seeded):
    data = client.get(URL, {"start": "2025-03-03", "days": "45", "extend": "15",
                            "joint": "true"}).json()
    assert data["due"] == "2025-05-29" and data["handling"] == "joint"
    response = client.get(URL, {"start": "2025-03-03", "days": "20", "extend": "15"})
    assert response.status_code == 400
    assert "最多延长10个工作日" in response.json()["detail"]


def test_art82_api_year_without_schedule_is_provisional_never_blank(client, seeded):
    # law.md §1 example: 20 working days from 2026-12-15 → 2027-01-13 (暂定).
    response = client.get(URL, {"start": "2026-12-15", "days": "20"})
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2027-01-13"
    assert body["provisional"] is True and body["provisional_years"] == [2027]
    assert body["calendar_years"]["2027"] == "provisional"
    assert "以国务院办公厅公布的2027年节假日安排为准" in body["explanation_text"]


def test_art82_api_strict_refuses_a_provisional_result_with_422(client, seeded):
    response = client.get(URL, {"start": "2026-12-15", "days": "20", "strict": "true"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "provisional_refused" and body["provisional_years"] == [2027]
    assert body["provisional_due"] == "2027-01-13" and "2027年" in body["detail"]
    # an official result passes strict mode
    response = client.get(URL, {"start": "2026-09-28", "days": "20", "strict": "true"})
    assert response.status_code == 200 and response.json()["provisional"] is False


def test_art82_api_far_beyond_any_schedule_is_still_422(client, seeded):
    response = client.get(URL, {"start": "2040-01-02", "days": "5"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "calendar_not_covered" and body["missing_year"] == 2040


@pytest.mark.parametrize(("params", "message"), [
    ({}, "请填写起算日期。"),
    ({"start": "2026-09-28"}, "请填写期限（工作日数）。"),
    ({"start": "28/09/2026", "days": "20"}, "起算日期“28/09/2026”不是有效日期"),
    ({"start": "2026-09-28", "days": "二十"}, "期限“二十”无效"),
    ({"start": "2026-09-28", "days": "20", "suspend": "2026-10-12"}, None),  # one day: fine
    ({"start": "2026-09-28", "days": "20", "suspend": "a:b:c:d"}, "未知的特别程序"),
])
def test_art82_api_bad_input_is_400_in_chinese(client, seeded, params, message):
    response = client.get(URL, params)
    if message is None:
        assert response.status_code == 200 and response.json()["due"] == "2026-11-02"
        return
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_art82_api_is_public_and_documented(client, seeded):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert "security" not in operation or operation["security"] in ([], [{}])
    assert {"200", "400", "422"} <= set(operation["responses"])
