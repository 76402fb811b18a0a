"""The seeded organisation tree of Xishan District."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from oneseal.core.identity import is_valid_credit_code
from oneseal.core.models import AuditEvent
from oneseal.org.models import Unit, UnitKind
from oneseal.org.seed import SEED_UNITS, load_org_tree
from oneseal.org.selectors import bureau, unit_tree

WORK_PLAN_DEPARTMENTS = [
    "区发展改革局", "区环保局", "区住房城乡建设局", "区交通运输局", "区城管综合执法局",
    "区园林绿化局", "区农林局", "区水务局", "区文化旅游体育局",
]


def test_the_tree_has_the_bureau_departments_streets_and_utilities(db, settings):
    units = load_org_tree()
    assert len(units) == len(SEED_UNITS) == Unit.objects.count()
    short = set(Unit.objects.values_list("short_name", flat=True))
    for name in [*WORK_PLAN_DEPARTMENTS, "区市场监管局", "供水公司", "昆明供电局西山分局"]:
        assert name in short, name
    assert bureau() == units["bureau"]
    assert units["bureau"].credit_code == settings.ONESEAL_BUREAU_CODE
    assert units["bureau"].parent == units["xishan-gov"]
    sections = Unit.objects.filter(parent=units["bureau"], kind=UnitKind.SECTION)
    assert {"综合受理科", "审批一科（投资建设类）", "现场勘验科"} <= {s.name for s in sections}
    streets = Unit.objects.filter(kind=UnitKind.STREET)
    assert streets.count() == 4
    for street in streets:
        assert 2 <= street.children.filter(kind=UnitKind.COMMUNITY).count() <= 3, street


def test_every_legal_body_has_a_valid_unique_xishan_credit_code(db):
    load_org_tree()
    for unit in Unit.objects.all():
        if unit.kind == UnitKind.SECTION:
            assert unit.credit_code is None, unit
        else:
            assert is_valid_credit_code(unit.credit_code), unit
            assert unit.credit_code[2:8] == "530112", unit
    codes = [u.credit_code for u in Unit.objects.exclude(credit_code=None)]
    assert len(codes) == len(set(codes))


def test_loading_twice_changes_nothing(db):
    load_org_tree()
    snapshot = list(Unit.objects.order_by("code").values())
    events = AuditEvent.objects.count()
    load_org_tree()
    assert list(Unit.objects.order_by("code").values()) == snapshot
    assert AuditEvent.objects.count() == events


def test_loading_repairs_a_changed_unit(db):
    units = load_org_tree()
    Unit.objects.filter(pk=units["dept-env"].pk).update(name="改错的名称", sort_order=999)
    load_org_tree()
    units["dept-env"].refresh_from_db()
    assert units["dept-env"].name == "西山区环境保护局"
    assert AuditEvent.objects.filter(kind="org.unit.update",
                                     subject=f"unit:{units['dept-env'].pk}").count() == 1


def test_the_bureau_code_follows_the_setting(db, settings):
    settings.ONESEAL_BUREAU_CODE = "11530112MB0000001X"  # the check character should be K
    with pytest.raises(ImproperlyConfigured):
        load_org_tree()
    assert Unit.objects.count() == 0
    settings.ONESEAL_BUREAU_CODE = "11530112MB0000001K"
    assert load_org_tree()["bureau"].credit_code == "11530112MB0000001K"


def test_tree_display_starts_at_the_government(db):
    load_org_tree()
    nodes = unit_tree()
    assert nodes[0].unit.code == "xishan-gov" and nodes[0].depth == 0
    assert nodes[1].unit.code == "bureau" and nodes[1].depth == 1
    assert nodes[2].unit.parent.code == "bureau" and nodes[2].depth == 2
