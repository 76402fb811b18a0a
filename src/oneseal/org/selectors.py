"""Reads of the organisation tree (组织机构查询)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from oneseal.accounts.models import User

from .domain import tree
from .models import StaffTransfer, Unit, UnitKind


@dataclass(frozen=True)
class TreeNode:
    unit: Unit
    depth: int


def unit_tree(*, include_inactive: bool = False, root: Unit | None = None) -> list[TreeNode]:
    """The units in display order (depth first, siblings by sort order), each with its depth
    (0 for a top-level unit, or for `root` when given). One query."""
    qs = Unit.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    units = {u.pk: u for u in qs}
    order = tree.depth_first((u.pk, u.parent_id, (u.sort_order, u.pk)) for u in units.values())
    nodes = [TreeNode(units[pk], depth) for pk, depth in order]
    if root is None:
        return nodes
    out: list[TreeNode] = []
    base = 0
    for node in nodes:
        if node.unit.pk == root.pk:
            out.append(TreeNode(node.unit, 0))
            base = node.depth
        elif out and node.depth > base:
            out.append(TreeNode(node.unit, node.depth - base))
        elif out:
            break
    return out


def bureau() -> Unit | None:
    """The administrative approval bureau: the unit whose credit code is
    `settings.ONESEAL_BUREAU_CODE`, else the only unit of kind bureau."""
    found = Unit.objects.filter(credit_code=settings.ONESEAL_BUREAU_CODE).first()
    if found is None:
        candidates = list(Unit.objects.filter(kind=UnitKind.BUREAU)[:2])
        found = candidates[0] if len(candidates) == 1 else None
    return found


def units_of_kind(kind: str) -> QuerySet[Unit]:
    return Unit.objects.filter(kind=kind, is_active=True)


def transfers_of(user: User) -> QuerySet[StaffTransfer]:
    """A person's transfer history (人员划转记录), latest first."""
    return StaffTransfer.objects.filter(user=user).select_related("from_unit", "to_unit")
