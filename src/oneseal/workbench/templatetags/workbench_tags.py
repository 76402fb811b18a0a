"""Template helpers of the staff workbench: the side navigation and the role badges."""

from __future__ import annotations

from typing import Any

from django import template

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
