"""The catalogue administrator's editor of a draft version's online form (申请表字段) and
guided questions (情形引导): one plain form of rows (a table of inputs, in tab order, no
script), saved through `online_form.form_definition_save`; input is kept on error."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role

from .exceptions import CatalogError
from .models import FieldKind, ItemVersion
from .online_form import form_definition_save
from .views_workbench import _draft

BLANK_FIELDS, BLANK_QUESTIONS = 3, 2


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("；", "\n").replace(";", "\n").splitlines()
            if part.strip()]


def _field_rows(post: Any) -> list[dict[str, Any]]:
    rows = []
    for i in range(int(post.get("field_count", "0") or 0)):
        get = lambda name, i=i: post.get(f"f-{i}-{name}", "").strip()  # noqa: E731
        if not get("key") and not get("label"):
            continue
        rows.append({"key": get("key"), "label": get("label"), "kind": get("kind"),
                     "required": post.get(f"f-{i}-required") == "on", "pattern": get("pattern"),
                     "min_value": get("min_value") or None, "max_value": get("max_value") or None,
                     "choices": _split(get("choices")), "help_text": get("help_text"),
                     "variant": get("variant")})
    return rows


def _question_rows(post: Any) -> list[dict[str, Any]]:
    rows = []
    for i in range(int(post.get("question_count", "0") or 0)):
        text = post.get(f"q-{i}-text", "").strip()
        lines = _split(post.get(f"q-{i}-options", ""))
        if not text and not lines:
            continue
        options = []
        for line in lines:
            label, _sep, variant = line.partition("|")
            options.append({"label": label.strip(), "variant": variant.strip()})
        rows.append({"text": text, "help_text": post.get(f"q-{i}-help_text", "").strip(),
                     "options": options})
    return rows


def _stored(version: ItemVersion) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    fields = [{"key": f.key, "label": f.label, "kind": f.kind, "required": f.required,
               "pattern": f.pattern, "min_value": f.min_value, "max_value": f.max_value,
               "choices": f.choices, "help_text": f.help_text,
               "variant": f.variant.code if f.variant else ""}
              for f in version.form_fields.select_related("variant")]
    questions = [{"text": q.text, "help_text": q.help_text, "options": q.options}
                 for q in version.guide_questions.all()]
    return fields, questions


@require_roles(Role.CATALOG_ADMIN)
def online_form(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _draft(version_id)
    error = ""
    if request.method == "POST":
        fields, questions = _field_rows(request.POST), _question_rows(request.POST)
        try:
            form_definition_save(actor=request.user, version=version, fields=fields,
                                 questions=questions)
        except (CatalogError, ValueError, ArithmeticError) as exc:
            error = getattr(exc, "message", "") or _("最小值、最大值须为数字。")
        else:
            messages.success(request, _("网上申请表已保存。"))
            return redirect("catalog_admin:online_form", version_id=version.pk)
    else:
        fields, questions = _stored(version)
    field_rows = [*fields, *({} for _ in range(BLANK_FIELDS))]
    for row in field_rows:
        row["choices_text"] = "\n".join(row.get("choices") or [])
    question_rows = [*questions, *({} for _ in range(BLANK_QUESTIONS))]
    for row in question_rows:
        row["options_text"] = "\n".join(
            f"{o['label']} | {o['variant']}" if o.get("variant") else o["label"]
            for o in row.get("options") or [])
    return render(request, "catalog/workbench/online_form.html", {
        "version": version, "field_rows": field_rows, "question_rows": question_rows,
        "kinds": FieldKind.choices, "variants": list(version.variants.all()), "error": error},
        status=422 if error else 200)
