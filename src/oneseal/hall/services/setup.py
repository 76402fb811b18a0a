"""Hall settings (大厅设置, system administrators) and window sign-in (窗口签到)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneseal.core.audit import append_event
from oneseal.core.roles import Role

from ..errors import HallError
from ..models import Hall, OpeningHours, QueueCategory, Window, WindowKind, WindowSignIn

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MAP_MAX_BYTES = 2 * 1024 * 1024
SIGN_IN_ROLES = (Role.CLERK, Role.HELPER, Role.DEPT_OFFICER)
HALL_FIELDS = ("name", "address", "phone", "slot_minutes", "slot_capacity", "noshow_limit",
               "noshow_window_days", "noshow_block_days")


def _require_sysadmin(actor: Any) -> None:
    if not (actor.is_authenticated and actor.has_role(Role.SYSADMIN)):
        raise HallError(_("只有系统管理员可以修改大厅设置。"), code="not_sysadmin", status=403)


def picture_type(data: bytes) -> str:
    """The content type of a map picture judged by its first bytes (PNG or JPEG), or ""."""
    if data.startswith(PNG_MAGIC):
        return "image/png"
    if data.startswith(JPEG_MAGIC):
        return "image/jpeg"
    return ""


def hall_update(*, actor: Any, values: dict[str, Any],
                hours: dict[int, tuple[dt.time | None, dt.time | None, dt.time | None,
                                       dt.time | None] | None],
                map_picture: bytes | None = None) -> Hall:
    """Save the hall's settings and weekly hours (`hours[weekday]`: opens, lunch start,
    lunch end, closes; None: closed). A map picture must be a PNG or JPEG by content."""
    _require_sysadmin(actor)
    content_type = ""
    if map_picture is not None:
        content_type = picture_type(map_picture)
        if not content_type or len(map_picture) > MAP_MAX_BYTES:
            raise HallError(_("位置图须为不超过 2 MB 的 PNG 或 JPEG 图片。"),
                            code="bad_picture", status=400)
    with transaction.atomic():
        hall = Hall.objects.select_for_update().order_by("id").first() or Hall(name="")
        for field in HALL_FIELDS:
            if field in values:
                setattr(hall, field, values[field])
        if map_picture is not None:
            hall.map_image, hall.map_content_type = map_picture, content_type
        hall.save()
        for weekday, row in hours.items():
            if row is None:
                OpeningHours.objects.update_or_create(
                    hall=hall, weekday=weekday,
                    defaults={"closed": True, "opens": None, "lunch_start": None,
                              "lunch_end": None, "closes": None})
            else:
                opens, lunch_start, lunch_end, closes = row
                OpeningHours.objects.update_or_create(
                    hall=hall, weekday=weekday,
                    defaults={"closed": False, "opens": opens, "lunch_start": lunch_start,
                              "lunch_end": lunch_end, "closes": closes})
        append_event(actor=actor, kind="hall.settings", subject=f"hall:{hall.pk}",
                     payload={f: str(getattr(hall, f)) for f in HALL_FIELDS}
                     | {"map": bool(map_picture)})
    return hall


def may_sign_in(user: Any, window: Window) -> bool:
    """Clerks sign in to any window; helpers to 帮办 and 咨询 windows; a department's
    officers to their own department's windows."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.CLERK):
        return True
    if user.has_role(Role.HELPER) and window.kind in (WindowKind.ASSISTANCE,
                                                      WindowKind.CONSULTATION):
        return True
    return bool(user.has_role(Role.DEPT_OFFICER) and window.kind == WindowKind.DEPARTMENT
                and window.unit_id is not None and window.unit_id == user.unit_id)


def window_sign_in(*, actor: Any, window_id: int,
                   now: dt.datetime | None = None) -> WindowSignIn:
    """Start a shift at a window (签到); ends the clerk's shift at another window first."""
    now = now or timezone.now()
    with transaction.atomic():
        window = Window.objects.filter(pk=window_id, is_active=True).first()
        if window is None or not may_sign_in(actor, window):
            raise HallError(_("您不能在该窗口签到。"), code="sign_in_refused", status=403)
        current = WindowSignIn.objects.select_for_update().filter(user=actor,
                                                                  ended_at=None).first()
        if current is not None and current.window_id == window.pk:
            return current
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        sign_in = WindowSignIn.objects.create(window=window, user=actor, started_at=now)
        append_event(actor=actor, kind="hall.sign_in", subject=f"window:{window.pk}")
    return sign_in


def window_sign_out(*, actor: Any, now: dt.datetime | None = None) -> None:
    """End the clerk's shift (签退)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = WindowSignIn.objects.select_for_update().filter(user=actor,
                                                                  ended_at=None).first()
        if current is None:
            raise HallError(_("您当前未在任何窗口签到。"), code="not_signed_in", status=403)
        current.ended_at = now
        current.save(update_fields=["ended_at"])
        append_event(actor=actor, kind="hall.sign_out", subject=f"window:{current.window_id}")


def layout_save(*, actor: Any, instance: Window | QueueCategory) -> Window | QueueCategory:
    """Save a window or a queue category (the hall's layout; system administrators, through
    the admin site), with its audit event. Deactivate instead of deleting."""
    _require_sysadmin(actor)
    with transaction.atomic():
        instance.save()
        kind = "window" if isinstance(instance, Window) else "category"
        append_event(actor=actor, kind=f"hall.{kind}", subject=f"{kind}:{instance.pk}",
                     payload={"str": str(instance), "active": instance.is_active})
    return instance
