"""How a recomputation after a calendar change is told to the person who entered the year:
one line per due date that moved (which case, whose, which date, old → new)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .services import MovedDate


def _day(value: object, provisional: bool) -> str:
    if value is None:
        return "—"
    text = str(value)
    return _("%(day)s（暂定）") % {"day": text} if provisional else text


def moved_line(m: MovedDate) -> str:
    line = _("%(number)s（%(who)s）%(what)s：%(before)s → %(after)s") % {
        "number": m.case_number, "who": m.applicant, "what": m.what,
        "before": _day(m.before, m.was_provisional), "after": _day(m.after, m.provisional)}
    if m.applicant_told:
        line += _("，已告知申请人")
    return line


def moved_lines(moved: Iterable[MovedDate]) -> list[str]:
    return [moved_line(m) for m in moved]
