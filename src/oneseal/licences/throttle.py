"""Tries per client address for the public verification (page and API): verifying costs
a few milliseconds of CPU each, and nobody needs more than a few hundred an hour."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

TRIES = 120  # per address
WINDOW = 600  # seconds


def throttled(request: HttpRequest) -> bool:
    """Count one try for the client's address; True once it made more than TRIES in the
    last WINDOW seconds (a fixed window kept in the cache)."""
    key = "verify-tries:" + (request.META.get("REMOTE_ADDR") or "unknown")
    if cache.add(key, 1, WINDOW):
        return False
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW)
        return False
    return tries > TRIES
