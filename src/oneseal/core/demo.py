"""Demo data (演示数据): the registry of loaders that `oneseal load-demo` runs.

How a part of OneSeal adds its own demo data: write a module `demo.py` in its app, e.g.
`oneseal/catalog/demo.py`::

    from oneseal.core import demo

    @demo.register("catalog", order=300)
    def load(ctx: demo.DemoContext) -> None:
        ...  # look things up by a natural key; create only what is missing
        ctx.log("事项目录：21 项")

`load_demo` imports the `demo` module of every installed app, then runs the registered
loaders by `order` (then name), each in its own transaction. The foundation's loaders:
`org` (100: the organisation tree and the staff), `applicants` (200: the applicant and the
company agent). Loaders must be idempotent — running `load-demo` twice changes nothing — and
may add rows to the login table printed at the end with `ctx.add_login(...)`.

Demo accounts share the public password `DEMO_PASSWORD`; demo users who must use two-factor
login get a TOTP device whose key is `demo_totp_key(username)`, derived from the username by
a public rule, so `oneseal otp-code USER` can print the current code. Both are public, so
the demo must never be loaded into a production database: `demo_allowed()` is true only with
`DEBUG` or `ONESEAL_DEV` on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.auth.hashers import make_password

from oneseal.config.env import env_bool

DEMO_PASSWORD = "oneseal-demo"  # noqa: S105 — public by design, printed by `make demo`
DEMO_TOTP_DEVICE_NAME = "演示设备 / demo device"


def demo_totp_key(username: str) -> str:
    """The public TOTP key (40 hex digits = 20 bytes) of a demo user's device."""
    return hashlib.sha256(f"oneseal-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_allowed() -> bool:
    """Demo data (known passwords and TOTP keys) may only go into a development database."""
    return bool(settings.DEBUG or env_bool("ONESEAL_DEV"))


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # shown in the table, in Chinese
    two_factor: bool = False
    password: str = DEMO_PASSWORD


@dataclass
class DemoContext:
    """What a loader gets: `log` for a line of progress, `add_login` for the login table."""

    write: Callable[[str], None] = print
    logins: list[DemoLogin] = field(default_factory=list)

    def log(self, message: str) -> None:
        self.write(message)

    def add_login(self, username: str, role: str, *, two_factor: bool = False) -> None:
        self.logins.append(DemoLogin(username=username, role=role, two_factor=two_factor))

    @cached_property
    def password_hash(self) -> str:
        """`DEMO_PASSWORD` hashed once per run and shared by the demo accounts created in it
        (Argon2 is slow on purpose; the password is public anyway)."""
        return make_password(DEMO_PASSWORD)


Loader = Callable[[DemoContext], None]
_REGISTRY: dict[str, tuple[int, Loader]] = {}


def register(name: str, *, order: int = 500) -> Callable[[Loader], Loader]:
    """Decorator: run `fn(ctx)` as the demo loader `name` (re-registering a name replaces
    it, so re-importing a module is harmless)."""

    def decorator(fn: Loader) -> Loader:
        _REGISTRY[name] = (order, fn)
        return fn

    return decorator


def order_of(name: str) -> int:
    """The order a registered loader runs in (KeyError for an unknown name)."""
    return _REGISTRY[name][0]


def registered() -> list[tuple[str, Loader]]:
    """The registered loaders in the order they run."""
    return [(name, fn) for name, (_, fn) in
            sorted(_REGISTRY.items(), key=lambda item: (item[1][0], item[0]))]
