"""Import and export: every bad row and column reported in Chinese, nothing half-written,
the good-rows option, idempotent re-import, and round trips through JSON and Excel."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from oneseal.catalog import exporting, formats, importing
from oneseal.catalog.models import Item, ItemVersion, TransferMemo
from oneseal.catalog.selectors import version_in_force
from oneseal.core.models import AuditEvent

from .conftest import make_record


def counts():
    return (Item.objects.count(), ItemVersion.objects.count(), TransferMemo.objects.count(),
            AuditEvent.objects.count())


def export(fmt: str) -> bytes:
    buffer = io.BytesIO()
    exporting.export_file(buffer, fmt)
    return buffer.getvalue()


def run_import(data: bytes, fmt: str, **options):
    stream = io.BytesIO(data)
    sources = formats.read_json(stream) if fmt == "json" else formats.read_excel(stream)
    return importing.import_items(actor=None, sources=sources, **options)


def json_file(*recs) -> bytes:
    return json.dumps({"format": "oneseal-catalog", "version": 1, "items": list(recs)},
                      ensure_ascii=False).encode()


def test_import_good_json_creates_published_items(org):
    report = run_import(json_file(make_record(org)), "json")
    assert report.ok and report.written and report.created == 1
    item = Item.objects.get()
    version = version_in_force(item)
    assert version.name == "排污许可证核发（测试）"
    assert AuditEvent.objects.filter(kind="catalog.publish").count() == 1
    assert AuditEvent.objects.filter(kind="catalog.import").count() == 1


def test_reimport_of_the_same_file_changes_nothing(org):
    data = json_file(make_record(org))
    run_import(data, "json")
    before = counts()
    report = run_import(data, "json")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert counts() == before


def test_import_of_changed_content_publishes_a_new_version(org):
    run_import(json_file(make_record(org)), "json")
    report = run_import(json_file(make_record(org, promised_limit_days=5, variants=[{
        "code": "01", "name": "新办", "materials": [{"name": "申请表"}],
        "steps": [{"name": "受理", "role": "clerk", "limit_days": 1}]}])), "json")
    assert report.updated == 1
    assert version_in_force(Item.objects.get()).promised_limit_days == 5
    assert ItemVersion.objects.count() == 2


def test_bad_json_reports_every_error_and_writes_nothing(org):
    bad = make_record(org, basic_code="ABC", promised_limit_days=30, legal_bases=[])
    other = make_record(org, basic_code="000100098000", item_type="许可")
    good = make_record(org, basic_code="000100097000")
    before = counts()
    report = run_import(json_file(good, bad, other), "json")
    assert not report.written and report.skipped == 3
    text = "\n".join(str(e) for e in report.errors)
    assert "第 2 个事项（基本编码）：基本编码“ABC”应为 12 位数字或大写字母" in text
    assert ("第 2 个事项（承诺办结时限）：承诺办结时限（30 个工作日）"
            "不得超过法定办结时限（20 个工作日）") in text
    assert "第 2 个事项（设定依据）：至少需要一条设定依据" in text
    assert "第 3 个事项（事项类型）：“许可”不是可选的值" in text
    assert len(report.errors) == 4
    assert counts() == before


def test_good_rows_only_imports_the_good_items(org):
    good = make_record(org, basic_code="000100097000")
    bad = make_record(org, name="")
    report = run_import(json_file(good, bad), "json", good_rows_only=True)
    assert report.written and report.created == 1 and report.skipped == 1
    assert [str(e) for e in report.errors] == ["第 2 个事项（名称）：必须填写"]
    assert Item.objects.get().implementation_code.endswith("000100097000")


def test_dry_run_counts_and_writes_nothing(org):
    before = counts()
    report = run_import(json_file(make_record(org)), "json", dry_run=True)
    assert report.created == 1 and not report.written
    assert counts() == before


def test_unknown_unit_and_unreadable_json_are_reported(org):
    rec = make_record(org, competent_department_code="91530112MA0000000W")
    report = run_import(json_file(rec), "json")
    assert any("不是系统中已登记的单位" in str(e) or "校验位" in str(e) for e in report.errors)
    report = run_import(b"{not json", "json")
    assert not report.written and "不是有效的 JSON" in str(report.errors[0])


def test_json_round_trip(demo_catalog):
    first = export("json")
    before = counts()
    assert run_import(first, "json").unchanged == 29
    assert counts() == before
    Item.objects.all().delete()
    report = run_import(first, "json")
    assert report.created == 29 and report.memos == 22
    assert export("json") == first


def test_excel_round_trip(demo_catalog):
    original = json.loads(export("json"))
    xlsx = export("xlsx")
    assert run_import(xlsx, "xlsx").unchanged == 29
    Item.objects.all().delete()
    report = run_import(xlsx, "xlsx")
    assert report.ok and report.created == 29 and report.memos == 22
    assert json.loads(export("json")) == original


def _edit(xlsx: bytes, edits: list[tuple[str, int, str, object]], drop_column=None) -> bytes:
    book = load_workbook(io.BytesIO(xlsx))
    for sheet, row, column, value in edits:
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        ws.cell(row=row, column=header.index(column) + 1, value=value)
    if drop_column:
        sheet, column = drop_column
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        ws.delete_cols(header.index(column) + 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_bad_excel_reports_every_row_and_column_and_writes_nothing(demo_catalog):
    xlsx = _edit(export("xlsx"), [
        ("事项", 2, "承诺办结时限", 99),
        ("事项", 3, "实施主体统一社会信用代码", "11530112MB12345679"),
        ("申请材料", 4, "复印件份数", "两份"),
        ("审批环节", 2, "办理角色", "老板"),
        ("设定依据", 2, "实施编码", "X" * 31),
        ("划转备忘录", 2, "生效日期", "2019-02-30"),
    ])
    before = counts()
    report = run_import(xlsx, "xlsx")
    text = "\n".join(str(e) for e in report.errors)
    assert ("工作表“事项”第 2 行“承诺办结时限”列："
            "承诺办结时限（99 个工作日）不得超过法定办结时限") in text
    assert ("工作表“事项”第 3 行“实施主体统一社会信用代码”列："
            "统一社会信用代码“11530112MB12345679”校验位错误") in text
    assert "工作表“申请材料”第 4 行“复印件份数”列：应为整数（现为“两份”）" in text
    assert "工作表“审批环节”第 2 行“办理角色”列：“老板”不是可选的值" in text
    assert "工作表“设定依据”第 2 行“实施编码”列：实施编码“XXXX" in text
    assert "工作表“划转备忘录”第 2 行“生效日期”列：应为日期" in text
    assert not report.written
    assert counts() == before


def test_missing_column_is_reported(demo_catalog):
    xlsx = _edit(export("xlsx"), [], drop_column=("收费", "收费依据"))
    report = run_import(xlsx, "xlsx")
    assert "工作表“收费”第 1 行：缺少列“收费依据”" in [str(e) for e in report.errors]
    assert not report.written


def test_not_an_excel_file(db):
    report = run_import(b"PK\x03\x04 broken", "xlsx")
    assert not report.written and "无法读取 Excel 文件" in str(report.errors[0])


# --- the command line ---------------------------------------------------------------------


def test_cli_export_then_import_with_progress_bar(demo_catalog, tmp_path):
    target = tmp_path / "catalog.xlsx"
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", "export", str(target), "--progress", stdout=out, stderr=err)
    assert "已导出 29 个事项" in out.getvalue()
    assert "29/29" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", "import", str(target), "--progress", stdout=out, stderr=err)
    assert "未变 29" in out.getvalue() and "█" in err.getvalue()


def test_cli_bad_file_fails_and_lists_errors(org, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(json_file(make_record(org, name="")))
    out = io.StringIO()
    with pytest.raises(CommandError, match="导入未执行"):
        call_command("catalog", "import", str(path), stdout=out)
    assert "第 1 个事项（名称）：必须填写" in out.getvalue()
    assert not Item.objects.exists()
    call_command("catalog", "import", str(path), "--dry-run", "--good-rows-only", stdout=out)
    assert not Item.objects.exists()


def test_cli_refuses_unknown_file_types(db, tmp_path):
    with pytest.raises(CommandError, match="不支持的文件类型"):
        call_command("catalog", "export", str(tmp_path / "x.csv"))


def _form_of(version):
    from oneseal.catalog.online_form import definition_record
    return definition_record(version)


@pytest.fixture
def demo_forms(demo_catalog):
    from oneseal.catalog.demo import load_forms
    assert load_forms() >= 1  # the demo's online forms, each on a new version in force
    return demo_catalog


def test_the_online_form_travels_in_the_json_export_and_back(demo_forms):
    from oneseal.catalog.models import FormField
    with_form = {f.version_id for f in FormField.objects.all()}  # versions in force
    assert with_form, "the demo catalogue defines online forms"
    first = export("json")
    doc = json.loads(first)
    carried = [r for r in doc["items"] if "online_form" in r]
    assert len(carried) >= 1
    assert all(r["online_form"]["fields"] or r["online_form"]["questions"] for r in carried)
    forms = {v.item.implementation_code: _form_of(v)
             for v in ItemVersion.objects.filter(pk__in=with_form).select_related("item")}

    Item.objects.all().delete()
    report = run_import(first, "json")
    assert report.ok and report.created == 29
    for code, form in forms.items():
        assert _form_of(version_in_force(Item.objects.get(implementation_code=code))) == form
    assert export("json") == first


def test_a_changed_form_alone_publishes_a_new_version_and_an_excel_import_keeps_the_form(
        demo_forms):
    doc = json.loads(export("json"))
    rec = next(r for r in doc["items"] if "online_form" in r)
    code = rec["implementation_code"]
    item = Item.objects.get(implementation_code=code)
    before = item.versions.count()
    old_form = rec["online_form"]
    rec.pop("valid_from")  # the changed version is in force from now on
    rec["online_form"] = {**old_form, "fields": [*old_form["fields"], {
        "key": "floor_area", "label": "建筑面积", "kind": "number", "required": True,
        "min_value": "1", "max_value": "", "choices": [], "help_text": "平方米",
        "variant": ""}]}
    report = run_import(json_file(rec), "json")
    assert report.ok and report.updated == 1, report.summary()
    current = version_in_force(item)
    assert item.versions.count() == before + 1
    assert [f["key"] for f in _form_of(current)["fields"]][-1] == "floor_area"
    assert run_import(json_file(rec), "json").unchanged == 1  # idempotent, min "1" == "1.00"

    # The Excel layout carries no form: importing it changes nothing and keeps the form.
    assert run_import(export("xlsx"), "xlsx").unchanged == 29
    assert _form_of(version_in_force(item))["fields"][-1]["key"] == "floor_area"


def test_a_bad_online_form_in_the_file_is_reported_and_nothing_is_written(demo_forms):
    doc = json.loads(export("json"))
    rec = next(r for r in doc["items"] if "online_form" in r)
    rec["online_form"]["fields"].append({"key": "", "label": "", "kind": "colour"})
    before = counts()
    report = run_import(json_file(rec), "json")
    assert not report.ok and counts() == before
    assert any("网上申请表" in e.location and "字段标识" in e.message for e in report.errors)
    rec["online_form"] = "not a form"
    report = run_import(json_file(rec), "json")
    assert any("网上申请表" in e.location for e in report.errors)
