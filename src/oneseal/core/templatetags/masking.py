"""Template filters that mask personal numbers: `{% load masking %}` then
`{{ person.id_number|mask_id }}`, `{{ user.phone|mask_phone }}`, `{{ name|mask_name }}`."""

from __future__ import annotations

from django import template

from oneseal.core import masking

register = template.Library()


@register.filter(is_safe=False)
def mask_id(value: object) -> str:
    return masking.mask_id_number(value)


@register.filter(is_safe=False)
def mask_phone(value: object) -> str:
    return masking.mask_phone(value)


@register.filter(is_safe=False)
def mask_name(value: object) -> str:
    return masking.mask_name(value)
