"""Masking personal numbers wherever lists show them (脱敏显示).

Resident ID numbers and phone numbers are personal information (《个人信息保护法》第28条 lists
identity numbers as sensitive personal information); lists, tables and exports show them
masked. The detail page of a record a user may see can show the full value.

* `mask_id_number("530102199001011234")` -> `"5301**********1234"`: first 4 and last 4 kept.
* `mask_phone("13812345678")` -> `"138****5678"`: first 3 and last 4 kept.
* `mask_name("张三丰")` -> `"张**"`: the family name kept (for public pages).

Inputs that are shorter than a real number keep proportionally less, so that no odd or
truncated value is ever shown whole. Unified social credit codes are not masked: they identify
organisations and are public by law (国家企业信用信息公示系统), so there is no
`mask_credit_code`.
"""

from __future__ import annotations

MASK = "*"


def _mask_middle(text: str, head: int, tail: int) -> str:
    middle = len(text) - head - tail
    if middle <= 0:
        return MASK * len(text)
    return text[:head] + MASK * middle + text[len(text) - tail:]


def _clean(value: object) -> str:
    return "" if value is None else "".join(str(value).split())


def mask_id_number(value: object) -> str:
    """Keep the first 4 and last 4 characters of an 18-character ID number; shorter values
    keep a quarter at each end (a 15-digit first-generation number keeps 3 and 3)."""
    text = _clean(value)
    keep = 4 if len(text) >= 16 else len(text) // 4
    return _mask_middle(text, keep, keep)


def mask_phone(value: object) -> str:
    """Keep the first 3 and last 4 characters of a mobile number or a landline with its area
    code (`138****5678`, `087*****3456`); 8 to 10 characters keep their last 4, 5 to 7
    characters their last 2, and 4 characters or fewer nothing."""
    text = _clean(value)
    if text.startswith("+86") and len(text) > 3:
        return "+86" + mask_phone(text[3:])
    if len(text) >= 11:
        return _mask_middle(text, 3, 4)
    if len(text) >= 8:
        return _mask_middle(text, 0, 4)
    if len(text) > 4:
        return _mask_middle(text, 0, 2)
    return MASK * len(text)


def mask_name(value: object) -> str:
    """Keep the first character of a person's name (`张三丰` -> `张**`, `李娜` -> `李*`)."""
    text = _clean(value)
    if len(text) <= 1:
        return MASK * len(text)
    return text[0] + MASK * (len(text) - 1)
