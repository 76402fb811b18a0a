"""Pages: the public deadline calculator (办理时限计算器) and the system administrators'
calendar pages (工作日历管理). Parse → access → service/selector → template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.access import require_roles
from oneseal.core.roles import Role

from .calculator import calculate, parse_request
from .domain import ClockError
from .forms import DeadlineToolForm, ScheduleForm
from .models import CalendarYear, EntryChannel
from .permissions import check_calendar_admin
from .report import moved_lines
from .schedule_format import (
    ScheduleFormatError,
    day_runs,
    decode,
    format_schedule,
    parse_schedule,
)
from .selectors import (
    current_years,
    missing_next_year_warning,
    schedule_of,
    version_counts,
    year_versions,
)
from .services import enter_year_and_recompute

MOVED_SHOWN = 50  # moved dates listed on the page after saving; the rest are in the events


def deadline_tool(request: HttpRequest) -> HttpResponse:
    """The public calculator: a GET form, so a result can be bookmarked and shared."""
    bound = "start" in request.GET
    form = DeadlineToolForm(request.GET if bound else None)
    result: dict[str, Any] | None = None
    error = ""
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            parsed = parse_request(
                start=data["start"], days=data["days"],
                suspend=data["suspend"].splitlines(), extend=data["extend"], joint=data["joint"],
            )
            result = calculate(parsed)
        except ClockError as err:
            error = err.message(_)
    return render(request, "workcalendar/deadline_tool.html",
                  {"form": form, "result": result, "error": error})


@require_roles(Role.SYSADMIN)
def calendar_admin(request: HttpRequest) -> HttpResponse:
    """Every year of the calendar with its current version, and next year's warning."""
    check_calendar_admin(request.user)
    counts = version_counts()
    years = list(current_years())
    for row in years:
        row.version_total = counts.get(row.year, 1)  # type: ignore[attr-defined]
    return render(request, "workcalendar/admin_list.html", {
        "years": years,
        "warning": missing_next_year_warning(timezone.localdate()),
        "next_year": timezone.localdate().year + 1,
    })


def _template_text(year: int) -> str:
    """A starting point for a new year: the lines to fill in, with their format."""
    return "\n".join([
        _("# %(year)d年放假安排：每行一项，格式见 docs/calendar.md") % {"year": year},
        f"年份,{year}",
        _("# 来源：国务院办公厅通知的文号，例如 国办发明电〔2026〕12号"),
        "来源,",
        _("# 放假,开始日期,结束日期,节日（一天的假期可省略结束日期）"),
        f"放假,{year}-01-01,,元旦",
        _("# 上班,日期,,节日（调休上班的星期六或星期日）"),
        "",
    ])


@require_roles(Role.SYSADMIN)
def calendar_edit(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """Enter a new year (`year` None) or view and correct one: the form holds the schedule in
    the import format; saving adds a version and keeps the old ones."""
    check_calendar_admin(request.user)
    versions = year_versions(year) if year is not None else []
    current = next((v for v in versions if v.is_current), None)
    shown: CalendarYear | None = current
    if year is not None and request.GET.get("version", "").isdigit():
        wanted = int(request.GET["version"])
        shown = next((v for v in versions if v.version == wanted), current)
    errors: list[str] = []
    if request.method == "POST":
        form = ScheduleForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            text = decode(upload.read()) if upload else form.cleaned_data["text"]
            try:
                schedule = parse_schedule(text)
                if year is not None and schedule.year != year:
                    errors.append(_("这里只能更正%(year)d年的安排，文件中的年份是%(other)d。")
                                  % {"year": year, "other": schedule.year})
                else:
                    row, created, reports = enter_year_and_recompute(
                        actor=request.user, schedule=schedule, via=EntryChannel.WEB)
                    if created:
                        messages.success(request, _("已保存%(year)d年安排，第%(version)d版。")
                                         % {"year": row.year, "version": row.version})
                        for report in reports:
                            moved = moved_lines(report.moved)
                            messages.info(request, _(
                                "%(title)s：已重新计算%(checked)d件，%(moved)d个期限发生变化。")
                                % {"title": report.title, "checked": report.checked,
                                   "moved": len(moved)})
                            for line in moved[:MOVED_SHOWN]:
                                messages.info(request, line)
                            if len(moved) > MOVED_SHOWN:
                                messages.info(request, _(
                                    "另有%(n)d个期限变化，完整清单见 oneseal recompute-clocks 的"
                                    "输出和各办件的办理记录。") % {"n": len(moved) - MOVED_SHOWN})
                    else:
                        messages.info(request, _("与现行第%(version)d版相同，未作更改。")
                                      % {"version": row.version})
                    return redirect("workcalendar:year", year=row.year)
            except ScheduleFormatError as err:
                errors = err.messages(_)
    else:
        initial = (format_schedule(schedule_of(shown)) if shown is not None
                   else _template_text(year or timezone.localdate().year + 1))
        form = ScheduleForm(initial={"text": initial})
    schedule = schedule_of(shown) if shown is not None else None
    return render(request, "workcalendar/admin_year.html", {
        "year": year, "versions": versions, "current": current, "shown": shown,
        "holiday_runs": day_runs(schedule.holidays) if schedule else [],
        "workday_runs": day_runs(schedule.workdays) if schedule else [],
        "form": form, "errors": errors,
    })
