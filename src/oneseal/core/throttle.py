"""Tries per client address for public pages that anyone may call without logging in (the
progress lookup, the licence verification): a fixed window kept in the shared cache
(settings.CACHES: the database by default, Redis when configured), so that the limit holds
across every worker process and survives a restart.

The client's address is the direct peer's (REMOTE_ADDR), unless the peer is one of
settings.ONESEAL_TRUSTED_PROXIES: then it is the right-most address of X-Forwarded-For
that is not itself a trusted proxy (a client can put anything at the left of that header,
but not past the proxy that appends to it)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part, strict=False) for part in spec)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address the throttles count (see the module docstring)."""
    peer = (request.META.get("REMOTE_ADDR") or "").strip()
    networks = _networks(tuple(getattr(settings, "ONESEAL_TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(peer, networks):
        return peer or "unknown"
    forwarded = [part.strip() for part in
                 request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:  # garbage where an address should be: count the proxy
                return peer
    return peer


def throttled(request: HttpRequest, scope: str, *, tries: int, window: int) -> bool:
    """Count one try of `scope` for the client's address; True once it made more than
    `tries` in the last `window` seconds."""
    key = f"{scope}-tries:" + client_address(request)
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return False
    return count > tries
