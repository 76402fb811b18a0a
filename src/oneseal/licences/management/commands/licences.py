"""`oneseal licences`: the licence library's daily jobs by hand, and a lookup.

    oneseal licences expire [--date YYYY-MM-DD]   record 失效 past the last day (第70条(一))
    oneseal licences remind [--date YYYY-MM-DD]   create renewal reminders (第50条)
    oneseal licences lookup <identifier>          check the identifier and show the licence
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _


def _day(text: str | None) -> dt.date:
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from exc


class Command(BaseCommand):
    help = _("电子证照库：到期失效、延续提醒、按标识查询证照。")

    def add_arguments(self, parser: CommandParser) -> None:
        subs = parser.add_subparsers(dest="action", required=True)
        for name, text in (("expire", _("将有效期已届满的证照登记为失效（第七十条第（一）项）")),
                           ("remind", _("为临近届满的证照生成延续提醒（第五十条）"))):
            sub = subs.add_parser(name, help=text)
            sub.add_argument("--date", help=_("按该日期执行（默认今天）"))
        lookup = subs.add_parser("lookup", help=_("校验电子证照标识并显示证照"))
        lookup.add_argument("identifier")

    def handle(self, *args: Any, **options: Any) -> None:
        from oneseal.licences import services

        action = options["action"]
        if action == "expire":
            count = services.expire_licences(_day(options.get("date")))
            self.stdout.write(_("已登记失效的证照：%(n)d 件。") % {"n": count})
        elif action == "remind":
            made = services.remind_renewals(_day(options.get("date")))
            for reminder in made:
                self.stdout.write(_("%(id)s 请于 %(day)s 前申请延续") % {
                    "id": reminder.licence.identifier, "day": reminder.apply_by.isoformat()})
            self.stdout.write(_("新生成延续提醒：%(n)d 条。") % {"n": len(made)})
        else:
            self._lookup(options["identifier"])

    def _lookup(self, text: str) -> None:
        from oneseal.licences.domain.identifier import InvalidIdentifier, parse_identifier
        from oneseal.licences.models import Licence
        from oneseal.licences.render import validity_text
        from oneseal.licences.services import state_label, state_today

        try:
            identifier = parse_identifier(text).text
        except InvalidIdentifier as exc:
            raise CommandError(exc.message(_)) from exc
        licence = Licence.objects.select_related("type").filter(identifier=identifier).first()
        if licence is None:
            raise CommandError(_("电子证照库中没有该证照。"))
        state = state_today(licence, timezone.localdate())
        for label, value in ((_("电子证照标识"), licence.identifier),
                             (_("证照名称"), licence.name), (_("证照编号"), licence.number),
                             (_("持证主体"), licence.holder_name),
                             (_("有效期"), validity_text(licence)),
                             (_("证照状态"), state_label(state))):
            self.stdout.write(f"{label}：{value}")
