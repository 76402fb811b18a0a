"""`oneseal otp-code USER`: print the current two-factor code of a demo user (演示用).

Only for devices the demo loader installed, whose keys are public (`oneseal.core.demo`):
printing anyone else's code would defeat two-factor login, so every other device is refused.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from oneseal.accounts.models import User
from oneseal.core import demo


class Command(BaseCommand):
    help = ("显示演示用户当前的动态口令（仅限演示数据载入的设备）。 / Print a demo user's "
            "current TOTP code (only for devices installed by the demo loader).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", metavar="USER", help="演示用户名，如 head / demo user")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在。 / no such user: {username}")
        device = (TOTPDevice.objects.filter(user=user, confirmed=True)
                  .filter(key=demo.demo_totp_key(username)).first())
        if device is None:
            raise CommandError(
                f"拒绝：用户 {username} 没有演示数据载入的动态口令设备。只有演示账户的口令可以"
                f"这样显示，否则双因素认证就失去了意义。 / refused: {username} has no device "
                f"installed by the demo loader; only demo codes can be printed."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        code = str(totp.token()).zfill(device.digits)
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(code)
        if device.last_t >= totp.t():
            self.stderr.write(f"注意：此口令已使用过，请 {remaining} 秒后再取新口令。 / this code "
                              f"was already used; fetch a new one in {remaining} s")
        self.stderr.write(f"{username} 当前动态口令，{remaining} 秒内有效 / current code for "
                          f"{username}, valid for {remaining} s")
