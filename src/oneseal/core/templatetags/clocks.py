"""Template helpers of the statutory clock: `{% load clocks %}`, then
`{% provisional_badge years %}` beside a due date computed provisionally (暂定, law.md §1)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _years_text(years: Iterable[int]) -> str:
    return "、".join(str(y) for y in years)


@register.simple_tag
def provisional_badge(years: Iterable[int] | bool | None) -> SafeString | str:
    """A 暂定 badge with the missing years as its title, or nothing. `years` may be a list of
    years or a bool (True: provisional, years unknown to the caller)."""
    if not years:
        return ""
    if years is True:
        title = _("该年度放假调休安排尚未公布，期限按法定节假日暂定计算")
    else:
        assert not isinstance(years, bool)
        title = _("%(years)s年放假调休安排尚未公布，期限按法定节假日暂定计算") % {
            "years": _years_text(years)}
    return format_html('<span class="badge badge--provisional" title="{}">{}</span>',
                       title, _("暂定"))
