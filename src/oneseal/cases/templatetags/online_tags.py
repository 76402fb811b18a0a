"""Template tags of the online hall for pages other apps render (我的办件): the account's
drafts (我的草稿) and its cases waiting for corrections (待补正, corrected online)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from oneseal.catalog.online_form import fields_for

from ..domain.states import CaseState
from ..models import Case, DeliveryMethod
from ..models_online import ApplicationDraft
from ..permissions import visible_cases_own
from ..permissions_online import visible_drafts

register = template.Library()


@register.simple_tag
def my_drafts(user: Any) -> list[ApplicationDraft]:
    return list(visible_drafts(user)[:20])


@register.simple_tag
def my_corrections(user: Any) -> list[Case]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(visible_cases_own(user).filter(state=CaseState.CORRECTING)
                .order_by("-id")[:20])


@register.simple_tag
def application_rows(case: Case) -> list[tuple[str, str]]:
    """The online form as the applicant filled it: (label, value) in the form's order, for
    the fields of the case's version and variant; yes/no in words."""
    data = case.form_data or {}
    if not data:
        return []
    words = {"yes": gettext("是"), "no": gettext("否")}
    rows = []
    for field in fields_for(case.version, case.variant_id):
        value = str(data.get(field.key, ""))
        rows.append((field.label, words.get(value, value) if field.kind == "yesno" else value))
    return rows


@register.simple_tag
def delivery_wanted_label(case: Case) -> str:
    return str(dict(DeliveryMethod.choices).get(case.delivery_wanted, ""))
