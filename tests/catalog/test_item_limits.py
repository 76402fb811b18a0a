"""An item's own statutory limit (行政许可法 第42条 "法律、法规另有规定的，依照其规定"): its unit
(工作日, or 日 and 月 under 《民法典》第201–203条), its start (受理 or 收到申请) and its extension
cap, each with its legal basis — on the version, in the editor, the import/export formats, the
public guide and the API, and in the demo data."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from oneseal.catalog import exporting, formats, importing, services
from oneseal.catalog.domain import limits, records
from oneseal.catalog.exceptions import CatalogValidationError
from oneseal.catalog.models import Item, ItemVersion
from oneseal.catalog.selectors import version_in_force
from oneseal.core.workcalendar.domain import LimitUnit
from oneseal.core.workcalendar.domain.item_limits import ItemLimit, LimitStart
from tests.catalog.domain.test_records import GOOD, ROLES

from .conftest import make_record
from .test_import_export import _edit, counts, export, run_import


def _version(name: str) -> ItemVersion:
    return version_in_force(Item.objects.get(versions__name=name))


def test_article_42_default_limit_needs_no_basis_and_keeps_its_hash():
    rec = records.normalise(dict(GOOD))
    assert (rec["statutory_limit_unit"], rec["statutory_limit_start"]) == (
        "working_days", "acceptance")
    assert rec["extension_limit_days"] is None
    assert records.validate(rec, roles=ROLES) == []
    explicit = records.normalise({**GOOD, "statutory_limit_unit": "working_days",
                                  "statutory_limit_start": "acceptance",
                                  "extension_limit_days": None, "extension_limit_basis": ""})
    assert records.content_hash(explicit) == records.content_hash(rec)
    changed = records.normalise({**GOOD, "statutory_limit_unit": "days",
                                 "statutory_limit_basis": "《中华人民共和国建筑法》第八条"})
    assert records.content_hash(changed) != records.content_hash(rec)


def test_article_42_own_unit_or_start_needs_the_law_that_sets_it():
    for change in ({"statutory_limit_unit": "days"}, {"statutory_limit_start": "receipt"}):
        rec = records.normalise({**GOOD, **change, "statutory_limit_basis": ""})
        codes = [(p.code, p.path) for p in records.validate(rec, roles=ROLES)]
        assert codes == [("statutory_basis_missing", ("statutory_limit_basis",))]


def test_article_42_own_extension_cap_needs_its_basis_and_bad_choices_are_named():
    rec = records.normalise({**GOOD, "extension_limit_days": 5})
    assert [p.code for p in records.validate(rec, roles=ROLES)] == ["extension_basis_missing"]
    rec = records.normalise({**GOOD, "statutory_limit_unit": "weeks",
                             "statutory_limit_start": "whenever",
                             "statutory_limit_basis": "某法第一条"})
    assert {(p.code, p.path) for p in records.validate(rec, roles=ROLES)} == {
        ("not_a_choice", ("statutory_limit_unit",)),
        ("not_a_choice", ("statutory_limit_start",))}


@pytest.mark.parametrize(("statutory", "promised", "unit", "expected"), [
    (7, 3, "days", []),
    (7, 8, "days", ["promised_exceeds_statutory_days"]),  # 7 days hold at most 7 working days
    (3, 30, "months", []),
    (1, 24, "months", ["promised_exceeds_statutory_months"]),  # a month holds at most 23
    (25, 3, "months", ["out_of_range"]),
])
def test_article_42_promise_in_working_days_within_a_limit_in_days_or_months(
        statutory, promised, unit, expected):
    assert [p.code for p in limits.limit_problems(statutory, promised, unit)] == expected


def test_the_version_gives_the_clock_its_item_limit(demo_catalog):
    assert _version("建筑工程施工许可证核发").item_limit == ItemLimit(
        7, LimitUnit.DAYS, LimitStart.RECEIPT, 0)
    assert _version("民办学校办学许可").item_limit == ItemLimit(3, LimitUnit.MONTHS,
                                                               LimitStart.ACCEPTANCE, 0)
    assert _version("食品经营许可").item_limit == ItemLimit(10, extension_cap=5)
    assert _version("道路货物运输经营许可").item_limit == ItemLimit(20)


def test_demo_data_cites_the_article_of_each_own_limit(demo_catalog):
    building = _version("建筑工程施工许可证核发")
    assert "《中华人民共和国建筑法》第八条" in building.statutory_limit_basis
    assert "未规定延长" in building.extension_limit_basis
    school = _version("民办学校办学许可")
    assert (school.statutory_limit_days, school.statutory_limit_unit) == (3, "months")
    assert "第十七条" in school.statutory_limit_basis
    food = _version("食品经营许可")
    assert (food.statutory_limit_days, food.extension_limit_days) == (10, 5)
    assert "《食品经营许可和备案管理办法》" in food.statutory_limit_basis
    assert "待核实" in food.statutory_limit_basis  # the article number is not confirmed
    eia = _version("建设项目环境影响报告书审批")
    assert (eia.statutory_limit_days, eia.statutory_limit_unit,
            eia.statutory_limit_start) == (60, "days", "receipt")


def test_the_database_refuses_a_promise_over_a_working_day_limit_only(demo_catalog):
    from django.db import IntegrityError, transaction

    school = _version("民办学校办学许可")  # 3 months, promise 30 working days: fine
    assert school.promised_limit_days > school.statutory_limit_days
    food = _version("食品经营许可")
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemVersion.objects.filter(pk=food.pk).update(promised_limit_days=11)
    assert ItemVersion.objects.get(pk=food.pk).promised_limit_days == 5


def test_the_limit_round_trips_through_json_and_excel(demo_catalog):
    doc = json.loads(export("json"))
    building = next(r for r in doc["items"] if r["name"] == "建筑工程施工许可证核发")
    assert (building["statutory_limit_unit"], building["statutory_limit_start"],
            building["extension_limit_days"]) == ("days", "receipt", 0)
    xlsx = export("xlsx")
    Item.objects.all().delete()
    assert run_import(xlsx, "xlsx").created == 29
    assert _version("建筑工程施工许可证核发").item_limit == ItemLimit(
        7, LimitUnit.DAYS, LimitStart.RECEIPT, 0)
    assert json.loads(export("json")) == doc


def test_excel_writes_the_unit_and_start_in_chinese_and_reads_them_back(demo_catalog):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export("xlsx")))
    ws = book["事项"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True)
               if r[header.index("事项名称")] == "民办学校办学许可")
    assert row[header.index("法定时限单位")] == "月"
    assert row[header.index("法定时限起算")] == "自受理之日起"
    assert row[header.index("可延长期限")] == 0


def test_excel_without_the_new_columns_imports_as_article_42_counts(org):
    buffer = io.BytesIO()
    run_import(json.dumps({"format": "oneseal-catalog", "version": 1,
                           "items": [make_record(org)]}).encode(), "json")
    exporting.export_file(buffer, "xlsx")
    xlsx = buffer.getvalue()
    for column in ("法定时限单位", "法定时限起算", "可延长期限", "延长期限依据"):
        xlsx = _edit(xlsx, [], drop_column=("事项", column))
    Item.objects.all().delete()
    report = run_import(xlsx, "xlsx")
    assert report.ok and report.created == 1
    assert version_in_force(Item.objects.get()).item_limit == ItemLimit(20)


def test_excel_bad_unit_is_reported_in_its_cell_and_nothing_is_written(demo_catalog):
    xlsx = _edit(export("xlsx"), [("事项", 2, "法定时限单位", "周")])
    before = counts()
    report = run_import(xlsx, "xlsx")
    text = "\n".join(str(e) for e in report.errors)
    assert "工作表“事项”第 2 行“法定时限单位”列：“周”不是可选的值" in text
    assert not report.written and counts() == before


def test_json_import_with_an_own_limit(org):
    rec = make_record(org, statutory_limit_days=30, statutory_limit_unit="days",
                      statutory_limit_start="receipt",
                      statutory_limit_basis="《中华人民共和国环境影响评价法》第二十二条",
                      extension_limit_days=0, extension_limit_basis="同上，未规定延长")
    stream = io.BytesIO(json.dumps({"format": "oneseal-catalog", "version": 1,
                                    "items": [rec]}, ensure_ascii=False).encode())
    report = importing.import_items(actor=None, sources=formats.read_json(stream))
    assert report.ok
    version = version_in_force(Item.objects.get())
    assert version.item_limit == ItemLimit(30, LimitUnit.DAYS, LimitStart.RECEIPT, 0)
    assert version.extension_limit_basis == "同上，未规定延长"


def test_draft_update_checks_the_promise_against_a_limit_in_days(demo_catalog, cast):
    food = _version("食品经营许可")
    draft = services.draft_create(actor=cast["catalog_admin"], item=food.item)
    with pytest.raises(CatalogValidationError) as err:
        services.draft_update(actor=cast["catalog_admin"], version=draft, statutory_limit_days=7,
                              statutory_limit_unit="days", promised_limit_days=8)
    assert [p.code for p in err.value.problems] == ["promised_exceeds_statutory_days"]
    draft.refresh_from_db()
    assert (draft.statutory_limit_days, draft.statutory_limit_unit) == (10, "working_days")


def test_guide_and_api_show_the_limit_with_its_unit_start_and_extension(client, demo_catalog):
    item = Item.objects.get(versions__name="民办学校办学许可")
    page = client.get(reverse("catalog:guide", args=[item.pk])).content.decode()
    assert "法定 3 个月（不得延长），承诺 30 个工作日" in page
    assert "延长期限依据：《中华人民共和国民办教育促进法》第十七条" in page
    body = client.get(f"/api/v1/items/{item.pk}").json()
    assert (body["statutory_limit_days"], body["statutory_limit_unit"],
            body["statutory_limit_start"], body["extension_limit_days"]) == (
        3, "months", "acceptance", 0)
    assert body["statutory_limit_text"] == "3 个月（不得延长）"
    food = Item.objects.get(versions__name="食品经营许可")
    body = client.get(f"/api/v1/items/{food.pk}").json()
    assert body["statutory_limit_text"] == "10 个工作日（可延长 5 个工作日）"
    listed = client.get("/api/v1/items", {"q": "建筑工程施工", "page_size": 5}).json()
    assert {(i["statutory_limit_unit"], i["statutory_limit_start"])
            for i in listed["items"]} == {("days", "receipt")}
