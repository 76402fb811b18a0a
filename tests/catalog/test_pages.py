"""Public catalogue pages (anyone), workbench pages (catalogue administrators with a second
factor only): every member of the cast tried on every page."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from oneseal.catalog import services
from oneseal.catalog.models import Item, ItemVersion, Material, TransferMemo, VersionStatus
from oneseal.catalog.selectors import may_exercise, version_in_force
from tests.conftest import CAST
from tests.login_helpers import log_in

from .helpers import build_draft

ADMIN = "catalog_admin"
REFUSED = [name for name in CAST if name != ADMIN]


def item_named(name: str) -> Item:
    return Item.objects.get(versions__name=name, versions__status=VersionStatus.PUBLISHED)


# --- public pages ----------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, *CAST])
def test_everyone_reads_the_hall_list_and_a_guide(client, org, cast, who):
    version = services.version_publish(actor=None, version=build_draft(None, org["dept-env"]))
    if who:
        log_in(client, cast[who])
    response = client.get(reverse("catalog:items"))
    assert response.status_code == 200 and "排水许可（测试）" in response.content.decode()
    guide = client.get(reverse("catalog:guide", args=[version.item_id]))
    assert guide.status_code == 200 and "第二十一条" in guide.content.decode()


def test_hall_list_filters_and_pages(client, demo_catalog):
    page = client.get(reverse("catalog:items")).content.decode()
    assert "共 29 项" in page and "第 1 页，共 2 页" in page
    page = client.get(reverse("catalog:items"), {"q": "食品"}).content.decode()
    assert "共 1 项" in page and "食品经营许可" in page
    page = client.get(reverse("catalog:items"), {"q": "spjy"}).content.decode()
    assert "食品经营许可" in page
    env = demo_catalog["dept-env"]
    page = client.get(reverse("catalog:items"), {"department": env.pk}).content.decode()
    assert "共 2 项" in page and "建设项目环境影响报告书审批" in page
    page = client.get(reverse("catalog:items"), {"street": "1"}).content.decode()
    assert "共 4 项" in page and "个体工商户登记" in page
    page = client.get(reverse("catalog:items"), {"transferred": "0", "page": "9"})
    assert "共 7 项" in page.content.decode()


def test_guide_shows_every_element_and_prints_on_a4(client, demo_catalog):
    item = item_named("建筑工程施工许可证核发")
    page = client.get(reverse("catalog:guide", args=[item.pk])).content.decode()
    for text in ("《中华人民共和国建筑法》第八条",
                 "法定 7 日（自收到申请之日起，不得延长），承诺 3 个工作日", "不收费",
                 "建设工程规划许可证电子证照", "受理（1 个工作日）", "自 2019年3月31日 起由",
                 "第二十五条", "建筑工程施工许可证", "catalog/catalog.css"):
        assert text in page, text
    assert "size: A4" in open_css()


def open_css() -> str:
    from django.contrib.staticfiles import finders

    with open(finders.find("catalog/catalog.css"), encoding="utf-8") as f:
        return f.read()


def test_unpublished_item_has_no_public_guide(client, org):
    draft = build_draft(None, org["dept-env"])
    assert client.get(reverse("catalog:guide", args=[draft.item_id])).status_code == 404
    assert client.get(reverse("catalog:guide", args=[999999])).status_code == 404


def test_material_forms_download_only_for_published_versions(client, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = build_draft(None, org["dept-env"])
    variant = draft.variants.get()
    material = variant.materials.get()
    services.variant_set_materials(actor=None, variant=variant, rows=[{
        "id": material.pk, "blank_form": SimpleUploadedFile("申请表.docx", b"form-bytes")}])
    url = reverse("catalog:material_file", args=[material.pk, "blank_form"])
    assert client.get(url).status_code == 404  # still a draft
    services.version_publish(actor=None, version=draft)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"form-bytes"
    assert client.get(reverse("catalog:material_file", args=[material.pk, "example"])
                      ).status_code == 404


def test_power_list_page_and_exports(client, demo_catalog):
    env = demo_catalog["dept-env"]
    url = reverse("catalog:power_list", args=[env.pk])
    page = client.get(url).content.decode()
    assert "已划转至行政审批局的事项（2 项）" in page and "本单位实施的事项（0 项）" in page
    before = client.get(url, {"on": "2019-03-30"}).content.decode()
    assert "本单位实施的事项（2 项）" in before
    data = json.loads(client.get(url, {"format": "json"}).content)
    assert {row["category"] for row in data["items"]} == {"已划转至行政审批局"}
    assert {row["transfer_effective_on"] for row in data["items"]} == {"2019-03-31"}
    xlsx = client.get(url, {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == "类别" and len(rows) == 4
    bureau = client.get(reverse("catalog:power_list", args=[demo_catalog["bureau"].pk]))
    assert "本单位实施的事项（22 项）" in bureau.content.decode()


# --- workbench pages -------------------------------------------------------------------

WB_PAGES = ["catalog_admin:index", "catalog_admin:item_new"]


@pytest.mark.parametrize("who", REFUSED)
def test_workbench_refuses_everyone_but_the_catalogue_administrator(client, org, cast, who):
    draft = build_draft(None, org["dept-env"])
    log_in(client, cast[who])
    urls = [reverse(n) for n in WB_PAGES] + [
        reverse("catalog_admin:item", args=[draft.item_id]),
        reverse("catalog_admin:draft", args=[draft.pk]),
        reverse("catalog_admin:rows", args=[draft.pk, "legal_bases"]),
        reverse("catalog_admin:memo", args=[draft.item_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("catalog_admin:draft", args=[draft.pk]), {"name": "改"})
    assert response.status_code == 403
    assert client.post(reverse("catalog_admin:publish", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT and draft.name == "排水许可（测试）"


def test_workbench_sends_anonymous_to_login_and_unverified_admin_to_the_code(client, cast):
    response = client.get(reverse("catalog_admin:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    log_in(client, cast[ADMIN], verified=False)
    response = client.get(reverse("catalog_admin:index"))
    assert response.status_code == 302 and "otp" in response["Location"]


@pytest.fixture
def admin_client(client, cast):
    return log_in(client, cast[ADMIN])


def test_admin_creates_edits_and_publishes_an_item(admin_client, org):
    env = org["dept-env"]
    response = admin_client.post(reverse("catalog_admin:item_new"), {
        "name": "排污许可（页面）", "item_type": "licensing", "implementing_unit": env.pk,
        "competent_department": env.pk, "exercise_level": 4, "basic_code": "000100066000"})
    draft = ItemVersion.objects.get(name="排污许可（页面）")
    assert response.status_code == 302
    elements = {"name": "排污许可（页面）", "item_type": "licensing",
                "competent_department": env.pk, "acceptance_conditions": "排污单位。",
                "review_standard": "达标排放。", "statutory_limit_days": 20,
                "promised_limit_days": 25, "fee_free": "on", "online_depth": 3,
                "visits_required": 1, "in_hall": "on"}
    page = admin_client.post(reverse("catalog_admin:draft", args=[draft.pk]), elements)
    assert "承诺办结时限不得超过法定办结时限" in page.content.decode()
    draft.refresh_from_db()
    assert draft.promised_limit_days == 20  # unchanged default
    elements["promised_limit_days"] = 10
    assert admin_client.post(reverse("catalog_admin:draft", args=[draft.pk]),
                             elements).status_code == 302
    # publishing now names every missing element, in Chinese
    response = admin_client.post(reverse("catalog_admin:publish", args=[draft.pk]), follow=True)
    page = response.content.decode()
    assert "至少需要一条设定依据" in page and "至少需要一个业务办理项" in page
    rows = {"legal_bases-TOTAL_FORMS": 1, "legal_bases-INITIAL_FORMS": 0,
            "legal_bases-0-law": "《排污许可管理条例》", "legal_bases-0-article": "第二条"}
    assert admin_client.post(reverse("catalog_admin:rows", args=[draft.pk, "legal_bases"]),
                             rows).status_code == 302
    variant = {"code": "01", "name": "新办",
               "materials-TOTAL_FORMS": 1, "materials-INITIAL_FORMS": 0,
               "materials-0-name": "申请表", "materials-0-originals": 1,
               "materials-0-copies": 0, "materials-0-paper_size": "A4",
               "materials-0-required": "on",
               "materials-0-blank_form": SimpleUploadedFile("表.docx", b"x"),
               "steps-TOTAL_FORMS": 2, "steps-INITIAL_FORMS": 0,
               "steps-0-name": "受理", "steps-0-role": "clerk", "steps-0-limit_days": 1,
               "steps-1-name": "决定", "steps-1-role": "dept_officer", "steps-1-limit_days": 5}
    assert admin_client.post(reverse("catalog_admin:variant_new", args=[draft.pk]),
                             variant).status_code == 302
    response = admin_client.post(reverse("catalog_admin:publish", args=[draft.pk]))
    assert response.status_code == 302
    version = version_in_force(draft.item)
    assert version.pk == draft.pk and version.variants.get().steps.count() == 2
    assert Material.objects.get().blank_form.name.startswith("catalog/materials/")
    assert admin_client.get(reverse("catalog_admin:draft", args=[draft.pk])).status_code == 404
    assert "排污许可（页面）" in admin_client.get(reverse("catalog:items")).content.decode()


def test_admin_pages_render(admin_client, demo_catalog):
    item = item_named("取水许可")
    assert admin_client.get(reverse("catalog_admin:index"), {"q": "qsxk"}).status_code == 200
    page = admin_client.get(reverse("catalog_admin:item", args=[item.pk])).content.decode()
    assert "西山区水务局划转" in page or "由西山区水务局划转" in page
    admin_client.post(reverse("catalog_admin:draft_create", args=[item.pk]))
    draft = item.versions.get(status=VersionStatus.DRAFT)
    for url in (reverse("catalog_admin:draft", args=[draft.pk]),
                reverse("catalog_admin:rows", args=[draft.pk, "fees"]),
                reverse("catalog_admin:variant", args=[draft.pk, draft.variants.first().pk]),
                reverse("catalog_admin:memo", args=[item.pk])):
        assert admin_client.get(url).status_code == 200, url


def test_admin_records_a_transfer_memo(admin_client, org):
    item = build_draft(None, org["bureau"], org["dept-water"]).item
    response = admin_client.post(reverse("catalog_admin:memo", args=[item.pk]), {
        "from_department": org["dept-water"].pk, "effective_on": "2019-03-31",
        "document_no": "西审改〔2019〕3号", "approval_duty": "审批局审批。",
        "supervision_duty": "水务局监管。",
        "signatories-TOTAL_FORMS": 1, "signatories-INITIAL_FORMS": 0,
        "signatories-0-name": "陈志明", "signatories-0-unit": "行政审批局"})
    assert response.status_code == 302
    memo = TransferMemo.objects.get(item=item)
    assert memo.signatories.get().name == "陈志明"
    assert not may_exercise(org["dept-water"], item, on=dt.date(2019, 3, 31))
