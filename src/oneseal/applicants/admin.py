"""Admin pages for applicants: lists show ID and phone numbers masked; saves go through
the services; authorisations are revoked, never edited or deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneseal.core.identity import normalize_credit_code, normalize_id_number, normalize_phone
from oneseal.core.masking import mask_id_number, mask_phone

from .domain.authorisation import in_force
from .models import AgentAuthorisation, Organisation, Person
from .services import (
    authorise_agent,
    register_organisation,
    register_person,
    revoke_authorisation,
    update_organisation,
    update_person,
)


def _normalized_phone(form: forms.ModelForm) -> str:  # type: ignore[type-arg]
    value = form.cleaned_data.get("phone") or ""
    return normalize_phone(value) if value.strip() else ""


class PersonForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Person
        fields = ["name", "id_number", "phone", "user"]

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data.get("id_number", ""))

    def clean_phone(self) -> str:
        return _normalized_phone(self)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PersonForm
    list_display = ("name", "masked_id_number", "masked_phone", "user", "created_at")
    search_fields = ("name", "=id_number", "=phone")
    autocomplete_fields = ("user",)

    @admin.display(description=_("身份证号码"))
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj: Person) -> str:
        return mask_phone(obj.phone)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("id_number",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = update_person(actor=request.user, person=Person.objects.get(pk=obj.pk),
                                  **{f: data[f] for f in ("name", "phone", "user") if f in data})
        else:
            saved = register_person(actor=request.user, name=data["name"],
                                    id_number=data["id_number"], phone=data.get("phone", ""),
                                    user=data.get("user"))
        obj.pk = saved.pk
        obj.refresh_from_db()


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ["name", "credit_code", "legal_representative", "address", "phone"]

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data.get("credit_code", ""))

    def clean_phone(self) -> str:
        return _normalized_phone(self)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = OrganisationForm
    list_display = ("name", "credit_code", "legal_representative", "masked_phone")
    search_fields = ("name", "=credit_code")
    readonly_fields = ("linked_users",)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Organisation) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("关联账户"))
    def linked_users(self, obj: Organisation) -> str:
        return "、".join(str(u) for u in obj.users.all()) or "-"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("credit_code", "linked_users") if obj is not None else ("linked_users",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = ("name", "legal_representative", "address", "phone")
        if change:
            saved = update_organisation(
                actor=request.user, organisation=Organisation.objects.get(pk=obj.pk),
                **{f: data[f] for f in fields if f in data},
            )
        else:
            saved = register_organisation(actor=request.user, credit_code=data["credit_code"],
                                          **{f: data.get(f, "") for f in fields})
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(AgentAuthorisation)
class AgentAuthorisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("agent", "organisation", "valid_from", "valid_to", "document_ref",
                    "in_force_today", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("agent__name", "organisation__name", "=organisation__credit_code",
                     "document_ref")
    autocomplete_fields = ("agent", "organisation")
    fields = ("agent", "organisation", "valid_from", "valid_to", "scope", "document_ref")
    actions = ["revoke_selected"]

    @admin.display(description=_("今日有效"), boolean=True)
    def in_force_today(self, obj: AgentAuthorisation) -> bool:
        revoked_on = timezone.localdate(obj.revoked_at) if obj.revoked_at else None
        return in_force(valid_from=obj.valid_from, valid_to=obj.valid_to,
                        revoked_on=revoked_on, on=timezone.localdate())

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return (*self.fields, "revoked_at", "revoked_reason")
        return ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*self.fields, "revoked_at", "revoked_reason") if obj is not None else self.fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AgentAuthorisation, form: Any,
                   change: bool) -> None:
        if change:
            return
        saved = authorise_agent(
            actor=request.user, agent=obj.agent, organisation=obj.organisation,
            valid_from=obj.valid_from, valid_to=obj.valid_to, scope=obj.scope,
            document_ref=obj.document_ref,
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_("撤销所选授权"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[AgentAuthorisation]) -> None:
        count = 0
        for auth in queryset.filter(revoked_at__isnull=True):
            revoke_authorisation(actor=request.user, authorisation=auth, reason="后台撤销")
            count += 1
        self.message_user(request, _("已撤销 %(count)d 项授权。") % {"count": count},
                          messages.SUCCESS)
