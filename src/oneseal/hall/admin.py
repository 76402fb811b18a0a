"""Admin pages of the hall's layout (system administrators): queue categories and windows,
with the categories (and so the items) each window serves. Saves go through
`services.setup.layout_save` (audit event); rows are deactivated, not deleted. The hall's
settings have their own workbench page (/workbench/hall/settings/)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import QueueCategory, Window
from .services.setup import layout_save


class _LayoutAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    actions = None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        layout_save(actor=request.user, instance=obj)


@admin.register(QueueCategory)
class QueueCategoryAdmin(_LayoutAdmin):
    list_display = ("letter", "name", "kind", "unit", "bookable", "is_active", "sort_order")
    list_filter = ("kind", "is_active")
    filter_horizontal = ("items",)
    fields = ("hall", "code", "letter", "name", "kind", "unit", "items", "bookable",
              "sort_order", "is_active")


@admin.register(Window)
class WindowAdmin(_LayoutAdmin):
    list_display = ("number", "name", "kind", "unit", "paused", "is_active")
    list_filter = ("kind", "is_active")
    filter_horizontal = ("categories",)
    fields = ("hall", "number", "name", "kind", "unit", "categories", "is_active")
