"""Between an item version in the database and an item record (domain/records.py).

`record_of` reads a version (and the item's memo) into a record: the publish check, the
content hash and the export all use it, so what is checked, hashed and exported is the same.
`write_children` writes a record's lists into a draft; only services call it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from .domain import records
from .models import (
    ChainStep,
    Faq,
    Fee,
    ItemVersion,
    LegalBasis,
    Material,
    Result,
    SpecialProcedure,
    TransferMemo,
    Variant,
)


def _iso(value: Any) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def memo_record(memo: TransferMemo | None) -> dict[str, Any] | None:
    if memo is None:
        return None
    return {
        "from_department_code": memo.from_department.credit_code or "",
        "effective_on": memo.effective_on.isoformat(),
        "document_no": memo.document_no,
        "approval_duty": memo.approval_duty,
        "supervision_duty": memo.supervision_duty,
        "signatories": [
            {"name": s.name, "unit": s.unit, "title": s.title,
             "signed_on": s.signed_on.isoformat() if s.signed_on else ""}
            for s in memo.signatories.all()
        ],
    }


def record_of(version: ItemVersion, *, with_memo: bool = True) -> records.Record:
    """The record of a version: every element, in the order they are shown."""
    item = version.item
    memo = getattr(item, "transfer_memo", None) if with_memo else None
    rec: records.Record = {
        "implementation_code": item.implementation_code,
        "basic_code": item.basic_code,
        "exercise_level": item.exercise_level,
        "implementing_body_code": item.implementing_unit.credit_code or "",
        "competent_department_code": version.competent_department.credit_code or "",
        "name": version.name,
        "item_type": version.item_type,
        "acceptance_conditions": version.acceptance_conditions,
        "review_standard": version.review_standard,
        "statutory_limit_days": version.statutory_limit_days,
        "statutory_limit_basis": version.statutory_limit_basis,
        "promised_limit_days": version.promised_limit_days,
        "statutory_limit_unit": version.statutory_limit_unit,
        "statutory_limit_start": version.statutory_limit_start,
        "extension_limit_days": version.extension_limit_days,
        "extension_limit_basis": version.extension_limit_basis,
        "joint_handling": version.joint_handling,
        "joint_handling_basis": version.joint_handling_basis,
        "handling_type": "",
        "fee_free": version.fee_free,
        "online_depth": version.online_depth,
        "visits_required": version.visits_required,
        "street_available": version.street_available,
        "in_hall": version.in_hall,
        "window": version.window, "address": version.address, "hours": version.hours,
        "phone": version.phone,
        "valid_from": _iso(version.valid_from), "valid_to": _iso(version.valid_to),
        "legal_bases": [{"law": b.law, "article": b.article, "text": b.text}
                        for b in version.legal_bases.all()],
        "special_procedures": [
            {"kind": s.kind, "usual_days": s.usual_days, "legal_basis": s.legal_basis,
             "stops_clock": s.stops_clock} for s in version.special_procedures.all()],
        "fees": [{"name": f.name, "amount": str(f.amount), "basis": f.basis}
                 for f in version.fees.all()],
        "results": [{"name": r.name, "kind": r.kind, "validity": r.validity}
                    for r in version.results.all()],
        "faqs": [{"question": f.question, "answer": f.answer} for f in version.faqs.all()],
        "variants": [
            {"code": v.code, "name": v.name,
             "materials": [
                 {"name": m.name, "originals": m.originals, "copies": m.copies,
                  "paper_size": m.paper_size, "required": m.required,
                  "shareable": m.shareable, "share_source": m.share_source,
                  "legal_basis": m.legal_basis, "note": m.note}
                 for m in v.materials.all()],
             "steps": [
                 {"name": s.name, "role": s.role, "limit_days": s.limit_days,
                  "skippable_on_spot": s.skippable_on_spot, "site_visit": s.site_visit}
                 for s in v.steps.all()]}
            for v in version.variants.all()
        ],
        "transfer": memo_record(memo),
    }
    return records.normalise(rec)


SCALAR_FIELDS = (
    "name", "item_type", "acceptance_conditions", "review_standard", "statutory_limit_days",
    "statutory_limit_basis", "promised_limit_days", "fee_free", "online_depth",
    "visits_required", "street_available", "in_hall", "window", "address", "hours", "phone",
    "statutory_limit_unit", "statutory_limit_start", "extension_limit_days",
    "extension_limit_basis", "joint_handling", "joint_handling_basis",
)
ROW_MODELS: dict[str, type[Any]] = {
    "legal_bases": LegalBasis, "special_procedures": SpecialProcedure, "fees": Fee,
    "results": Result, "faqs": Faq,
}


def write_rows(version: ItemVersion, kind: str, rows: list[dict[str, Any]]) -> None:
    """Replace one list of a draft (legal bases, special procedures, fees, results, FAQs)."""
    model = ROW_MODELS[kind]
    model.objects.filter(version=version).delete()
    objs = []
    for sort, row in enumerate(rows):
        data = dict(row)
        if kind == "fees":
            data["amount"] = Decimal(str(data["amount"]))
        objs.append(model(version=version, sort=sort, **data))
    model.objects.bulk_create(objs)


MATERIAL_FIELDS = ("name", "originals", "copies", "paper_size", "required", "shareable",
                   "share_source", "legal_basis", "note")


def write_materials(variant: Variant, rows: list[dict[str, Any]]) -> None:
    Material.objects.filter(variant=variant).delete()
    Material.objects.bulk_create(
        Material(variant=variant, sort=sort, **{k: row[k] for k in MATERIAL_FIELDS if k in row},
                 blank_form=row.get("blank_form") or "", example=row.get("example") or "")
        for sort, row in enumerate(rows))


def write_steps(variant: Variant, rows: list[dict[str, Any]]) -> None:
    """Replace a variant's review chain; a row without "site_visit" is not a site visit."""
    ChainStep.objects.filter(variant=variant).delete()
    ChainStep.objects.bulk_create(
        ChainStep(variant=variant, order=order, name=row["name"], role=row["role"],
                  limit_days=row["limit_days"], skippable_on_spot=row["skippable_on_spot"],
                  site_visit=bool(row.get("site_visit", False)))
        for order, row in enumerate(rows, start=1))


def write_children(version: ItemVersion, rec: records.Record) -> None:
    """Write every list of a record into a fresh draft (import, copy)."""
    for kind in ROW_MODELS:
        write_rows(version, kind, rec[kind])
    Variant.objects.filter(version=version).delete()
    for sort, row in enumerate(rec["variants"]):
        variant = Variant.objects.create(version=version, code=row["code"], name=row["name"],
                                         sort=sort)
        write_materials(variant, row["materials"])
        write_steps(variant, row["steps"])


def copy_children(source: ItemVersion, target: ItemVersion) -> None:
    """Copy a version's lists into a new draft, keeping material files (shared, unchanged)."""
    for kind, model in ROW_MODELS.items():
        rows = getattr(source, kind).all()
        model.objects.bulk_create(
            model(**{f.attname: getattr(r, f.attname) for f in model._meta.concrete_fields
                     if f.attname not in ("id", "version_id")}, version=target) for r in rows)
    for variant in source.variants.all():
        copy = Variant.objects.create(version=target, code=variant.code, name=variant.name,
                                      sort=variant.sort)
        for model, rel in ((Material, variant.materials), (ChainStep, variant.steps)):
            model.objects.bulk_create(
                model(**{f.attname: getattr(r, f.attname) for f in model._meta.concrete_fields
                         if f.attname not in ("id", "variant_id")}, variant=copy)
                for r in rel.all())
