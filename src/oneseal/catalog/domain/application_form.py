"""The online application form (申请表) and the guided questions (情形引导), as pure rules.

`validate_form` checks what an applicant typed against the fields a catalogue administrator
defined (required, type, pattern, range), returning the cleaned values (text, as typed but
trimmed) and one error per field: (code, params); `FORM_ERRORS` holds the message of each
code, marked for translation. `choose_variant` picks the business variant the answers lead
to. No Django import (architecture rule 2).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from oneseal.core.workcalendar.domain.i18n import gettext_noop

KINDS = ("text", "textarea", "number", "date", "choice", "yesno")
YES, NO = "yes", "no"

FORM_ERRORS: dict[str, str] = {
    "required": gettext_noop("请填写“%(label)s”。"),
    "pattern": gettext_noop("“%(label)s”的格式不正确。"),
    "number": gettext_noop("“%(label)s”须为数字。"),
    "min": gettext_noop("“%(label)s”不能小于 %(limit)s。"),
    "max": gettext_noop("“%(label)s”不能大于 %(limit)s。"),
    "min_length": gettext_noop("“%(label)s”至少 %(limit)s 个字。"),
    "max_length": gettext_noop("“%(label)s”最多 %(limit)s 个字。"),
    "date": gettext_noop("“%(label)s”须为日期（年-月-日）。"),
    "choice": gettext_noop("请从列表中选择“%(label)s”。"),
}
MAX_TEXT = 2000


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str = "text"
    required: bool = True
    pattern: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    options: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, variant)


FieldError = tuple[str, dict[str, str]]


def _limit(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _check_text(spec: FieldSpec, value: str) -> FieldError | None:
    params = {"label": spec.label}
    if spec.pattern and re.fullmatch(spec.pattern, value) is None:
        return "pattern", params
    maximum = spec.max_value if spec.max_value is not None else Decimal(MAX_TEXT)
    if spec.min_value is not None and len(value) < spec.min_value:
        return "min_length", {**params, "limit": _limit(spec.min_value)}
    if len(value) > maximum:
        return "max_length", {**params, "limit": _limit(maximum)}
    return None


def _check_number(spec: FieldSpec, value: str) -> FieldError | None:
    params = {"label": spec.label}
    try:
        number = Decimal(value)
    except InvalidOperation:
        return "number", params
    if not number.is_finite():
        return "number", params
    if spec.min_value is not None and number < spec.min_value:
        return "min", {**params, "limit": _limit(spec.min_value)}
    if spec.max_value is not None and number > spec.max_value:
        return "max", {**params, "limit": _limit(spec.max_value)}
    return None


def check_field(spec: FieldSpec, raw: str) -> FieldError | None:
    """The error of one value, or None. An empty optional field is always fine."""
    value = raw.strip()
    if not value:
        return ("required", {"label": spec.label}) if spec.required else None
    if spec.kind == "number":
        return _check_number(spec, value)
    if spec.kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "date", {"label": spec.label}
        return None
    if spec.kind == "choice":
        return None if value in spec.choices else ("choice", {"label": spec.label})
    if spec.kind == "yesno":
        return None if value in (YES, NO) else ("choice", {"label": spec.label})
    return _check_text(spec, value)


def validate_form(specs: Sequence[FieldSpec], raw: Mapping[str, str]
                  ) -> tuple[dict[str, str], dict[str, FieldError]]:
    """(values, errors): every defined field's trimmed value (kept also when wrong, so the
    page shows the applicant what he typed) and the error of each wrong field."""
    values: dict[str, str] = {}
    errors: dict[str, FieldError] = {}
    for spec in specs:
        value = str(raw.get(spec.key, "") or "").strip()
        values[spec.key] = value
        error = check_field(spec, value)
        if error is not None:
            errors[spec.key] = error
    return values, errors


def choose_variant(questions: Sequence[QuestionSpec], answers: Sequence[int | None]
                   ) -> str | None:
    """The variant code the answers lead to: the option chosen in the LAST question whose
    chosen option names a variant (a later, more specific question overrides an earlier one);
    None when no answer names one or an answer is out of range."""
    chosen: str | None = None
    for index, question in enumerate(questions):
        answer = answers[index] if index < len(answers) else None
        if answer is None:
            continue
        if not 0 <= answer < len(question.options):
            return None
        variant = question.options[answer][1]
        if variant:
            chosen = variant
    return chosen
