"""Joint handling set by the item (行政许可法 第26条, 第42条第二款): an item whose law prescribes
统一办理, 联合办理 or 集中办理 says so in the catalogue (`joint_handling`, with the law that
prescribes it in `joint_handling_basis`) — in the record and its validation, the content hash
(unchanged for every version without it), the editor, the JSON and Excel formats, the public
guide and the items API. Its cases are handled jointly from intake: see
tests/cases/test_item_joint_handling.py."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.urls import reverse

from oneseal.catalog import exporting, services, snapshot
from oneseal.catalog.domain import records
from oneseal.catalog.messages import describe
from oneseal.catalog.models import Item, ItemVersion
from oneseal.catalog.selectors import version_in_force
from tests.catalog.domain.test_records import GOOD, ROLES
from tests.catalog.domain.test_site_visit_rules import GOOD_HASH_BEFORE_SITE_VISIT
from tests.login_helpers import log_in

from .conftest import make_record
from .helpers import build_draft
from .test_import_export import _edit, counts, export, json_file, run_import

BASIS = "《某某条例》第十二条（由区人民政府组织有关部门联合办理）"


def _check(**changes):
    raw = copy.deepcopy(GOOD)
    raw.update(changes)
    rec = records.normalise(raw)
    return rec, records.validate(rec, roles=ROLES)


# --- the record ---------------------------------------------------------------------------


def test_article_26_joint_handling_defaults_to_none_and_keeps_existing_hashes():
    """Every version published before the field existed has no joint handling: its content
    hash (recorded in the audit chain) stays what it was, given the key or not."""
    rec, problems = _check()
    assert (rec["joint_handling"], rec["joint_handling_basis"], problems) == ("", "", [])
    assert records.content_hash(rec) == GOOD_HASH_BEFORE_SITE_VISIT
    explicit, _ = _check(joint_handling="", joint_handling_basis="")
    assert records.content_hash(explicit) == GOOD_HASH_BEFORE_SITE_VISIT
    none, _ = _check(joint_handling=None)  # an empty JSON value reads as none
    assert none["joint_handling"] == "" and records.content_hash(none) == (
        GOOD_HASH_BEFORE_SITE_VISIT)
    joint, problems = _check(joint_handling="joint", joint_handling_basis=BASIS)
    assert problems == []
    assert records.content_hash(joint) != GOOD_HASH_BEFORE_SITE_VISIT


def test_article_26_item_joint_handling_needs_the_law_that_prescribes_it():
    _, problems = _check(joint_handling="unified")
    assert [(p.code, p.path) for p in problems] == [
        ("joint_basis_missing", ("joint_handling_basis",))]
    assert "第二十六条" in describe(problems[0]) and "联合办理依据" in describe(problems[0])


def test_article_26_joint_handling_is_one_of_the_three_kinds():
    _, problems = _check(joint_handling="parallel", joint_handling_basis=BASIS)
    assert [(p.code, p.path) for p in problems] == [("not_a_choice", ("joint_handling",))]
    for kind in ("unified", "joint", "centralised"):
        assert _check(joint_handling=kind, joint_handling_basis=BASIS)[1] == []


# --- JSON and Excel -----------------------------------------------------------------------


def test_article_26_joint_handling_round_trips_through_json_and_excel(org):
    report = run_import(json_file(make_record(org, joint_handling="centralised",
                                              joint_handling_basis=BASIS)), "json")
    assert report.ok and report.created == 1
    version = version_in_force(Item.objects.get())
    assert (version.joint_handling, version.joint_handling_basis) == ("centralised", BASIS)
    assert version.content_hash == records.content_hash(
        records.normalise(make_record(org, joint_handling="centralised",
                                      joint_handling_basis=BASIS)))
    doc = json.loads(export("json"))
    assert (doc["items"][0]["joint_handling"], doc["items"][0]["joint_handling_basis"]) == (
        "centralised", BASIS)
    xlsx = export("xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx))["事项"]
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    assert (row[header.index("联合办理方式")], row[header.index("联合办理依据")]) == (
        "集中办理", BASIS)
    Item.objects.all().delete()
    assert run_import(xlsx, "xlsx").created == 1
    again = version_in_force(Item.objects.get())
    assert (again.joint_handling, again.joint_handling_basis) == ("centralised", BASIS)
    assert json.loads(export("json")) == doc
    # re-importing the same file changes nothing (same content hash)
    report = run_import(xlsx, "xlsx")
    assert report.ok and report.created == 0 and ItemVersion.objects.count() == 1


def test_article_26_excel_without_the_joint_columns_imports_as_not_joint(org):
    run_import(json_file(make_record(org)), "json")
    buffer = io.BytesIO()
    exporting.export_file(buffer, "xlsx")
    xlsx = buffer.getvalue()
    for column in ("联合办理方式", "联合办理依据"):
        xlsx = _edit(xlsx, [], drop_column=("事项", column))
    stored = version_in_force(Item.objects.get()).content_hash
    Item.objects.all().delete()
    report = run_import(xlsx, "xlsx")
    assert report.ok and report.created == 1
    version = version_in_force(Item.objects.get())
    assert (version.joint_handling, version.content_hash) == ("", stored)


def test_article_26_excel_bad_joint_kind_or_missing_basis_is_reported_and_nothing_written(org):
    run_import(json_file(make_record(org)), "json")
    xlsx = export("xlsx")
    before = counts()
    report = run_import(_edit(xlsx, [("事项", 2, "联合办理方式", "并联办理")]), "xlsx")
    text = "\n".join(str(e) for e in report.errors)
    assert "工作表“事项”第 2 行“联合办理方式”列：“并联办理”不是可选的值" in text
    assert not report.written and counts() == before
    report = run_import(_edit(xlsx, [("事项", 2, "联合办理方式", "联合办理")]), "xlsx")
    text = "\n".join(str(e) for e in report.errors)
    assert "须写明规定它的法律法规条款" in text
    assert not report.written and counts() == before
    assert version_in_force(Item.objects.get()).joint_handling == ""


# --- editor, guide and API ----------------------------------------------------------------


@pytest.fixture
def admin_client(client, cast):
    return log_in(client, cast["catalog_admin"])


def _elements(draft: ItemVersion, **changes) -> dict:
    return {"name": draft.name, "item_type": "licensing",
            "competent_department": draft.competent_department_id,
            "acceptance_conditions": "排水设施符合规定。", "review_standard": "水质达标。",
            "statutory_limit_days": 20, "promised_limit_days": 10, "fee_free": "on",
            "online_depth": 3, "visits_required": 1, "in_hall": "on", **changes}


def test_article_26_editor_sets_joint_handling_only_with_its_basis(admin_client, org):
    draft = build_draft(None, org["dept-env"])
    url = reverse("catalog_admin:draft", args=[draft.pk])
    page = admin_client.post(url, _elements(draft, joint_handling="joint")).content.decode()
    assert "须写明规定它的法律法规条款" in page
    draft.refresh_from_db()
    assert (draft.joint_handling, draft.joint_handling_basis) == ("", "")
    response = admin_client.post(url, _elements(draft, joint_handling="joint",
                                                joint_handling_basis=BASIS))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.joint_handling, draft.joint_handling_basis) == ("joint", BASIS)
    page = admin_client.get(url).content.decode()
    assert '<option value="joint" selected>' in page and BASIS in page
    version = services.version_publish(actor=None, version=draft)
    assert version.content_hash == records.content_hash(snapshot.record_of(version))
    assert version.content_hash != records.content_hash(
        {**snapshot.record_of(version), "joint_handling": ""})


def test_article_26_guide_and_api_state_joint_handling_and_45_working_days(client, org):
    draft = build_draft(None, org["dept-env"])
    services.draft_update(actor=None, version=draft, joint_handling="unified",
                          joint_handling_basis=BASIS)
    version = services.version_publish(actor=None, version=draft)
    page = client.get(reverse("catalog:guide", args=[version.item_id])).content.decode()
    assert "法定 45 个工作日（《行政许可法》第四十二条第二款），承诺 10 个工作日" in page
    assert "本事项依法统一办理（《行政许可法》第二十六条）" in page and BASIS in page
    body = client.get(f"/api/v1/items/{version.item_id}").json()
    assert (body["joint_handling"], body["joint_handling_basis"]) == ("unified", BASIS)
    assert body["statutory_limit_text"] == "45 个工作日（统一办理，《行政许可法》第四十二条第二款）"
    listed = client.get("/api/v1/items", {"q": "排水许可", "page_size": 5}).json()
    assert [i["joint_handling"] for i in listed["items"]] == ["unified"]


def test_article_26_guide_of_an_item_handled_alone_is_unchanged(client, org):
    version = services.version_publish(actor=None, version=build_draft(None, org["dept-env"]))
    page = client.get(reverse("catalog:guide", args=[version.item_id])).content.decode()
    assert "法定 20 个工作日，承诺 10 个工作日" in page and "本事项依法" not in page
    body = client.get(f"/api/v1/items/{version.item_id}").json()
    assert (body["joint_handling"], body["joint_handling_basis"]) == ("", "")
    assert body["statutory_limit_text"] == "20 个工作日"
