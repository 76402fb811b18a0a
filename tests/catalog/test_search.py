"""Search in Chinese (1, 2, 3 and more characters) and by pinyin, on whichever database the
suite runs on (SQLite and PostgreSQL both run it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oneseal.catalog import services
from oneseal.catalog.selectors import ItemFilters, search_items, versions_in_force

from .helpers import build_draft


def names(**filters):
    return {v.name for v in search_items(ItemFilters(**filters))}


@pytest.mark.parametrize(("query", "expected"), [
    ("食品", {"食品经营许可"}),  # 2 characters: below the trigram minimum
    ("许可证", {"建筑工程施工许可证核发", "林木采伐许可证核发", "兽药经营许可证核发"}),  # 3
    ("建设项目", {"建设项目环境影响报告书审批", "建设项目环境影响报告表审批",
               "生产建设项目水土保持方案审批", "建设项目使用林地审核（初审转报）"}),  # 4
    ("环境影响报告书", {"建设项目环境影响报告书审批"}),
    ("经营许可", {"食品经营许可", "农药经营许可", "道路货物运输经营许可", "兽药经营许可证核发"}),
    ("城市道路", {"占用、挖掘城市道路审批"}),
    ("报装", {"用水报装", "用电报装"}),
])
def test_search_by_any_part_of_the_chinese_name(demo_catalog, query, expected):
    assert names(q=query) == expected


def test_one_character_query_works_too(demo_catalog):
    assert names(q="水") == {"城镇污水排入排水管网许可", "取水许可", "生产建设项目水土保持方案审批",
                             "用水报装"}


@pytest.mark.parametrize(("query", "expected"), [
    ("SPJY", {"食品经营许可"}),
    ("spjyxk", {"食品经营许可"}),
    ("QSXK", {"取水许可"}),
    ("shipin", {"食品经营许可"}),
    ("jzgcsgxkz", {"建筑工程施工许可证核发"}),
    (" SP JY ", {"食品经营许可"}),
])
def test_search_by_pinyin(demo_catalog, query, expected):
    assert names(q=query) == expected


def test_search_by_implementation_code(demo_catalog):
    found = list(search_items(ItemFilters(q="000100005000")))
    assert [v.name for v in found] == ["建筑工程施工许可证核发"]


def test_search_finds_nothing_for_an_absent_name_and_ignores_separators(demo_catalog):
    assert names(q="航天") == set()
    assert names(q="|") == names()  # the separator is never searched for


def test_filters_combine_with_the_query(demo_catalog):
    env = demo_catalog["dept-env"]
    assert names(q="审批", department=env.pk) == {"建设项目环境影响报告书审批",
                                                "建设项目环境影响报告表审批"}
    assert names(item_type="public_service") == {"用水报装", "用电报装"}
    assert names(street=True, online_depth=4) == {"食品经营许可", "个体工商户登记", "用水报装",
                                                  "用电报装"}
    assert len(names(online_depth=4)) < len(names(online_depth=3)) <= 29
    assert len(names(transferred=True)) == 22 and len(names(transferred=False)) == 7


def test_search_sees_the_version_in_force_only(org):
    t0 = timezone.make_aware(dt.datetime(2024, 1, 1))
    v1 = services.version_publish(actor=None, version=build_draft(None, org["dept-env"]),
                                  valid_from=t0)
    draft = services.draft_create(actor=None, item=v1.item)
    services.draft_update(actor=None, version=draft, name="城镇排水许可（新名称）")
    t1 = t0 + dt.timedelta(days=10)
    services.version_publish(actor=None, version=draft, valid_from=t1)
    at = {v.name for v in versions_in_force(t1 - dt.timedelta(seconds=1))}
    assert at == {"排水许可（测试）"}
    assert names(q="排水") == {"城镇排水许可（新名称）"}
    assert names(q="测试") == set() and names(q="CZPSXK") == {"城镇排水许可（新名称）"}
    assert versions_in_force().count() == 1
