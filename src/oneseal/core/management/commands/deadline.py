"""`oneseal deadline START DAYS`: the due date of a limit in working days (办理期限).

    oneseal deadline 2026-09-28 20 --suspend 2026-10-12:2026-10-16:听证 --explain
    oneseal deadline 2026-09-28 20 --extend 10 --json

Exit status: 0 with the result; 1 when the input is wrong or an extension is not allowed;
3 when the calendar does not cover a year the count reaches, or with --strict when the
result is only provisional (暂定: a year whose schedule is not entered; enter it first:
`oneseal calendar import FILE`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oneseal.core.workcalendar.calculator import (
    ProvisionalRefused,
    calculate,
    error_payload,
    parse_request,
)
from oneseal.core.workcalendar.domain import CalendarNotCovered, ClockError

EXIT_INVALID = 1
EXIT_NOT_COVERED = 3


class Command(BaseCommand):
    help = ("按法定工作日计算办理期限（起算日当日不计入，《民法典》第201条；"
            "节假日和调休按工作日历，《行政许可法》第82条；特别程序期间不计入，第45条；"
            "延长期限，第42条）。 / Compute the "
            "due date of a limit in working days (start day not counted; holidays and make-up "
            "days from the calendar; special procedures suspend; extensions).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", help="起算日期，如 2026-09-28 / start date (ISO)")
        parser.add_argument("days", help="期限（工作日数） / limit in working days")
        parser.add_argument(
            "--suspend", action="append", default=[], metavar="FROM:TO[:KIND]",
            help="特别程序中止期间（可多次），如 2026-10-12:2026-10-16:听证 / suspension "
                 "(repeatable), both days included; KIND e.g. 听证 or hearing",
        )
        parser.add_argument("--extend", metavar="N",
                            help="经批准延长的工作日数（普通事项最多10） / approved extension "
                                 "in working days (at most 10; 15 with --joint)")
        parser.add_argument("--joint", action="store_true",
                            help="统一办理、联合办理、集中办理的事项（延长最多15日） / jointly "
                                 "handled item (extension up to 15)")
        parser.add_argument("--strict", action="store_true",
                            help="拒绝暂定结果（期限跨入尚未公布放假安排的年份时报错） / refuse "
                                 "a provisional result (a year whose schedule is not published)")
        parser.add_argument("--explain", action="store_true",
                            help="同时输出中文计算说明 / also print the explanation in Chinese")
        parser.add_argument("--json", action="store_true",
                            help="输出一个 JSON 对象（due 为 ISO 日期） / print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            request = parse_request(start=options["start"], days=options["days"],
                                    suspend=options["suspend"], extend=options["extend"],
                                    joint=options["joint"], strict=options["strict"])
            result = calculate(request)
        except ClockError as err:
            if options["json"]:
                self.stdout.write(json.dumps(error_payload(err), ensure_ascii=False))
            raise CommandError(
                err.message(_),
                returncode=EXIT_NOT_COVERED
                if isinstance(err, CalendarNotCovered | ProvisionalRefused)
                else EXIT_INVALID,
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if result["provisional"]:
            self.stdout.write(_("%(due)s（暂定：%(years)s年的放假安排尚未公布）") % {
                "due": result["due"],
                "years": "、".join(str(y) for y in result["provisional_years"])})
        else:
            self.stdout.write(result["due"])
        if options["explain"]:
            self.stdout.write(result["explanation_text"])
            self.stdout.write(_("（工作日历版本：%(version)s）") % {
                "version": result["calendar_version"]})
