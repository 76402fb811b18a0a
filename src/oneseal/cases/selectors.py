"""Reads of cases (办件查询): lists paged by keyset so they stay fast with a million cases,
the task lists of the back office, the delivery queue, and the public progress query.

Keyset pagination: lists are ordered by id descending (newest first); the cursor is the
last id shown, and the next page is `id < cursor`. Every list is one indexed range scan,
whatever the page number (no OFFSET).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.catalog.selectors import legal_body

from .clocks import case_light
from .domain.states import ACTIVE_STATES, CaseState
from .due import DueWindow, filter_due
from .errors import state_label
from .models import (
    Case,
    CaseEvent,
    CaseStep,
    Channel,
    ExtensionRequest,
    ExtensionStatus,
    StepState,
)
from .permissions import reads_all_cases, visible_cases

MAX_LIMIT = 100


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    item_id: int | None = None
    q: str = ""
    department_id: int | None = None
    overdue: bool = False
    #: "open": every case still running; "soon" / "overdue": its promised due date is
    #: 即将超期 / 已超期 (`due.py`); "" : no deadline filter
    due: str = ""
    extension_pending: bool = False  # 待批准的延期申请 (第42条)


#: The total of a list is counted up to this many rows ("10000 件以上"): a bounded count.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None
    total: int | None = None  # counted up to COUNT_CAP + 1 when the caller asked for it

    @property
    def total_capped(self) -> bool:
        return self.total is not None and self.total > COUNT_CAP


def _cursor(value: str | None) -> int | None:
    if not value:
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def count_capped(qs: QuerySet[Any]) -> int:
    """How many rows `qs` has, counted up to COUNT_CAP + 1 (a bounded scan)."""
    return qs.order_by().values("pk")[: COUNT_CAP + 1].count()


def _page(qs: QuerySet[Any], cursor: str | None, limit: int, *, count: bool = False) -> Page:
    """One keyset page. The ids are found first (an index-only walk down the id order),
    then their rows are read; so joins and wide rows never meet the whole filtered set.
    `count`: also the total of the filtered list (whatever the cursor), bounded."""
    limit = max(1, min(int(limit or 50), MAX_LIMIT))
    total = count_capped(qs) if count else None
    after = _cursor(cursor)
    if after is not None:
        qs = qs.filter(pk__lt=after)
    ids = list(qs.order_by("-pk").values_list("pk", flat=True)[: limit + 1])
    more = len(ids) > limit
    ids = ids[:limit]
    by_id = qs.model._default_manager.filter(pk__in=ids)
    if qs.query.select_related:
        by_id = by_id.select_related(*_related(qs))
    if qs.query.deferred_loading[0] and not qs.query.deferred_loading[1]:
        by_id = by_id.only(*qs.query.deferred_loading[0])
    found = {row.pk: row for row in by_id}
    rows = [found[i] for i in ids if i in found]
    return Page(rows, str(ids[-1]) if more and ids else None, total)


def _related(qs: QuerySet[Any]) -> list[str]:
    sr = qs.query.select_related
    return list(sr) if isinstance(sr, dict) else []


_NUMBER_LIKE = re.compile(r"^[0-9A-Za-z]+$")


def case_list(user: Any, filters: CaseFilters | None = None, *, cursor: str | None = None,
              limit: int = 50, today: dt.date | None = None, window: DueWindow | None = None,
              count: bool = False) -> Page:
    """The cases `user` may see, newest first, filtered; one keyset page."""
    return _page(case_query(user, filters, today=today, window=window), cursor, limit,
                 count=count)


def case_query(user: Any, filters: CaseFilters | None = None, *, today: dt.date | None = None,
               window: DueWindow | None = None) -> QuerySet[Case]:
    """The filtered cases of `case_list`, unpaged (also counted by the workbench home)."""
    f = filters or CaseFilters()
    qs = visible_cases(user)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.item_id:
        qs = qs.filter(item_id=f.item_id)
    if f.department_id:
        qs = qs.filter(department_id=f.department_id)
    q = (f.q or "").strip()
    if q:
        qs = _search(qs, q)
    if f.overdue:
        day = today or timezone.localdate()
        qs = qs.filter(state__in=[s.value for s in ACTIVE_STATES], promised_due__lt=day)
    if f.extension_pending:
        pending = (ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING)
                   .values("case_id"))
        qs = qs.filter(pk__in=pending)
    if f.due in ("open", "soon", "overdue"):
        qs = qs.filter(state__in=[s.value for s in ACTIVE_STATES])
        if f.due != "open" and window is not None:
            qs = filter_due(qs, "promised_due", f.due, window)
    return qs.only("id", "number", "item_name", "variant_name", "applicant_name", "state",
                 "received_on", "accepted_on", "promised_due", "delivery_due",
                 "correction_due", "clock_paused", "clock_error", "on_the_spot",
                 "department_id", "decided_on", "outcome", "provisional_dues",
                 "statutory_due", "deemed_accepted", "channel", "received_at")


def _search(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """办件编号 or 申请人: a whole case number is looked up exactly (unique index); a part of
    one (e.g. its last digits) matches every number containing it; anything else is the start
    of the applicant's name (an index range)."""
    if not _NUMBER_LIKE.match(q):
        return qs.filter(applicant_name__gte=q, applicant_name__lt=q + "\uffff")
    number = q.upper()
    exact = qs.filter(number=number)
    if exact.exists():
        return exact
    # a part of a number: the keyset page stops at its first rows; the case-number index
    # cannot serve a suffix, so a rare part scans the number column once (see the report)
    return qs.filter(number__contains=number)


def task_list(user: Any, *, mine: bool, cursor: str | None = None, limit: int = 50,
              item_id: int | None = None, due: str = "", window: DueWindow | None = None,
              count: bool = False) -> Page:
    """Review steps: `mine` = steps claimed by `user`; otherwise open steps of the roles
    `user` holds. A department officer, or a department's clerk stationed at the hall
    (进驻窗口), sees only the steps of his department's cases. `due`: only the steps whose
    own due date is 即将超期 / 已超期 (`due.py`)."""
    qs = task_query(user, mine=mine, item_id=item_id)
    if window is not None:
        qs = filter_due(qs, "due_on", due, window)
    return _page(qs.select_related("case", "assignee"), cursor, limit, count=count)


def task_query(user: Any, *, mine: bool, item_id: int | None = None) -> QuerySet[CaseStep]:
    """The steps of `task_list`, unpaged (also counted by the workbench home)."""
    qs = CaseStep.objects.all()
    if mine:
        qs = qs.filter(assignee=user, state=StepState.CLAIMED)
    else:
        roles = sorted(user.role_codes)
        unit = getattr(user, "unit", None)
        body = legal_body(unit).pk if unit is not None else None
        q = Q(pk__in=[])
        if reads_all_cases(user):
            bureau_roles = [r for r in roles if r != "dept_officer"]
            if bureau_roles:
                q |= Q(role__in=bureau_roles)
            if "dept_officer" in roles and body is not None:
                q |= Q(role="dept_officer", department_id=body)
        elif body is not None and roles:
            q |= Q(role__in=roles, department_id=body)
        qs = qs.filter(q, state=StepState.OPEN)
    if item_id:
        qs = qs.filter(case__item_id=item_id)
    return qs


def delivery_queue(user: Any, *, cursor: str | None = None, limit: int = 50,
                   point_id: int | None = None, due: str = "",
                   window: DueWindow | None = None, count: bool = False) -> Page:
    """Decided and sealed cases waiting to be delivered at the unified window (统一窗口出件,
    第44条). A decided case whose documents are not yet signed is not listed: it is not
    deliverable until the bureau's seal is on them (see `domain/states.py`). `point_id`:
    only the cases received at that street or community service point (便民服务中心/站)."""
    qs = delivery_query(user)
    if point_id is not None:
        qs = qs.filter(service_point_id=point_id)
    if window is not None:
        qs = filter_due(qs, "delivery_due", due, window)
    return _page(qs.select_related("decided_by", "service_point"), cursor, limit, count=count)


def delivery_query(user: Any) -> QuerySet[Case]:
    """The cases of `delivery_queue`: decided, sealed, not yet delivered (第44条)."""
    return visible_cases(user).filter(state=CaseState.READY)


def online_queue(user: Any, *, cursor: str | None = None, limit: int = 50, due: str = "",
                 window: DueWindow | None = None, count: bool = False) -> Page:
    """网上预审: applications received online and waiting for the clerk's decision to accept,
    ask for corrections in one notice, or not accept — within 5 working days of the online
    receipt (行政许可法 第32条; the case's `correction_due`). Corrections handed in online
    bring a case back here."""
    qs = online_query(user)
    if window is not None:
        qs = filter_due(qs, "correction_due", due, window)
    return _page(qs, cursor, limit, count=count)


def online_query(user: Any) -> QuerySet[Case]:
    """The cases of `online_queue`: received online, not yet accepted (第32条)."""
    return visible_cases(user).filter(channel=Channel.ONLINE, state=CaseState.RECEIVED)


def window_queue(user: Any, *, cursor: str | None = None, limit: int = 50, due: str = "",
                 q: str = "", window: DueWindow | None = None, count: bool = False) -> Page:
    """待受理: applications received at a window (the hall or a service point) and waiting
    for the decision on acceptance — within 5 working days of receipt the clerk accepts,
    asks for corrections in one notice, or refuses (行政许可法 第32条; `correction_due`)."""
    qs = window_query(user)
    if q.strip():
        qs = _search(qs, q.strip())
    if window is not None:
        qs = filter_due(qs, "correction_due", due, window)
    return _page(qs.select_related("created_by"), cursor, limit, count=count)


def window_query(user: Any) -> QuerySet[Case]:
    """The cases of `window_queue`: received, not online, not yet accepted (第32条)."""
    return (visible_cases(user).filter(state=CaseState.RECEIVED)
            .exclude(channel=Channel.ONLINE))


def current_handlers(case_ids: list[int]) -> dict[int, str]:
    """Who handles each case now (办理人): the holder of its claimed step, or 待认领 with the
    step's name when nobody has claimed it. One query for a page of cases."""
    rows = (CaseStep.objects.filter(case_id__in=case_ids,
                                    state__in=[StepState.OPEN, StepState.CLAIMED])
            .select_related("assignee").order_by("case_id", "order", "round"))
    found: dict[int, str] = {}
    for step in rows:
        if step.case_id in found:
            continue
        if step.assignee is not None:
            found[step.case_id] = f"{step.assignee}（{step.name}）"
        else:
            found[step.case_id] = _("待认领（%(step)s）") % {"step": step.name}
    return found


def case_history(case: Case) -> list[CaseEvent]:
    return list(case.events.order_by("seq").select_related("actor"))


def progress_lookup(number: str, query_code: str) -> dict[str, Any] | None:
    """The public progress of a case (办件进度查询) by its number and query code: the stage,
    the dates and the promised due date, and nothing personal. None when either is wrong
    (the same answer, so a number's existence does not leak)."""
    number = (number or "").strip().upper()
    code = (query_code or "").strip().upper()
    if not number or not code or len(number) > 40 or len(code) > 12:
        return None
    case = (Case.objects.filter(number=number)
            .only("id", "number", "query_code", "item_name", "variant_name", "state",
                  "received_on", "accepted_on", "decided_on", "delivered_on", "closed_on",
                  "promised_due", "statutory_due", "delivery_due", "clock_paused",
                  "clock_error", "outcome", "correction_due", "provisional_dues").first())
    if case is None or not hmac.compare_digest(case.query_code.upper(), code):
        return None
    return {
        "number": case.number, "item_name": case.item_name, "variant_name": case.variant_name,
        "state": case.state, "state_label": state_label(case.state),
        "received_on": case.received_on, "accepted_on": case.accepted_on,
        "decided_on": case.decided_on, "delivered_on": case.delivered_on,
        "closed_on": case.closed_on, "promised_due": case.promised_due,
        "delivery_due": case.delivery_due, "paused": case.clock_paused,
        "outcome": case.outcome, "light": case_light(case), "clock_error": case.clock_error,
        "provisional_dues": case.provisional_dues or {},
    }
