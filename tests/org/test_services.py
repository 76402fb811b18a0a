"""Organisation services: units, and staff transfers (人员划转)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from oneseal.core.identity import make_credit_code
from oneseal.core.models import AuditEvent
from oneseal.org.models import StaffTransfer, Unit, UnitKind
from oneseal.org.selectors import transfers_of, unit_tree
from oneseal.org.services import create_unit, transfer_staff, update_unit
from tests.factories import UserFactory

CODE = make_credit_code("11530112MB0000001")


@pytest.fixture
def gov(db):
    return create_unit(actor=None, code="gov", name="西山区人民政府", kind=UnitKind.GOVERNMENT)


@pytest.fixture
def bureau_unit(gov):
    return create_unit(actor=None, code="bureau", name="西山区行政审批局", kind=UnitKind.BUREAU,
                       parent=gov, credit_code=CODE)


@pytest.fixture
def env(gov):
    return create_unit(actor=None, code="dept-env", name="西山区环保局",
                       kind=UnitKind.DEPARTMENT, parent=gov)


def test_create_unit_normalises_the_code_and_writes_an_event(gov, cast):
    admin = cast["sysadmin"]
    code = make_credit_code("11530112MB0000002")
    unit = create_unit(actor=admin, code="dept-water", name="西山区水务局",
                       kind=UnitKind.DEPARTMENT, parent=gov, credit_code=code.lower())
    assert unit.credit_code == code
    event = AuditEvent.objects.get(kind="org.unit.create", subject=f"unit:{unit.pk}")
    assert event.actor_id == admin.pk
    assert event.payload["credit_code"] == code


@pytest.mark.parametrize(
    ("kind", "parent_code", "credit", "message"),
    [
        (UnitKind.COMMUNITY, "bureau", None, "不能设在"),
        (UnitKind.SECTION, None, None, "不能设在"),
        (UnitKind.SECTION, "bureau", make_credit_code("11530112MB0000009"), "内设科室"),
        (UnitKind.DEPARTMENT, "gov", "11530112MB00000090", "校验码"),
    ],
)
def test_create_unit_refuses_a_bad_unit_and_writes_nothing(
    bureau_unit, kind, parent_code, credit, message
):
    before = (Unit.objects.count(), AuditEvent.objects.count())
    parent = Unit.objects.get(code=parent_code) if parent_code else None
    with pytest.raises(ValidationError) as exc:
        create_unit(actor=None, code="x", name="某单位", kind=kind, parent=parent,
                    credit_code=credit)
    assert message in " ".join(exc.value.messages)
    assert (Unit.objects.count(), AuditEvent.objects.count()) == before


def test_update_unit_records_old_and_new_values(bureau_unit):
    update_unit(actor=None, unit=bureau_unit, name="昆明市西山区行政审批局", sort_order=5)
    bureau_unit.refresh_from_db()
    assert bureau_unit.name == "昆明市西山区行政审批局"
    event = AuditEvent.objects.filter(kind="org.unit.update").latest("seq")
    assert event.payload["changes"] == {
        "name": ["西山区行政审批局", "昆明市西山区行政审批局"], "sort_order": [0, 5],
    }


def test_update_unit_with_no_change_writes_nothing(bureau_unit):
    before = AuditEvent.objects.count()
    update_unit(actor=None, unit=bureau_unit, name=bureau_unit.name)
    assert AuditEvent.objects.count() == before


def test_a_unit_cannot_move_under_its_own_section(bureau_unit, gov):
    section = create_unit(actor=None, code="sec", name="综合受理科", kind=UnitKind.SECTION,
                          parent=bureau_unit)
    with pytest.raises(ValidationError):
        update_unit(actor=None, unit=gov, parent=section)
    gov.refresh_from_db()
    assert gov.parent_id is None


def test_transfer_staff_records_where_from_and_when_and_moves_the_user(bureau_unit, env, cast):
    person = UserFactory(username="zhang", unit=env)
    record = transfer_staff(
        actor=cast["sysadmin"], user=person, to_unit=bureau_unit,
        effective_on=datetime.date(2019, 3, 31), document_no=" 西编〔2019〕12号 ",
        note="随事项划转",
    )
    person.refresh_from_db()
    assert person.unit == bureau_unit
    assert (record.from_unit, record.to_unit) == (env, bureau_unit)
    assert record.effective_on == datetime.date(2019, 3, 31)
    assert record.document_no == "西编〔2019〕12号"
    assert list(transfers_of(person)) == [record]
    event = AuditEvent.objects.get(kind="org.staff.transfer", subject=f"user:{person.pk}")
    assert event.payload["from_unit"] == env.pk and event.payload["to_unit"] == bureau_unit.pk
    assert event.payload["effective_on"] == "2019-03-31"


@pytest.mark.parametrize("case", ["no_unit", "same_unit", "inactive"])
def test_transfer_staff_refusals_change_nothing(bureau_unit, env, case):
    person = UserFactory(username="li", unit=None if case == "no_unit" else env)
    target = env if case == "same_unit" else bureau_unit
    if case == "inactive":
        update_unit(actor=None, unit=bureau_unit, is_active=False)
    before = (StaffTransfer.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError):
        transfer_staff(actor=None, user=person, to_unit=target,
                       effective_on=datetime.date(2019, 3, 31))
    person.refresh_from_db()
    assert person.unit_id == (None if case == "no_unit" else env.pk)
    assert (StaffTransfer.objects.count(), AuditEvent.objects.count()) == before


def test_unit_tree_is_depth_first_with_depths(bureau_unit, env, gov):
    create_unit(actor=None, code="sec-b", name="审批一科", kind=UnitKind.SECTION,
                parent=bureau_unit, sort_order=2)
    create_unit(actor=None, code="sec-a", name="综合受理科", kind=UnitKind.SECTION,
                parent=bureau_unit, sort_order=1)
    old = create_unit(actor=None, code="old", name="已撤销单位", kind=UnitKind.OTHER, parent=gov,
                      is_active=False)
    rows = [(n.unit.code, n.depth) for n in unit_tree()]
    assert rows == [("gov", 0), ("bureau", 1), ("sec-a", 2), ("sec-b", 2), ("dept-env", 1)]
    assert ("old", 1) in [(n.unit.code, n.depth) for n in unit_tree(include_inactive=True)]
    assert old.is_active is False
    sub = [(n.unit.code, n.depth) for n in unit_tree(root=bureau_unit)]
    assert sub == [("bureau", 0), ("sec-a", 1), ("sec-b", 1)]
