"""Shared pieces of the coordination services (h16b's part): the refusal, who acts for which
department, the working calendar and the moment of an operation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oneseal.accounts.roles import Role
from oneseal.catalog.selectors import legal_body
from oneseal.core.errors import ServiceError
from oneseal.core.workcalendar.selectors import get_work_calendar

BUREAU_ROLES = (Role.CHIEF, Role.HEAD)
BUREAU_READERS = (Role.CHIEF, Role.HEAD, Role.SUPERVISOR)


class Refused(ServiceError):
    """A coordination operation refused: `message` in Chinese, `code`, HTTP `status`."""

    code = "refused"
    status = 400


class Forbidden(Refused):
    code = "forbidden"
    status = 403


class NotFound(Refused):
    code = "not_found"
    status = 404


def moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    now = at or timezone.now()
    return now, timezone.localdate(now)


def calendar() -> Any:
    return get_work_calendar()


def is_provisional(day: dt.date) -> bool:
    try:
        return bool(calendar().is_provisional(day.year))
    except Exception:
        return True


def department_id_of(user: Any) -> int | None:
    """The legal body a department officer acts for (None for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.DEPT_OFFICER):
        return None
    unit = getattr(user, "unit", None)
    return None if unit is None else legal_body(unit).pk


def is_bureau(user: Any, roles: tuple[str, ...] = BUREAU_ROLES) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.has_role(*roles):
        return False
    unit = getattr(user, "unit", None)
    return unit is None or legal_body(unit).kind == "bureau"


def actor_name(user: Any) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or getattr(user, "username", "")
