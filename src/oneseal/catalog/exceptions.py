"""Errors of the catalogue that callers (views, API, later issues) catch and show."""

from __future__ import annotations

from collections.abc import Sequence

from .domain.problems import Problem


class CatalogError(Exception):
    """A refused catalogue operation, with a Chinese message for the person who tried."""

    code = "catalog_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotCompetentError(CatalogError):
    """This unit may not accept or decide this item on that day (行政许可法 第25条): a
    department acting on an item transferred to the bureau, or the bureau before the
    transfer takes effect. Later issues raise it through `ensure_may_exercise`."""

    code = "not_competent"


class VersionLockedError(CatalogError):
    """A published version is never changed; a new draft is (law.md §13, versions)."""

    code = "version_locked"


class CatalogValidationError(CatalogError):
    """The elements of an item break one or more rules; every problem is listed."""

    code = "invalid_item"

    def __init__(self, problems: Sequence[Problem], message: str = "") -> None:
        from .messages import describe_all

        self.problems = list(problems)
        self.messages = describe_all(self.problems)
        super().__init__(message or "；".join(self.messages))
