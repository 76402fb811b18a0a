"""`oneseal token`: create, list and revoke API bearer tokens (接口令牌).

    oneseal token create --user NAME [--name LABEL]   prints the token once
    oneseal token list [--user NAME] [--all]
    oneseal token revoke PREFIX_OR_ID
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oneseal.accounts.models import ApiToken, User
from oneseal.accounts.services import create_token, revoke_token
from oneseal.core.management.commands.load_demo import format_table


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户 {username} 不存在。 / no such user: {username}")
    return user


def _find(ref: str) -> ApiToken:
    ref = ref.strip().rstrip("…").rstrip(".")
    if ref.isdigit():
        token = ApiToken.objects.filter(pk=int(ref)).first()
        if token is not None:
            return token
    if len(ref) < 6:
        raise CommandError("请给出令牌编号，或至少 6 个字符的令牌前缀。 / "
                           "give a token id or a prefix of at least 6 characters")
    matches = list(ApiToken.objects.filter(prefix__startswith=ref[:11])[:2])
    if not matches:
        raise CommandError(f"没有找到令牌 {ref}。 / no token matches {ref}")
    if len(matches) > 1:
        raise CommandError(f"前缀 {ref} 对应多个令牌，请用编号。 / "
                           f"prefix {ref} matches several tokens, use the id")
    return matches[0]


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = ("创建、列出或吊销接口令牌（令牌只在创建时显示一次）。 / "
            "Create, list or revoke API bearer tokens (a token is shown once, when created).")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = sub.add_parser(
            "create", help="为用户创建令牌并显示一次 / create a token for a user, print it once"
        )
        create.add_argument("--user", required=True, help="用户名 / username")
        create.add_argument("--name", default="", help="令牌用途说明 / a label for the token")
        listing = sub.add_parser("list", help="列出令牌 / list tokens")
        listing.add_argument("--user", help="只列出此用户的令牌 / only this user's tokens")
        listing.add_argument("--all", action="store_true",
                             help="包括已吊销的令牌 / include revoked tokens")
        revoke = sub.add_parser("revoke", help="吊销令牌 / revoke a token")
        revoke.add_argument("ref", metavar="PREFIX_OR_ID",
                            help="令牌编号或前缀（如 os_AbCdEfGh） / token id or prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = _user(options["user"])
            try:
                raw, token = create_token(actor=None, user=user, name=options["name"])
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            self.stdout.write(raw)
            self.stderr.write(
                f"已为 {user.username} 创建令牌 #{token.pk}（{token.prefix}…）。令牌只显示这一次，"
                f"请妥善保存。 / token #{token.pk} created for {user.username}; it is shown "
                f"only this once.\n用法 / use: Authorization: Bearer <令牌 token>"
            )
        elif action == "list":
            qs = ApiToken.objects.select_related("user").order_by("id")
            if options["user"]:
                qs = qs.filter(user=_user(options["user"]))
            if not options["all"]:
                qs = qs.filter(revoked_at__isnull=True)
            rows = [("编号 id", "前缀 prefix", "用户 user", "名称 name", "创建 created",
                     "最近使用 last used", "状态 status")]
            for t in qs:
                status = f"已吊销 revoked {_when(t.revoked_at)}" if t.revoked_at else "有效 active"
                rows.append((str(t.pk), t.prefix + "…", t.user.username, t.name or "-",
                             _when(t.created_at), _when(t.last_used_at), status))
            if len(rows) == 1:
                self.stdout.write("（没有令牌 / no tokens）")
            else:
                self.stdout.write(format_table(rows))
        else:
            token = _find(options["ref"])
            if token.revoked_at is not None:
                raise CommandError(f"令牌 #{token.pk} 已于 {_when(token.revoked_at)} 吊销。 / "
                                   f"token #{token.pk} is already revoked")
            revoke_token(actor=None, token=token)
            self.stdout.write(f"已吊销令牌 #{token.pk}（{token.prefix}…，{token.user.username}）。"
                              f" / token #{token.pk} revoked")
