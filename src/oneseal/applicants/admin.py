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


class AgentAuthorisationForm(forms.ModelForm):  # type: ignore[type-arg]
    """The principal is an organisation or a natural person (exactly one); the scope is
    every item or the items chosen."""

    class Meta:
        model = AgentAuthorisation
        fields = ["agent", "organisation", "person", "valid_from", "valid_to", "scope",
                  "all_items", "items", "document_ref"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("organisation") is None) == (data.get("person") is None):
            self.add_error("organisation", _("请指定一个委托人：单位或自然人。"))
        if not data.get("all_items") and not data.get("items"):
            self.add_error("items", _("请选择委托办理的事项（或选择全部事项）。"))
        if data.get("person") is not None and data.get("person") == data.get("agent"):
            self.add_error("person", _("委托人和代理人不能是同一人。"))
        return data


@admin.register(AgentAuthorisation)
class AgentAuthorisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """代理授权: recorded through `authorise_agent`, revoked by the action, never edited."""

    form = AgentAuthorisationForm
    list_display = ("agent", "principal", "valid_from", "valid_to", "all_items",
                    "document_ref", "in_force_today", "revoked_at")
    list_filter = ("revoked_at", "all_items")
    search_fields = ("agent__name", "organisation__name", "=organisation__credit_code",
                     "person__name", "document_ref")
    autocomplete_fields = ("agent", "organisation", "person")
    filter_horizontal = ("items",)
    fields = ("agent", "organisation", "person", "valid_from", "valid_to", "scope",
              "all_items", "items", "document_ref")
    actions = ["revoke_selected"]

    @admin.display(description=_("委托人"))
    def principal(self, obj: AgentAuthorisation) -> str:
        return str(obj.organisation or obj.person or "-")

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
        data = form.cleaned_data
        saved = authorise_agent(
            actor=request.user, agent=obj.agent, organisation=obj.organisation,
            person=obj.person, valid_from=obj.valid_from, valid_to=obj.valid_to,
            scope=obj.scope, document_ref=obj.document_ref,
            items=None if data.get("all_items") else [i.pk for i in data.get("items", [])],
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any,
                     change: bool) -> None:
        """The service has set the items; an authorisation is never edited afterwards."""

    @admin.action(description=_("撤销所选授权"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[AgentAuthorisation]) -> None:
        count = 0
        for auth in queryset.filter(revoked_at__isnull=True):
            revoke_authorisation(actor=request.user, authorisation=auth, reason="后台撤销")
            count += 1
        self.message_user(request, _("已撤销 %(count)d 项授权。") % {"count": count},
                          messages.SUCCESS)
