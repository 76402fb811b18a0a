"""Template helpers of the public portal."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def hall_info() -> dict[str, str]:
    """The service hall's address, opening hours and telephone (政务服务大厅), from settings;
    empty strings where the deployment has not set them."""
    return {
        "address": getattr(settings, "ONESEAL_HALL_ADDRESS", ""),
        "hours": getattr(settings, "ONESEAL_HALL_HOURS", ""),
        "phone": getattr(settings, "ONESEAL_HALL_PHONE", ""),
    }
