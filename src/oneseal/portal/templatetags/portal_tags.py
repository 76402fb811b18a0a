"""Template helpers of the public portal."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

from oneseal.hall.selectors import get_hall, public_info

register = template.Library()


@register.simple_tag
def hall_info() -> dict[str, str]:
    """The service hall's address, opening hours and telephone (政务服务大厅): the hall's
    settings (大厅设置) where an administrator has entered them, else the deployment's
    settings; empty strings where neither has them."""
    info = {
        "address": getattr(settings, "ONESEAL_HALL_ADDRESS", ""),
        "hours": getattr(settings, "ONESEAL_HALL_HOURS", ""),
        "phone": getattr(settings, "ONESEAL_HALL_PHONE", ""),
    }
    hall = public_info(get_hall())
    info.update({key: hall[key] for key in ("address", "hours", "phone") if hall.get(key)})
    if hall.get("has_map"):
        info["map"] = reverse("hall:map")
    return info
