"""The permission matrix of the case API: every operation endpoint against every member of
the cast. The case is first brought (through the services) into a state where the operation
is legal, so the only thing that can refuse it is who is asking. Allowed members succeed;
the others get 403 (they may see the case) or 404 (they may not; the same answer as for a
case that does not exist), and the case is unchanged: state, events, files.

Who may do what (cases spec): the window clerk checks, accepts, refuses, notifies
corrections, records them, delivers and decides an on-the-spot item he is authorised for;
the holder of the open step's role claims it and only its claimant completes or decides it;
reviewers, chiefs and the head run special procedures and request extensions; only the head
approves extensions and reopens (第42条); chiefs and the head terminate; the applicant or a
clerk withdraws and uploads while the case is received."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from oneseal.cases import services as svc
from oneseal.cases.models import Case, CaseEvent, CaseFile
from tests.conftest import CAST

from .conftest import at
from .helpers import VALID_ID, accepted, check, claim, fresh, material, pass_step, submit
from .test_api import TODAY, Caller, pdf_bytes

AT = at(TODAY)
MEMBERS = list(CAST)
#: who may see a case of the cast applicant (张三) on an item of dept-env: the bureau's staff
#: and helpers, dept-env's officer, and the applicant himself
SEES = {"applicant", "clerk", "reviewer", "chief", "head", "dept", "supervisor", "helper"}


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(AT, tick=False):
        yield


# --- the states each operation is tried in ---------------------------------------------------

def received(cast: dict, catalogue: Any, person: Any) -> Case:
    return submit(cast, catalogue.bureau_item, person, on=TODAY)


def with_defect(cast: dict, catalogue: Any, person: Any) -> Case:
    case = received(cast, catalogue, person)
    check(case, cast["clerk"], defective={"场所平面图": "比例尺缺失"})
    return case


def correcting(cast: dict, catalogue: Any, person: Any) -> Case:
    case = with_defect(cast, catalogue, person)
    return svc.case_correction_notice(actor=cast["clerk"], case=case, at=AT)


def checked(cast: dict, catalogue: Any, person: Any) -> Case:
    case = received(cast, catalogue, person)
    return check(case, cast["clerk"])


def on_spot(cast: dict, catalogue: Any, person: Any) -> Case:
    svc.grant_on_spot_authorisation(actor=cast["head"], user=cast["clerk"],
                                    item=catalogue.on_spot_item)
    case = submit(cast, catalogue.on_spot_item, person, on=TODAY)
    return check(case, cast["clerk"])


def reviewing(cast: dict, catalogue: Any, person: Any) -> Case:
    return accepted(cast, catalogue.bureau_item, person, on=TODAY)


def step_claimed(cast: dict, catalogue: Any, person: Any) -> Case:
    return claim(reviewing(cast, catalogue, person), cast["reviewer"], TODAY)


def special(cast: dict, catalogue: Any, person: Any) -> Case:
    return svc.case_special_start(actor=cast["reviewer"], case=reviewing(cast, catalogue, person),
                                  kind="expert_review", reason="需专家评审", expected_days=5,
                                  at=AT)


def extension_pending(cast: dict, catalogue: Any, person: Any) -> Case:
    return svc.case_extension_request(actor=cast["reviewer"],
                                      case=reviewing(cast, catalogue, person), days=5,
                                      reason="情况复杂", at=AT)


def final_claimed(cast: dict, catalogue: Any, person: Any) -> Case:
    case = reviewing(cast, catalogue, person)
    pass_step(case, cast["reviewer"], TODAY)
    pass_step(case, cast["chief"], TODAY)
    return claim(case, cast["head"], TODAY)


def decided(cast: dict, catalogue: Any, person: Any) -> Case:
    case = final_claimed(cast, catalogue, person)
    return svc.case_decide(actor=cast["head"], case=case, outcome="granted", at=AT)


def ready(cast: dict, catalogue: Any, person: Any) -> Case:
    """Decided and marked sealed by the system operation the signing pipeline runs (the
    signing itself is tested in tests/licences/test_signing.py)."""
    return svc.case_mark_ready(case=decided(cast, catalogue, person), at=AT)


def withdrawn(cast: dict, catalogue: Any, person: Any) -> Case:
    return svc.case_withdraw(actor=cast["applicant"], case=received(cast, catalogue, person),
                             reason="不再申请", at=AT)


def joint_extension_pending(cast: dict, catalogue: Any, person: Any) -> Case:
    case = svc.case_mark_joint(actor=cast["chief"], case=reviewing(cast, catalogue, person),
                               kind="joint", reason="联合办理", at=AT)
    return svc.case_extension_request(actor=cast["reviewer"], case=case, days=15,
                                      reason="需会商", at=AT)


def spot_body(case: Case) -> dict[str, Any]:
    return {"items": [{"material": material(case, "申请表").pk, "what": "申请日期笔误"}]}


def check_body(case: Case) -> dict[str, Any]:
    return {"results": [{"material": material(case, "场所平面图").pk, "status": "ok"}]}


Setup = Callable[[dict, Any, Any], Case]
Body = Callable[[Case], Any] | dict[str, Any] | None
#: endpoint -> (the state it is tried in, its body, who may do it)
MATRIX: dict[str, tuple[Setup, Body, set[str]]] = {
    "check-materials": (received, check_body, {"clerk"}),
    "files": (received, None, {"clerk", "applicant"}),
    "accept": (checked, None, {"clerk"}),
    "correction-notice": (with_defect, None, {"clerk"}),
    "corrections": (correcting, None, {"clerk", "applicant"}),
    "refuse": (received, {"reason": "不属于本机关职权范围", "competent_agency": "市生态环境局"},
               {"clerk"}),
    "decide-on-spot": (on_spot, {"outcome": "granted"}, {"clerk"}),
    "claim": (reviewing, None, {"reviewer", "chief"}),
    "complete-step": (step_claimed, {"opinion": "agree", "comment": "符合条件。"}, {"reviewer"}),
    "special-procedures/start": (
        reviewing, {"kind": "expert_review", "reason": "需专家评审", "expected_days": 5},
        {"reviewer", "chief", "head"}),
    "special-procedures/end": (special, {"result": "专家评审通过"},
                               {"reviewer", "chief", "head"}),
    "extension/request": (reviewing, {"days": 5, "reason": "情况复杂"},
                          {"reviewer", "chief", "head"}),
    "extension/approve": (extension_pending, {"approve": True, "note": "同意"}, {"head"}),
    "spot-correction": (received, spot_body, {"clerk"}),
    "joint": (reviewing, {"kind": "unified", "reason": "统一办理"}, {"chief", "head"}),
    "extension/government": (joint_extension_pending, {
        "approver": "王副区长", "document_number": "西府复〔2026〕3号", "approved_on": TODAY},
        {"chief", "head"}),
    "hearing-notice": (reviewing, {"reason": "涉及相邻权", "parties": ["李四"]},
                       {"reviewer", "chief", "head"}),
    "decide": (final_claimed, {"outcome": "granted"}, {"head"}),
    "deliver": (ready, {"method": "pickup", "collector_name": "张三",
                          "collector_id_number": VALID_ID}, {"clerk"}),
    "withdraw": (received, {"reason": "不再申请"}, {"applicant", "clerk"}),
    "terminate": (reviewing, {"reason": "申请人已注销"}, {"chief", "head"}),
    "reopen": (withdrawn, {"reason": "撤回有误，恢复办理"}, {"head"}),
}


def footprint(case: Case) -> tuple[str, int, int, int]:
    row = fresh(case)
    return (row.state, row.revision, CaseEvent.objects.filter(case=row).count(),
            CaseFile.objects.filter(case=row).count())


@pytest.mark.parametrize("who", MEMBERS)
@pytest.mark.parametrize("op", list(MATRIX))
def test_operation_endpoint_permission_matrix(client, cast, catalogue, person, company, op,
                                              who):
    setup, body, allowed = MATRIX[op]
    case = setup(cast, catalogue, person)
    before = footprint(case)
    api = Caller(client)
    if op == "files":
        response = api.upload(who, case.pk, "平面图.pdf", pdf_bytes(),
                              material_id=material(case, "场所平面图").pk)
    else:
        payload = body(case) if callable(body) else body
        response = api.post(who, f"/cases/{case.pk}/{op}", payload)
    if who in allowed:
        expected = 201 if op == "files" else 200
        assert response.status_code == expected, response.content.decode()
        after = footprint(case)
        assert after[2] == before[2] + 1  # exactly one new case event
        returned = response.json()["case"] if op == "files" else response.json()
        assert returned["id"] == case.pk and returned["state"] == after[0]
    else:
        expected = 403 if who in SEES else 404
        assert response.status_code == expected, (who, response.content.decode())
        assert response.json()["code"] == ("forbidden" if expected == 403 else "not_found")
        assert footprint(case) == before


@pytest.mark.parametrize("who", MEMBERS)
def test_reading_a_case_matrix(client, cast, catalogue, person, who):
    """Reading: the same 404 for whoever may not see the case; the list agrees."""
    case = received(cast, catalogue, person)
    api = Caller(client)
    detail = api.get(who, f"/cases/{case.pk}")
    listed = {r["id"] for r in api.get(who, "/cases").json()["items"]}
    if who in SEES:
        assert detail.status_code == 200 and detail.json()["number"] == case.number
        assert listed == {case.pk}
    else:
        assert detail.status_code == 404 and detail.json()["code"] == "not_found"
        assert listed == set()


@pytest.mark.parametrize("who", ["supervisor", "helper", "dept", "applicant"])
def test_readers_are_offered_no_staff_action(client, cast, catalogue, person, who):
    """A supervisor reads everything and writes nothing; allowed_actions agrees with the
    matrix (the applicant may only withdraw or upload)."""
    case = received(cast, catalogue, person)
    actions = {a["code"] for a in Caller(client).get(who, f"/cases/{case.pk}")
               .json()["allowed_actions"]}
    expected = {"withdraw", "attach_file"} if who == "applicant" else set()
    assert actions == expected
