"""`oneseal load-demo`: load the demo data and print the demo logins (载入演示数据).

Idempotent: running it twice changes nothing. Refused unless `DEBUG` or `ONESEAL_DEV` is on,
because the demo accounts have a public password and public two-factor keys.

Loaders are found and run as described in `oneseal.core.demo`: each installed app may have a
`demo.py` module that registers a loader with `@demo.register(name, order=...)`; this command
imports them all (`autodiscover_modules("demo")`) and runs them by order, each in its own
transaction, then prints the login table the loaders filled in.
"""

from __future__ import annotations

import os
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from oneseal.core import demo


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = ("载入演示数据（组织机构、各角色演示账户、申请人），可重复执行；最后打印演示账号。"
            "仅限开发/演示环境（DEBUG 或 ONESEAL_DEV）。 / Load the demo data (organisation, one "
            "account per role, applicants); idempotent; prints the demo logins. Development "
            "and demo only (DEBUG or ONESEAL_DEV).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-logins", action="store_true",
                            help="不打印演示账号表 / do not print the login table")

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo.demo_allowed():
            raise CommandError(
                "拒绝载入演示数据：演示账户的密码和动态口令密钥是公开的，只能用于开发或演示环境"
                "（设置 ONESEAL_DEV=1）。 / refused: demo accounts have public passwords and "
                "keys; set ONESEAL_DEV=1 on a development machine."
            )
        autodiscover_modules("demo")
        ctx = demo.DemoContext(write=self.stdout.write)
        for name, loader in demo.registered():
            with transaction.atomic():
                loader(ctx)
            if options["verbosity"] > 1:
                self.stdout.write(f"  [{name}] ok")
        if not options["no_logins"] and ctx.logins:
            self.stdout.write("")
            self.stdout.write(self.login_table(ctx.logins))

    @staticmethod
    def login_table(logins: list[demo.DemoLogin]) -> str:
        rows: list[tuple[str, ...]] = [
            ("用户名 username", "角色 role", "密码 password", "双因素 2FA",
             "获取动态口令 get the code"),
        ]
        for login in logins:
            rows.append((
                login.username, login.role, login.password,
                "需要 yes" if login.two_factor else "-",
                f"oneseal otp-code {login.username}" if login.two_factor else "",
            ))
        port = os.environ.get("PORT", "8000")
        return "\n".join([
            "演示账号 / demo logins",
            format_table(rows),
            "",
            f"登录地址 / log in at: http://127.0.0.1:{port}/accounts/login/",
            "（oneseal 即 .venv/bin/oneseal / oneseal is .venv/bin/oneseal）",
        ])
