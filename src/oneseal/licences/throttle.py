"""Tries per client address for the public verification (page and API): verifying costs
a few milliseconds of CPU each, and nobody needs more than a few hundred an hour."""

from __future__ import annotations

from django.http import HttpRequest

from oneseal.core.throttle import throttled as _throttled

TRIES = 120  # per address
WINDOW = 600  # seconds


def throttled(request: HttpRequest) -> bool:
    return _throttled(request, "verify", tries=TRIES, window=WINDOW)
