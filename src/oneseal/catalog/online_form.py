"""The online application form of an item version (申请表字段) and its guided questions
(情形引导): reads for the guide and the online hall, and the one write, by a catalogue
administrator on a draft version (published versions never change)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from oneseal.core.audit import append_event

from .domain.application_form import KINDS, FieldSpec, QuestionSpec
from .exceptions import CatalogError, VersionLockedError
from .models import FormField, GuideQuestion, ItemVersion


class FormDefinitionError(CatalogError):
    """A field or question of the form definition is incomplete or wrong."""

    code = "invalid_form_definition"


def fields_for(version: ItemVersion, variant_id: int | None) -> QuerySet[FormField]:
    """The fields of the form of `version` for the variant `variant_id` (those for every
    variant and those for this one), in order."""
    qs = FormField.objects.filter(version=version)
    if variant_id is None:
        return qs.filter(variant__isnull=True)
    return qs.filter(Q(variant__isnull=True) | Q(variant_id=variant_id))


def spec_of(row: FormField) -> FieldSpec:
    return FieldSpec(key=row.key, label=row.label, kind=row.kind, required=row.required,
                     pattern=row.pattern, min_value=row.min_value, max_value=row.max_value,
                     choices=tuple(str(c) for c in row.choices or ()))


def question_specs(questions: list[GuideQuestion]) -> list[QuestionSpec]:
    return [QuestionSpec(q.text, tuple((str(o.get("label", "")), str(o.get("variant", "")))
                                       for o in q.options or ()))
            for q in questions]


def _field_row(version: ItemVersion | None, row: dict[str, Any], index: int,
               variants: dict[str, int | None]) -> FormField:
    key, label, kind = (str(row.get(k, "") or "").strip() for k in ("key", "label", "kind"))
    if not key or not label or kind not in KINDS:
        raise FormDefinitionError(
            _("第 %(n)d 个字段：请填写字段标识、名称和正确的类型。") % {"n": index + 1})
    variant_code = str(row.get("variant", "") or "")
    if variant_code and variant_code not in variants:
        raise FormDefinitionError(
            _("第 %(n)d 个字段：办理项“%(code)s”不存在。") % {"n": index + 1, "code": variant_code})
    choices = [str(c).strip() for c in row.get("choices") or [] if str(c).strip()]
    if kind == "choice" and not choices:
        raise FormDefinitionError(
            _("第 %(n)d 个字段：选择类字段须列出选项。") % {"n": index + 1})

    def number(name: str) -> Decimal | None:
        value = row.get(name)
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise FormDefinitionError(
                _("第 %(n)d 个字段：最小值和最大值须为数字。") % {"n": index + 1}) from None

    return FormField(version=version, variant_id=variants.get(variant_code), key=key,
                     label=label, kind=kind, required=bool(row.get("required", True)),
                     pattern=str(row.get("pattern", "") or ""), min_value=number("min_value"),
                     max_value=number("max_value"), choices=choices,
                     help_text=str(row.get("help_text", "") or ""), sort=index)


def build_definition(version: ItemVersion | None, fields: list[dict[str, Any]],
                     questions: list[dict[str, Any]], variants: dict[str, int | None]
                     ) -> tuple[list[FormField], list[GuideQuestion]]:
    """Check the rows of a form definition and build (unsaved) its fields and questions;
    `variants` maps the version's variant codes to their ids. Raises FormDefinitionError."""
    rows = [_field_row(version, row, i, variants) for i, row in enumerate(fields)]
    keys = [r.key for r in rows]
    if len(keys) != len(set(keys)):
        raise FormDefinitionError(_("字段标识不能重复。"))
    qrows = []
    for i, q in enumerate(questions):
        options = [{"label": str(o.get("label", "")).strip(),
                    "variant": str(o.get("variant", "") or "")}
                   for o in q.get("options") or [] if str(o.get("label", "")).strip()]
        if not str(q.get("text", "")).strip() or not options or any(
                o["variant"] and o["variant"] not in variants for o in options):
            raise FormDefinitionError(
                _("第 %(n)d 个问题：请填写问题和选项，选项指向的办理项须存在。") % {"n": i + 1})
        qrows.append(GuideQuestion(version=version, text=str(q["text"]).strip(),
                                   help_text=str(q.get("help_text", "") or ""),
                                   options=options, sort=i))
    return rows, qrows


def write_definition(version: ItemVersion, fields: list[dict[str, Any]],
                     questions: list[dict[str, Any]]) -> list[str]:
    """Replace the form fields and questions of `version` (no draft check, no audit event:
    for the editor below and for the catalogue import, which writes a new version)."""
    variants: dict[str, int | None] = dict(version.variants.values_list("code", "pk"))
    rows, qrows = build_definition(version, fields, questions, variants)
    FormField.objects.filter(version=version).delete()
    GuideQuestion.objects.filter(version=version).delete()
    FormField.objects.bulk_create(rows)
    GuideQuestion.objects.bulk_create(qrows)
    return [r.key for r in rows]


def definition_record(version: ItemVersion) -> dict[str, Any] | None:
    """The form definition of `version` in the exchange format (the rows
    `form_definition_save` takes), or None when the version has no online form."""
    fields = [{"key": f.key, "label": f.label, "kind": f.kind, "required": f.required,
               "pattern": f.pattern,
               "min_value": None if f.min_value is None else str(f.min_value),
               "max_value": None if f.max_value is None else str(f.max_value),
               "choices": list(f.choices or []), "help_text": f.help_text,
               "variant": f.variant.code if f.variant else ""}
              for f in version.form_fields.all()]
    questions = [{"text": q.text, "help_text": q.help_text, "options": list(q.options or [])}
                 for q in version.guide_questions.all()]
    if not fields and not questions:
        return None
    return {"fields": fields, "questions": questions}


def form_definition_save(*, actor: Any, version: ItemVersion, fields: list[dict[str, Any]],
                         questions: list[dict[str, Any]]) -> None:
    """Replace the form fields and guided questions of a DRAFT version (rows in order).
    A field row: key, label, kind, required, pattern, min_value, max_value, choices,
    help_text, variant (a variant code or ""); a question row: text, help_text, options
    ([{"label", "variant"}])."""
    with transaction.atomic():
        version = ItemVersion.objects.select_for_update().get(pk=version.pk)
        if not version.is_draft:
            raise VersionLockedError(_("已发布的版本不能修改，请先创建新版本草稿。"))
        keys = write_definition(version, fields, questions)
        append_event(actor=actor, kind="catalog.form_definition",
                     subject=f"item_version:{version.pk}",
                     payload={"fields": keys, "questions": len(questions)})


def copy_definition(source: ItemVersion, target: ItemVersion) -> None:
    """Copy the form and questions of `source` to a new draft `target` (variants by code)."""
    variants = dict(target.variants.values_list("code", "pk"))
    FormField.objects.bulk_create([
        FormField(version=target, variant_id=variants.get(f.variant.code) if f.variant else None,
                  key=f.key, label=f.label, kind=f.kind, required=f.required,
                  pattern=f.pattern, min_value=f.min_value, max_value=f.max_value,
                  choices=f.choices, help_text=f.help_text, sort=f.sort)
        for f in source.form_fields.select_related("variant")])
    GuideQuestion.objects.bulk_create([
        GuideQuestion(version=target, text=q.text, help_text=q.help_text, options=q.options,
                      sort=q.sort) for q in source.guide_questions.all()])
