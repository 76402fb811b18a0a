"""Template helpers of the case pages: the clock light as a badge with its words (never
colour alone), the state as a badge, and the query string of the next page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from oneseal.core.templatetags.clocks import provisional_badge

from ..clocks import light_text
from ..due import calendar_or_none, days_left
from ..errors import operation_label, state_label

register = template.Library()

LIGHTS = frozenset({"green", "yellow", "red", "stopped", "paused", "unknown"})


@register.simple_tag
def light_badge(light: str | None) -> str:
    """`<span class="light light--red">已超期</span>`: a coloured dot and the words."""
    light = light if light in LIGHTS else "stopped"
    return format_html('<span class="light light--{}">{}</span>', light, light_text(light))


@register.simple_tag(takes_context=True)
def due_cell(context: template.Context, due: dt.date | None,
             provisional: Any = None) -> str:
    """A due date in a list: the date (never wrapped), 暂定 when provisional (law.md §1), and
    the working days left in words — "剩 3 个工作日", "今日到期", "超期 2 个工作日" (第82条,
    see `due.days_left`). The view puts `today` and `calendar` in the context."""
    if due is None:
        return "—"
    today = context.get("today") or timezone.localdate()
    calendar = context["calendar"] if "calendar" in context else calendar_or_none()
    left = days_left(due, today, calendar)
    return format_html(
        '<span class="due"><time datetime="{}">{}</time>{}{}</span>'
        '<span class="days-left days-left--{}">{}</span>',
        due.isoformat(), due.strftime("%Y-%m-%d"), " " if provisional else "",
        provisional_badge(provisional), left.tone, left.text)


@register.filter
def state_name(state: str) -> str:
    return state_label(state)


@register.filter
def event_label(kind: str) -> str:
    """The Chinese name of a history entry (办理记录)."""
    if kind == "submit":
        return _("收件")
    if kind == "clocks_recomputed":
        return _("工作日历变更，期限重新计算")
    return operation_label(kind)


@register.simple_tag
def state_badge(state: str) -> str:
    return format_html('<span class="state state--{}">{}</span>', state, state_label(state))


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, **changes: Any) -> str:
    """The current query string with `changes` applied (None or "" removes a key)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return ""
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
