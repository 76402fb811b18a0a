"""Reads of 时限监督 (the deadline board): every open case with its light, filtered and
sorted by urgency, its counts by light, and the same rows as an Excel workbook.

The light is the one of the alert sweep (`domain.alerts`): red past the watched due date,
yellow within the warning period (the configured days or share of the item's promised
limit), green before; paused while a special procedure stops the clock (第45条) or the
applicant corrects (第32条); unknown when the calendar could not compute a due date."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models import When as W
from django.utils.translation import gettext as _

from oneseal.cases.clocks import light_text
from oneseal.cases.domain.states import ACTIVE_STATES
from oneseal.cases.due import days_left
from oneseal.cases.errors import state_label
from oneseal.cases.models import Case, CaseStep, Channel
from oneseal.core.workcalendar.domain import ClockError
from oneseal.org.models import Unit
from oneseal.org.service_points import service_points, street_of

from . import alerts
from .domain import alerts as rules

LIGHTS = ("red", "yellow", "green", "paused", "unknown")
PAGE_SIZE = 50


def today() -> dt.date:
    """The day the board stands on (a seam for tests that move the date)."""
    from django.utils import timezone

    return timezone.localdate()


@dataclass(frozen=True)
class Filters:
    light: str = ""
    department: int | None = None
    item: int | None = None
    handler: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    channel: str = ""
    street: int | None = None
    number: str = ""


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_filters(data: Any) -> Filters:
    light = data.get("light", "")
    channel = data.get("channel", "")
    return Filters(
        light=light if light in LIGHTS else "",
        department=_int(data.get("department")), item=_int(data.get("item")),
        handler=_int(data.get("handler")), due_from=_date(data.get("due_from")),
        due_to=_date(data.get("due_to")),
        channel=channel if channel in Channel.values else "",
        street=_int(data.get("street")), number=(data.get("number") or "").strip()[:40])


def _paused() -> Q:
    return Q(clock_paused=True) | Q(state="correcting", deemed_accepted=False)


def light_conditions(calendar: Any, today: dt.date) -> dict[str, Q]:
    """The SQL condition of each light on `today` (over `open_cases()`, annotated `watch`)."""
    limit = alerts.threshold()
    limits = (Case.objects.filter(state__in=ACTIVE_STATES)
              .values_list("version__promised_limit_days", flat=True).distinct())
    yellow = Q(pk__in=[])
    for days in set(limits):
        upper = rules.yellow_until(calendar, today, limit.warn_days(days))
        yellow |= Q(version__promised_limit_days=days, watch__lte=upper)
    running = ~_paused() & Q(watch__isnull=False)
    red = running & Q(watch__lt=today)
    yellow = running & Q(watch__gte=today) & yellow
    return {"red": red, "yellow": yellow, "green": running & ~red & ~yellow,
            "paused": _paused(), "unknown": ~_paused() & Q(watch__isnull=True)}


def open_claim_alerts() -> list[dict[str, Any]]:
    """The open alerts of the departments' claim clock (部门认领时限, a clock coordination
    owns), by department: how many red and yellow, for the board's panel."""
    from django.db.models import Count

    from .models import Alert, AlertClock, AlertState

    rows = (Alert.objects.filter(clock=AlertClock.CLAIM).exclude(state=AlertState.CLOSED)
            .values("department_id", "department__name")
            .annotate(red=Count("pk", filter=Q(light=rules.RED)),
                      yellow=Count("pk", filter=Q(light=rules.YELLOW)))
            .order_by("-red", "-yellow", "department__name"))
    return [{"department_id": r["department_id"], "name": r["department__name"] or "—",
             "red": r["red"], "yellow": r["yellow"]} for r in rows]


def open_cases() -> QuerySet[Case]:
    return (Case.objects.filter(state__in=ACTIVE_STATES)
            .annotate(watch=alerts.watched_due_expression()))


def _street_points(street_id: int) -> list[int]:
    return [p.pk for p in service_points().select_related("parent")
            if street_of(p).pk == street_id]


def filtered(filters: Filters, conditions: dict[str, Q], *, with_light: bool = True
             ) -> QuerySet[Case]:
    qs = open_cases()
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.item:
        qs = qs.filter(item_id=filters.item)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.street:
        qs = qs.filter(service_point_id__in=_street_points(filters.street))
    if filters.handler:
        qs = qs.filter(Exists(CaseStep.objects.filter(
            case_id=OuterRef("pk"), state__in=alerts.OPEN_STEP_STATES,
            assignee_id=filters.handler)))
    if filters.due_from:
        qs = qs.filter(watch__gte=filters.due_from)
    if filters.due_to:
        qs = qs.filter(watch__lte=filters.due_to)
    if filters.number:
        qs = qs.filter(number__icontains=filters.number)
    if with_light and filters.light:
        qs = qs.filter(conditions[filters.light])
    return qs


def counts(qs: QuerySet[Case], conditions: dict[str, Q]) -> dict[str, int]:
    from django.db.models import Count

    row = qs.aggregate(**{light: Count("pk", filter=cond) for light, cond in
                          conditions.items()}, total=Count("pk"))
    return {k: int(v or 0) for k, v in row.items()}


def by_urgency(qs: QuerySet[Case], conditions: dict[str, Q]) -> QuerySet[Case]:
    """Most overdue first, then the nearest due dates; paused and unknown at the end."""
    return (qs.annotate(rank=SqlCase(W(conditions["paused"], then=Value(1)),
                                     W(watch__isnull=True, then=Value(2)), default=Value(0)))
            .order_by("rank", "watch", "id"))


def row_light(case: Case, conditions_today: dt.date, calendar: Any) -> str:
    watch = getattr(case, "watch", None)
    if case.clock_paused or (case.state == "correcting" and not case.deemed_accepted):
        return "paused"
    if watch is None:
        return "unknown"
    try:
        return rules.light(calendar, watch, conditions_today,
                           alerts.threshold().warn_days(case.version.promised_limit_days))
    except ClockError:
        return "unknown"


def days_left_text(calendar: Any, due: dt.date | None, today: dt.date) -> str:
    """"剩 3 个工作日", "今日到期", "超期 2 个工作日" (第82条 working days): the words every
    worklist uses (`oneseal.cases.due.days_left`)."""
    return days_left(due, today, calendar).text or "—"


def handlers(cases: list[Case]) -> dict[int, str]:
    """Who holds each case's current open step (else who received it)."""
    out: dict[int, str] = {}
    for step in (CaseStep.objects.filter(case_id__in=[c.pk for c in cases],
                                         state__in=alerts.OPEN_STEP_STATES)
                 .select_related("assignee").order_by("-order", "-round")):
        out[step.case_id] = (str(step.assignee) if step.assignee
                             else _("%(step)s（待认领）") % {"step": step.name})
    for case in cases:
        if case.pk not in out and case.created_by is not None:
            out[case.pk] = str(case.created_by)
    return out


def decorate(cases: list[Case], today: dt.date, calendar: Any) -> list[dict[str, Any]]:
    names = handlers(cases)
    rows = []
    for case in cases:
        watch = getattr(case, "watch", None)
        field = "delivery_due" if case.state in alerts.DELIVERY_STATES else "promised_due"
        rows.append({
            "case": case, "light": row_light(case, today, calendar), "due": watch,
            "provisional": bool(case.provisional_dues.get(field)),
            "left": days_left_text(calendar, watch, today) if watch else "—",
            "handler": names.get(case.pk, "—"),
            "department": case.department.short_name or case.department.name})
    return rows


def filter_choices() -> dict[str, Any]:

    dept_ids = (Case.objects.filter(state__in=ACTIVE_STATES)
                .values_list("department_id", flat=True).distinct())
    item_ids = (Case.objects.filter(state__in=ACTIVE_STATES)
                .values_list("item_id", flat=True).distinct())
    items = {c["item_id"]: c["item_name"] for c in Case.objects.filter(
        item_id__in=list(item_ids)).values("item_id", "item_name").order_by("item_id")}
    streets: dict[int, str] = {}
    for point in service_points().select_related("parent"):
        street = street_of(point)
        streets[street.pk] = street.short_name or street.name
    from oneseal.accounts.models import User

    handler_ids = (CaseStep.objects.filter(state__in=alerts.OPEN_STEP_STATES,
                                           assignee__isnull=False)
                   .values_list("assignee_id", flat=True).distinct())
    return {
        "departments": list(Unit.objects.filter(pk__in=list(dept_ids)).order_by("code")),
        "items": sorted(items.items(), key=lambda kv: kv[1]),
        "handlers": list(User.objects.filter(pk__in=list(handler_ids)).order_by("username")),
        "channels": Channel.choices,
        "streets": sorted(streets.items(), key=lambda kv: kv[1]),
        "lights": [(light, light_text(light)) for light in LIGHTS],
    }


def workbook(rows: list[dict[str, Any]], today: dt.date) -> bytes:
    """The rows as an .xlsx (openpyxl, as the hall statistics)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("时限监督"))
    sheet.append([_("统计日期"), today.isoformat()])
    sheet.append([_("办件编号"), _("事项"), _("申请人"), _("主管部门"), _("办理人"), _("状态"),
                  _("收件渠道"), _("期限"), _("期限暂定"), _("剩余"), _("灯色")])
    for row in rows:
        case = row["case"]
        sheet.append([case.number, case.item_name, case.applicant_name, row["department"],
                      row["handler"], state_label(case.state), case.get_channel_display(),
                      row["due"].isoformat() if row["due"] else "",
                      _("暂定") if row["provisional"] else "", row["left"],
                      light_text(row["light"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
