"""The clocks of a case (案件计时), each computed by one pure function from the case's events.

The events are a small vocabulary (below); the case app records them and replays them here.
Every clock is a `Deadline` (start, limit, suspensions, extensions, calendar version) plus the
day it stopped, so a clock can be explained, lit and recomputed after a calendar correction.

Conventions: a suspension runs from the day its special procedure starts to the day it ends,
both days excluded from the count (第45条); a procedure still running at `as_of` suspends the
clock up to `as_of` and marks the clock `paused`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from .calendar import WorkCalendar
from .civil import LimitUnit
from .deadline import (
    Deadline,
    Extension,
    Handling,
    Light,
    compute_deadline,
    light_at,
    remaining_working_days,
)
from .errors import ClockError, InvalidPeriod
from .i18n import gettext_noop
from .item_limits import ItemLimit, LimitStart, limit_deadline
from .periods import SpecialProcedure, Suspension

CORRECTION_NOTICE_DAYS = 5  # 行政许可法 第32条: 补正 notice within 5 working days
DELIVERY_DAYS = 10  # 行政许可法 第44条: deliver within 10 working days of the decision
JOINT_DECISION_DAYS = 45  # 行政许可法 第42条第二款: joint handling, at most 45 working days


# --- events --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Received:
    """申请材料收到: the application materials arrived."""

    on: dt.date


@dataclass(frozen=True, slots=True)
class CorrectionNotice:
    """补正通知: the one-time notice of everything to correct (一次性告知, 第32条)."""

    on: dt.date


@dataclass(frozen=True, slots=True)
class Corrected:
    """补正材料收到: the corrected materials arrived."""

    on: dt.date


@dataclass(frozen=True, slots=True)
class Accepted:
    """受理."""

    on: dt.date


@dataclass(frozen=True, slots=True)
class SpecialProcedureStarted:
    """特别程序开始 (第45条): hearing, tendering, auction, inspection, testing, quarantine,
    appraisal or expert review."""

    on: dt.date
    kind: SpecialProcedure
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SpecialProcedureEnded:
    on: dt.date
    kind: SpecialProcedure


@dataclass(frozen=True, slots=True)
class ExtensionApproved:
    """延长办理期限 approved by `approver` (第42条)."""

    on: dt.date
    days: int
    approver: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Decided:
    """作出决定 (准予 or 不予许可)."""

    on: dt.date


@dataclass(frozen=True, slots=True)
class Delivered:
    """颁发、送达 the decision (第44条)."""

    on: dt.date


@dataclass(frozen=True, slots=True)
class StepStarted:
    """A review step (审查环节) starts with its own limit in working days."""

    on: dt.date
    step: str
    days: int


@dataclass(frozen=True, slots=True)
class StepCompleted:
    on: dt.date
    step: str


CaseEvent = (
    Received | CorrectionNotice | Corrected | Accepted | SpecialProcedureStarted
    | SpecialProcedureEnded | ExtensionApproved | Decided | Delivered | StepStarted
    | StepCompleted
)


# --- clocks --------------------------------------------------------------------------------

class ClockKind(StrEnum):
    CORRECTION = "correction"  # 补正告知时限 (第32条)
    DECISION_STATUTORY = "decision_statutory"  # 法定办结时限 (第42条)
    DECISION_PROMISED = "decision_promised"  # 承诺办结时限
    DELIVERY = "delivery"  # 送达时限 (第44条)
    STEP = "step"  # 环节时限


@dataclass(frozen=True, slots=True)
class Clock:
    kind: ClockKind
    deadline: Deadline
    stopped_on: dt.date | None = None
    paused: bool = False
    step: str = ""

    @property
    def start(self) -> dt.date:
        return self.deadline.start

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    @property
    def provisional(self) -> bool:
        """Whether the due date is provisional (暂定, law.md §1)."""
        return bool(self.deadline.provisional_years)

    @property
    def on_time(self) -> bool | None:
        """Whether the clock stopped by its due date; None while it runs."""
        return None if self.stopped_on is None else self.stopped_on <= self.deadline.due

    def _frozen(self, at: dt.date) -> dt.date:
        return at if self.stopped_on is None or at < self.stopped_on else self.stopped_on

    def remaining(self, calendar: WorkCalendar, at: dt.date) -> int:
        """Working days left at `at` (frozen at the stop day once stopped)."""
        return remaining_working_days(
            calendar, self.deadline.due, self._frozen(at), self.deadline.suspensions
        )

    def light(self, calendar: WorkCalendar, at: dt.date, *, warn_days: int = 1) -> Light:
        return light_at(calendar, self.deadline.due, self._frozen(at), warn_days=warn_days,
                        suspensions=self.deadline.suspensions)


@dataclass(frozen=True, slots=True)
class CaseClocks:
    correction: Clock | None
    statutory: Clock | None
    promised: Clock | None
    delivery: Clock | None
    steps: tuple[Clock, ...] = field(default=())
    accepted_on: dt.date | None = None
    deemed_accepted: bool = False
    # Clocks that could not be computed, each on its own (law.md §1: one clock that cannot
    # be computed never blanks the others), with the reason.
    errors: tuple[tuple[ClockKind, ClockError], ...] = field(default=())

    @property
    def provisional_years(self) -> tuple[int, ...]:
        """Every provisional year (暂定, law.md §1) any of the clocks counted through."""
        years: set[int] = set()
        for clock in (self.correction, self.statutory, self.promised, self.delivery,
                      *self.steps):
            if clock is not None:
                years.update(clock.deadline.provisional_years)
        return tuple(sorted(years))


E = TypeVar("E")
R = TypeVar("R")


def _ordered(events: Iterable[CaseEvent]) -> list[CaseEvent]:
    return sorted(events, key=lambda e: e.on)  # stable: same-day events keep their order


def _first(events: Sequence[CaseEvent], kind: type[E]) -> E | None:
    for e in events:
        if isinstance(e, kind):
            return e
    return None


def _as_of(events: Sequence[CaseEvent], as_of: dt.date | None) -> dt.date | None:
    if as_of is not None:
        return as_of
    return events[-1].on if events else None


def suspensions_from(
    events: Iterable[CaseEvent], as_of: dt.date | None = None
) -> tuple[tuple[Suspension, ...], bool]:
    """The suspensions (第45条) the special-procedure events describe, and whether one is
    still running (then it lasts up to `as_of`, by default the last event's day)."""
    ordered = _ordered(events)
    until = _as_of(ordered, as_of)
    open_: dict[SpecialProcedure, SpecialProcedureStarted] = {}
    out: list[Suspension] = []
    for e in ordered:
        if isinstance(e, SpecialProcedureStarted):
            if e.kind in open_:
                raise InvalidPeriod(
                    gettext_noop("%(day)s开始的特别程序（%(kind)s）尚未结束，不能重复开始。"),
                    day=open_[e.kind].on.isoformat(), kind=str(e.kind),
                )
            open_[e.kind] = e
        elif isinstance(e, SpecialProcedureEnded):
            started = open_.pop(e.kind, None)
            if started is None:
                raise InvalidPeriod(
                    gettext_noop("%(day)s结束的特别程序（%(kind)s）没有开始记录。"),
                    day=e.on.isoformat(), kind=str(e.kind),
                )
            out.append(Suspension(started.on, e.on, str(e.kind), started.reason))
    for started in open_.values():
        last = max(until or started.on, started.on)
        out.append(Suspension(started.on, last, str(started.kind), started.reason))
    return tuple(sorted(out)), bool(open_)


def acceptance_windows(
    events: Iterable[CaseEvent],
) -> list[tuple[dt.date, dt.date | None]]:
    """The 5-working-day windows of 行政许可法 第32条, as (start, stop): one from the day the
    materials arrive, and one again from each day the complete corrections arrive (补正材料
    收到); each stops at the next correction notice, acceptance or decision (None while it
    runs)."""
    windows: list[tuple[dt.date, dt.date | None]] = []
    start: dt.date | None = None
    for e in _ordered(events):
        if isinstance(e, Received) and start is None and not windows:
            start = e.on
        elif isinstance(e, Corrected):
            start = e.on
        elif isinstance(e, CorrectionNotice | Accepted | Decided) and start is not None:
            windows.append((start, e.on))
            start = None
    if start is not None:
        windows.append((start, None))
    return windows


def _late_window(
    windows: Sequence[tuple[dt.date, dt.date | None]], calendar: WorkCalendar,
    as_of: dt.date | None,
) -> tuple[dt.date, dt.date | None] | None:
    """The first window that ended (or, at `as_of`, is still open) after its 5th working day."""
    for start, stop in windows:
        end = stop if stop is not None else as_of
        if end is not None and end > calendar.due_date(start, CORRECTION_NOTICE_DAYS):
            return start, stop
    return None


def correction_clock(events: Iterable[CaseEvent], calendar: WorkCalendar) -> Clock | None:
    """The correction-notice clock (补正告知时限, 行政许可法 第32条): 5 working days to tell
    the applicant, in one notice, everything to correct, from the day the materials arrive;
    after corrections it runs again from the day the complete corrections arrive. It stops at
    the notice, or at acceptance or a decision if no notice is needed. A window that ran late
    stays the case's correction clock (the application then counts as accepted, 第32条)."""
    windows = acceptance_windows(events)
    if not windows:
        return None
    late = _late_window(windows, calendar, None)
    start, stop = late if late is not None else windows[-1]
    deadline = compute_deadline(calendar, start, CORRECTION_NOTICE_DAYS)
    return Clock(ClockKind.CORRECTION, deadline, stopped_on=stop)


def acceptance_date(
    events: Iterable[CaseEvent], calendar: WorkCalendar, as_of: dt.date | None = None
) -> tuple[dt.date | None, bool]:
    """The day the application counts as accepted, and whether by operation of law.

    行政许可法 第32条: if the applicant is not told within 5 working days of the materials
    arriving what to correct, the application counts as accepted from the day they arrived
    (逾期不告知的，自收到申请材料之日起即为受理). That holds for a late correction notice and
    for an acceptance (or decision) made after the 5th working day without any notice; after
    corrections the same 5 working days run again from the day the complete corrections
    arrived, and a late notice or acceptance then counts from that day. With `as_of`, a window
    still open at `as_of` past its 5th working day counts too (the application is already
    accepted by law, so it can no longer be refused). Otherwise it is the day of acceptance."""
    ordered = _ordered(events)
    late = _late_window(acceptance_windows(ordered), calendar, as_of)
    if late is not None:
        return late[0], True
    accepted = _first(ordered, Accepted)
    return (accepted.on if accepted else None), False


def materials_complete_on(events: Iterable[CaseEvent], accepted_on: dt.date) -> dt.date:
    """The day the complete materials arrived, for a limit counted from receipt (收到申请):
    the last corrections (补正材料收到) up to acceptance, else the day of receipt; never after
    `accepted_on`."""
    day: dt.date | None = None
    for e in _ordered(events):
        if e.on > accepted_on:
            break
        if (isinstance(e, Received) and day is None) or isinstance(e, Corrected):
            day = e.on
    return min(day, accepted_on) if day is not None else accepted_on


def extensions_from(events: Iterable[CaseEvent]) -> tuple[Extension, ...]:
    return tuple(Extension(e.days, e.approver, e.on, e.reason)
                 for e in _ordered(events) if isinstance(e, ExtensionApproved))


def decision_clock(
    events: Iterable[CaseEvent],
    calendar: WorkCalendar,
    *,
    days: int,
    promised: bool = False,
    handling: Handling = Handling.ORDINARY,
    as_of: dt.date | None = None,
    unit: LimitUnit | str = LimitUnit.WORKING_DAYS,
    start: LimitStart | str = LimitStart.ACCEPTANCE,
    extension_cap: int | None = None,
) -> Clock | None:
    """The decision clock (办结时限): `days` working days from acceptance (第42条; the
    acceptance day per 第32条), the special procedures' time taken out (第45条) and the
    approved extension added (第42条: once, at most 10, or 15 for joint handling). Used
    twice: against the statutory limit and against the bureau's promised limit (the
    extension applies to both). A case handled jointly (统一办理、联合办理、集中办理) has 45
    working days (第42条第二款): its statutory clock counts 45 whatever `days` says. Stops at
    the decision.

    An item whose own law sets the limit (第42条 "法律、法规另有规定的，依照其规定") passes
    its `unit` (calendar days or months: 民法典 第201–203条), its `start` (receipt: from the
    day the complete materials arrived) and its `extension_cap` (see `item_limits`); the
    clock exists once the application is accepted, whatever day it counts from."""
    ordered = _ordered(events)
    if handling is Handling.JOINT and not promised:
        days = JOINT_DECISION_DAYS
        unit, start, extension_cap = LimitUnit.WORKING_DAYS, LimitStart.ACCEPTANCE, None
    accepted_on, _deemed = acceptance_date(ordered, calendar)
    if accepted_on is None:
        return None
    suspensions, paused = suspensions_from(ordered, as_of)
    decided = _first(ordered, Decided)
    limit = ItemLimit(days, LimitUnit(unit), LimitStart(start), extension_cap)
    if limit.is_default_kind:
        deadline = compute_deadline(
            calendar, accepted_on, days, suspensions=suspensions,
            extensions=extensions_from(ordered), handling=handling,
        )
    else:
        begin = (materials_complete_on(ordered, accepted_on)
                 if limit.start is LimitStart.RECEIPT else accepted_on)
        deadline = limit_deadline(calendar, begin, limit, suspensions=suspensions,
                                  extensions=extensions_from(ordered), handling=handling)
    kind = ClockKind.DECISION_PROMISED if promised else ClockKind.DECISION_STATUTORY
    return Clock(kind, deadline, stopped_on=decided.on if decided else None,
                 paused=paused and decided is None)


def delivery_clock(events: Iterable[CaseEvent], calendar: WorkCalendar) -> Clock | None:
    """The delivery clock (送达时限, 行政许可法 第44条): 10 working days from the decision to
    issue and deliver the licence. Stops at delivery."""
    ordered = _ordered(events)
    decided = _first(ordered, Decided)
    if decided is None:
        return None
    delivered = _first(ordered, Delivered)
    deadline = compute_deadline(calendar, decided.on, DELIVERY_DAYS)
    return Clock(ClockKind.DELIVERY, deadline, stopped_on=delivered.on if delivered else None)


def step_clocks(
    events: Iterable[CaseEvent], calendar: WorkCalendar, *, as_of: dt.date | None = None,
    errors: list[tuple[ClockKind, ClockError]] | None = None,
) -> tuple[Clock, ...]:
    """One clock per review step started (a step started again, e.g. after a return, gets a
    new clock), each with the step's own limit and the case's suspensions (第45条)."""
    ordered = _ordered(events)
    suspensions, paused = suspensions_from(ordered, as_of)
    clocks: list[Clock] = []
    for i, e in enumerate(ordered):
        if not isinstance(e, StepStarted):
            continue
        done = None
        for later in ordered[i + 1:]:
            if isinstance(later, StepStarted) and later.step == e.step:
                break  # started again before completing: this clock never stopped
            if isinstance(later, StepCompleted) and later.step == e.step:
                done = later.on
                break
        try:
            deadline = compute_deadline(calendar, e.on, e.days, suspensions=suspensions)
        except ClockError as err:
            if errors is None:
                raise
            errors.append((ClockKind.STEP, err))  # this step only; the others still count
            continue
        clocks.append(Clock(ClockKind.STEP, deadline, stopped_on=done,
                            paused=paused and done is None, step=e.step))
    return tuple(clocks)


def case_clocks(
    events: Iterable[CaseEvent],
    calendar: WorkCalendar,
    *,
    statutory_days: int,
    promised_days: int | None = None,
    handling: Handling = Handling.ORDINARY,
    as_of: dt.date | None = None,
    statutory_unit: LimitUnit | str = LimitUnit.WORKING_DAYS,
    statutory_start: LimitStart | str = LimitStart.ACCEPTANCE,
    extension_cap: int | None = None,
) -> CaseClocks:
    """Every clock of a case from its events. Each clock is computed on its own: one that
    cannot be computed (e.g. a year outside the calendar) is left out and its error listed
    in `errors`, and never blanks the others (law.md §1).

    The statutory limit is counted in `statutory_unit` from `statutory_start` (the item's
    own law, see `decision_clock`); the promised limit is the bureau's, in working days from
    acceptance; the item's `extension_cap` bounds the extension of both."""
    ordered = _ordered(events)
    errors: list[tuple[ClockKind, ClockError]] = []

    def guard(kind: ClockKind, compute: Callable[[], R], default: R) -> R:
        try:
            return compute()
        except ClockError as err:
            errors.append((kind, err))
            return default

    not_known: tuple[dt.date | None, bool] = (None, False)
    accepted_on, deemed = guard(ClockKind.DECISION_STATUTORY,
                                lambda: acceptance_date(ordered, calendar), not_known)
    if accepted_on is None:  # the acceptance itself is a fact, whatever the calendar says
        accepted = _first(ordered, Accepted)
        accepted_on = accepted.on if accepted else None
    return CaseClocks(
        correction=guard(ClockKind.CORRECTION, lambda: correction_clock(ordered, calendar),
                         None),
        statutory=guard(ClockKind.DECISION_STATUTORY, lambda: decision_clock(
            ordered, calendar, days=statutory_days, handling=handling, as_of=as_of,
            unit=statutory_unit, start=statutory_start, extension_cap=extension_cap), None),
        promised=(guard(ClockKind.DECISION_PROMISED, lambda: decision_clock(
            ordered, calendar, days=promised_days, promised=True, handling=handling,
            as_of=as_of, extension_cap=extension_cap), None) if promised_days else None),
        delivery=guard(ClockKind.DELIVERY, lambda: delivery_clock(ordered, calendar), None),
        steps=step_clocks(ordered, calendar, as_of=as_of, errors=errors),
        accepted_on=accepted_on,
        deemed_accepted=deemed,
        errors=tuple(errors),
    )
