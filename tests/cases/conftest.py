"""Fixtures of the case tests: the seeded organisation tree, three published items (a
transferred bureau item, a hall item that stays with its department, an on-the-spot item),
applicants, and `new_case` / `advance` helpers that drive cases through the services.

Dates: every test that moves a case runs at a fixed day (`at()`), so the statutory clock is
computed against the 2026 schedule whatever today's date is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from oneseal.applicants import services as applicant_services
from oneseal.catalog import services as catalog_services
from oneseal.catalog.models import Item, ItemVersion
from oneseal.org.models import Unit
from oneseal.org.seed import load_org_tree

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUREAU_CHAIN = [
    {"name": "受理", "role": "clerk", "limit_days": 1, "skippable_on_spot": False},
    {"name": "审查", "role": "reviewer", "limit_days": 6, "skippable_on_spot": False},
    {"name": "审核", "role": "chief", "limit_days": 1, "skippable_on_spot": False},
    {"name": "批准", "role": "head", "limit_days": 1, "skippable_on_spot": False},
]
DEPT_CHAIN = [
    {"name": "受理", "role": "clerk", "limit_days": 1, "skippable_on_spot": False},
    {"name": "审查", "role": "dept_officer", "limit_days": 8, "skippable_on_spot": False},
    {"name": "决定", "role": "dept_officer", "limit_days": 1, "skippable_on_spot": False},
]
ON_SPOT_CHAIN = [
    {"name": "受理", "role": "clerk", "limit_days": 0, "skippable_on_spot": False},
    {"name": "审查", "role": "reviewer", "limit_days": 0, "skippable_on_spot": True},
    {"name": "批准", "role": "chief", "limit_days": 0, "skippable_on_spot": True},
]
MATERIALS = [
    {"name": "申请表", "originals": 1, "copies": 0, "paper_size": "A4", "required": True,
     "shareable": False, "share_source": "", "legal_basis": "", "note": ""},
    {"name": "场所平面图", "originals": 1, "copies": 0, "paper_size": "A4", "required": True,
     "shareable": False, "share_source": "", "legal_basis": "", "note": ""},
    {"name": "营业执照", "originals": 0, "copies": 0, "paper_size": "A4", "required": True,
     "shareable": True, "share_source": "电子营业执照（市场监管部门）", "legal_basis": "",
     "note": ""},
    {"name": "授权委托书", "originals": 1, "copies": 0, "paper_size": "A4", "required": False,
     "shareable": False, "share_source": "", "legal_basis": "", "note": ""},
]


def at(day: str, hour: int = 10) -> dt.datetime:
    """An aware moment on `day` (YYYY-MM-DD) in Kunming's time zone (UTC+8)."""
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def _publish(*, body: Unit, competent: Unit, basic_code: str, name: str, chain: list[dict],
             promised: int, statutory: int = 20,
             procedures: list[dict[str, Any]] | None = None) -> ItemVersion:
    draft = catalog_services.item_create(
        actor=None, implementing_unit=body, exercise_level=4, basic_code=basic_code,
        name=name, item_type="licensing", competent_department=competent,
        acceptance_conditions="符合法定条件。", review_standard="符合审查标准。",
        statutory_limit_days=statutory, promised_limit_days=promised, online_depth=3,
        visits_required=1)
    catalog_services.draft_set_rows(actor=None, version=draft, kind="legal_bases", rows=[
        {"law": "《中华人民共和国行政许可法》", "article": "第十二条", "text": ""}])
    if procedures:
        catalog_services.draft_set_rows(actor=None, version=draft, kind="special_procedures",
                                        rows=procedures)
    variant = catalog_services.variant_save(actor=None, version=draft, code="01", name="新办")
    catalog_services.variant_set_materials(actor=None, variant=variant, rows=MATERIALS)
    catalog_services.variant_set_steps(actor=None, variant=variant, rows=chain)
    return catalog_services.version_publish(actor=None, version=draft,
                                            valid_from=at("2019-01-01", 0))


@dataclass
class Catalogue:
    bureau_item: Item  # transferred to the bureau (第25条), decided by the head
    hall_item: Item  # accepted at the hall, decided by its department
    on_spot_item: Item  # 即办件 (promised limit 0)


@pytest.fixture
def org(db) -> dict[str, Unit]:
    return load_org_tree()


@pytest.fixture
def bureau(org):
    return org["bureau"]


@pytest.fixture
def department(org):
    return org["dept-env"]


@pytest.fixture
def catalogue(org) -> Catalogue:
    bureau, dept = org["bureau"], org["dept-env"]
    procedures = [
        {"kind": "hearing", "usual_days": 10, "legal_basis": "行政许可法第四十七条",
         "stops_clock": True},
        {"kind": "expert_review", "usual_days": 5, "legal_basis": "", "stops_clock": True},
    ]
    bureau_version = _publish(body=bureau, competent=dept, basic_code="000100077000",
                              name="排污许可（测试）", chain=BUREAU_CHAIN, promised=10,
                              procedures=procedures)
    catalog_services.memo_save(
        actor=None, item=bureau_version.item, from_department=dept, to_unit=bureau,
        effective_on=dt.date(2019, 3, 31), approval_duty="审批", supervision_duty="监管")
    hall_version = _publish(body=dept, competent=dept, basic_code="000100078000",
                            name="环评审批（测试）", chain=DEPT_CHAIN, promised=10)
    spot_version = _publish(body=bureau, competent=dept, basic_code="000100079000",
                            name="小型项目备案（测试）", chain=ON_SPOT_CHAIN, promised=0)
    catalog_services.memo_save(
        actor=None, item=spot_version.item, from_department=dept, to_unit=bureau,
        effective_on=dt.date(2019, 3, 31), approval_duty="审批", supervision_duty="监管")
    return Catalogue(bureau_version.item, hall_version.item, spot_version.item)


@pytest.fixture
def person(db, cast):
    """The cast's applicant as a registered natural person (linked to the account)."""
    return applicant_services.register_person(
        actor=None, name="张三", id_number="53011219800101123X", phone="13800138000",
        user=cast["applicant"])


@pytest.fixture
def company(db, cast):
    org = applicant_services.register_organisation(
        actor=None, name="昆明西山测试有限公司", credit_code="91530112MA6K00000C",
        legal_representative="李四")
    applicant_services.link_organisation_user(actor=None, organisation=org,
                                              user=cast["company"])
    return org
