"""Public pages of the catalogue (公众门户): the list of items in the hall (事项进驻目录), each
item's service guide (办事指南, printable on one A4 page), the materials' forms, and the
power and responsibility lists (权责清单). Anyone may read them."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from oneseal.org.models import Unit, UnitKind

from . import exporting, selectors
from .forms import ItemFilterForm
from .models import Material, VersionStatus

PAGE_SIZE = 20


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    """事项进驻目录: items in the hall, with search, filters and pagination."""
    form = ItemFilterForm(request.GET or None)
    qs = selectors.search_items(form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "catalog/portal/item_list.html", {
        "form": form, "page": page, "query": query.urlencode()})


@require_GET
def item_guide(request: HttpRequest, item_id: int) -> HttpResponse:
    """办事指南 of the version in force."""
    version = selectors.published_guide(item_id)
    if version is None:
        raise Http404
    memo = getattr(version.item, "transfer_memo", None)
    return render(request, "catalog/portal/guide.html", {
        "version": version, "memo": memo, "until": selectors.effective_until(version)})


@require_GET
def material_file(request: HttpRequest, material_id: int, kind: str) -> FileResponse:
    """A material's blank form or example, for materials of published versions only."""
    if kind not in ("blank_form", "example"):
        raise Http404
    material = get_object_or_404(Material.objects.select_related("variant__version"),
                                 pk=material_id,
                                 variant__version__status=VersionStatus.PUBLISHED)
    field = getattr(material, kind)
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True,
                        filename=field.name.rsplit("/", 1)[-1])


@require_GET
def power_lists(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.filter(kind__in=(UnitKind.BUREAU, UnitKind.DEPARTMENT,
                                          UnitKind.PUBLIC_SERVICE), is_active=True)
    return render(request, "catalog/portal/power_lists.html", {"units": units})


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@require_GET
def power_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    """权责清单 of one unit on a day (?on=YYYY-MM-DD), as a page, Excel or JSON."""
    unit = get_object_or_404(Unit, pk=unit_id)
    power = selectors.power_list(unit, _day(request.GET.get("on")))
    fmt = request.GET.get("format")
    name = f"power-list-{unit.code}-{power.on.isoformat()}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(exporting.power_list_json(power), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if fmt == "xlsx":
        buffer = io.BytesIO()
        exporting.power_list_excel(power, buffer)
        buffer.seek(0)
        return FileResponse(buffer, as_attachment=True, filename=f"{name}.xlsx")
    return render(request, "catalog/portal/power_list.html", {"power": power})
