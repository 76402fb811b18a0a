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


S3_BACKEND = "storages.backends.s3.S3Storage"


def object_storages(*, bucket: str, endpoint_url: str = "", access_key: str = "",
                    secret_key: str = "", region: str = "",
                    addressing_style: str = "path") -> dict[str, dict[str, Any]]:
    """The ``default`` (uploads, under ``media/``) and ``signed`` (signed PDFs, under
    ``signed/``) storages in one S3-compatible bucket (MinIO, the province's cloud), through
    django-storages. The objects get no ACL (the bucket's policy: private) and the files are
    served by OneSeal's permission-checked views only; were a URL ever made it would be
    signed and live 60 seconds. Uploads never overwrite an object (a taken name gets a
    suffix, as on the disk); signed PDFs are named by their SHA-256, so the same name is the
    same bytes. Path-style addressing by default: MinIO without a domain needs it."""
    common: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,  # None: boto3's own chain (environment, role)
        "secret_key": secret_key or None,
        "region_name": region or None,
        "addressing_style": addressing_style or None,
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
    }
    return {
        "default": {"BACKEND": S3_BACKEND,
                    "OPTIONS": {**common, "location": "media", "file_overwrite": False}},
        "signed": {"BACKEND": S3_BACKEND,
                   "OPTIONS": {**common, "location": "signed", "file_overwrite": True}},
    }
