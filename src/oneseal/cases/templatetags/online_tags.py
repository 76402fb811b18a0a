"""Template tags of the online hall for pages other apps render (我的办件): the account's
drafts (我的草稿) and its cases waiting for corrections (待补正, corrected online)."""

from __future__ import annotations

from typing import Any

from django import template

from ..domain.states import CaseState
from ..models import Case
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
