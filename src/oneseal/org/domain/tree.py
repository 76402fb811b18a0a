"""Which kind of unit may sit under which (组织机构层级规则), and tree walking.

Kinds are the string values of `oneseal.org.models.UnitKind`. The rules follow the set-up of
a district: the district government (区人民政府) at the top; the bureau, the competent
departments, the streets and other offices under it; internal sections (内设科室) under the
bureau, a department or a street; communities (社区) under a street. Public utilities
(供水、供电) are not part of the government and stand at the top on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

GOVERNMENT = "government"
BUREAU = "bureau"
SECTION = "section"
DEPARTMENT = "department"
STREET = "street"
COMMUNITY = "community"
PUBLIC_SERVICE = "public_service"
OTHER = "other"

# kind -> the kinds its parent may have (None: a top-level unit)
ALLOWED_PARENTS: Mapping[str, frozenset[str | None]] = {
    GOVERNMENT: frozenset({None}),
    BUREAU: frozenset({GOVERNMENT}),
    DEPARTMENT: frozenset({GOVERNMENT}),
    STREET: frozenset({GOVERNMENT}),
    SECTION: frozenset({BUREAU, DEPARTMENT, STREET}),
    COMMUNITY: frozenset({STREET}),
    PUBLIC_SERVICE: frozenset({None, GOVERNMENT}),
    OTHER: frozenset({None, GOVERNMENT}),
}

# Internal sections are not legal persons and carry no unified social credit code.
NO_CREDIT_CODE = frozenset({SECTION})


def parent_allowed(kind: str, parent_kind: str | None) -> bool:
    """True when a unit of `kind` may sit under a unit of `parent_kind` (None: top level)."""
    return parent_kind in ALLOWED_PARENTS.get(kind, frozenset())


def may_have_credit_code(kind: str) -> bool:
    return kind not in NO_CREDIT_CODE


def creates_cycle(
    unit_id: int, new_parent_id: int | None, parents: Mapping[int, int | None]
) -> bool:
    """True when putting unit `unit_id` under `new_parent_id` would make it its own ancestor.
    `parents` maps every unit id to its current parent id."""
    seen: set[int] = set()
    current = new_parent_id
    while current is not None and current not in seen:
        if current == unit_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return current is not None  # a loop already present above: refuse as well


def depth_first(
    items: Iterable[tuple[int, int | None, tuple[int, ...]]],
) -> list[tuple[int, int]]:
    """Order a tree for display. `items` are (id, parent id, sort key), in any order; the
    result is (id, depth) in depth-first order, siblings by sort key. Units whose parent is
    missing from `items` are shown as roots."""
    rows = list(items)
    ids = {row[0] for row in rows}
    children: dict[int | None, list[tuple[tuple[int, ...], int]]] = {}
    for unit_id, parent_id, key in rows:
        parent = parent_id if parent_id in ids else None
        children.setdefault(parent, []).append((key, unit_id))
    for siblings in children.values():
        siblings.sort()
    out: list[tuple[int, int]] = []
    stack: list[tuple[int, int]] = [(uid, 0) for _, uid in reversed(children.get(None, []))]
    visited: set[int] = set()
    while stack:
        unit_id, depth = stack.pop()
        if unit_id in visited:
            continue
        visited.add(unit_id)
        out.append((unit_id, depth))
        for _, child in reversed(children.get(unit_id, [])):
            stack.append((child, depth + 1))
    return out
