"""Fixtures of the catalogue tests: the seeded organisation tree, a valid item record, the
demo catalogue."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from oneseal.catalog.demo import load_catalog
from oneseal.org.models import Unit
from oneseal.org.seed import load_org_tree


@pytest.fixture
def org(db) -> dict[str, Unit]:
    """The seeded organisation tree by internal code (bureau, departments, streets ...)."""
    return load_org_tree()


@pytest.fixture
def demo_catalog(org) -> dict[str, Unit]:
    load_catalog()
    return org


def make_record(org: dict[str, Unit], **changes: Any) -> dict[str, Any]:
    """A complete, valid record of a department item (区环保局, not transferred)."""
    dept = org["dept-env"]
    rec: dict[str, Any] = {
        "basic_code": "000100099000",
        "exercise_level": 4,
        "implementing_body_code": dept.credit_code,
        "competent_department_code": dept.credit_code,
        "name": "排污许可证核发（测试）",
        "item_type": "licensing",
        "acceptance_conditions": "依法应当取得排污许可证的排污单位。",
        "review_standard": "《排污许可管理条例》第十一条规定的条件。",
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "fee_free": True,
        "online_depth": 3,
        "visits_required": 1,
        "street_available": False,
        "in_hall": True,
        "legal_bases": [{"law": "《排污许可管理条例》", "article": "第二条", "text": ""}],
        "variants": [{
            "code": "01", "name": "新办",
            "materials": [{"name": "排污许可证申请表", "originals": 1, "copies": 0}],
            "steps": [
                {"name": "受理", "role": "clerk", "limit_days": 1},
                {"name": "审查", "role": "dept_officer", "limit_days": 8},
                {"name": "决定", "role": "dept_officer", "limit_days": 1},
            ],
        }],
    }
    rec.update(copy.deepcopy(changes))
    return rec
