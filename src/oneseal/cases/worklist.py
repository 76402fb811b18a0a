"""The counts on a staff member's workbench home (我的待办): for each list his roles work
from, how many rows wait (待办), how many are 即将超期 and how many 已超期, each a link to the
list filtered that way.

Every count is a filter on a stored, indexed due date (`due.py`), never a clock replayed:

- 待受理 and 网上预审 (clerk): the five-working-day point of 行政许可法 第32条
  (`correction_due`);
- 待送达 (clerk): the ten working days of 第44条 (`delivery_due`);
- 我的任务 / 待认领 (reviewer, chief, head, department officer): the step's own due date;
- 待批准延期 (head): the cases whose extension request (第42条) waits, by their promised due;
- 在办办件 (supervisor, department officer): every running case the person may see, by its
  promised due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.roles import Role

from . import selectors
from .due import DueWindow, calendar_or_none, due_window, filter_due


@dataclass(frozen=True)
class Worklist:
    """One line of the home: a list, its three counts and their links."""

    key: str
    label: str
    total: int
    soon: int
    overdue: int
    href: str
    soon_href: str
    overdue_href: str


@dataclass(frozen=True)
class _Source:
    key: str
    label: Any
    roles: frozenset[str]
    url: str
    query: dict[str, str]
    rows: Callable[[Any], QuerySet[Any]]
    due_field: str


def _open_cases(user: Any) -> QuerySet[Any]:
    return selectors.case_query(user, selectors.CaseFilters(due="open"))


def _pending_extensions(user: Any) -> QuerySet[Any]:
    return selectors.case_query(user, selectors.CaseFilters(due="open", extension_pending=True))


STEP_ROLES = frozenset({Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.DEPT_OFFICER})

SOURCES: tuple[_Source, ...] = (
    _Source("waiting", _("待受理"), frozenset({Role.CLERK}), "cases:waiting", {},
            selectors.window_query, "correction_due"),
    _Source("online", _("网上预审"), frozenset({Role.CLERK}), "cases:online_queue", {},
            selectors.online_query, "correction_due"),
    _Source("delivery", _("待送达"), frozenset({Role.CLERK}), "cases:delivery", {},
            selectors.delivery_query, "delivery_due"),
    _Source("mine", _("我的任务"), STEP_ROLES, "cases:tasks", {"tab": "mine"},
            lambda user: selectors.task_query(user, mine=True), "due_on"),
    _Source("open", _("待认领"), STEP_ROLES, "cases:tasks", {"tab": "open"},
            lambda user: selectors.task_query(user, mine=False), "due_on"),
    _Source("extensions", _("待批准延期"), frozenset({Role.HEAD}), "cases:list",
            {"extension": "pending"}, _pending_extensions, "promised_due"),
    _Source("running", _("在办办件"), frozenset({Role.SUPERVISOR, Role.DEPT_OFFICER}),
            "cases:list", {}, _open_cases, "promised_due"),
)


def _href(url: str, query: dict[str, str], due: str) -> str:
    params = dict(query)
    if url == "cases:list" or due:
        params["due"] = due or "open"
    return reverse(url) + (f"?{urlencode(params)}" if params else "")


def worklists(user: Any, *, today: dt.date | None = None,
              window: DueWindow | None = None) -> list[Worklist]:
    """The home's counts for `user`: one line per list one of his roles works from."""
    if not getattr(user, "is_authenticated", False):
        return []
    if window is None:
        window = due_window(today or timezone.localdate(), calendar_or_none())
    out: list[Worklist] = []
    for source in SOURCES:
        if not source.roles & user.role_codes:
            continue
        rows = source.rows(user)
        out.append(Worklist(
            key=source.key, label=str(source.label),
            total=selectors.count_capped(rows),
            soon=selectors.count_capped(filter_due(rows, source.due_field, "soon", window)),
            overdue=selectors.count_capped(
                filter_due(rows, source.due_field, "overdue", window)),
            href=_href(source.url, source.query, ""),
            soon_href=_href(source.url, source.query, "soon"),
            overdue_href=_href(source.url, source.query, "overdue")))
    return out
