"""Who may administer the calendar: a system administrator whose session passed the second
factor (django-otp `is_verified`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from oneseal.core.roles import Role


def can_administer_calendar(user: Any) -> bool:
    if not (user.is_authenticated and user.has_role(Role.SYSADMIN)):
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def check_calendar_admin(user: Any) -> None:
    """Raise PermissionDenied unless `user` may enter or correct the calendar."""
    if not can_administer_calendar(user):
        raise PermissionDenied(_("只有完成双因素验证的系统管理员可以管理工作日历。"))
