"""Writes to the organisation tree and the staff transfer records (组织机构、人员划转).

Every service takes `actor=` (the person doing it, or None for the system, e.g. the demo
loader) and writes one audit event in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oneseal.accounts.models import User
from oneseal.core.audit import append_event
from oneseal.core.identity import normalize_credit_code

from .domain import tree
from .models import StaffTransfer, Unit

UNIT_FIELDS = ("code", "name", "short_name", "kind", "credit_code", "parent", "sort_order",
               "is_active")


def _clean_credit_code(kind: str, credit_code: str | None) -> str | None:
    if not credit_code:
        return None
    if not tree.may_have_credit_code(kind):
        raise ValidationError(
            {"credit_code": _("内设科室不是法人单位，不登记统一社会信用代码。")}
        )
    return normalize_credit_code(credit_code)


def check_placement(unit: Unit) -> None:
    """Raise ValidationError when `unit` may not sit under its parent (kind rules, cycles)."""
    parent_kind = unit.parent.kind if unit.parent else None
    if not tree.parent_allowed(unit.kind, parent_kind):
        raise ValidationError({"parent": _("“%(kind)s”不能设在“%(parent)s”之下。") % {
            "kind": unit.get_kind_display(),
            "parent": unit.parent.name if unit.parent else _("顶层"),
        }})
    if unit.pk and unit.parent_id is not None:
        parents = dict(Unit.objects.values_list("id", "parent_id"))
        if tree.creates_cycle(unit.pk, unit.parent_id, parents):
            raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})


def _snapshot(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code, "name": unit.name, "short_name": unit.short_name,
        "kind": unit.kind, "credit_code": unit.credit_code, "parent": unit.parent_id,
        "sort_order": unit.sort_order, "is_active": unit.is_active,
    }


def create_unit(
    *, actor: User | None, code: str, name: str, kind: str, parent: Unit | None = None,
    credit_code: str | None = None, short_name: str = "", sort_order: int = 0,
    is_active: bool = True,
) -> Unit:
    """Add a unit to the tree (新增单位)."""
    unit = Unit(
        code=code, name=name, kind=kind, parent=parent, short_name=short_name,
        credit_code=_clean_credit_code(kind, credit_code), sort_order=sort_order,
        is_active=is_active,
    )
    with transaction.atomic():
        unit.full_clean()
        check_placement(unit)
        unit.save()
        append_event(actor=actor, kind="org.unit.create", subject=f"unit:{unit.pk}",
                     payload=_snapshot(unit))
    return unit


def update_unit(*, actor: User | None, unit: Unit, **changes: Any) -> Unit:
    """Change a unit's fields (修改单位); only the fields named in `changes`. The event lists
    each changed field with its old and new value. Nothing is written when nothing changes."""
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"update_unit: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        before = _snapshot(locked)
        kind = changes.get("kind", locked.kind)
        if "credit_code" in changes or "kind" in changes:
            changes["credit_code"] = _clean_credit_code(
                kind, changes.get("credit_code", locked.credit_code)
            )
        for field, value in changes.items():
            setattr(locked, field, value)
        after = _snapshot(locked)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not diff:
            return unit
        locked.full_clean()
        check_placement(locked)
        locked.save(update_fields=[f for f in UNIT_FIELDS if f in diff])
        append_event(actor=actor, kind="org.unit.update", subject=f"unit:{locked.pk}",
                     payload={"changes": diff})
    unit.refresh_from_db()
    return unit


def transfer_staff(
    *, actor: User | None, user: User, to_unit: Unit, effective_on: datetime.date,
    document_no: str = "", note: str = "",
) -> StaffTransfer:
    """Record a staff transfer (人员划转) — e.g. from a department to the bureau when its
    licensing items moved there — and move the person to `to_unit`. The record keeps where
    the person came from and when; the user's unit becomes `to_unit`."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.unit_id is None:
            raise ValidationError(_("该人员没有所属单位，无法登记划转。"))
        if locked.unit_id == to_unit.pk:
            raise ValidationError(_("划入单位与原单位相同。"))
        if not to_unit.is_active:
            raise ValidationError(_("划入单位已撤销或停用。"))
        record = StaffTransfer(
            user=locked, from_unit_id=locked.unit_id, to_unit=to_unit,
            effective_on=effective_on, document_no=document_no.strip(), note=note.strip(),
        )
        record.full_clean()
        record.save()
        locked.unit = to_unit
        locked.save(update_fields=["unit"])
        append_event(
            actor=actor, kind="org.staff.transfer", subject=f"user:{locked.pk}",
            payload={
                "transfer": record.pk, "from_unit": record.from_unit_id,
                "to_unit": to_unit.pk, "effective_on": effective_on.isoformat(),
                "document_no": record.document_no,
            },
        )
    user.unit = to_unit
    return record
