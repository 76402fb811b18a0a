"""The case API (/api/v1/cases…) with bearer tokens: a whole lifecycle, idempotent
submission, keyset pagination, filters, uploads, illegal transitions (409 naming the current
state) and bad input (422, never 500).

The API calls the services without `at`, so every test runs at a fixed moment
(2026-09-01, a Tuesday) and the cases it prepares through the services are dated that day."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from oneseal.accounts.models import User
from oneseal.accounts.services import create_token
from oneseal.cases import services as svc
from oneseal.cases.models import Case, CaseEvent, CaseFile, IdempotencyRecord
from oneseal.licences.signing import sign_pending

from .conftest import at
from .helpers import VALID_ID, accepted, bureau_to_final, check, fresh, material, submit

TODAY = "2026-09-01"
BASE = "/api/v1"


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at(TODAY), tick=False):
        yield


class Caller:
    """The test client speaking to the API with the bearer token of a cast member."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def headers(self, who: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        if who not in self.tokens:
            user = User.objects.get(username=who)
            self.tokens[who] = create_token(actor=None, user=user)[0]
        return {"Authorization": f"Bearer {self.tokens[who]}", **(extra or {})}

    def get(self, who: str, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {}, headers=self.headers(who))

    def post(self, who: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body or {})
        return self.client.post(BASE + path, data, content_type="application/json",
                                headers=self.headers(who, headers))

    def upload(self, who: str, case_id: int, name: str, content: bytes,
               material_id: int | None = None) -> Any:
        data: dict[str, Any] = {"file": SimpleUploadedFile(name, content)}
        if material_id is not None:
            data["material_id"] = str(material_id)
        return self.client.post(f"{BASE}/cases/{case_id}/files", data,
                                headers=self.headers(who))


@pytest.fixture
def api(client, cast) -> Caller:
    return Caller(client)


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF of `pages` pages (made with reportlab)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for n in range(pages):
        pdf.drawString(72, 720, f"page {n + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def create_body(item: Any, person: Any = None, organisation: Any = None) -> dict[str, Any]:
    applicant = ({"person_id": person.pk} if person is not None
                 else {"organisation_id": organisation.pk})
    return {"item_id": item.pk, "variant_code": "01", "applicant": applicant}


def all_good(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Check results for every pending material of a case detail: optional ones not
    needed, required ones ok (shared ones are already 共享获取)."""
    out = []
    for m in detail["materials"]:
        if m["status"] != "pending":
            continue
        out.append({"material": m["id"], "status": "ok" if m["required"] else "not_needed"})
    return out


def events(case: Case | int) -> int:
    return CaseEvent.objects.filter(case_id=case if isinstance(case, int) else case.pk).count()


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    return response.json()


# --- the whole lifecycle ---------------------------------------------------------------------


def test_full_lifecycle_through_the_api_with_each_staff_token(api, cast, catalogue, person,
                                                              seals):
    created = ok(api.post("clerk", "/cases", create_body(catalogue.bureau_item, person)), 201)
    cid = created["id"]
    assert created["state"] == "received" and created["state_label"] == "已收件，待受理"
    assert created["channel"] == "api"
    assert created["item"] == {"id": catalogue.bureau_item.pk, "name": "排污许可（测试）"}
    assert created["variant"] == {"code": "01", "name": "新办"}
    assert created["applicant"] == {"kind": "person", "name": "张三", "agent_name": ""}
    assert [e["kind"] for e in created["events"]] == ["submit"]
    codes = {a["code"] for a in created["allowed_actions"]}
    assert {"check_materials", "accept", "refuse", "withdraw"} <= codes
    assert {m["name"] for m in created["materials"]} == {"申请表", "场所平面图", "营业执照",
                                                         "授权委托书"}

    checked = ok(api.post("clerk", f"/cases/{cid}/check-materials",
                          {"results": all_good(created)}))
    assert {m["status"] for m in checked["materials"]} == {"ok", "shared", "not_needed"}

    accepted_ = ok(api.post("clerk", f"/cases/{cid}/accept"))
    assert accepted_["state"] == "reviewing" and accepted_["accepted_on"] == TODAY
    assert [d["kind"] for d in accepted_["documents"]] == ["acceptance_notice"]
    open_steps = [s for s in accepted_["steps"] if s["state"] == "open"]
    assert [s["name"] for s in open_steps] == ["审查"]
    assert accepted_["clocks"] and all(c["explanation"] for c in accepted_["clocks"])
    assert any(c["kind"] == "decision_statutory" for c in accepted_["clocks"])
    assert "claim" not in {a["code"] for a in accepted_["allowed_actions"]}  # clerk: no review
    reviewer_view = ok(api.get("reviewer", f"/cases/{cid}"))
    assert "claim" in {a["code"] for a in reviewer_view["allowed_actions"]}

    for who, step in (("reviewer", "审查"), ("chief", "审核")):
        claimed = ok(api.post(who, f"/cases/{cid}/claim"))
        mine = [s for s in claimed["steps"] if s["state"] == "claimed"]
        assert [s["name"] for s in mine] == [step] and mine[0]["assignee_name"] == str(cast[who])
        done = ok(api.post(who, f"/cases/{cid}/complete-step",
                           {"opinion": "agree", "comment": "符合条件。"}))
        assert [s["opinion"] for s in done["steps"] if s["name"] == step] == ["agree"]

    ok(api.post("head", f"/cases/{cid}/claim"))
    decided = ok(api.post("head", f"/cases/{cid}/decide", {"outcome": "granted"}))
    assert decided["state"] == "decided" and decided["outcome"] == "granted"
    assert decided["outcome_label"] == "准予许可" and decided["decided_on"] == TODAY
    assert decided["delivery_due"] is not None
    assert [d["seal_status"] for d in decided["documents"]] == ["pending", "pending"]
    refused = api.post("clerk", f"/cases/{cid}/deliver", {
        "method": "pickup", "collector_name": "张三", "collector_id_number": VALID_ID})
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"
    sign_pending(cid)  # the signing worker: the head decided, so the uses were authorised
    ready = ok(api.get("clerk", f"/cases/{cid}"))
    assert ready["state"] == "ready" and ready["state_label"] == "已签章，待送达"
    decision = next(d for d in ready["documents"] if d["kind"] == "grant_decision")
    assert decision["seal_status"] == "signed" and len(decision["signed_sha256"]) == 64
    signed = api.client.get(decision["signed_url"], headers=api.headers("clerk"))
    assert signed.status_code == 200 and signed.content.startswith(b"%PDF")
    assert hashlib.sha256(signed.content).hexdigest() == decision["signed_sha256"]

    delivered = ok(api.post("clerk", f"/cases/{cid}/deliver", {
        "method": "pickup", "collector_name": "张三", "collector_id_number": VALID_ID}))
    assert delivered["state"] == "delivered" and delivered["state_label"] == "已送达"
    assert [e["kind"] for e in delivered["events"]] == [
        "submit", "check_materials", "accept", "claim", "complete_step", "claim",
        "complete_step", "claim", "decide", "seal", "deliver"]
    assert all(e["on"] == TODAY and (e["actor_name"] or e["kind"] == "seal")
               for e in delivered["events"])
    assert [e["label"] for e in delivered["events"][:3]] == ["收件", "核验材料", "受理"]
    assert [d["kind"] for d in delivered["documents"]] == [
        "acceptance_notice", "grant_decision", "delivery_receipt"]
    assert delivered["allowed_actions"] == []
    body = json.dumps(delivered, ensure_ascii=False)
    assert VALID_ID not in body and "53011219800101123X" not in body  # no ID number anywhere
    assert "13800138000" not in body
    case = fresh(cid)
    assert case.state == "delivered" and case.channel == "api"


def test_document_pdf_is_served_to_who_may_see_the_case(api, cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on=TODAY)
    detail = ok(api.get("applicant", f"/cases/{case.pk}"))
    [doc] = detail["documents"]
    assert doc["kind"] == "acceptance_notice" and doc["kind_label"] == "受理通知书"
    url = doc["download_url"]
    assert url.endswith(f"/api/v1/cases/{case.pk}/documents/{doc['id']}.pdf")
    path = url.split("/api/v1", 1)[1]
    response = api.get("applicant", path)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    for who in ("company", "outsider"):
        refused = api.get(who, path)
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    other = accepted(cast, catalogue.bureau_item, person, on=TODAY)
    wrong = api.get("clerk", f"/cases/{other.pk}/documents/{doc['id']}.pdf")
    assert wrong.status_code == 404


# --- idempotent submission -------------------------------------------------------------------


def test_retried_submission_with_the_same_key_creates_one_case(api, catalogue, person):
    body = create_body(catalogue.bureau_item, person)
    key = {"Idempotency-Key": "retry-0001"}
    first = api.post("clerk", "/cases", body, headers=key)
    assert first.status_code == 201
    again = api.post("clerk", "/cases", body, headers=key)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    reordered = json.dumps({"applicant": body["applicant"], "variant_code": "01",
                            "item_id": body["item_id"]})
    assert api.post("clerk", "/cases", reordered, headers=key).json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    assert events(first.json()["id"]) == 1

    other = {**body, "variant_code": "02"}
    reused = api.post("clerk", "/cases", other, headers=key)
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in reused.json()["detail"]
    assert Case.objects.count() == 1

    # another key, or no key, is another submission
    assert api.post("clerk", "/cases", body, headers={"Idempotency-Key": "retry-0002"}
                    ).status_code == 201
    assert api.post("clerk", "/cases", body).status_code == 201
    assert api.post("clerk", "/cases", body).status_code == 201
    assert Case.objects.count() == 4


def test_the_same_key_of_another_user_is_another_submission(api, catalogue, person):
    body = create_body(catalogue.bureau_item, person)
    key = {"Idempotency-Key": "shared-key"}
    a = api.post("clerk", "/cases", body, headers=key).json()["id"]
    b = api.post("applicant", "/cases", body, headers=key)
    assert b.status_code == 201 and b.json()["id"] != a
    assert Case.objects.count() == 2


# --- keyset pagination and filters -----------------------------------------------------------


def test_keyset_pagination_has_no_duplicates_and_no_gaps(api, cast, catalogue, person):
    ids = [submit(cast, catalogue.bureau_item, person, on=TODAY).pk for _ in range(7)]
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = ok(api.get("clerk", "/cases", params))
        pages += 1
        seen += [row["id"] for row in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["items"]) == 3
    assert pages == 3
    assert seen == sorted(ids, reverse=True)  # newest first, each exactly once


def test_list_rows_name_the_applicant_but_show_no_id_number_or_phone(api, cast, catalogue,
                                                                     person, company):
    submit(cast, catalogue.bureau_item, person, on=TODAY)
    submit(cast, catalogue.hall_item, organisation=company, on=TODAY)
    response = api.get("clerk", "/cases")
    rows = ok(response)["items"]
    assert [r["applicant_name"] for r in rows] == ["昆明西山测试有限公司", "张三"]
    row = rows[1]
    assert set(row) == {"id", "number", "item_name", "applicant_name", "state", "state_label",
                        "received_on", "promised_due", "light"}
    assert row["item_name"] == "排污许可（测试）" and row["state_label"] == "已收件，待受理"
    assert row["received_on"] == TODAY and row["light"] in {"green", "yellow", "red"}
    text = response.content.decode()
    for secret in ("53011219800101123X", "13800138000", "91530112MA6K00000C"):
        assert secret not in text


def test_filters_by_state_item_text_department_and_overdue(api, cast, catalogue, person,
                                                           company, org):
    received = submit(cast, catalogue.bureau_item, person, on=TODAY)
    reviewing = accepted(cast, catalogue.bureau_item, person, on=TODAY)
    hall = submit(cast, catalogue.hall_item, organisation=company, on=TODAY)
    late = accepted(cast, catalogue.bureau_item, person, on="2026-06-01")  # due long ago

    def ids(who: str = "clerk", **params: Any) -> set[int]:
        return {r["id"] for r in ok(api.get(who, "/cases", params))["items"]}

    assert ids() == {received.pk, reviewing.pk, hall.pk, late.pk}
    assert ids(state="reviewing") == {reviewing.pk, late.pk}
    assert ids(state="received") == {received.pk, hall.pk}
    assert ids(item_id=catalogue.hall_item.pk) == {hall.pk}
    assert ids(q="昆明西山") == {hall.pk}  # the start of the applicant name (an index range)
    assert ids(q=received.number) == {received.pk}
    assert ids(department_id=org["dept-env"].pk) == {received.pk, reviewing.pk, hall.pk,
                                                     late.pk}
    assert ids(department_id=org["bureau"].pk) == set()
    assert ids(overdue=True) == {late.pk}
    assert ids(overdue=True, state="received") == set()
    late_row = [r for r in ok(api.get("clerk", "/cases", {"overdue": True}))["items"]]
    assert late_row[0]["light"] == "red"
    # what each caller may see
    assert ids("applicant") == {received.pk, reviewing.pk, late.pk}
    assert ids("company") == {hall.pk}
    assert ids("outsider") == set() and ids("sysadmin") == set()
    assert ids("dept") == {received.pk, reviewing.pk, hall.pk, late.pk}


# --- uploads ---------------------------------------------------------------------------------


def test_upload_a_good_file_through_the_api(api, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    plan = material(case, "场所平面图")
    content = pdf_bytes(pages=2)
    response = api.upload("clerk", case.pk, "平面图.pdf", content, material_id=plan.pk)
    body = ok(response, 201)
    assert body["file"]["kind"] == "pdf" and body["file"]["pages"] == 2
    assert body["file"]["size"] == len(content)
    assert body["file"]["sha256"] == hashlib.sha256(content).hexdigest()
    [row] = [m for m in body["case"]["materials"] if m["id"] == plan.pk]
    assert [f["id"] for f in row["files"]] == [body["file"]["id"]]
    assert CaseFile.objects.filter(case=case).count() == 1
    # the applicant may add a file to his own case while it is received
    again = api.upload("applicant", case.pk, "plan2.pdf", pdf_bytes(), material_id=plan.pk)
    assert again.status_code == 201
    assert CaseFile.objects.filter(case=case).count() == 2


@pytest.mark.parametrize("name,content", [
    ("evil.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # an executable named .pdf
    ("empty.pdf", b""),
    ("notes.txt", b"just some text"),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10),
])
def test_a_bad_upload_is_refused_and_nothing_is_stored(api, cast, catalogue, person, name,
                                                       content):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    before = events(case)
    response = api.upload("clerk", case.pk, name, content,
                          material_id=material(case, "申请表").pk)
    assert response.status_code == 422
    assert response.json()["code"] == "upload_rejected"
    assert response.json()["detail"]
    assert CaseFile.objects.count() == 0 and events(case) == before


def test_upload_to_a_material_of_another_case_is_refused(api, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    other = submit(cast, catalogue.bureau_item, person, on=TODAY)
    response = api.upload("clerk", case.pk, "a.pdf", pdf_bytes(),
                          material_id=material(other, "申请表").pk)
    assert response.status_code == 422 and response.json()["code"] == "material_not_found"
    assert CaseFile.objects.count() == 0


# --- illegal transitions (状态表) ------------------------------------------------------------

RECEIVED_ILLEGAL = [
    ("reviewer", "claim", None),
    ("reviewer", "complete-step", {"opinion": "agree"}),
    ("clerk", "corrections", None),
    ("reviewer", "special-procedures/start",
     {"kind": "expert_review", "reason": "专家评审", "expected_days": 5}),
    ("reviewer", "special-procedures/end", {"result": "结束"}),
    ("reviewer", "extension/request", {"days": 5, "reason": "情况复杂"}),
    ("head", "extension/approve", {"approve": True}),
    ("head", "decide", {"outcome": "granted"}),
    ("clerk", "deliver", {"method": "post", "carrier": "EMS", "tracking_number": "1"}),
    ("head", "reopen", {"reason": "恢复"}),
]
DECIDED_ILLEGAL = [
    # 第44条: not yet signed (已决定，待签章), so not deliverable
    ("clerk", "deliver", {"method": "pickup", "collector_name": "张三",
                          "collector_id_number": VALID_ID}),
    ("clerk", "check-materials", {"results": [{"material": 1, "status": "ok"}]}),
    ("clerk", "accept", None),
    ("clerk", "refuse", {"reason": "不符合"}),
    ("clerk", "correction-notice", None),
    ("clerk", "decide-on-spot", {"outcome": "granted"}),
    ("reviewer", "claim", None),
    ("head", "decide", {"outcome": "granted"}),
    ("clerk", "withdraw", {"reason": "撤回"}),
    ("chief", "terminate", {"reason": "终止"}),
    ("head", "reopen", {"reason": "恢复"}),
]


@pytest.mark.parametrize("who,op,body", RECEIVED_ILLEGAL, ids=[r[1] for r in RECEIVED_ILLEGAL])
def test_illegal_transition_on_a_received_case_is_409_naming_the_state(api, cast, catalogue,
                                                                       person, who, op, body):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    before = (fresh(case).state, events(case))
    response = api.post(who, f"/cases/{case.pk}/{op}", body)
    assert response.status_code == 409, response.content.decode()
    error = response.json()
    assert error["code"] == "illegal_transition" and error["state"] == "received"
    assert "已收件，待受理" in error["detail"]
    assert (fresh(case).state, events(case)) == before


@pytest.mark.parametrize("who,op,body", DECIDED_ILLEGAL, ids=[r[1] for r in DECIDED_ILLEGAL])
def test_illegal_transition_on_a_decided_case_is_409_naming_the_state(api, cast, catalogue,
                                                                      person, who, op, body):
    case = accepted(cast, catalogue.bureau_item, person, on=TODAY)
    bureau_to_final(cast, case, days=(TODAY, TODAY, TODAY))
    svc.case_decide(actor=cast["head"], case=case, outcome="granted", at=at(TODAY))
    before = (fresh(case).state, events(case))
    response = api.post(who, f"/cases/{case.pk}/{op}", body)
    assert response.status_code == 409, response.content.decode()
    assert response.json()["code"] == "illegal_transition"
    assert "已决定，待签章" in response.json()["detail"]
    assert (fresh(case).state, events(case)) == before


@pytest.mark.parametrize("who,op,body", [
    ("clerk", "accept", None),
    ("applicant", "withdraw", {"reason": "再次撤回"}),
    ("head", "terminate", {"reason": "终止"}),
    ("reviewer", "claim", None),
    ("clerk", "check-materials", {"results": [{"material": 1, "status": "ok"}]}),
])
def test_illegal_transition_on_a_withdrawn_case_is_409_naming_the_state(
        api, cast, catalogue, person, who, op, body):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    svc.case_withdraw(actor=cast["applicant"], case=case, reason="不再申请", at=at(TODAY))
    before = (fresh(case).state, events(case))
    response = api.post(who, f"/cases/{case.pk}/{op}", body)
    assert response.status_code == 409, response.content.decode()
    assert response.json()["code"] == "illegal_transition"
    assert "已撤回" in response.json()["detail"]
    assert (fresh(case).state, events(case)) == before


def test_uploading_to_a_decided_case_is_409_and_stores_nothing(api, cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on=TODAY)
    bureau_to_final(cast, case, days=(TODAY, TODAY, TODAY))
    svc.case_decide(actor=cast["head"], case=case, outcome="granted", at=at(TODAY))
    response = api.upload("clerk", case.pk, "late.pdf", pdf_bytes(),
                          material_id=material(case, "申请表").pk)
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    assert "已决定，待签章" in response.json()["detail"]
    assert CaseFile.objects.count() == 0


def test_a_second_accept_is_409_and_changes_nothing(api, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    check(case, cast["clerk"])
    assert api.post("clerk", f"/cases/{case.pk}/accept").status_code == 200
    before = events(case)
    again = api.post("clerk", f"/cases/{case.pk}/accept")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    assert "审查中" in again.json()["detail"]
    assert events(case) == before and fresh(case).state == "reviewing"


def test_a_step_already_claimed_is_409_conflict_naming_the_claimant(api, cast, catalogue,
                                                                    person):
    case = accepted(cast, catalogue.bureau_item, person, on=TODAY)
    assert api.post("reviewer", f"/cases/{case.pk}/claim").status_code == 200
    before = events(case)
    response = api.post("chief", f"/cases/{case.pk}/claim")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert str(cast["reviewer"]) in response.json()["detail"]
    assert events(case) == before


def test_an_unknown_upload_purpose_is_422(api, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    response = api.client.post(
        f"{BASE}/cases/{case.pk}/files",
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes()), "purpose": "selfie"},
        headers=api.headers("clerk"))
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    missing = api.client.post(f"{BASE}/cases/{case.pk}/files", {"material_id": "1"},
                              headers=api.headers("clerk"))
    assert missing.status_code == 422
    assert CaseFile.objects.count() == 0


def test_a_rule_refusal_is_422_with_the_rules_code(api, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    response = api.post("clerk", f"/cases/{case.pk}/accept")  # nothing checked yet
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "materials_not_ready" and "申请表" in body["detail"]
    assert "申请表" in body["materials"]
    assert fresh(case).state == "received"


# --- bad input: 422, never 500 ---------------------------------------------------------------


@pytest.mark.parametrize("body", [
    {},
    {"item_id": "abc", "variant_code": "01", "applicant": {"person_id": 1}},
    {"item_id": 1, "variant_code": "01", "applicant": {}},
    {"item_id": 1, "variant_code": "01", "applicant": {"person_id": 1, "organisation_id": 1}},
    {"item_id": 1, "variant_code": "", "applicant": {"person_id": 1}},
    {"item_id": -5, "variant_code": "01", "applicant": {"person_id": 1}},
    {"item_id": 10**30, "variant_code": "01", "applicant": {"person_id": 1}},
    {"item_id": 1, "variant_code": "x" * 500, "applicant": {"person_id": 1}},
    {"item_id": 1, "variant_code": "01", "applicant": "张三"},
    [1, 2, 3],
])
def test_bad_submission_is_422_not_500(api, catalogue, person, body):
    response = api.post("clerk", "/cases", body)
    assert response.status_code == 422, response.content.decode()
    assert response.json()["code"] == "invalid_input"
    assert Case.objects.count() == 0


def test_submission_naming_unknown_things_is_422_with_a_code(api, catalogue, person):
    good = create_body(catalogue.bureau_item, person)
    for body, code in [
        ({**good, "item_id": 999999}, "item_not_in_force"),
        ({**good, "variant_code": "99"}, "variant_not_found"),
        ({**good, "applicant": {"person_id": 999999}}, "applicant_not_found"),
        ({**good, "agent_id": 999999}, "agent_not_found"),
    ]:
        response = api.post("clerk", "/cases", body)
        assert response.status_code == 422 and response.json()["code"] == code
    too_long = api.post("clerk", "/cases", good, headers={"Idempotency-Key": "k" * 201})
    assert too_long.status_code == 422
    assert Case.objects.count() == 0


def test_malformed_json_is_refused_not_500(api, catalogue, person):
    response = api.post("clerk", "/cases", "{not json")
    assert 400 <= response.status_code < 500
    assert Case.objects.count() == 0


@pytest.mark.parametrize("op,body", [
    ("check-materials", {"results": []}),
    ("check-materials", {"results": [{"material": "x", "status": "ok"}]}),
    ("check-materials", {"results": [{"material": 1, "status": "great"}]}),
    ("check-materials", {"results": [{"material": 1, "status": "ok", "reason": "x" * 501}]}),
    ("refuse", {}),
    ("refuse", {"reason": ""}),
    ("refuse", {"reason": "x", "competent_agency": "y" * 201}),
    ("decide-on-spot", {"outcome": "maybe"}),
    ("complete-step", {"opinion": "perhaps"}),
    ("complete-step", {"opinion": "return", "return_to": "two"}),
    ("special-procedures/start", {"kind": "magic", "reason": "x", "expected_days": 5}),
    ("special-procedures/start", {"kind": "hearing", "reason": "x", "expected_days": 0}),
    ("special-procedures/start", {"kind": "hearing", "reason": "x", "expected_days": 5,
                                  "hearing": {"rights_notified_on": "yesterday"}}),
    ("extension/request", {"days": "ten", "reason": "x"}),
    ("extension/request", {"days": 100000, "reason": "x"}),
    ("extension/approve", {"approve": "perhaps"}),
    ("decide", {"outcome": "maybe"}),
    ("decide", {}),
    ("deliver", {"method": "pigeon"}),
    ("deliver", {"method": "pickup", "collector_id_number": "1" * 40}),
    ("withdraw", {}),
    ("terminate", {"reason": 5}),
    ("reopen", {"reason": None}),
])
def test_bad_operation_input_is_422_not_500(api, cast, catalogue, person, op, body):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    before = events(case)
    response = api.post("clerk", f"/cases/{case.pk}/{op}", body)
    assert response.status_code == 422, response.content.decode()
    assert response.json()["code"] == "invalid_input"
    assert events(case) == before


def test_bad_list_query_and_path_are_422(api, catalogue):
    for params in ({"limit": 0}, {"limit": 101}, {"state": "bogus"}, {"item_id": "x"},
                   {"overdue": "maybe"}, {"department_id": 10**30}):
        response = api.get("clerk", "/cases", params)
        assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert api.get("clerk", "/cases/abc").status_code == 422


def test_bad_cursor_is_not_a_500(api, cast, catalogue, person):
    submit(cast, catalogue.bureau_item, person, on=TODAY)
    for cursor in ("garbage", "999999999999999999999999", "-1", "%%%"):
        response = api.get("clerk", "/cases", {"cursor": cursor})
        assert response.status_code == 200, response.content.decode()
        assert len(response.json()["items"]) <= 1


def test_unknown_case_and_a_case_one_may_not_see_answer_the_same_404(api, cast, catalogue,
                                                                     person):
    case = submit(cast, catalogue.bureau_item, person, on=TODAY)
    hidden = api.get("outsider", f"/cases/{case.pk}")
    missing = api.get("clerk", "/cases/999999")
    huge = api.get("clerk", f"/cases/{2**62}")
    assert hidden.status_code == missing.status_code == huge.status_code == 404
    assert hidden.json() == missing.json() == huge.json()
    assert hidden.json()["code"] == "not_found"
    hidden_op = api.post("company", f"/cases/{case.pk}/withdraw", {"reason": "撤回"})
    assert hidden_op.status_code == 404 and hidden_op.json() == missing.json()
    assert fresh(case).state == "received"


def test_no_token_is_401(client, catalogue):
    assert client.get(f"{BASE}/cases").status_code == 401
    assert client.post(f"{BASE}/cases", "{}", content_type="application/json"
                       ).status_code == 401
    assert Case.objects.count() == 0


def test_prefer_return_minimal_answers_state_and_due_dates_only(api, catalogue, person):
    created = api.post("clerk", "/cases", {"item_id": catalogue.bureau_item.pk,
                                           "variant_code": "01",
                                           "applicant": {"person_id": person.pk}}).json()
    results = [{"material": m["id"], "status": "ok" if m["required"] else "not_needed"}
               for m in created["materials"] if m["status"] != "shared"]
    r = api.post("clerk", f"/cases/{created['id']}/accept", {"results": results},
                 headers={"Prefer": "return=minimal"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "reviewing" and body["promised_due"]
    assert "events" not in body and body.get("materials") is None
    kinds = list(CaseEvent.objects.filter(case_id=created["id"]).order_by("seq")
                 .values_list("kind", flat=True))
    assert kinds == ["submit", "check_materials", "accept"]


def test_article_32_accept_with_inline_check_keeps_nothing_when_refused(api, catalogue, person):
    created = api.post("clerk", "/cases", {"item_id": catalogue.bureau_item.pk,
                                           "variant_code": "01",
                                           "applicant": {"person_id": person.pk}}).json()
    required = [m for m in created["materials"] if m["required"] and m["status"] != "shared"]
    # Only the first required material is checked: acceptance is refused (第32条) and the
    # partial check made in the same request is not kept either.
    r = api.post("clerk", f"/cases/{created['id']}/accept",
                 {"results": [{"material": required[0]["id"], "status": "ok"}]})
    assert r.status_code == 422 and r.json()["code"] == "materials_not_ready"
    case = Case.objects.get(pk=created["id"])
    assert case.state == "received"
    assert not case.materials.filter(status="ok").exists()
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_prefer_return_minimal_on_submission_lists_materials(api, catalogue, person):
    r = api.post("clerk", "/cases", {"item_id": catalogue.bureau_item.pk, "variant_code": "01",
                                     "applicant": {"person_id": person.pk}},
                 headers={"Prefer": "return=minimal"})
    assert r.status_code == 201
    body = r.json()
    assert body["state"] == "received" and "events" not in body
    names = [m["name"] for m in body["materials"]]
    assert names == ["申请表", "场所平面图", "营业执照", "授权委托书"]
