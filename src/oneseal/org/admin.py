"""Admin pages for the organisation tree and staff transfers. Saves go through the services
(so each writes its audit event); units are deactivated, not deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from oneseal.core.identity import normalize_credit_code

from .models import StaffTransfer, Unit
from .services import UNIT_FIELDS, check_placement, create_unit, transfer_staff, update_unit


class UnitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Unit
        fields = list(UNIT_FIELDS)

    def clean_credit_code(self) -> str | None:
        value = self.cleaned_data.get("credit_code")
        return normalize_credit_code(value) if value else None

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors:
            try:
                check_placement(self.instance)
            except ValidationError as exc:
                self._update_errors(exc)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = UnitForm
    list_display = ("name", "short_name", "kind", "parent", "credit_code", "sort_order",
                    "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code", "credit_code")
    autocomplete_fields = ("parent",)
    ordering = ("sort_order", "id")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        data = {f: form.cleaned_data[f] for f in UNIT_FIELDS if f in form.cleaned_data}
        if change:
            changes = {f: data[f] for f in form.changed_data if f in data}
            saved = update_unit(actor=request.user, unit=Unit.objects.get(pk=obj.pk), **changes)
        else:
            saved = create_unit(actor=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()


class StaffTransferForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = StaffTransfer
        fields = ["user", "to_unit", "effective_on", "document_no", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user, to_unit = data.get("user"), data.get("to_unit")
        if user is not None and user.unit_id is None:
            self.add_error("user", _("该人员没有所属单位，无法登记划转。"))
        elif user is not None and to_unit is not None and user.unit_id == to_unit.pk:
            self.add_error("to_unit", _("划入单位与原单位相同。"))
        return data


@admin.register(StaffTransfer)
class StaffTransferAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = StaffTransferForm
    list_display = ("user", "from_unit", "to_unit", "effective_on", "document_no")
    list_filter = ("to_unit", "from_unit")
    search_fields = ("user__username", "user__display_name", "document_no")
    autocomplete_fields = ("user", "to_unit")
    date_hierarchy = "effective_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:  # a transfer on record is history: not edited
            return ("user", "from_unit", "to_unit", "effective_on", "document_no", "note",
                    "created_at")
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: StaffTransfer, form: Any, change: bool) -> None:
        if change:
            return
        record = transfer_staff(
            actor=request.user, user=obj.user, to_unit=obj.to_unit, effective_on=obj.effective_on,
            document_no=obj.document_no, note=obj.note,
        )
        obj.pk = record.pk
        obj.refresh_from_db()
