"""The explanation of a deadline (期限说明): what happened between the start and the due date,
as structured data and as a Chinese sentence a clerk can read to an applicant.

The sentence is built from Chinese msgids through a `Translate` function (identity by
default; the web layer passes Django's `gettext`), so this module stays free of Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .calendar import NonWorkingRun, WorkCalendar
from .deadline import Deadline, Extension
from .i18n import Translate, gettext_noop, identity
from .periods import (
    GENERIC_ACTION,
    PROCEDURE_ACTIONS,
    PROCEDURE_LABELS,
    Suspension,
    merge_suspensions,
)


@dataclass(frozen=True, slots=True)
class SuspensionApplied:
    """A suspension (第45条) as it acted on this deadline: clipped to after the start, with
    the working days it took out of the count."""

    first: dt.date
    last: dt.date
    kind: str
    reason: str
    excluded_working_days: int


@dataclass(frozen=True, slots=True)
class Explanation:
    start: dt.date
    days: int
    due: dt.date
    calendar_version: str
    nonworking: tuple[NonWorkingRun, ...]
    makeup_days: tuple[dt.date, ...]
    suspensions: tuple[SuspensionApplied, ...]
    extensions: tuple[Extension, ...]
    notes: tuple[str, ...] = field(default=())
    provisional_years: tuple[int, ...] = ()
    unit: str = "working_days"  # see `Deadline.unit`

    @property
    def holidays(self) -> tuple[NonWorkingRun, ...]:
        return tuple(r for r in self.nonworking if r.holiday)

    @property
    def total_days(self) -> int:
        return self.days + sum(e.days for e in self.extensions)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings."""
        return {
            "start": self.start.isoformat(),
            "days": self.days,
            "extension_days": self.total_days - self.days,
            "total_days": self.total_days,
            "due": self.due.isoformat(),
            "calendar_version": self.calendar_version,
            "provisional_years": list(self.provisional_years),
            "unit": self.unit,
            "holidays": [
                {"first": r.first.isoformat(), "last": r.last.isoformat(), "names": list(r.names)}
                for r in self.nonworking if r.holiday
            ],
            "weekends": [
                {"first": r.first.isoformat(), "last": r.last.isoformat()}
                for r in self.nonworking if not r.holiday
            ],
            "makeup_workdays": [d.isoformat() for d in self.makeup_days],
            "suspensions": [
                {"first": s.first.isoformat(), "last": s.last.isoformat(), "kind": s.kind,
                 "reason": s.reason, "excluded_working_days": s.excluded_working_days}
                for s in self.suspensions
            ],
            "extensions": [
                {"days": e.days, "approved_by": e.approved_by,
                 "approved_on": e.approved_on.isoformat() if e.approved_on else None,
                 "reason": e.reason}
                for e in self.extensions
            ],
        }


def explain(calendar: WorkCalendar, deadline: Deadline) -> Explanation:
    """Everything that happened on the way from `deadline.start` to `deadline.due`: each run
    of non-working days skipped (法定节假日 and weekends, 第82条), each make-up working day
    counted (调休), each suspension (第45条) and each extension (第42条)."""
    start, due = deadline.start, deadline.due
    if deadline.unit != "working_days":
        return _explain_civil(deadline)
    runs = tuple(calendar.nonworking_runs(start, due))
    applied: list[SuspensionApplied] = []
    suspended: list[tuple[int, int]] = []
    for s in sorted(deadline.suspensions):
        clipped = merge_suspensions([s], start.toordinal())
        if not clipped or clipped[0][0] > due.toordinal():
            continue
        a, b = clipped[0]
        first, last = dt.date.fromordinal(a), dt.date.fromordinal(b)
        # Working days this suspension took out, not already taken out by an earlier one.
        before = calendar.counted_working_days(start, due, [_s(r) for r in suspended])
        suspended.append((a, b))
        after = calendar.counted_working_days(start, due, [_s(r) for r in suspended])
        applied.append(SuspensionApplied(first, last, s.kind, s.reason, before - after))
    merged = merge_suspensions(list(deadline.suspensions), start.toordinal())
    makeup = tuple(
        d for d in calendar.makeup_days(start, due)
        if not any(a <= d.toordinal() <= b for a, b in merged)
    )
    return Explanation(
        start, deadline.days, due, deadline.calendar_version, runs, makeup, tuple(applied),
        deadline.extensions, provisional_years=deadline.provisional_years,
    )


def _explain_civil(deadline: Deadline) -> Explanation:
    """A limit in calendar days or months (an item's own law; 民法典 第201–203条): rest days
    count inside the period, so none is listed; each suspension (第45条) is listed with the
    calendar days it added."""
    start, due = deadline.start, deadline.due
    applied = []
    for s in sorted(deadline.suspensions):
        clipped = merge_suspensions([s], start.toordinal())
        if not clipped or clipped[0][0] > due.toordinal():
            continue
        a, b = clipped[0]
        applied.append(SuspensionApplied(dt.date.fromordinal(a), dt.date.fromordinal(b),
                                         s.kind, s.reason, b - a + 1))
    return Explanation(start, deadline.days, due, deadline.calendar_version, (), (),
                       tuple(applied), deadline.extensions,
                       provisional_years=deadline.provisional_years, unit=deadline.unit)


def _s(r: tuple[int, int]) -> Suspension:
    return Suspension(dt.date.fromordinal(r[0]), dt.date.fromordinal(r[1]))


# --- the sentence ---------------------------------------------------------------------------

def format_date(day: dt.date, translate: Translate = identity) -> str:
    return translate(gettext_noop("%(year)d年%(month)d月%(day)d日")) % {
        "year": day.year, "month": day.month, "day": day.day}


def format_range(first: dt.date, last: dt.date, translate: Translate = identity) -> str:
    """"2026年10月1日至10月7日"; the year is repeated only when it changes."""
    if first == last:
        return format_date(first, translate)
    if first.year == last.year:
        tail = translate(gettext_noop("%(month)d月%(day)d日")) % {
            "month": last.month, "day": last.day}
    else:
        tail = format_date(last, translate)
    return translate(gettext_noop("%(first)s至%(last)s")) % {
        "first": format_date(first, translate), "last": tail}


def format_explanation(explanation: Explanation, translate: Translate = identity) -> str:
    """One Chinese sentence for the applicant, e.g. "自2026年9月28日的次日起计算20个工作日；
    2026年10月1日至10月7日为法定节假日（国庆节），不计算在内；……；办理期限至2026年11月6日。"
    """
    t = translate
    if explanation.unit == "days":
        first = t(gettext_noop("自%(start)s的次日起计算%(days)d日（《民法典》第201条）"))
    elif explanation.unit == "months":
        first = t(gettext_noop("自%(start)s起计算%(days)d个月，到期月的对应日为期间的最后一日"
                               "（《民法典》第202条）"))
    else:
        first = t(gettext_noop("自%(start)s的次日起计算%(days)d个工作日"))
    parts = [first % {"start": format_date(explanation.start, t), "days": explanation.days}]
    items: list[tuple[dt.date, str]] = []
    for run in explanation.holidays:
        rng = format_range(run.first, run.last, t)
        if run.names:
            names = t(gettext_noop("、")).join(t(n) for n in run.names)
            text = t(gettext_noop("%(range)s为法定节假日（%(names)s），不计算在内")) % {
                "range": rng, "names": names}
        else:
            text = t(gettext_noop("%(range)s为法定节假日，不计算在内")) % {"range": rng}
        items.append((run.first, text))
    for day in explanation.makeup_days:
        items.append((day, t(gettext_noop("%(day)s为调休工作日，计算在内")) % {
            "day": format_date(day, t)}))
    for s in explanation.suspensions:
        action = t(PROCEDURE_ACTIONS.get(s.kind, GENERIC_ACTION))
        items.append((s.first, t(gettext_noop(
            "%(range)s%(action)s，依法不计算在期限内（《行政许可法》第45条）")) % {
            "range": format_range(s.first, s.last, t), "action": action}))
    items.sort(key=lambda item: item[0])
    parts += [text for _, text in items]
    for e in explanation.extensions:
        if explanation.unit == "working_days":
            text = t(gettext_noop("经批准延长%(days)d个工作日（《行政许可法》第42条）"))
        else:
            text = t(gettext_noop("经批准延长%(days)d日"))
        parts.append(text % {"days": e.days})
    if explanation.unit != "working_days":
        parts.append(t(gettext_noop(
            "期间最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日"
            "（《民法典》第203条）")))
    parts.append(t(gettext_noop("办理期限至%(due)s")) % {"due": format_date(explanation.due, t)})
    if explanation.provisional_years:
        parts.append(t(gettext_noop(
            "%(years)s年的放假调休安排尚未公布，以上按《全国年节及纪念日放假办法》规定的法定节假日"
            "暂定计算（不含调休），以国务院办公厅公布的%(years)s年节假日安排为准")) % {
            "years": t(gettext_noop("、")).join(str(y) for y in explanation.provisional_years)})
    return t(gettext_noop("；")).join(parts) + t(gettext_noop("。"))


def procedure_label(kind: str, translate: Translate = identity) -> str:
    return translate(PROCEDURE_LABELS.get(kind, gettext_noop("中止")))
