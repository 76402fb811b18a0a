"""System checks of our own, run by `oneseal manage check --deploy`:

- oneseal.E001: the secret key is the public development key (DEBUG or ONESEAL_DEV without
  SECRET_KEY): sessions, password-reset links and CSRF tokens could be forged by anyone;
- oneseal.W002: the data directory (database, uploads, signed documents) can be read by
  other users of the machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from oneseal.config.env import DEV_SECRET_KEY


@register(Tags.security, deploy=True)
def development_secret_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SECRET_KEY != DEV_SECRET_KEY:
        return []
    return [Error(
        "SECRET_KEY 是公开的开发/演示密钥，不能用于生产。 SECRET_KEY is the public "
        "development key.",
        hint="export SECRET_KEY=\"$(python3 -c 'import secrets; "
             "print(secrets.token_urlsafe(50))')\"",
        id="oneseal.E001")]


@register(Tags.security, deploy=True)
def private_data_dir(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    path = Path(settings.DATA_DIR)
    if not path.is_dir() or path.stat().st_mode & 0o077 == 0:
        return []
    return [Warning(
        f"数据目录 {path} 可被其他用户读取（应为 0700）。 The data directory is readable by "
        f"other users.", hint=f"chmod 700 {path}", id="oneseal.W002")]


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """After migrate (post_migrate): the database cache's table, when the database cache
    is configured (settings.CACHES, see ONESEAL_CACHE_URL). Idempotent."""
    from django.core.management import call_command

    backends = [c.get("BACKEND", "") for c in settings.CACHES.values()]
    if any(b.endswith("DatabaseCache") for b in backends):
        call_command("createcachetable", database=using, verbosity=0)
