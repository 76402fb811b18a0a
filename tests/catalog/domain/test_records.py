"""Validation of every element of an item record (law.md §13), all problems at once, and the
content hash that makes re-import idempotent."""

from __future__ import annotations

import copy

from oneseal.catalog.domain import records

BUREAU = "11530112MB12345678"
ROLES = {"clerk", "reviewer", "chief", "head", "dept_officer"}
GOOD = {
    "basic_code": "000105001000", "exercise_level": 4, "implementing_body_code": BUREAU,
    "competent_department_code": BUREAU, "name": "建筑工程施工许可证核发",
    "item_type": "licensing", "acceptance_conditions": "条件", "review_standard": "标准",
    "statutory_limit_days": 7, "statutory_limit_basis": "《中华人民共和国建筑法》第八条",
    "promised_limit_days": 3, "online_depth": 4, "visits_required": 0,
    "legal_bases": [{"law": "《中华人民共和国建筑法》", "article": "第八条"}],
    "special_procedures": [{"kind": "site_survey", "usual_days": 1, "stops_clock": False}],
    "variants": [{"code": "01", "name": "新办",
                  "materials": [{"name": "申请表"},
                                {"name": "规划许可证", "shareable": True,
                                 "share_source": "电子证照", "originals": 0}],
                  "steps": [{"name": "受理", "role": "clerk", "limit_days": 1},
                            {"name": "审查", "role": "reviewer", "limit_days": 1},
                            {"name": "批准", "role": "chief", "limit_days": 1}]}],
}


def check(**changes):
    raw = copy.deepcopy(GOOD)
    raw.update(changes)
    rec = records.normalise(raw)
    return rec, records.validate(rec, roles=ROLES)


def test_law_13_complete_record_is_valid_and_gets_its_implementation_code():
    rec, problems = check()
    assert problems == []
    assert rec["implementation_code"] == BUREAU + "4000105001000"
    assert rec["handling_type"] == "承诺件"
    assert rec["fee_free"] is True


def test_law_13_legal_basis_is_required_down_to_the_article():
    _, problems = check(legal_bases=[])
    assert [(p.code, p.path) for p in problems] == [("legal_basis_missing", ("legal_bases",))]
    _, problems = check(legal_bases=[{"law": "《中华人民共和国建筑法》", "article": "八"}])
    assert [(p.code, p.path) for p in problems] == [
        ("article_format", ("legal_bases", 0, "article"))]
    _, problems = check(legal_bases=[{"law": "国务院令第412号", "article": "附件第101项"}])
    assert problems == []


def test_article_42_limits_checked_in_records():
    _, problems = check(promised_limit_days=8)
    assert [(p.code, p.params) for p in problems] == [
        ("promised_exceeds_statutory", {"promised": 8, "statutory": 7})]
    _, problems = check(statutory_limit_basis="")  # 7 days is not the default: name the law
    assert [p.code for p in problems] == ["statutory_basis_missing"]


def test_article_45_only_its_eight_procedures_stop_the_clock():
    _, problems = check(special_procedures=[{"kind": "site_survey", "usual_days": 1,
                                             "stops_clock": True}])
    assert [p.code for p in problems] == ["does_not_stop_clock"]
    rec, problems = check(special_procedures=[{"kind": "expert_review", "usual_days": 10}])
    assert problems == [] and rec["special_procedures"][0]["stops_clock"] is True


def test_every_problem_is_reported_at_once_with_its_path():
    raw = copy.deepcopy(GOOD)
    raw["name"] = ""
    raw["online_depth"] = 9
    raw["variants"][0]["materials"][0]["copies"] = "两份"
    raw["variants"][0]["steps"][1]["role"] = "boss"
    raw["fees"] = [{"name": "工本费", "amount": "-1", "basis": ""}]
    raw["fee_free"] = False
    problems = records.validate(records.normalise(raw), roles=ROLES)
    found = {(p.code, p.path) for p in problems}
    assert found == {
        ("required", ("name",)),
        ("out_of_range", ("online_depth",)),
        ("not_integer", ("variants", 0, "materials", 0, "copies")),
        ("not_a_choice", ("variants", 0, "steps", 1, "role")),
        ("required", ("fees", 0, "basis")),
        ("amount_invalid", ("fees", 0, "amount")),
    }


def test_shared_material_names_its_source_and_others_have_copies():
    raw = copy.deepcopy(GOOD)
    raw["variants"][0]["materials"] = [{"name": "营业执照", "shareable": True, "originals": 0},
                                       {"name": "合同", "originals": 0, "copies": 0}]
    problems = records.validate(records.normalise(raw), roles=ROLES)
    assert {(p.code, p.path[-1]) for p in problems} == {("share_source_missing", "share_source"),
                                                        ("no_copies", "copies")}


def test_on_the_spot_item_handling_type_must_match():
    _, problems = check(promised_limit_days=0, handling_type="承诺件")
    assert [p.code for p in problems][:1] == ["handling_type_mismatch"]


def test_unknown_fields_are_reported_not_dropped():
    _, problems = check(colour="red")
    assert [(p.code, p.path) for p in problems] == [("unknown_field", ("colour",))]


def test_content_hash_ignores_validity_and_memo_but_not_content():
    rec, _ = check()
    same, _ = check(valid_from="2020-01-01T00:00:00+08:00")
    other, _ = check(name="建筑工程施工许可证核发（变更）")
    assert records.content_hash(rec) == records.content_hash(same)
    assert records.content_hash(rec) != records.content_hash(other)
    assert records.content_hash(records.normalise(copy.deepcopy(GOOD))) == (
        records.content_hash(rec))
