"""Import items from the exchange formats (Excel, JSON): check every item first, report
every bad row and column, and write nothing when anything is bad, unless the good items are
explicitly wanted. Re-importing the same content changes nothing (implementation code +
content hash)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.audit import append_event
from oneseal.org.models import Unit
from oneseal.org.selectors import bureau as find_bureau

from . import online_form, services, snapshot
from .domain import records
from .domain.problems import Path, Problem
from .messages import message
from .models import Item, ItemVersion, VersionStatus

Locate = Callable[[Path], str]


@dataclass
class SourceItem:
    """One item as read from a file, with where each of its fields came from."""

    record: dict[str, Any]
    label: str
    locate: Locate
    problems: list[tuple[str, str]] = field(default_factory=list)  # (location, message)


@dataclass
class RowError:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}：{self.message}"


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memos: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = _("共 %(total)s 项：新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s，"
                 "备忘录变更 %(memos)s，跳过 %(skipped)s，错误 %(errors)s 处。") % {
            "total": self.total, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "memos": self.memos, "skipped": self.skipped,
            "errors": len(self.errors)}
        if self.dry_run:
            text += _("（试运行，未写入）")
        elif not self.written:
            text += _("（有错误，未写入任何数据）")
        return text


def _aware(value: str) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@dataclass
class _Checked:
    source: SourceItem
    rec: records.Record
    errors: list[RowError]
    form: dict[str, Any] | None = None  # the online form, when the file carries one


FORM_KEY = "online_form"
"""The online application form (申请表字段 and 情形引导) of an item in the JSON format:
{"fields": [...], "questions": [...]} as `online_form.form_definition_save` takes them. It
sits beside the record, outside the content hash: an item whose content and form are both
unchanged is unchanged; a record without the key (the Excel format carries no form) keeps
the form of the version in force."""


def _form_problems(raw: Any, rec: records.Record) -> tuple[dict[str, Any] | None, list[str]]:
    if raw is None:
        return None, []
    if not isinstance(raw, dict) or not isinstance(raw.get("fields", []), list) \
            or not isinstance(raw.get("questions", []), list) \
            or not all(isinstance(r, dict) for r in [*raw.get("fields", []),
                                                      *raw.get("questions", [])]):
        return None, [_("应为 {\"fields\": [...], \"questions\": [...]}")]
    form = {"fields": raw.get("fields", []), "questions": raw.get("questions", [])}
    codes: dict[str, int | None] = {
        str(v.get("code")): None for v in rec.get("variants") or [] if isinstance(v, dict)}
    try:
        online_form.build_definition(None, form["fields"], form["questions"], codes)
    except online_form.FormDefinitionError as exc:
        return None, [str(exc)]
    return form, []


def _unit_problems(rec: records.Record, units: dict[str, Unit], bureau: Unit | None
                   ) -> list[Problem]:
    problems = []
    keys: list[tuple[Path, str]] = [
        (("implementing_body_code",), rec.get("implementing_body_code") or ""),
        (("competent_department_code",), rec.get("competent_department_code") or "")]
    memo = rec.get("transfer")
    if isinstance(memo, dict):
        keys.append((("transfer", "from_department_code"), memo.get("from_department_code")))
    for path, code in keys:
        if code and isinstance(code, str) and len(code) == 18 and code not in units:
            problems.append(Problem("unit_unknown", path, {"value": code}))
    if memo and (bureau is None or rec.get("implementing_body_code") != bureau.credit_code):
        problems.append(Problem("transfer_not_to_bureau", ("implementing_body_code",)))
    return problems


def _validity_problems(rec: records.Record) -> list[Problem]:
    try:
        start, end = _aware(rec["valid_from"]), _aware(rec["valid_to"])
    except ValueError:
        return []  # reported by records.validate
    problems = []
    item = Item.objects.filter(implementation_code=rec["implementation_code"]).first()
    current = services.latest_published(item) if item else None
    if start and current and current.content_hash != records.content_hash(rec) and (
            current.valid_from and start <= current.valid_from):
        problems.append(Problem("valid_from_not_later", ("valid_from",), {
            "value": rec["valid_from"],
            "current": timezone.localtime(current.valid_from).isoformat(timespec="seconds")}))
    if start and end and end <= start:
        problems.append(Problem("valid_to_before_from", ("valid_to",)))
    return problems


def check(sources: Iterable[SourceItem]) -> list[_Checked]:
    """Normalise and check every item; nothing is written."""
    units = {u.credit_code: u for u in Unit.objects.exclude(credit_code=None)}
    bureau = find_bureau()
    checked: list[_Checked] = []
    seen: dict[str, str] = {}
    for source in sources:
        raw = dict(source.record)
        raw_form = raw.pop(FORM_KEY, None)
        rec = records.normalise(raw)
        form, form_errors = _form_problems(raw_form, rec)
        problems = records.validate(rec, roles=services.ROLE_CODES)
        problems += _unit_problems(rec, units, bureau)
        if not problems:
            problems += _validity_problems(rec)
        code = rec.get("implementation_code")
        if code and code in seen:
            problems.append(Problem("duplicate_item", ("implementation_code",), {"value": code}))
        seen.setdefault(str(code), source.label)
        found = [*source.problems, *((source.locate(p.path), message(p)) for p in problems)]
        # A cell the reader could not parse is also refused by the record check, in the same
        # words at the same place: list it once.
        found += [(f"{source.label}（{_('网上申请表')}）", msg) for msg in form_errors]
        errors = [RowError(loc, msg) for loc, msg in dict.fromkeys(found)]
        checked.append(_Checked(source, rec, errors, form))
    return checked


def _write_version(actor: Any, item: Item, rec: records.Record, units: dict[str, Unit],
                   form: dict[str, Any] | None, current: ItemVersion | None) -> ItemVersion:
    number = (item.versions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    version = ItemVersion(item=item, number=number, created_by=actor,
                          competent_department=units[rec["competent_department_code"]])
    for key in snapshot.SCALAR_FIELDS:
        setattr(version, key, rec[key])
    start = _aware(rec["valid_from"]) or timezone.now()
    version.status = VersionStatus.PUBLISHED
    version.valid_from, version.valid_to = start, _aware(rec["valid_to"])
    version.published_at, version.published_by = timezone.now(), actor
    version.content_hash = records.content_hash(rec)
    version.save()
    snapshot.write_children(version, rec)
    if form is not None:
        online_form.write_definition(version, form["fields"], form["questions"])
    elif current is not None:
        online_form.copy_definition(current, version)
    services.refresh_listing(item)
    append_event(actor=actor, kind="catalog.publish", subject=f"item:{item.pk}", payload={
        "implementation_code": item.implementation_code, "version": number,
        "name": version.name, "content_hash": version.content_hash, "source": "import",
        "valid_from": start.isoformat(),
        "valid_to": version.valid_to.isoformat() if version.valid_to else None})
    return version


def _apply(actor: Any, rec: records.Record, units: dict[str, Unit], report: ImportReport,
           form: dict[str, Any] | None = None) -> None:
    item, created = Item.objects.select_for_update().get_or_create(
        implementation_code=rec["implementation_code"], defaults={
            "basic_code": rec["basic_code"], "exercise_level": rec["exercise_level"],
            "implementing_unit": units[rec["implementing_body_code"]]})
    current = None if created else services.latest_published(item)
    same_form = form is None or (
        current is not None and online_form.definition_record(current) == (
            _normal_form(form) if form["fields"] or form["questions"] else None))
    if current is not None and current.content_hash == records.content_hash(rec) and same_form:
        report.unchanged += 1
    else:
        _write_version(actor, item, rec, units, form, current)
        if current is None:
            report.created += 1
        else:
            report.updated += 1
    memo = rec["transfer"]
    if memo is not None:
        existing = snapshot.memo_record(getattr(item, "transfer_memo", None)
                                        if not created else None)
        if existing is None or records.normalise({"transfer": existing})["transfer"] != memo:
            services.memo_save(
                actor=actor, item=item, from_department=units[memo["from_department_code"]],
                to_unit=item.implementing_unit,
                effective_on=dt.date.fromisoformat(memo["effective_on"]),
                approval_duty=memo["approval_duty"], supervision_duty=memo["supervision_duty"],
                document_no=memo["document_no"],
                signatories=[{**s, "signed_on": dt.date.fromisoformat(s["signed_on"])
                              if s["signed_on"] else None} for s in memo["signatories"]])
            report.memos += 1


def _normal_form(form: dict[str, Any]) -> dict[str, Any]:
    """`form` as `online_form.definition_record` would give it back once written."""
    fields, questions = online_form.build_definition(
        None, form["fields"], form["questions"], _AnyVariant())
    return {
        "fields": [{"key": f.key, "label": f.label, "kind": f.kind, "required": f.required,
                    "pattern": f.pattern,
                    "min_value": _cents(f.min_value), "max_value": _cents(f.max_value),
                    "choices": list(f.choices), "help_text": f.help_text,
                    "variant": str(row.get("variant", "") or "")}
                   for f, row in zip(fields, form["fields"], strict=True)],
        "questions": [{"text": q.text, "help_text": q.help_text, "options": list(q.options)}
                      for q in questions]}


def _cents(value: Decimal | None) -> str | None:
    """As the database gives the value back (two decimal places)."""
    return None if value is None else str(value.quantize(Decimal("0.01")))


class _AnyVariant(dict[str, int | None]):
    """Every variant code exists (the record has been checked already)."""

    def __contains__(self, key: object) -> bool:
        return True

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        return None


class _DryRun(Exception):
    pass


def import_items(
    *, actor: Any, sources: Iterable[SourceItem], good_rows_only: bool = False,
    dry_run: bool = False, progress: Callable[[int, int], None] | None = None,
    file_name: str = "",
) -> ImportReport:
    """Check every item, then write the good ones in one transaction: all of them, or none
    when any item is bad and `good_rows_only` is not set. `dry_run` checks and counts what
    would change, then rolls back."""
    checked = check(sources)
    report = ImportReport(total=len(checked), dry_run=dry_run)
    for entry in checked:
        report.errors += entry.errors
    if report.errors and not good_rows_only:
        report.skipped = report.total
        return report
    good = [c for c in checked if not c.errors]
    report.skipped = report.total - len(good)
    units = {u.credit_code: u for u in Unit.objects.exclude(credit_code=None)}
    try:
        with transaction.atomic():
            for done, entry in enumerate(good, start=1):
                _apply(actor, entry.rec, units, report, entry.form)
                if progress:
                    progress(done, len(good))
            if report.created or report.updated or report.memos:
                append_event(actor=actor, kind="catalog.import", subject="catalog", payload={
                    "file": file_name, "created": report.created, "updated": report.updated,
                    "unchanged": report.unchanged, "memos": report.memos,
                    "skipped": report.skipped})
            if dry_run:
                raise _DryRun
    except _DryRun:
        return report
    report.written = True
    return report
