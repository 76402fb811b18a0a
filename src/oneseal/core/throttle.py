"""Tries per client address for public pages that anyone may call without logging in (the
progress lookup, the licence verification): a fixed window kept in the cache."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def throttled(request: HttpRequest, scope: str, *, tries: int, window: int) -> bool:
    """Count one try of `scope` for the client's address; True once it made more than
    `tries` in the last `window` seconds."""
    key = f"{scope}-tries:" + (request.META.get("REMOTE_ADDR") or "unknown")
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return False
    return count > tries
