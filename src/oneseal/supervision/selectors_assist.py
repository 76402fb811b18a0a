"""Reads of assisted service (帮办代办): the cases a helper filed or follows as the agent,
and the items he may choose from."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from oneseal.cases.models import Case
from oneseal.catalog.selectors import versions_in_force


def helper_cases(helper: Any, *, limit: int = 100) -> list[Case]:
    """The cases where the helper is the agent (代为申请), newest first."""
    return list(Case.objects.filter(agent__user=helper).select_related("person",
                                                                       "organisation")
                .order_by("-id")[:limit])


def item_choices(limit: int = 500) -> list[tuple[int, str]]:
    """(item id, name) of the items that may be applied for now, by name."""
    versions: QuerySet[Any] = versions_in_force().order_by("name").only("item_id", "name")
    return [(v.item_id, v.name) for v in versions[:limit]]
