"""The demo catalogue: the 21 transferred items of items.md with their memos, the 审核转报
item transferred by a later memo, and the in-hall items that stay with their departments,
all with complete guides."""

from __future__ import annotations

import datetime as dt

from oneseal.catalog.demo import load_catalog
from oneseal.catalog.models import Item, ItemVersion, TransferMemo
from oneseal.catalog.selectors import version_in_force
from oneseal.core.models import AuditEvent


def test_demo_has_21_transferred_items_with_memos_effective_2019_03_31(demo_catalog):
    memos = TransferMemo.objects.select_related("to_unit", "from_department")
    assert memos.filter(effective_on=dt.date(2019, 3, 31)).count() == 21
    later = memos.exclude(effective_on=dt.date(2019, 3, 31)).get()  # the 审核转报 item's
    assert later.effective_on == dt.date(2021, 6, 30) and later.item.versions.filter(
        item_type="review_forward").exists() and later.from_department.code == "dept-agri"
    assert {m.to_unit.code for m in memos} == {"bureau"}
    assert len({m.from_department.code for m in memos}) == 9  # from 9 departments
    assert all(m.signatories.count() == 3 for m in memos)


def test_demo_in_hall_items_stay_with_their_departments(demo_catalog):
    kept = Item.objects.filter(transfer_memo__isnull=True)
    names = {version_in_force(i).name for i in kept}
    assert {"食品经营许可", "公共场所卫生许可", "民办学校办学许可", "医疗机构执业登记",
            "个体工商户登记", "用水报装", "用电报装"} <= names
    assert all(i.implementing_unit.code != "bureau" for i in kept)


def test_every_demo_guide_is_complete(demo_catalog):
    for item in Item.objects.all():
        version = version_in_force(item)
        assert version is not None, item
        assert version.legal_bases.exists() and version.acceptance_conditions
        assert version.variants.exists()
        for variant in version.variants.all():
            assert variant.materials.exists(), (version.name, variant.name)
            assert variant.steps.exists(), (version.name, variant.name)
        assert version.results.exists(), version.name


def test_loading_the_demo_twice_changes_nothing(demo_catalog):
    before = (ItemVersion.objects.count(), AuditEvent.objects.count())
    summary = load_catalog()
    assert "新增 0，更新 0" in summary
    assert (ItemVersion.objects.count(), AuditEvent.objects.count()) == before
