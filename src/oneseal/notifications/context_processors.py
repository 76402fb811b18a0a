"""The unread count of the message box in the portal header, counted only when a page
shows it (the value is a callable the template resolves)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"unread_messages": lambda: unread_count(user)}
