"""Read-only admin of the outbox, for operators: what was told to whom, through which
channel, and what is still waiting for a channel that is down (attempts, next try, error)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from oneseal.core.masking import mask_phone

from .models import Channel, Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "notification", "channel", "recipient", "state", "attempts",
                    "next_attempt_at", "sent_at", "last_error")
    list_filter = ("state", "channel")
    search_fields = ("=notification__case__number",)
    ordering = ("-id",)
    list_per_page = 50
    show_full_result_count = False
    list_select_related = ("notification",)
    actions = None

    @admin.display(description=_("接收地址"))
    def recipient(self, obj: Delivery) -> str:
        """The phone number masked (138****8000), as everywhere staff see one."""
        return mask_phone(obj.address) if obj.channel == Channel.SMS else obj.address

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
