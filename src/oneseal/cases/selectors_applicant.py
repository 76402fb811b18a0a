"""Reads of the applicant's side (我的办件): the cases of the person behind an account and of
every organisation it operates for (`permissions.visible_cases_own`), whatever the channel
(window, online, helper); staff do not see the whole register through these pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .errors import CaseNotFound
from .models import Case, CaseEvent
from .permissions import visible_cases_own

#: the history entries an applicant is shown (the internal steps — claims, checks — are not)
APPLICANT_EVENTS = frozenset({
    "submit", "correction_notice", "corrections", "spot_correction", "accept", "refuse",
    "special_start", "special_end", "extension_approve", "extension_government",
    "hearing_notice", "decide", "decide_on_spot", "seal", "deliver", "withdraw", "terminate",
    "reopen", "clocks_recomputed",
})


def my_cases(user: Any, q: str = "") -> QuerySet[Case]:
    """The account's own cases, newest first; `q` narrows to numbers containing it."""
    qs = visible_cases_own(user)
    q = (q or "").strip().upper()
    if q:
        qs = qs.filter(number__contains=q)
    return (qs.select_related("item", "person", "organisation")
            .order_by("-received_at", "-id"))


def access_my_case(*, user: Any, case_id: int) -> Case:
    """Case `case_id` when it is the account's own (or its organisations'); else
    `CaseNotFound` — the same answer for another applicant's case and a missing one."""
    case = (visible_cases_own(user).filter(pk=case_id)
            .select_related("version", "variant", "item", "department", "person",
                            "organisation", "agent").first())
    if case is None:
        raise CaseNotFound()
    return case


def applicant_timeline(case: Case) -> list[CaseEvent]:
    """The case's history as its applicant sees it, oldest first."""
    return list(case.events.filter(kind__in=APPLICANT_EVENTS).order_by("seq"))
