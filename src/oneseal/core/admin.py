"""Read-only admin for the audit chain: staff with the view permission may look, nobody may
add, change or delete (the model and the database refuse it anyway)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("seq", "at", "actor_name", "kind", "subject")
    list_filter = ("kind",)
    search_fields = ("=seq", "kind", "subject", "actor_name")
    ordering = ("-seq",)
    list_per_page = 50
    show_full_result_count = False  # COUNT(*) over millions of rows on every page
    readonly_fields = ("seq", "at", "actor", "actor_name", "kind", "subject", "payload_json",
                       "prev_hash", "hash")
    fields = readonly_fields
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
