"""现场核查 (site visit) through the catalogue: 行政许可法 第34条 requires two or more staff
where the substance of an application is verified on site. The flag travels with a review
step everywhere the step goes: JSON and Excel import and export, publish, the workbench, the
public guide and the API; the demo marks it where items are checked on site."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oneseal.catalog import exporting, formats, importing, services, snapshot
from oneseal.catalog.demo import load_catalog
from oneseal.catalog.domain import records
from oneseal.catalog.exceptions import CatalogValidationError
from oneseal.catalog.models import ChainStep, Item, ItemVersion, VersionStatus
from oneseal.catalog.selectors import version_in_force
from oneseal.core.models import AuditEvent
from tests.login_helpers import log_in

from .conftest import make_record
from .helpers import build_draft

SITE_ITEMS = {"建筑工程施工许可证核发", "城镇污水排入排水管网许可", "农药经营许可",
              "兽药经营许可证核发", "食品经营许可", "公共场所卫生许可", "医疗机构执业登记",
              "建设项目使用林地审核（初审转报）"}


def site_record(org, **changes):
    rec = make_record(org, **changes)
    rec["variants"][0]["steps"][1]["site_visit"] = True  # 审查
    return rec


def json_file(*recs) -> bytes:
    return json.dumps({"format": "oneseal-catalog", "version": 1, "items": list(recs)},
                      ensure_ascii=False).encode()


def run_import(data: bytes, fmt: str, **options):
    stream = io.BytesIO(data)
    sources = formats.read_json(stream) if fmt == "json" else formats.read_excel(stream)
    return importing.import_items(actor=None, sources=sources, **options)


def export(fmt: str) -> bytes:
    buffer = io.BytesIO()
    exporting.export_file(buffer, fmt)
    return buffer.getvalue()


def flags() -> list[tuple[str, str, bool]]:
    return list(ChainStep.objects.filter(variant__version__status=VersionStatus.PUBLISHED)
                .order_by("variant__version__item__implementation_code", "variant__sort",
                          "order").values_list("variant__version__name", "name", "site_visit"))


def counts():
    return (Item.objects.count(), ItemVersion.objects.count(), ChainStep.objects.count(),
            AuditEvent.objects.count())


# --- import and export -----------------------------------------------------------------


def test_article_34_site_visit_round_trips_through_json(org):
    report = run_import(json_file(site_record(org)), "json")
    assert report.ok and report.created == 1
    assert flags() == [("排污许可证核发（测试）", "受理", False),
                       ("排污许可证核发（测试）", "审查", True),
                       ("排污许可证核发（测试）", "决定", False)]
    first = export("json")
    steps = json.loads(first)["items"][0]["variants"][0]["steps"]
    assert [s["site_visit"] for s in steps] == [False, True, False]
    before = counts()
    assert run_import(first, "json").unchanged == 1  # same content: nothing happens
    assert counts() == before
    Item.objects.all().delete()
    assert run_import(first, "json").created == 1
    assert export("json") == first


def test_article_34_changing_only_the_flag_publishes_a_new_version(org):
    run_import(json_file(make_record(org)), "json")
    report = run_import(json_file(site_record(org, valid_from="2030-01-01T00:00:00+08:00")),
                        "json")
    assert report.updated == 1
    item = Item.objects.get()
    assert item.versions.count() == 2
    first, second = item.versions.order_by("number")
    assert not first.variants.get().steps.filter(site_visit=True).exists()  # never changed
    assert second.variants.get().steps.get(site_visit=True).name == "审查"


def test_article_34_site_visit_round_trips_through_excel(org):
    run_import(json_file(site_record(org)), "json")
    xlsx = export("xlsx")
    sheet = load_workbook(io.BytesIO(xlsx))["审批环节"]
    header = [c.value for c in sheet[1]]
    assert "现场核查" in header
    column = header.index("现场核查")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "否", "是", "否"]
    assert run_import(xlsx, "xlsx").unchanged == 1
    Item.objects.all().delete()
    report = run_import(xlsx, "xlsx")
    assert report.ok and report.created == 1
    assert [f[2] for f in flags()] == [False, True, False]


def test_article_34_old_files_without_the_flag_import_as_no_site_visit(org):
    rec = make_record(org)
    assert all("site_visit" not in s for s in rec["variants"][0]["steps"])
    report = run_import(json_file(rec), "json")
    assert report.ok and report.created == 1
    assert [f[2] for f in flags()] == [False, False, False]
    # an Excel file laid out before the column existed
    xlsx = export("xlsx")
    book = load_workbook(io.BytesIO(xlsx))
    sheet = book["审批环节"]
    sheet.delete_cols([c.value for c in sheet[1]].index("现场核查") + 1)
    old = io.BytesIO()
    book.save(old)
    Item.objects.all().delete()
    report = run_import(old.getvalue(), "xlsx")
    assert report.ok and report.created == 1
    assert [f[2] for f in flags()] == [False, False, False]


def test_article_34_non_boolean_flag_is_refused_and_nothing_written(org):
    rec = make_record(org)
    rec["variants"][0]["steps"][1]["site_visit"] = "yes"
    before = counts()
    report = run_import(json_file(rec), "json")
    assert not report.written
    assert [str(e) for e in report.errors] == [
        "第 1 个事项（业务办理项 1 › 审批环节 2 › 现场核查）：应为“是”或“否”（现为“yes”）"]
    assert counts() == before
    run_import(json_file(make_record(org)), "json")
    book = load_workbook(io.BytesIO(export("xlsx")))
    sheet = book["审批环节"]
    sheet.cell(row=3, column=[c.value for c in sheet[1]].index("现场核查") + 1, value="也许")
    bad = io.BytesIO()
    book.save(bad)
    before = counts()
    report = run_import(bad.getvalue(), "xlsx")
    assert not report.written
    assert [str(e) for e in report.errors] == [
        "工作表“审批环节”第 3 行“现场核查”列：应为“是”或“否”（现为“也许”）"]
    assert counts() == before


def test_article_34_on_the_spot_item_with_a_site_visit_is_refused_on_import(org):
    rec = make_record(org, promised_limit_days=0)
    rec["variants"][0]["steps"] = [
        {"name": "受理", "role": "clerk", "limit_days": 0},
        {"name": "审查", "role": "dept_officer", "limit_days": 0, "site_visit": True},
        {"name": "决定", "role": "dept_officer", "limit_days": 0, "skippable_on_spot": True}]
    before = counts()
    report = run_import(json_file(rec), "json")
    assert not report.written and len(report.errors) == 1
    text = str(report.errors[0])
    assert text.startswith("第 1 个事项（业务办理项 1 › 审批环节 2 › 现场核查）：即办件当场办结")
    assert "两名以上工作人员" in text
    assert counts() == before


# --- publish and the workbench -----------------------------------------------------------


def _steps(*, site: bool, skip: bool = False, days: int = 1):
    return [{"name": "受理", "role": "clerk", "limit_days": days, "skippable_on_spot": False},
            {"name": "审查", "role": "reviewer", "limit_days": days, "skippable_on_spot": skip,
             "site_visit": site},
            {"name": "批准", "role": "chief", "limit_days": days, "skippable_on_spot": True}]


def test_article_34_publish_refuses_an_on_the_spot_site_visit_and_keeps_the_draft(org):
    draft = build_draft(None, org["bureau"], org["dept-env"])
    variant = draft.variants.get()
    services.variant_set_steps(actor=None, variant=variant, rows=_steps(site=True, days=0))
    draft = services.draft_update(actor=None, version=draft, promised_limit_days=0)
    before = counts()
    with pytest.raises(CatalogValidationError) as caught:
        services.version_publish(actor=None, version=draft)
    assert any("即办件当场办结" in m for m in caught.value.messages)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT and not draft.content_hash
    assert counts() == before
    services.variant_set_steps(actor=None, variant=variant,
                               rows=_steps(site=True, skip=True, days=0))
    published = services.version_publish(actor=None, version=draft)
    assert published.status == VersionStatus.PUBLISHED
    assert published.content_hash == records.content_hash(snapshot.record_of(published))


def test_article_34_service_refuses_a_non_boolean_flag(org):
    draft = build_draft(None, org["bureau"], org["dept-env"])
    variant = draft.variants.get()
    before = list(variant.steps.values_list("name", "site_visit"))
    with pytest.raises(CatalogValidationError):
        services.variant_set_steps(actor=None, variant=variant,
                                   rows=[{**row, "site_visit": "no"} for row in _steps(site=False)])
    assert list(variant.steps.values_list("name", "site_visit")) == before


def test_article_34_new_draft_copies_the_flag_and_keeps_the_hash(org):
    draft = build_draft(None, org["bureau"], org["dept-env"])
    services.variant_set_steps(actor=None, variant=draft.variants.get(),
                               rows=_steps(site=True))
    published = services.version_publish(actor=None, version=draft)
    copy = services.draft_create(actor=None, item=published.item)
    assert list(copy.variants.get().steps.values_list("name", "site_visit")) == [
        ("受理", False), ("审查", True), ("批准", False)]
    assert records.content_hash(snapshot.record_of(copy)) == published.content_hash


def test_article_34_workbench_marks_a_step_as_site_visit(client, cast, org):
    admin = log_in(client, cast["catalog_admin"])
    draft = build_draft(None, org["dept-env"])
    variant = draft.variants.get()
    url = reverse("catalog_admin:variant", args=[draft.pk, variant.pk])
    page = admin.get(url).content.decode()
    assert "现场核查" in page and "第三十四条" in page
    data = {"code": "01", "name": "新办",
            "materials-TOTAL_FORMS": 1, "materials-INITIAL_FORMS": 1,
            "materials-0-id": variant.materials.get().pk, "materials-0-name": "申请表",
            "materials-0-originals": 1, "materials-0-copies": 0,
            "materials-0-paper_size": "A4", "materials-0-required": "on",
            "steps-TOTAL_FORMS": 3, "steps-INITIAL_FORMS": 2,
            "steps-0-name": "受理", "steps-0-role": "clerk", "steps-0-limit_days": 1,
            "steps-1-name": "现场审查", "steps-1-role": "reviewer", "steps-1-limit_days": 5,
            "steps-1-site_visit": "on",
            "steps-2-name": "决定", "steps-2-role": "chief", "steps-2-limit_days": 1}
    assert admin.post(url, data).status_code == 302
    assert list(variant.steps.values_list("name", "site_visit")) == [
        ("受理", False), ("现场审查", True), ("决定", False)]
    page = admin.get(url).content.decode()
    assert re.search(r'<input[^>]*name="steps-1-site_visit"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="steps-0-site_visit"[^>]*checked', page)


# --- the demo, the guide and the API ----------------------------------------------------


def test_article_34_demo_marks_review_steps_checked_on_site(demo_catalog):
    marked = ChainStep.objects.filter(site_visit=True).select_related("variant__version")
    names = {s.variant.version.name for s in marked}
    assert names == SITE_ITEMS and len(names) >= 3
    for s in marked:
        chain = list(s.variant.steps.values_list("order", flat=True))
        assert s.name == "审查" and chain[0] < s.order < chain[-1]
        assert s.variant.version.promised_limit_days > 0
        assert s.variant.name in ("新办", "延续")


def test_article_34_demo_refresh_publishes_the_flag_on_an_older_catalogue(demo_catalog):
    """A database loaded with the demo before the flag existed: the changed items get a new
    version in force from the refresh (it cannot start on 2019-01-01 again)."""
    food = Item.objects.get(versions__name="食品经营许可")
    version = version_in_force(food)
    ChainStep.objects.filter(variant__version=version).update(site_visit=False)
    version.content_hash = records.content_hash(snapshot.record_of(version))
    version.save(update_fields=["content_hash"])
    summary = load_catalog()
    assert "新增 0，更新 1，未变 28" in summary
    current = version_in_force(food)
    assert current.number == 2 and current.valid_from > version.valid_from
    assert current.variants.get(code="01").steps.get(name="审查").site_visit is True
    assert "新增 0，更新 0，未变 29" in load_catalog()


def test_article_34_guide_shows_site_visit_steps(client, demo_catalog):
    food = Item.objects.get(versions__name="食品经营许可")
    page = client.get(reverse("catalog:guide", args=[food.pk])).content.decode()
    assert page.count("现场核查（两人以上）") == 2  # 新办 and 延续
    assert "第三十四条" in page
    other = Item.objects.get(versions__name="取水许可")
    assert "现场核查（两人以上）" not in client.get(
        reverse("catalog:guide", args=[other.pk])).content.decode()


def test_article_34_api_returns_the_flag_of_each_step(client, demo_catalog):
    food = Item.objects.get(versions__name="食品经营许可")
    body = client.get(f"/api/v1/items/{food.pk}").json()
    new = next(v for v in body["variants"] if v["name"] == "新办")
    assert [(s["name"], s["site_visit"]) for s in new["steps"]] == [
        ("受理", False), ("审查", True), ("决定", False)]
    change = next(v for v in body["variants"] if v["name"] == "变更")
    assert not any(s["site_visit"] for s in change["steps"])
