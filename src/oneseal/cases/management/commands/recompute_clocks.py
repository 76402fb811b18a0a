"""`oneseal recompute-clocks`: recompute every open case's deadlines after the calendar is
corrected or a new year's schedule is entered (行政许可法 第82条, law.md §1). Entering a year
(`oneseal calendar import`, the workbench page) already does this; the command is for a run
that failed half-way."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from oneseal.cases.services.clock_sync import recompute_open_cases
from oneseal.core.workcalendar.report import moved_lines


class Command(BaseCommand):
    help = _("工作日历更正后重新计算所有在办件的期限，列出期限有变化的办件。")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, moved = recompute_open_cases(reason=_("命令行重新计算期限"))
        for line in moved_lines(moved):
            self.stdout.write(line)
        self.stdout.write(_("已重新计算 %(checked)d 件在办件，%(changed)d 个期限发生变化。")
                          % {"checked": checked, "changed": len(moved)})
