"""The clocks of a case (案件计时), replayed from its events by the statutory clock
(`oneseal.core.workcalendar.domain`): the correction-notice clock (行政许可法 第32条), the
decision clocks against the statutory and the promised limit (第42条, with 第45条 suspensions
and the approved extension), the delivery clock (第44条) and one clock per review step.

`recompute(case)` stores the due dates on the case (for lists and supervision in SQL);
`clock_views(case)` gives what a page shows: due date, working days left, light and the
Chinese explanation. When the calendar lacks a year (CalendarNotCovered) nothing fails: the
due date stays empty and `clock_error` says which year must be entered (第82条); a year
without an official schedule is counted provisionally and flagged (暂定, law.md §1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oneseal.core.workcalendar.domain import (
    Accepted,
    CaseClocks,
    CaseEvent,
    Clock,
    ClockError,
    ClockKind,
    Corrected,
    CorrectionNotice,
    Decided,
    Delivered,
    ExtensionApproved,
    Handling,
    Received,
    SpecialProcedure,
    SpecialProcedureEnded,
    SpecialProcedureStarted,
    StepCompleted,
    StepStarted,
    WorkCalendar,
    case_clocks,
    explain,
    format_explanation,
)
from oneseal.core.workcalendar.selectors import get_work_calendar

from .domain.states import TERMINAL_STATES, CaseState
from .models import Case, CaseStep
from .models import CaseEvent as CaseEventRow

CLOCK_LABELS = {
    ClockKind.CORRECTION: gettext_noop("补正告知时限（第32条）"),
    ClockKind.DECISION_STATUTORY: gettext_noop("法定办结时限（第42条）"),
    ClockKind.DECISION_PROMISED: gettext_noop("承诺办结时限"),
    ClockKind.DELIVERY: gettext_noop("送达时限（第44条）"),
    ClockKind.STEP: gettext_noop("环节时限"),
}


def _step_key(order: int, round_: int) -> str:
    return f"{order}.{round_}"


def clock_events(rows: Iterable[CaseEventRow]) -> list[CaseEvent]:
    """The statutory-clock events of a case's history, in order."""
    out: list[CaseEvent] = []
    for row in rows:
        d, on = row.data or {}, row.on
        kind = row.kind
        if kind == "submit":
            out.append(Received(on))
        elif kind == "correction_notice":
            out.append(CorrectionNotice(on))
        elif kind == "corrections":
            out.append(Corrected(on))
        elif kind == "accept":
            out.append(Accepted(on))
        elif kind == "decide_on_spot":
            out.append(Accepted(on))
            out.append(Decided(on))
        elif kind == "special_start":
            out.append(SpecialProcedureStarted(on, SpecialProcedure(d["kind"]), row.reason))
        elif kind == "special_end":
            out.append(SpecialProcedureEnded(on, SpecialProcedure(d["kind"])))
        elif kind in ("extension_approve", "extension_government") and d.get("approved"):
            out.append(ExtensionApproved(on, int(d["days"]), d.get("approver", ""), row.reason))
        elif kind == "decide":
            out.append(Decided(on))
        elif kind == "deliver":
            out.append(Delivered(on))
        if d.get("special_ended"):  # closed while a special procedure ran (第45条)
            out.append(SpecialProcedureEnded(on, SpecialProcedure(d["special_ended"])))
        for started in d.get("steps_started", ()):
            if int(started["days"]) >= 1:  # a 0-day step (即办件) has no clock of its own
                out.append(StepStarted(on, started["key"], int(started["days"])))
        for done in d.get("steps_completed", ()):
            out.append(StepCompleted(on, done))
    return out


def _handling(case: Case) -> Handling:
    return Handling.JOINT if case.joint else Handling.ORDINARY


def compute(case: Case, calendar: WorkCalendar, as_of: dt.date | None = None) -> CaseClocks:
    """The case's clocks; the statutory one counted as the item's law says (its unit, start
    and extension cap: 行政许可法 第42条 "法律、法规另有规定的，依照其规定")."""
    version = case.version
    loaded = case.prefetched("events")
    events = clock_events(case.events.order_by("seq") if loaded is None else loaded)
    return case_clocks(
        events, calendar, statutory_days=version.statutory_limit_days,
        promised_days=version.promised_limit_days or None, handling=_handling(case),
        as_of=as_of, statutory_unit=version.statutory_limit_unit,
        statutory_start=version.statutory_limit_start,
        extension_cap=version.extension_limit_days,
    )


def _provisional(clock: Clock | None) -> list[int]:
    return list(clock.deadline.provisional_years) if clock is not None else []


def recompute(case: Case, *, today: dt.date | None = None, save: bool = True) -> None:
    """Recompute and store the case's due dates (and each open step's) from its events.
    Called by every service after writing its event; saves only the clock fields (or, with
    `save=False`, leaves saving the case to the caller).

    Each clock is computed on its own (law.md §1): one that cannot be computed leaves its
    own due date empty and says why in `clock_error`, never the others. A due date counted
    through a year without an official holiday schedule is stored provisionally (暂定):
    `provisional_dues` names it with the years that made it so. Facts (`accepted_on`,
    `decided_on`, delivery) are stored by the operations themselves and never blanked here;
    only a deemed acceptance (第32条) moves `accepted_on` to the day of receipt."""
    today = today or timezone.localdate()
    fields = ["correction_due", "statutory_due", "promised_due", "delivery_due",
              "clock_paused", "clock_error", "calendar_version", "accepted_on",
              "deemed_accepted", "clock_provisional", "provisional_years", "provisional_dues"]
    try:
        calendar = get_work_calendar()
    except ClockError as exc:
        case.clock_error = exc.message(_)[:300]
        if save:
            case.save(update_fields=["clock_error"])
        return
    clocks = compute(case, calendar, as_of=max(today, case.received_on))
    by_field = {"correction_due": clocks.correction, "statutory_due": clocks.statutory,
                "promised_due": clocks.promised, "delivery_due": clocks.delivery}
    for name, clock in by_field.items():
        setattr(case, name, clock.due if clock else None)
    dues = {name: _provisional(clock) for name, clock in by_field.items() if _provisional(clock)}
    if case.on_the_spot and clocks.accepted_on is not None:
        case.promised_due = clocks.accepted_on
        dues.pop("promised_due", None)
    running = clocks.promised or clocks.statutory
    case.clock_paused = bool(running and running.paused)
    case.clock_error = "；".join(dict.fromkeys(err.message(_) for _k, err in clocks.errors))[:300]
    case.calendar_version = calendar.version
    if clocks.accepted_on is not None:
        case.accepted_on = clocks.accepted_on
        case.deemed_accepted = clocks.deemed_accepted
    step_due = {c.step: c for c in clocks.steps}
    years = {y for v in dues.values() for y in v}
    open_steps = case.steps.filter(state__in=["open", "claimed"]).values_list(
        "pk", "order", "round", "due_on", "due_provisional")
    for pk, order, round_, due_on, was_provisional in open_steps:
        clock = step_due.get(_step_key(order, round_))
        due = clock.due if clock else None
        provisional = bool(clock and clock.provisional)
        if clock is not None:
            years.update(clock.deadline.provisional_years)
        if due != due_on or provisional != was_provisional:
            CaseStep.objects.filter(pk=pk).update(due_on=due, due_provisional=provisional)
    case.provisional_dues = dues
    case.provisional_years = sorted(years)
    case.clock_provisional = bool(years)
    if save:
        case.save(update_fields=fields)


@dataclass(frozen=True)
class ClockView:
    kind: str
    label: str
    start: dt.date
    due: dt.date
    stopped_on: dt.date | None
    remaining: int | None
    light: str  # green | yellow | red | stopped | paused
    explanation: str
    on_time: bool | None
    step: str = ""
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


LIGHT_TEXT = {
    "green": gettext_noop("正常"), "yellow": gettext_noop("临近期限"),
    "red": gettext_noop("已超期"), "stopped": gettext_noop("已停止计时"),
    "paused": gettext_noop("暂停计时（特别程序）"),
    "unknown": gettext_noop("时限暂无法计算"),
}


def light_text(light: str) -> str:
    return _(LIGHT_TEXT.get(light, light))


def _view(clock: Clock, calendar: WorkCalendar, as_of: dt.date, label: str) -> ClockView:
    if clock.stopped_on is not None:
        light, remaining = "stopped", None
    elif clock.paused:
        light, remaining = "paused", clock.remaining(calendar, as_of)
    else:
        light, remaining = str(clock.light(calendar, as_of)), clock.remaining(calendar, as_of)
    text = format_explanation(explain(calendar, clock.deadline), _)
    return ClockView(kind=str(clock.kind), label=label, start=clock.start, due=clock.due,
                     stopped_on=clock.stopped_on, remaining=remaining, light=light,
                     explanation=text, on_time=clock.on_time, step=clock.step,
                     provisional_years=clock.deadline.provisional_years)


def clock_views(case: Case, as_of: dt.date | None = None) -> list[ClockView]:
    """Every clock of the case as a page or the API shows it; a clock that cannot be computed
    is left out (`case.clock_error` says why) without hiding the others (law.md §1)."""
    as_of = as_of or timezone.localdate()
    try:
        calendar = get_work_calendar()
    except ClockError:
        return []
    clocks = compute(case, calendar, as_of=max(as_of, case.received_on))
    names = {_step_key(s.order, s.round): s.name for s in case.steps.all()}
    views: list[ClockView] = []
    for clock in (clocks.correction, clocks.statutory, clocks.promised, clocks.delivery):
        if clock is not None:
            views.append(_guarded_view(clock, calendar, as_of, _(CLOCK_LABELS[clock.kind])))
    for clock in clocks.steps:
        label = _("环节时限：%(step)s") % {"step": names.get(clock.step, clock.step)}
        views.append(_guarded_view(clock, calendar, as_of, label))
    return [v for v in views if v is not None]


def _guarded_view(clock: Clock, calendar: WorkCalendar, as_of: dt.date,
                  label: str) -> ClockView | None:
    try:
        return _view(clock, calendar, as_of, label)
    except ClockError:  # e.g. `as_of` beyond the calendar: this clock only
        return None


def case_light(case: Case, as_of: dt.date | None = None,
               calendar: WorkCalendar | None = None) -> str:
    """The light of a case in a list, from the stored promised due date (cheap); a
    provisional due date (暂定, law.md §1) lights like any other — the list marks it."""
    if CaseState(case.state) in TERMINAL_STATES:
        return "stopped"
    if case.clock_paused or (case.state == CaseState.CORRECTING and not case.deemed_accepted):
        # a special procedure runs (第45条), or the applicant is correcting; but a correction
        # notice given late leaves the application accepted by law (第32条): its clock runs
        return "paused"
    due = (case.delivery_due if case.state in (CaseState.DECIDED, CaseState.READY)
           else case.promised_due)
    if due is None:
        due = case.correction_due
    if due is None:
        # the calendar could not compute it: no colour rather than a wrong one
        return "unknown" if case.clock_error else "green"
    as_of = as_of or timezone.localdate()
    if as_of > due:
        return "red"
    try:
        calendar = calendar or get_work_calendar()
        if calendar.counted_working_days(as_of, due, ()) <= 1:
            return "yellow"
    except ClockError:
        return "green"
    return "green"
