"""Template helpers of the staff workbench: the side navigation and the role badges."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.core.workcalendar.selectors import calendar_banner as _calendar_banner

from ..nav import features_for, role_labels

register = template.Library()


@register.simple_tag(takes_context=True)
def workbench_nav(context: template.Context) -> list[dict[str, Any]]:
    """The side navigation for the current user: every feature their roles allow, with
    ``href`` None for features not built yet and ``current`` for the page shown."""
    request = context.get("request")
    user = context.get("user")
    if user is None or request is None:
        return []
    entries = []
    for feature in features_for(user):
        href = feature.href()
        entries.append({
            "key": feature.key, "label": feature.label, "group": feature.group, "href": href,
            "current": False,
        })
    # The current page is the entry with the longest href that the path starts with, so that
    # /workbench/catalog/items/3/ marks 事项目录 and /workbench/ marks only the home page.
    path = request.path
    matches = [e for e in entries
               if e["href"] and (path == e["href"] or (path.startswith(e["href"])
                                                       and e["href"] != "/workbench/"))]
    if matches:
        max(matches, key=lambda e: len(e["href"]))["current"] = True
    return entries


@register.simple_tag
def user_role_labels(user: Any) -> list[str]:
    return role_labels(user)


@register.simple_tag(takes_context=True)
def calendar_banner(context: template.Context) -> SafeString | str:
    """The banner about next year's missing holiday schedule (行政许可法 第82条, law.md §1):
    for the administrators from November, on every staff page in December."""
    user: Any = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    banner = _calendar_banner(is_admin=user.has_role(Role.SYSADMIN))
    if banner is None:
        return ""
    level, text = banner
    return format_html(
        '<div class="calendar-banner calendar-banner--{}" role="alert" '
        'data-calendar-banner="{}"><p><strong>{}</strong>{}</p></div>',
        level, level, _("工作日历提醒："), text)
