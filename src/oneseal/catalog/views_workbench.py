"""Workbench pages of the catalogue administrators (事项目录管理员): create items, edit drafts
(elements, lists, variants with materials and review chains), publish, and keep the
transfer memos. Every page needs the catalog_admin role and a second factor
(`require_roles`); every write goes through `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.org.selectors import bureau as find_bureau

from . import forms, selectors, services
from .domain.search import normalise_query
from .exceptions import CatalogError, CatalogValidationError
from .models import Item, ItemVersion, TransferMemo, Variant, VersionStatus

admin_only = require_roles(Role.CATALOG_ADMIN)


def _errors(exc: CatalogError) -> list[str]:
    return exc.messages if isinstance(exc, CatalogValidationError) else [exc.message]


def _draft(version_id: int) -> ItemVersion:
    version = get_object_or_404(ItemVersion.objects.select_related("item"), pk=version_id)
    if version.status != VersionStatus.DRAFT:
        raise Http404
    return version


@admin_only
def index(request: HttpRequest) -> HttpResponse:
    """Every item with its latest version (draft or published)."""
    raw = request.GET.get("q", "").strip()
    latest = Subquery(ItemVersion.objects.filter(item=OuterRef("item"))
                      .order_by("-number").values("number")[:1])
    rows = (ItemVersion.objects.filter(number=latest)
            .select_related("item", "competent_department")
            .order_by("item__implementation_code"))
    if raw:
        q = normalise_query(raw)
        rows = rows.filter(Q(listing__search_key__contains=q) | Q(name__contains=raw)
                           | Q(item__implementation_code__contains=q))
    return render(request, "catalog/workbench/index.html", {"rows": rows[:500], "q": raw})


@admin_only
def item_new(request: HttpRequest) -> HttpResponse:
    form = forms.ItemCreateForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.item_create(actor=request.user, **data)
        except CatalogError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("已创建事项草稿。"))
            return redirect("catalog_admin:draft", draft.pk)
    return render(request, "catalog/workbench/item_new.html", {"form": form, "errors": errors})


@admin_only
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(Item.objects.select_related("implementing_unit"), pk=item_id)
    versions = item.versions.order_by("-number").select_related("published_by")
    memo = TransferMemo.objects.filter(item=item).select_related(
        "from_department", "to_unit").first()
    return render(request, "catalog/workbench/item.html", {
        "item": item, "versions": versions, "memo": memo,
        "in_force": selectors.version_in_force(item),
        "draft": versions.filter(status=VersionStatus.DRAFT).first()})


@admin_only
@require_POST
def draft_create(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(Item, pk=item_id)
    try:
        draft = services.draft_create(actor=request.user, item=item)
    except CatalogError as exc:
        messages.error(request, exc.message)
        return redirect("catalog_admin:item", item.pk)
    return redirect("catalog_admin:draft", draft.pk)


def _elements_initial(version: ItemVersion) -> dict[str, Any]:
    return {f: getattr(version, f) for f in forms.ElementsForm.base_fields
            if f != "competent_department"} | {
        "competent_department": version.competent_department_id}


@admin_only
def draft(request: HttpRequest, version_id: int) -> HttpResponse:
    """The draft's elements, its lists and variants, and the publish form."""
    version = _draft(version_id)
    form = forms.ElementsForm(request.POST or None, initial=_elements_initial(version))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_update(actor=request.user, version=version, **form.cleaned_data)
        except CatalogError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("catalog_admin:draft", version.pk)
    return render(request, "catalog/workbench/draft.html", {
        "version": version, "form": form, "errors": errors,
        "publish_form": forms.PublishForm(), "lists": forms.ROW_FORMS,
        "variants": version.variants.prefetch_related("materials", "steps")})


@admin_only
def draft_rows(request: HttpRequest, version_id: int, kind: str) -> HttpResponse:
    """One list of a draft: legal bases, special procedures, fees, results or FAQs."""
    if kind not in forms.ROW_FORMS:
        raise Http404
    version = _draft(version_id)
    initial = list(getattr(version, kind).values(*forms.ROW_FORMS[kind][0].base_fields))
    formset = forms.row_formset(kind, data=request.POST or None, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.draft_set_rows(actor=request.user, version=version, kind=kind,
                                    rows=forms.rows_of(formset))
        except CatalogError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("catalog_admin:draft", version.pk)
    return render(request, "catalog/workbench/rows.html", {
        "version": version, "formset": formset, "title": forms.ROW_FORMS[kind][1],
        "errors": errors})


@admin_only
def variant_edit(request: HttpRequest, version_id: int, variant_id: int | None = None
                 ) -> HttpResponse:
    """A variant (业务办理项): code and name, its materials and its review chain."""
    version = _draft(version_id)
    variant = get_object_or_404(Variant, pk=variant_id, version=version) if variant_id else None
    data = request.POST if request.method == "POST" else None
    form = forms.VariantForm(data, initial={"code": variant.code, "name": variant.name}
                             if variant else None)
    materials = forms.material_formset(
        data=data, files=request.FILES if data else None,
        initial=list(variant.materials.values("id", *(f for f in forms.MaterialForm.base_fields
                                                      if f not in ("id", "blank_form",
                                                                   "example"))))
        if variant else [])
    steps = forms.step_formset(data=data, initial=list(variant.steps.values(
        *forms.StepForm.base_fields)) if variant else [])
    errors: list[str] = []
    if data is not None and form.is_valid() and materials.is_valid() and steps.is_valid():
        try:
            with transaction.atomic():
                saved = services.variant_save(actor=request.user, version=version,
                                              variant=variant, **form.cleaned_data)
                services.variant_set_materials(actor=request.user, variant=saved,
                                               rows=[{k: v for k, v in row.items()
                                                      if v is not None or k == "id"}
                                                     for row in forms.rows_of(materials)])
                services.variant_set_steps(actor=request.user, variant=saved,
                                           rows=forms.rows_of(steps))
        except CatalogError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("已保存办理项。"))
            return redirect("catalog_admin:draft", version.pk)
    return render(request, "catalog/workbench/variant.html", {
        "version": version, "variant": variant, "form": form, "materials": materials,
        "steps": steps, "errors": errors})


@admin_only
@require_POST
def variant_delete(request: HttpRequest, version_id: int, variant_id: int) -> HttpResponse:
    version = _draft(version_id)
    variant = get_object_or_404(Variant, pk=variant_id, version=version)
    services.variant_delete(actor=request.user, variant=variant)
    messages.success(request, _("已删除办理项。"))
    return redirect("catalog_admin:draft", version.pk)


@admin_only
@require_POST
def publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _draft(version_id)
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        try:
            services.version_publish(actor=request.user, version=version, **form.cleaned_data)
        except CatalogError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("已发布第 %(n)s 版。") % {"n": version.number})
            return redirect("catalog_admin:item", version.item_id)
    else:
        messages.error(request, _("生效时间或失效时间格式不正确。"))
    return redirect("catalog_admin:draft", version.pk)


@admin_only
@require_POST
def discard(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _draft(version_id)
    item_id = version.item_id
    services.draft_discard(actor=request.user, version=version)
    messages.success(request, _("已删除草稿。"))
    if Item.objects.filter(pk=item_id).exists():
        return redirect("catalog_admin:item", item_id)
    return redirect("catalog_admin:index")


@admin_only
def memo_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    """The item's transfer memo (划转备忘录, 行政许可法 第25条)."""
    item = get_object_or_404(Item, pk=item_id)
    memo = TransferMemo.objects.filter(item=item).first()
    initial = ({"from_department": memo.from_department_id, "effective_on": memo.effective_on,
                "document_no": memo.document_no, "approval_duty": memo.approval_duty,
                "supervision_duty": memo.supervision_duty} if memo else None)
    data = request.POST if request.method == "POST" else None
    form = forms.MemoForm(data, initial=initial)
    people = forms.signatory_formset(data=data, initial=list(memo.signatories.values(
        "name", "unit", "title", "signed_on")) if memo else [])
    errors: list[str] = []
    bureau = find_bureau()
    if data is not None and form.is_valid() and people.is_valid():
        if bureau is None:
            errors = [_("系统中没有登记行政审批局。")]
        else:
            try:
                services.memo_save(actor=request.user, item=item, to_unit=bureau,
                                   signatories=forms.rows_of(people), **form.cleaned_data)
            except CatalogError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("已保存划转备忘录。"))
                return redirect("catalog_admin:item", item.pk)
    return render(request, "catalog/workbench/memo.html", {
        "item": item, "form": form, "people": people, "errors": errors})
