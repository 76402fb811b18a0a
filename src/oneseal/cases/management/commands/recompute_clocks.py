"""`oneseal recompute-clocks`: recompute every open case's deadlines after the calendar is
corrected or a new year's schedule is entered (行政许可法 第82条)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from oneseal.cases.clocks import recompute_open_cases


class Command(BaseCommand):
    help = _("工作日历更正后重新计算所有在办件的期限，列出期限有变化的办件。")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, changes = recompute_open_cases()
        for c in changes:
            self.stdout.write(_("%(number)s %(field)s：%(before)s → %(after)s") % {
                "number": c.number, "field": c.field, "before": c.before or "-",
                "after": c.after or "-"})
        self.stdout.write(_("已重新计算 %(checked)d 件在办件，%(changed)d 个期限发生变化。")
                          % {"checked": checked, "changed": len(changes)})
