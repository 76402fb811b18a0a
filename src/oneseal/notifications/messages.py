"""What each case event tells the applicant (the notification's kind, title and text), or
None when the event is internal (a step claimed, a material checked...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from oneseal.cases.services.clock_sync import DUE_LABELS, TOLD_FIELDS

from .models import Kind

CLOSING_OPS = {"withdraw", "terminate"}
EXTENSION_OPS = {"extension_approve", "extension_government"}
DECISION_OPS = {"decide", "decide_on_spot"}


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    text: str


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else "—"


def _kind(event: Any) -> str | None:
    op, data = event.kind, event.data or {}
    if op == "submit":
        return Kind.RECEIVED
    if op == "correction_notice":
        return Kind.CORRECTION
    if op == "accept":
        return Kind.ACCEPTED
    if op == "refuse":
        return Kind.NOT_ACCEPTED
    if op == "special_start":
        return Kind.SPECIAL
    if op in EXTENSION_OPS and data.get("approved"):
        return Kind.EXTENDED
    if op in DECISION_OPS:
        return Kind.DECIDED
    if op == "seal" and event.state_to == "ready":
        return Kind.READY
    if op == "deliver":
        return Kind.DELIVERED
    if op in CLOSING_OPS:
        return Kind.CLOSED
    if op == "clocks_recomputed" and data.get("applicant_told"):
        return Kind.DATE_MOVED
    return None


def _provisional(case: Any, field: str) -> str:
    return _("（暂定）") if (case.provisional_dues or {}).get(field) else ""


def _text(kind: str, case: Any, event: Any) -> str:
    data = event.data or {}
    promised = _day(case.promised_due) + _provisional(case, "promised_due")
    if kind == Kind.RECEIVED:
        return _("您的申请材料已收到，我局将在5个工作日内决定是否受理"
                 "（《行政许可法》第三十二条）。")
    if kind == Kind.CORRECTION:
        names = "、".join(str(d.get("name", "")) for d in data.get("defects", []))
        return _("申请材料需要补正：%(names)s。请按补正告知书一次性补齐。") % {"names": names}
    if kind == Kind.ACCEPTED:
        return _("您的申请已受理，承诺办结期限为%(due)s。") % {"due": promised}
    if kind == Kind.NOT_ACCEPTED:
        return _("您的申请不予受理，理由：%(reason)s。") % {"reason": event.reason}
    if kind == Kind.SPECIAL:
        return _("办件进入特别程序，预计需要%(days)s个工作日，所需时间不计入办理期限"
                 "（《行政许可法》第四十五条）。") % {"days": data.get("expected_days", "—")}
    if kind == Kind.EXTENDED:
        return _("办理期限延长%(days)s个工作日（《行政许可法》第四十二条），法定办结期限为"
                 "%(due)s。") % {"days": data.get("days", "—"),
                                "due": _day(case.statutory_due)
                                + _provisional(case, "statutory_due")}
    if kind == Kind.DECIDED:
        outcome = _("准予许可") if case.outcome == "granted" else _("不予许可")
        return _("我局已作出%(outcome)s的决定，决定书签章后即可领取或下载。") % {
            "outcome": outcome}
    if kind == Kind.READY:
        return _("决定文书已签章，可以领取或在“我的办件”中下载。")
    if kind == Kind.DELIVERED:
        return _("决定文书已送达。")
    if kind == Kind.CLOSED:
        return _("办件已终结：%(reason)s。") % {"reason": event.reason}
    changes = data.get("changes", {})
    parts = [f"{_(DUE_LABELS[f])} {_day_text(c.get('before'))} → {_day_text(c.get('after'))}"
             + (_("（暂定）") if c.get("provisional") else "")
             for f, c in changes.items() if f in TOLD_FIELDS]
    return _("因工作日历变更，办理期限调整为：%(dates)s。") % {"dates": "；".join(parts)}


def _day_text(value: Any) -> str:
    return str(value) if value else "—"


def message_for(case: Any, event: Any) -> Message | None:
    kind = _kind(event)
    if kind is None:
        return None
    title = _("您的办件%(number)s（%(item)s）：%(what)s") % {
        "number": case.number, "item": case.item_name, "what": Kind(kind).label}
    return Message(kind=str(kind), title=title[:100], text=_text(kind, case, event))
