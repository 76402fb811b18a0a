"""A problem found by a rule: a code, where it was found and the values to explain it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One broken rule. `path` locates the field inside an item record, e.g.
    ("variants", 0, "materials", 2, "name"); the format layer maps it to a sheet, row and
    column, or to a form field."""

    code: str
    path: Path = ()
    params: dict[str, Any] = field(default_factory=dict)

    def at(self, *prefix: str | int) -> Problem:
        return Problem(self.code, (*prefix, *self.path), self.params)
