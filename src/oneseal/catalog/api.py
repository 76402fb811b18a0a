"""The public catalogue over HTTP (no token): `GET /api/v1/items` (search, filters,
pagination) and `GET /api/v1/items/{id}` (the service guide of the version in force)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from oneseal.core.api_types import MAX_DB_INT, Id

from . import selectors
from .models import ITEM_TYPE_CHOICES, ItemVersion

router = Router(tags=["catalog"])
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000  # the offset (page − 1) × page_size stays far inside a 64-bit integer


class ItemQuery(Schema):
    q: str = Field("", description="名称任意部分、拼音首字母或全拼、编码 / name part, pinyin, code")
    department: Id | None = Field(None, description="主管部门 id / competent department")
    type: str = Field("", description="事项类型代码 / item type code, e.g. licensing")
    street: bool | None = Field(None, description="街道可办 / available at street centres")
    depth: int | None = Field(None, ge=1, le=4, description="网办深度至少 / online depth ≥")
    in_hall: bool | None = Field(None, description="进驻大厅 / in the service hall")
    transferred: bool | None = Field(None, description="已划转行政审批局 / transferred")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class UnitOut(Schema):
    id: int
    name: str


class ItemSummary(Schema):
    id: int
    name: str
    implementation_code: str
    item_type: str
    item_type_label: str
    competent_department: UnitOut
    implementing_body: UnitOut
    handling_type: str
    statutory_limit_days: int
    statutory_limit_unit: str = Field(
        description="working_days | days | months (民法典 第201–203条 for days and months)")
    statutory_limit_start: str = Field(description="acceptance (受理) | receipt (收到申请)")
    joint_handling: str = Field(
        description="joint handling the item's law prescribes (行政许可法 第26条): \"\" none "
                    "| unified (统一办理) | joint (联合办理) | centralised (集中办理); its cases "
                    "have 45 working days (第42条第二款)")
    promised_limit_days: int
    online_depth: int
    visits_required: int
    street_available: bool
    version: int


class ItemPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ItemSummary]


class LegalBasisOut(Schema):
    law: str
    article: str
    text: str


class MaterialOut(Schema):
    id: int
    name: str
    originals: int
    copies: int
    paper_size: str
    required: bool
    shareable: bool
    share_source: str
    legal_basis: str
    note: str
    blank_form_url: str | None
    example_url: str | None


class StepOut(Schema):
    order: int
    name: str
    role: str
    limit_days: int
    skippable_on_spot: bool
    site_visit: bool = Field(..., description=(
        "现场核查，须指派两名以上工作人员（《行政许可法》第三十四条）"
        " / verified on site by two or more staff"))


class VariantOut(Schema):
    code: str
    name: str
    materials: list[MaterialOut]
    steps: list[StepOut]


class ProcedureOut(Schema):
    kind: str
    kind_label: str
    usual_days: int
    legal_basis: str
    stops_clock: bool


class FeeOut(Schema):
    name: str
    amount: str
    basis: str


class ResultOut(Schema):
    name: str
    kind: str
    validity: str


class FaqOut(Schema):
    question: str
    answer: str


class TransferOut(Schema):
    from_department: UnitOut
    to_unit: UnitOut
    effective_on: str
    document_no: str
    approval_duty: str
    supervision_duty: str


class ItemDetail(ItemSummary):
    basic_code: str
    exercise_level: int
    acceptance_conditions: str
    review_standard: str
    statutory_limit_basis: str
    statutory_limit_text: str
    extension_limit_days: int | None = Field(
        description="the item's own extension cap in the limit's unit; null: 行政许可法 第42条 "
                    "(10 working days, 15 for joint handling); 0: no extension")
    extension_limit_basis: str
    joint_handling_basis: str
    fee_free: bool
    in_hall: bool
    window: str
    address: str
    hours: str
    phone: str
    valid_from: str
    legal_bases: list[LegalBasisOut]
    special_procedures: list[ProcedureOut]
    fees: list[FeeOut]
    results: list[ResultOut]
    faqs: list[FaqOut]
    variants: list[VariantOut]
    transfer: TransferOut | None


class ErrorOut(Schema):
    detail: str
    code: str


def _unit(unit: Any) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.name}


def summary(version: ItemVersion, labels: dict[str, str] | None = None) -> dict[str, Any]:
    item = version.item
    labels = labels or _labels()
    return {
        "id": item.pk, "name": version.name, "implementation_code": item.implementation_code,
        "item_type": version.item_type, "item_type_label": labels[version.item_type],
        "competent_department": _unit(version.competent_department),
        "implementing_body": _unit(item.implementing_unit),
        "handling_type": labels["on_the_spot" if version.is_on_the_spot else "promised"],
        "statutory_limit_days": version.statutory_limit_days,
        "statutory_limit_unit": version.statutory_limit_unit,
        "statutory_limit_start": version.statutory_limit_start,
        "joint_handling": version.joint_handling,
        "promised_limit_days": version.promised_limit_days,
        "online_depth": version.online_depth, "visits_required": version.visits_required,
        "street_available": version.street_available, "version": version.number,
    }


def _labels() -> dict[str, str]:
    """The labels a list needs, translated once per request rather than once per row."""
    return {**{code: str(label) for code, label in ITEM_TYPE_CHOICES},
            "on_the_spot": str(_("即办件")), "promised": str(_("承诺件"))}


def _file_url(request: HttpRequest, material: Any, kind: str) -> str | None:
    if not getattr(material, kind):
        return None
    return request.build_absolute_uri(
        reverse("catalog:material_file", args=[material.pk, kind]))


def detail(request: HttpRequest, version: ItemVersion) -> dict[str, Any]:
    memo = getattr(version.item, "transfer_memo", None)
    return {
        **summary(version),
        "basic_code": version.item.basic_code, "exercise_level": version.item.exercise_level,
        "acceptance_conditions": version.acceptance_conditions,
        "review_standard": version.review_standard,
        "statutory_limit_basis": version.statutory_limit_basis,
        "statutory_limit_text": version.statutory_limit_text(),
        "extension_limit_days": version.extension_limit_days,
        "extension_limit_basis": version.extension_limit_basis,
        "joint_handling_basis": version.joint_handling_basis, "fee_free": version.fee_free,
        "in_hall": version.in_hall, "window": version.window, "address": version.address,
        "hours": version.hours, "phone": version.phone,
        "valid_from": timezone.localtime(version.valid_from).isoformat(),
        "legal_bases": [{"law": b.law, "article": b.article, "text": b.text}
                        for b in version.legal_bases.all()],
        "special_procedures": [
            {"kind": p.kind, "kind_label": str(p.get_kind_display()),
             "usual_days": p.usual_days, "legal_basis": p.legal_basis,
             "stops_clock": p.stops_clock} for p in version.special_procedures.all()],
        "fees": [{"name": f.name, "amount": str(f.amount), "basis": f.basis}
                 for f in version.fees.all()],
        "results": [{"name": r.name, "kind": r.kind, "validity": r.validity}
                    for r in version.results.all()],
        "faqs": [{"question": f.question, "answer": f.answer} for f in version.faqs.all()],
        "variants": [
            {"code": v.code, "name": v.name,
             "materials": [{
                 "id": m.pk, "name": m.name, "originals": m.originals, "copies": m.copies,
                 "paper_size": m.paper_size, "required": m.required, "shareable": m.shareable,
                 "share_source": m.share_source, "legal_basis": m.legal_basis, "note": m.note,
                 "blank_form_url": _file_url(request, m, "blank_form"),
                 "example_url": _file_url(request, m, "example")} for m in v.materials.all()],
             "steps": [{"order": s.order, "name": s.name, "role": s.role,
                        "limit_days": s.limit_days, "skippable_on_spot": s.skippable_on_spot,
                        "site_visit": s.site_visit}
                       for s in v.steps.all()]}
            for v in version.variants.all()],
        "transfer": {
            "from_department": _unit(memo.from_department), "to_unit": _unit(memo.to_unit),
            "effective_on": memo.effective_on.isoformat(), "document_no": memo.document_no,
            "approval_duty": memo.approval_duty, "supervision_duty": memo.supervision_duty,
        } if memo else None,
    }


def filters_of(query: ItemQuery) -> selectors.ItemFilters:
    return selectors.ItemFilters(
        q=query.q, department=query.department, item_type=query.type, street=query.street,
        online_depth=query.depth, in_hall=query.in_hall, transferred=query.transferred)


@router.get("/items", auth=None, response=ItemPage,
            summary="事项目录检索 / search the item catalogue")
def list_items(request: HttpRequest, query: Query[ItemQuery]) -> dict[str, Any]:
    """Items in force: search by any part of the name, pinyin initials (SPJY) or code,
    filter by department, type, street availability and online depth; paginated."""
    qs = selectors.search_items(filters_of(query))
    start = (query.page - 1) * query.page_size
    rows = qs[start:start + query.page_size]
    labels = _labels()
    return {"count": qs.count(), "page": query.page, "page_size": query.page_size,
            "items": [summary(v, labels) for v in rows]}


@router.get("/items/{item_id}", auth=None, response={200: ItemDetail, 404: ErrorOut},
            summary="事项办事指南 / an item's service guide")
def get_item(request: HttpRequest,
             item_id: int = Path(..., ge=1, le=MAX_DB_INT)) -> Any:
    """The service guide of the version in force: every element of the item."""
    version = selectors.published_guide(item_id)
    if version is None:
        return JsonResponse({"detail": _("事项不存在或未发布。"), "code": "not_found"}, status=404)
    return detail(request, version)
