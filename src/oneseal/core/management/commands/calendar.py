"""`oneseal calendar`: the working-day calendar (工作日历) at the console.

    oneseal calendar list                   every year: current version, source, who entered it
    oneseal calendar show 2026 [--version N] one year in the import format (edit it, import it)
    oneseal calendar import FILE [--by USER] enter or correct a year (a new version; old kept)
    oneseal calendar seed                   add the years the chinesecalendar package knows

The file format is documented in docs/calendar.md. An import with any error writes nothing
and lists every error with its line number.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.workcalendar.models import CalendarYear, EntryChannel
from oneseal.core.workcalendar.report import moved_lines
from oneseal.core.workcalendar.schedule_format import (
    ScheduleFormatError,
    decode,
    format_schedule,
    parse_schedule,
)
from oneseal.core.workcalendar.selectors import (
    current_years,
    missing_next_year_warning,
    schedule_of,
    version_counts,
)
from oneseal.core.workcalendar.services import enter_year_and_recompute, seed_calendar_from_package


class Command(BaseCommand):
    help = ("工作日历：列出、查看、导入（录入或更正）各年放假调休安排，"
            "或从 chinesecalendar 补充年份。 / "
            "Working-day calendar: list, show, import (enter or correct) a year's holiday "
            "schedule, or seed the years the chinesecalendar package knows.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("list", help="列出各年现行版本 / list the years and current versions")
        show = sub.add_parser("show", help="以导入格式输出某年安排 / print a year in the import "
                                           "format")
        show.add_argument("year", type=int, help="年份 / year")
        show.add_argument("--version", type=int, dest="year_version",
                          help="历史版本号（默认现行版本） / an older version")
        imp = sub.add_parser("import", help="导入某年安排（录入或更正） / import a year's "
                                            "schedule (enter or correct)")
        imp.add_argument("file", help="放假安排文件（格式见 docs/calendar.md） / schedule file")
        imp.add_argument("--by", metavar="USERNAME",
                         help="录入人（须为系统管理员账号） / the sysadmin account entering it")
        sub.add_parser("seed", help="从 chinesecalendar 补充缺少的年份 / add the years the "
                                    "package knows")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(**options)

    def _list(self, **options: Any) -> None:
        counts = version_counts()
        header = [_("年份"), _("版本"), _("放假"), _("调休上班"), _("依据"), _("录入"),
                  _("录入时间")]
        self.stdout.write("\t".join(header))
        for row in current_years():
            self.stdout.write("\t".join([
                str(row.year), f"v{row.version}/{counts.get(row.year, 1)}",
                str(row.holiday_count), str(row.workday_count), row.source,
                f"{row.get_entered_via_display()} {row.entered_by_name}".strip(),
                timezone.localtime(row.entered_at).strftime("%Y-%m-%d %H:%M"),
            ]))
        warning = missing_next_year_warning()
        if warning:
            self.stderr.write(warning)

    def _show(self, *, year: int, year_version: int | None = None, **options: Any) -> None:
        rows = CalendarYear.objects.filter(year=year)
        rows = rows.filter(version=year_version) if year_version else rows.filter(is_current=True)
        row = rows.first()
        if row is None:
            raise CommandError(_("工作日历中没有%(year)d年的安排。") % {"year": year})
        comment = _("%(year)d年 第%(version)d版（%(channel)s %(who)s）") % {
            "year": row.year, "version": row.version, "channel": row.get_entered_via_display(),
            "who": row.entered_by_name}
        self.stdout.write(format_schedule(schedule_of(row), comment=comment), ending="")

    def _import(self, *, file: str, by: str | None = None, **options: Any) -> None:
        path = Path(file)
        try:
            text = decode(path.read_bytes())
        except OSError as err:
            raise CommandError(_("无法读取文件%(file)s：%(error)s") % {
                "file": file, "error": err.strerror or err}) from None
        actor = None
        if by:
            actor = get_user_model().objects.filter(username=by).first()
            if actor is None:
                raise CommandError(_("没有用户名为“%(name)s”的账号。") % {"name": by})
        try:
            schedule = parse_schedule(text)
            row, created, reports = enter_year_and_recompute(
                actor=actor, schedule=schedule, via=EntryChannel.COMMAND,
                actor_name=(str(actor) if actor else _("命令行：%(user)s") % {
                    "user": _os_user()}),
            )
        except PermissionDenied as err:
            raise CommandError(str(err)) from None
        except ScheduleFormatError as err:
            lines = [_("文件%(file)s有错误，未写入任何数据：") % {"file": file}]
            lines += [f"  {m}" for m in err.messages(_)]
            raise CommandError("\n".join(lines), returncode=1) from None
        if created:
            self.stdout.write(_("已录入%(year)d年安排，第%(version)d版（放假%(h)d天，调休上班%(w)d天）。")
                              % {"year": row.year, "version": row.version,
                                 "h": len(schedule.holidays), "w": len(schedule.workdays)})
            for report in reports:
                for line in moved_lines(report.moved):
                    self.stdout.write("  " + line)
                self.stdout.write(_("%(title)s：已重新计算%(checked)d件，%(moved)d个期限发生变化。")
                                  % {"title": report.title, "checked": report.checked,
                                     "moved": len(report.moved)})
        else:
            self.stdout.write(_("%(year)d年安排与现行第%(version)d版相同，未作更改。")
                              % {"year": row.year, "version": row.version})

    def _seed(self, **options: Any) -> None:
        added = seed_calendar_from_package()
        if added:
            self.stdout.write(_("已补充年份：%(years)s") % {
                "years": "、".join(str(r.year) for r in added)})
        else:
            self.stdout.write(_("chinesecalendar 中的年份均已在工作日历中。"))


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "?"
