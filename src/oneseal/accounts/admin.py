"""Admin pages for accounts: users (ID and phone numbers masked in the list), their role
grants, and API tokens (listed and revoked here; created with `oneseal token create`, which
shows the token once). Writes go through the services, which write the audit events."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from oneseal.core.masking import mask_id_number, mask_phone

from .models import ApiToken, RoleGrant, User
from .services import grant_role, revoke_role, revoke_token, save_user


class RoleGrantInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("role", "granted_at", "granted_by")
    readonly_fields = ("granted_at", "granted_by")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "unit", "roles", "masked_phone",
                    "masked_id_number", "is_active", "last_login")
    list_filter = ("is_active", "is_superuser", "role_grants__role", "unit")
    search_fields = ("username", "display_name", "=phone", "=id_number")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "unit", "phone", "id_number", "email")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "display_name", "unit", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("role_grants")

    @admin.display(description=_("角色"))
    def roles(self, obj: User) -> str:
        return "、".join(str(g.get_role_display()) for g in obj.role_grants.all()) or "-"

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("身份证号码"))
    def masked_id_number(self, obj: User) -> str:
        return mask_id_number(obj.id_number)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are deactivated, so that the record keeps its actors

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        save_user(actor=request.user, user=obj, created=not change, fields=form.changed_data)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        user = form.instance
        formset.save(commit=False)
        wanted_off = [RoleGrant.objects.get(pk=g.pk).role for g in formset.deleted_objects]
        wanted_on = [g.role for g in formset.new_objects]
        for grant, _fields in formset.changed_objects:
            wanted_off.append(RoleGrant.objects.get(pk=grant.pk).role)
            wanted_on.append(grant.role)
        try:
            for role in wanted_off:
                revoke_role(actor=request.user, user=user, role=role)
            for role in wanted_on:
                grant_role(actor=request.user, user=user, role=role)
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username", "name")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # `oneseal token create` shows the token once; the admin cannot

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("吊销所选令牌"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_token(actor=request.user, token=token)
            count += 1
        self.message_user(request, _("已吊销 %(count)d 个令牌。") % {"count": count},
                          messages.SUCCESS)
