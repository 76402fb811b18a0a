"""Pure rules of the organisation tree (no database)."""

from __future__ import annotations

from oneseal.org.domain import tree


def test_which_kind_may_sit_under_which():
    assert tree.parent_allowed("government", None)
    assert tree.parent_allowed("bureau", "government")
    assert tree.parent_allowed("section", "bureau")
    assert tree.parent_allowed("section", "department")
    assert tree.parent_allowed("community", "street")
    assert tree.parent_allowed("public_service", None)
    assert not tree.parent_allowed("community", "bureau")
    assert not tree.parent_allowed("section", None)
    assert not tree.parent_allowed("bureau", None)
    assert not tree.parent_allowed("government", "government")
    assert not tree.parent_allowed("no-such-kind", None)


def test_only_sections_have_no_credit_code():
    assert not tree.may_have_credit_code("section")
    for kind in ("government", "bureau", "department", "street", "community", "public_service"):
        assert tree.may_have_credit_code(kind)


def test_cycles_are_found():
    parents = {1: None, 2: 1, 3: 2, 4: 3}
    assert tree.creates_cycle(2, 4, parents)  # 2 under its own grandchild
    assert tree.creates_cycle(2, 2, parents)  # under itself
    assert not tree.creates_cycle(4, 1, parents)
    assert not tree.creates_cycle(3, None, parents)
    assert tree.creates_cycle(9, 5, {5: 6, 6: 5})  # a loop above is refused too


def test_depth_first_orders_siblings_by_sort_key_and_gives_depths():
    items = [
        (4, 2, (20, 4)),
        (1, None, (10, 1)),
        (2, 1, (20, 2)),
        (3, 1, (10, 3)),
        (5, 2, (10, 5)),
        (6, None, (5, 6)),
        (7, 99, (1, 7)),  # parent missing: shown as a root
    ]
    assert tree.depth_first(items) == [(7, 0), (6, 0), (1, 0), (3, 1), (2, 1), (5, 2), (4, 2)]
