"""Writes of the catalogue (only services write). Every service takes `actor=`; drafts are
locked before they change; publishing and memo changes append to the audit chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.core.audit import append_event
from oneseal.org.models import Unit

from . import online_form, snapshot
from .domain import codes, limits, records, search
from .domain.problems import Problem
from .exceptions import CatalogError, CatalogValidationError, VersionLockedError
from .models import (
    Item,
    ItemListing,
    ItemVersion,
    Material,
    Signatory,
    TransferMemo,
    Variant,
    VersionStatus,
)

ROLE_CODES = frozenset(Role.values)


def _lock_draft(version: ItemVersion) -> ItemVersion:
    # of=("self",): lock the draft only, not its joined item — the item row is shared with
    # every case and version of the item (the deadlock pattern of issue 19: a joined row
    # locked by accident, waited on by deferred foreign-key checks at COMMIT).
    locked = (ItemVersion.objects.select_for_update(of=("self",)).select_related("item")
              .get(pk=version.pk))
    if locked.status != VersionStatus.DRAFT:
        raise VersionLockedError(
            _("第 %(number)s 版已发布，发布后的版本不能修改；请新建草稿。")
            % {"number": locked.number})
    return locked


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise CatalogValidationError(problems)


def latest_published(item: Item) -> ItemVersion | None:
    return item.versions.filter(status=VersionStatus.PUBLISHED).order_by("-valid_from",
                                                                        "-number").first()


# --- items and drafts -------------------------------------------------------------------

@transaction.atomic
def item_create(
    *, actor: Any, implementing_unit: Unit, exercise_level: int, basic_code: str, name: str,
    item_type: str, competent_department: Unit, **elements: Any,
) -> ItemVersion:
    """Create an item and its first draft. The implementation code is composed from the
    implementing body's credit code, the exercise level and the basic code (law.md §13)."""
    basic = (basic_code or "").strip().upper()
    problems = codes.implementation_code_problems(
        None, implementing_unit.credit_code or "", exercise_level, basic)
    _raise_if(problems)
    code = codes.implementation_code(implementing_unit.credit_code or "", exercise_level, basic)
    if Item.objects.filter(implementation_code=code).exists():
        raise CatalogError(_("实施编码 %(code)s 已存在。") % {"code": code})
    item = Item.objects.create(implementation_code=code, basic_code=basic,
                               exercise_level=exercise_level,
                               implementing_unit=implementing_unit)
    version = ItemVersion(item=item, number=1, name=name.strip(), item_type=item_type,
                          competent_department=competent_department, created_by=actor)
    _apply_scalars(version, elements)
    version.save()
    append_event(actor=actor, kind="catalog.item.create", subject=f"item:{item.pk}",
                 payload={"implementation_code": code, "name": version.name})
    return version


def _apply_scalars(version: ItemVersion, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        if key not in snapshot.SCALAR_FIELDS and key != "competent_department":
            raise TypeError(f"not an element of a version: {key}")
        setattr(version, key, value.strip() if isinstance(value, str) else value)
    _raise_if(limits.limit_problems(version.statutory_limit_days, version.promised_limit_days,
                                    version.statutory_limit_unit)
              + limits.extension_problems(version.extension_limit_days,
                                          version.extension_limit_basis))


@transaction.atomic
def draft_update(*, actor: Any, version: ItemVersion, **fields: Any) -> ItemVersion:
    """Change elements of a draft. The limits are checked at once (第42条: promise within the
    statutory limit); everything else when the draft is published."""
    draft = _lock_draft(version)
    _apply_scalars(draft, fields)
    draft.save()
    return draft


@transaction.atomic
def draft_set_rows(*, actor: Any, version: ItemVersion, kind: str,
                   rows: list[dict[str, Any]]) -> None:
    """Replace a draft's legal bases, special procedures, fees, results or FAQs."""
    draft = _lock_draft(version)
    snapshot.write_rows(draft, kind, rows)


@transaction.atomic
def variant_save(*, actor: Any, version: ItemVersion, code: str, name: str,
                 variant: Variant | None = None) -> Variant:
    draft = _lock_draft(version)
    code, name = code.strip(), name.strip()
    clash = Variant.objects.filter(version=draft, code=code)
    if variant is not None:
        clash = clash.exclude(pk=variant.pk)
    if clash.exists():
        raise CatalogError(_("办理项编码“%(code)s”已存在。") % {"code": code})
    if variant is None:
        return Variant.objects.create(version=draft, code=code, name=name,
                                      sort=draft.variants.count())
    if variant.version_id != draft.pk:
        raise CatalogError(_("该办理项不属于此草稿。"))
    variant.code, variant.name = code, name
    variant.save(update_fields=["code", "name"])
    return variant


@transaction.atomic
def variant_delete(*, actor: Any, variant: Variant) -> None:
    _lock_draft(variant.version)
    variant.delete()


@transaction.atomic
def variant_set_materials(*, actor: Any, variant: Variant, rows: list[dict[str, Any]]) -> None:
    """Set a variant's materials in order. A row with "id" updates that material (its files
    stay unless the row brings a new file, or False to remove it); the others are created;
    materials left out are deleted."""
    _lock_draft(variant.version)
    existing = {m.pk: m for m in variant.materials.all()}
    keep: set[int] = set()
    for sort, row in enumerate(rows):
        material = existing.get(row.get("id") or 0) or Material(variant=variant)
        for key in snapshot.MATERIAL_FIELDS:
            if key in row:
                setattr(material, key, row[key])
        for key in ("blank_form", "example"):
            if row.get(key) is False:
                setattr(material, key, "")
            elif row.get(key):
                setattr(material, key, row[key])
        material.sort = sort
        material.save()
        keep.add(material.pk)
    variant.materials.exclude(pk__in=keep).delete()


@transaction.atomic
def variant_set_steps(*, actor: Any, variant: Variant, rows: list[dict[str, Any]]) -> None:
    """Set a variant's review chain (审批环节) in order: name, role, own limit, skippable for
    an on-the-spot item, and whether it is a site visit (现场核查, 行政许可法 第34条; checked
    with the whole chain when the draft is published)."""
    _lock_draft(variant.version)
    for row in rows:
        if row.get("role") not in ROLE_CODES:
            _raise_if([Problem("not_a_choice", ("steps", "role"), {"value": row.get("role")})])
        if not isinstance(row.get("site_visit", False), bool):
            _raise_if([Problem("not_boolean", ("steps", "site_visit"),
                               {"value": row.get("site_visit")})])
    snapshot.write_steps(variant, rows)


@transaction.atomic
def draft_create(*, actor: Any, item: Item) -> ItemVersion:
    """Open a new draft from the latest published version (a published version is never
    changed, a new one is). Returns the existing draft if there is one."""
    Item.objects.select_for_update().get(pk=item.pk)
    existing = item.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing
    source = latest_published(item)
    if source is None:
        raise CatalogError(_("该事项还没有已发布的版本。"))
    number = (item.versions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    draft = ItemVersion(item=item, number=number, created_by=actor)
    for field in (*snapshot.SCALAR_FIELDS, "competent_department"):
        setattr(draft, field, getattr(source, field))
    draft.save()
    snapshot.copy_children(source, draft)
    online_form.copy_definition(source, draft)  # the online form and its guided questions
    return draft


@transaction.atomic
def draft_discard(*, actor: Any, version: ItemVersion) -> None:
    """Delete a draft; an item that was never published goes with it."""
    draft = _lock_draft(version)
    item = draft.item
    draft.delete()
    if not item.versions.exists():
        append_event(actor=actor, kind="catalog.item.delete", subject=f"item:{item.pk}",
                     payload={"implementation_code": item.implementation_code})
        item.delete()


# --- publish ---------------------------------------------------------------------------

def _validity_problems(item: Item, valid_from: dt.datetime,
                       valid_to: dt.datetime | None) -> list[Problem]:
    problems: list[Problem] = []
    current = latest_published(item)
    if current is not None and current.valid_from and valid_from <= current.valid_from:
        problems.append(Problem("valid_from_not_later", ("valid_from",), {
            "value": timezone.localtime(valid_from).strftime("%Y-%m-%d %H:%M"),
            "current": timezone.localtime(current.valid_from).strftime("%Y-%m-%d %H:%M")}))
    if valid_to is not None and valid_to <= valid_from:
        problems.append(Problem("valid_to_before_from", ("valid_to",)))
    return problems


def memo_problems(item: Item, memo_to: Unit | None) -> list[Problem]:
    """A transferred item is implemented by the body it was transferred to (第25条)."""
    if memo_to is not None and item.implementing_unit_id != memo_to.pk:
        return [Problem("transfer_not_to_bureau", ("transfer",))]
    return []


def refresh_listing(item: Item) -> None:
    """Rebuild the search index rows of `item` (ItemListing): each published version is in
    force from its valid_from until the next version's valid_from or its own valid_to,
    whichever is first."""
    published = list(item.versions.filter(status=VersionStatus.PUBLISHED)
                     .order_by("valid_from", "number"))
    transferred = TransferMemo.objects.filter(item=item).exists()
    ItemListing.objects.filter(item=item).delete()
    rows = []
    for index, version in enumerate(published):
        nxt = published[index + 1].valid_from if index + 1 < len(published) else None
        ends = [d for d in (version.valid_to, nxt) if d is not None]
        rows.append(ItemListing(
            version=version, item=item, valid_from=version.valid_from,
            valid_until=min(ends) if ends else None,
            search_key=search.search_key(version.name, item.implementation_code),
            competent_department_id=version.competent_department_id,
            basic_code=item.basic_code, item_type=version.item_type,
            street_available=version.street_available, online_depth=version.online_depth,
            in_hall=version.in_hall, transferred=transferred))
    ItemListing.objects.bulk_create(rows)


@transaction.atomic
def version_publish(*, actor: Any, version: ItemVersion, valid_from: dt.datetime | None = None,
                    valid_to: dt.datetime | None = None) -> ItemVersion:
    """Publish a draft: every element is checked (law.md §13), all problems reported at once;
    the version becomes read-only, in force from `valid_from` (default now), and the publish
    is written to the audit chain."""
    draft = _lock_draft(version)
    start = valid_from or timezone.now()
    rec = snapshot.record_of(draft)
    memo = TransferMemo.objects.filter(item=draft.item).select_related("to_unit").first()
    problems = records.validate(rec, roles=ROLE_CODES)
    problems += _validity_problems(draft.item, start, valid_to)
    problems += memo_problems(draft.item, memo.to_unit if memo else None)
    _raise_if(problems)
    draft.status = VersionStatus.PUBLISHED
    draft.valid_from, draft.valid_to = start, valid_to
    draft.published_at, draft.published_by = timezone.now(), actor
    draft.content_hash = records.content_hash(rec)
    draft.save()
    refresh_listing(draft.item)
    append_event(actor=actor, kind="catalog.publish", subject=f"item:{draft.item_id}", payload={
        "implementation_code": draft.item.implementation_code, "version": draft.number,
        "name": draft.name, "content_hash": draft.content_hash,
        "valid_from": start.isoformat(), "valid_to": valid_to.isoformat() if valid_to else None,
    })
    return draft


# --- transfer memos --------------------------------------------------------------------

@transaction.atomic
def memo_save(
    *, actor: Any, item: Item, from_department: Unit, to_unit: Unit, effective_on: dt.date,
    approval_duty: str, supervision_duty: str, document_no: str = "",
    signatories: list[dict[str, Any]] | None = None,
) -> TransferMemo:
    """Record (or correct) the transfer memo of an item (划转备忘录, 行政许可法 第25条). The item
    must be implemented by the receiving body, and a department cannot transfer to itself."""
    locked = Item.objects.select_for_update().get(pk=item.pk)
    problems = memo_problems(locked, to_unit)
    if from_department.pk == to_unit.pk:
        problems.append(Problem("transfer_to_itself", ("transfer", "from_department_code")))
    for key, value in (("approval_duty", approval_duty), ("supervision_duty", supervision_duty)):
        if not (value or "").strip():
            problems.append(Problem("required", ("transfer", key)))
    _raise_if(problems)
    memo, created = TransferMemo.objects.update_or_create(item=locked, defaults={
        "from_department": from_department, "to_unit": to_unit, "effective_on": effective_on,
        "document_no": document_no.strip(), "approval_duty": approval_duty.strip(),
        "supervision_duty": supervision_duty.strip()})
    ItemListing.objects.filter(item=locked).update(transferred=True)
    memo.signatories.all().delete()
    Signatory.objects.bulk_create(
        Signatory(memo=memo, sort=i, name=s["name"], unit=s["unit"], title=s.get("title", ""),
                  signed_on=s.get("signed_on") or None)
        for i, s in enumerate(signatories or []))
    append_event(actor=actor, kind="catalog.memo.create" if created else "catalog.memo.update",
                 subject=f"item:{locked.pk}", payload={
                     "implementation_code": locked.implementation_code,
                     "from_department": from_department.pk, "to_unit": to_unit.pk,
                     "effective_on": effective_on.isoformat(), "document_no": memo.document_no})
    return memo
