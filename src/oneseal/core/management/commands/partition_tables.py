"""`oneseal manage partition_tables --plan | --apply [--next-year]`: partition the audit chain
and the case events by year on PostgreSQL (oneseal.core.partitioning)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from oneseal.core import partitioning


class Command(BaseCommand):
    help = ("按年分区审计链和办件事件表（仅 PostgreSQL）：--plan 显示将执行的语句，"
            "--apply 在一个事务中执行；--next-year 在年初把默认分区封存为上一年的分区。\n"
            "Partition the audit chain and the case events by year (PostgreSQL only): --plan "
            "prints the statements, --apply runs them in one transaction; --next-year closes "
            "the default partition into the year's own at the turn of the year.")

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--plan", action="store_true", help="只显示 / print only")
        mode.add_argument("--apply", action="store_true", help="执行 / run them")
        parser.add_argument("--next-year", action="store_true",
                            help="封存本年度默认分区 / close the year's default partition")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(_("按年分区仅支持 PostgreSQL；SQLite 数据库无需也无法分区。"))
        found = partitioning.plans(next_year=options["next_year"])
        if not found:
            self.stdout.write(_("没有需要处理的表。") if options["next_year"]
                              else _("两张表均已分区。"))
            return
        for plan in found:
            self.stdout.write(f"-- {plan.table} (by {plan.key})")
            for note in plan.notes:
                self.stdout.write(f"-- {note}")
            for statement in plan.statements:
                self.stdout.write(statement + ";")
        if options["apply"]:
            partitioning.apply(found)
            for plan in found:
                names = ", ".join(name for name, _b in partitioning.partitions(plan.table))
                self.stdout.write(_("已分区 %(table)s：%(parts)s")
                                  % {"table": plan.table, "parts": names})
