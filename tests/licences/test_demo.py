"""The demo licence types: one per demo item yielding a licence or approval, validity read
from the catalogue, the 营业执照 sharing rule; idempotent."""

from __future__ import annotations

from oneseal.licences.demo import load_demo_licence_types, validity_months
from oneseal.licences.models import LicenceType, SharingRule


def test_validity_months_reads_the_first_years():
    assert validity_months("5年") == 60
    assert validity_months("一般为5年，最长不超过10年") == 60
    assert validity_months("长期") == 0
    assert validity_months("以许可证载明为准") == 0


def test_demo_types_are_loaded_once(db):
    from oneseal.catalog.demo import load_catalog
    from oneseal.org.seed import load_org_tree

    load_org_tree()
    load_catalog()
    first = load_demo_licence_types()
    names = {kind.name for kind in first}
    assert {"食品经营许可证", "营业执照", "取水许可证", "节能审查意见"} <= names
    food = LicenceType.objects.get(name="食品经营许可证")
    assert food.validity_months == 60 and food.scope_label == "经营项目"
    assert food.template == "certificate" and food.item is not None
    assert LicenceType.objects.get(name="节能审查意见").template == "approval"
    assert SharingRule.objects.filter(material_name="营业执照",
                                      licence_type__name="营业执照").count() == 1
    count = LicenceType.objects.count()
    load_demo_licence_types()
    assert LicenceType.objects.count() == count and SharingRule.objects.count() == 1
