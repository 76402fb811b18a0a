"""Reading settings from the environment; every variable is documented in docs/settings.md."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
# The secret key of development and demo runs (DEBUG or ONESEAL_DEV): public, so
# `check --deploy` refuses it (core/checks.py).
DEV_SECRET_KEY = "oneseal-development-only-not-secret-" + "x" * 20


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return default if value in (None, "") else float(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def cache_from_url(url: str) -> dict[str, Any]:
    """Django's CACHES entry for ONESEAL_CACHE_URL: empty or ``db://`` the database table
    ``oneseal_cache``; ``redis://``, ``rediss://`` or ``unix://`` Redis; ``locmem://`` this
    process's memory (tests and single-process tools only: not shared between workers)."""
    url = url.strip()
    if url in ("", "db://"):
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "oneseal_cache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"ONESEAL_CACHE_URL 无法识别：{url!r}（可用 db://、redis://、locmem://）。 "
        f"Unknown ONESEAL_CACHE_URL: use db://, redis:// or locmem://.")
