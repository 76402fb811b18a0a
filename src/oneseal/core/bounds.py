"""Integers a client sends are bounded before they reach the database (整数输入的边界).

A number beyond a signed 64-bit column (2⁶³ − 1) made SQLite raise `OverflowError` and
PostgreSQL a range error: a 500 instead of "not found" or "bad input". Two guards:

- `BoundedPathIntegersMiddleware`: a URL whose `<int:…>` part is beyond the column answers
  404 before the view runs (every page, present and future);
- `parse_id()`: the one way pages read an id from a query string (`?doc=`, `?item=`):
  ASCII digits only (`"²".isdigit()` is true, `int("²")` raises), positive, bounded.

The API's inputs are bounded by their types (`core.api_types`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from .api_types import MAX_DB_INT


def parse_id(raw: str | None) -> int | None:
    """The id `raw` names, or None when it is not a positive integer a column can hold."""
    text = (raw or "").strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_DB_INT else None


def parse_ids(raw: str | None, *, limit: int) -> list[int]:
    """The ids of a comma-separated list (`?doc=3,4`), at most `limit`, bad parts skipped."""
    ids = (parse_id(part) for part in (raw or "").split(",")[:limit])
    return [i for i in ids if i is not None]


class BoundedPathIntegersMiddleware:
    """404 for a URL whose integer parts do not fit a 64-bit column (or are negative)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and not (
                    0 <= value <= MAX_DB_INT):
                raise Http404
