"""The text format of a year's schedule (放假安排文件), read by `oneseal calendar import` and
by the workbench form, written by `oneseal calendar show`. Documented in docs/calendar.md.

    # 2027年部分节假日安排
    年份,2027
    来源,国办发明电〔2026〕12号
    放假,2027-01-01,2027-01-03,元旦
    上班,2027-01-09,,元旦

Pure Python: error messages are Chinese msgids with parameters (translated at the edge).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field

from .domain.i18n import Translate, gettext_noop, identity

KEYWORDS = {
    "年份": "year", "year": "year",
    "来源": "source", "依据": "source", "source": "source",
    "说明": "note", "note": "note",
    "放假": "holiday", "holiday": "holiday",
    "上班": "workday", "调休上班": "workday", "调休": "workday", "workday": "workday",
}
MAX_RUN_DAYS = 31  # no holiday in the State Council schedules is longer
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_WEEKDAYS = (gettext_noop("星期一"), gettext_noop("星期二"), gettext_noop("星期三"),
             gettext_noop("星期四"), gettext_noop("星期五"), gettext_noop("星期六"),
             gettext_noop("星期日"))


@dataclass(frozen=True)
class Schedule:
    """One year's schedule: its rest days (`holidays`) and worked weekend days (`workdays`),
    each with the holiday's name, and the notice it comes from."""

    year: int
    source: str
    holidays: dict[dt.date, str]
    workdays: dict[dt.date, str]
    note: str = ""

    def digest(self) -> str:
        """SHA-256 of the days and their names (not of the source or the note)."""
        return schedule_digest(self.year, self.holidays, self.workdays)


def schedule_digest(year: int, holidays: dict[dt.date, str], workdays: dict[dt.date, str]) -> str:
    lines = [f"oneseal-calendar-v1|{year}"]
    lines += [f"H|{d.isoformat()}|{n}" for d, n in sorted(holidays.items())]
    lines += [f"W|{d.isoformat()}|{n}" for d, n in sorted(workdays.items())]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class LineError:
    line: int  # 0: the file as a whole
    msgid: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, translate: Translate = identity) -> str:
        text = translate(self.msgid) % self.params if self.params else translate(self.msgid)
        if not self.line:
            return text
        return translate(gettext_noop("第%(line)d行：%(message)s")) % {
            "line": self.line, "message": text}


class ScheduleFormatError(Exception):
    """Every problem found in a schedule file, each naming its line; nothing was written."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.message() for e in errors))

    def messages(self, translate: Translate = identity) -> list[str]:
        return [e.message(translate) for e in self.errors]


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what spreadsheet software in China saves)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _date(value: str) -> dt.date | None:
    m = _DATE.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_schedule(text: str) -> Schedule:
    """Read a schedule, or raise `ScheduleFormatError` listing every error by line."""
    errors: list[LineError] = []
    year: int | None = None
    year_line = 0
    source = ""
    note = ""
    entries: list[tuple[int, str, dt.date, str]] = []  # line, kind, day, name
    rows = csv.reader(io.StringIO(text.replace("，", ",")))
    for number, raw in enumerate(rows, start=1):
        cells = [c.strip() for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells or cells[0].startswith("#"):
            continue
        keyword = KEYWORDS.get(cells[0].lower())
        if keyword is None:
            errors.append(LineError(number, gettext_noop(
                "无法识别的类型“%(kind)s”，应为：年份、来源、说明、放假 或 上班。"),
                {"kind": cells[0]}))
            continue
        value = cells[1] if len(cells) > 1 else ""
        if keyword == "year":
            if year is not None:
                errors.append(LineError(number, gettext_noop("年份已在第%(other)d行声明过。"),
                                        {"other": year_line}))
            elif not (value.isdigit() and 2000 <= int(value) <= 2100):
                errors.append(LineError(number, gettext_noop("年份“%(value)s”无效。"),
                                        {"value": value}))
            else:
                year, year_line = int(value), number
            continue
        if keyword in ("source", "note"):
            text_value = ",".join(cells[1:]).strip()
            if keyword == "source":
                source = text_value
            else:
                note = text_value
            continue
        first = _date(value) if value else None
        if first is None:
            errors.append(LineError(number, gettext_noop(
                "日期“%(value)s”无效，请写成 2027-01-01 的形式。"), {"value": value}))
            continue
        last_text = cells[2] if len(cells) > 2 else ""
        last = _date(last_text) if last_text else first
        if last is None:
            errors.append(LineError(number, gettext_noop(
                "日期“%(value)s”无效，请写成 2027-01-01 的形式。"), {"value": last_text}))
            continue
        if last < first:
            errors.append(LineError(number, gettext_noop(
                "结束日期%(last)s早于开始日期%(first)s。"),
                {"first": first.isoformat(), "last": last.isoformat()}))
            continue
        if (last - first).days >= MAX_RUN_DAYS:
            errors.append(LineError(number, gettext_noop(
                "一段日期超过%(max)d天（%(first)s至%(last)s），请检查。"),
                {"max": MAX_RUN_DAYS, "first": first.isoformat(), "last": last.isoformat()}))
            continue
        name = ",".join(cells[3:]).strip() if len(cells) > 3 else ""
        day = first
        while day <= last:
            entries.append((number, keyword, day, name))
            day += dt.timedelta(days=1)

    if year is None:
        errors.append(LineError(0, gettext_noop("文件中缺少“年份”一行（例如：年份,2027）。")))
    if not source:
        errors.append(LineError(0, gettext_noop(
            "文件中缺少“来源”一行（例如：来源,国办发明电〔2026〕12号）。")))
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    seen: dict[dt.date, int] = {}
    for number, kind, day, name in entries:
        if year is not None and day.year != year:
            errors.append(LineError(number, gettext_noop(
                "%(day)s不在%(year)d年内；跨年的日期请在它所属年份的安排中录入。"),
                {"day": day.isoformat(), "year": year}))
            continue
        if day in seen:
            errors.append(LineError(number, gettext_noop("%(day)s已在第%(other)d行出现过。"),
                                    {"day": day.isoformat(), "other": seen[day]}))
            continue
        seen[day] = number
        if kind == "workday":
            if day.weekday() < 5:
                errors.append(LineError(number, gettext_noop(
                    "调休上班日%(day)s是%(weekday)s，不是星期六或星期日。"),
                    {"day": day.isoformat(), "weekday": _WEEKDAYS[day.weekday()]}))
                continue
            workdays[day] = name
        else:
            holidays[day] = name
    if year is not None and not holidays and not errors:
        errors.append(LineError(0, gettext_noop("文件中没有任何放假日期。")))
    if errors:
        errors.sort(key=lambda e: e.line)
        raise ScheduleFormatError(errors)
    assert year is not None
    return Schedule(year=year, source=source, holidays=holidays, workdays=workdays, note=note)


def day_runs(days: dict[dt.date, str]) -> list[tuple[dt.date, dt.date, str]]:
    runs: list[tuple[dt.date, dt.date, str]] = []
    for day, name in sorted(days.items()):
        if runs and runs[-1][1] + dt.timedelta(days=1) == day and runs[-1][2] == name:
            runs[-1] = (runs[-1][0], day, name)
        else:
            runs.append((day, day, name))
    return runs


def format_schedule(schedule: Schedule, *, comment: str = "") -> str:
    """The schedule in the import format (consecutive days with one name as one line)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if comment:
        out.write(f"# {comment}\n")
    writer.writerow(["年份", schedule.year])
    writer.writerow(["来源", schedule.source])
    if schedule.note:
        writer.writerow(["说明", schedule.note])
    for kind, days in (("放假", schedule.holidays), ("上班", schedule.workdays)):
        for first, last, name in day_runs(days):
            writer.writerow([kind, first.isoformat(),
                             last.isoformat() if last != first else "", name])
    return out.getvalue()
