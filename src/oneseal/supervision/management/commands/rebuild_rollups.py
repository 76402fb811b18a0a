"""`oneseal manage rebuild_rollups`: recompute the statistics rollups (办件统计汇总) from
the case history and the ratings. The services keep them current event by event; run this
after a bulk import, after the working calendar was corrected (due dates, hence on-time
counts, move), or to check them (`--check`: report whether they differ, change nothing)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from oneseal.supervision import stats_rollup


class Command(BaseCommand):
    help = _("按办件记录和评价重新计算统计汇总表。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true",
                            help=_("只比较现有汇总与重新计算的结果，不修改。"))

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["check"]:
            before = stats_rollup.snapshot()
            with transaction.atomic():
                stats_rollup.rebuild()
                after = stats_rollup.snapshot()
                transaction.set_rollback(True)
            if before != after:
                raise CommandError(_("统计汇总与办件记录不一致，请运行 rebuild_rollups 重建。"))
            self.stdout.write(_("统计汇总与办件记录一致。"))
            return
        written = stats_rollup.rebuild()
        self.stdout.write(_("已重建统计汇总：%(days)d 行日统计，%(months)d 行月统计，"
                            "用时 %(seconds).1f 秒。")
                          % {**written, "seconds": time.perf_counter() - started})
