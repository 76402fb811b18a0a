"""Export the catalogue: every item's latest published version, as records (round trip with
`importing`), and the power and responsibility list of a department (权责清单)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import IO, Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from . import formats, importing, online_form, selectors, snapshot
from .models import FormField, ItemVersion, Variant, VersionStatus


def published_records(progress: Callable[[int, int], None] | None = None
                      ) -> list[dict[str, Any]]:
    """The latest published version of every item, as records, by implementation code."""
    latest: dict[int, int] = {}
    for pk, item_id in (ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
                        .order_by("item_id", "valid_from", "number")
                        .values_list("pk", "item_id")):
        latest[item_id] = pk
    versions = (ItemVersion.objects.filter(pk__in=latest.values())
                .select_related("item", "item__implementing_unit", "competent_department",
                                "item__transfer_memo", "item__transfer_memo__from_department")
                .prefetch_related("legal_bases", "special_procedures", "fees", "results",
                                  "faqs", "item__transfer_memo__signatories",
                                  "guide_questions",
                                  Prefetch("form_fields",
                                           FormField.objects.select_related("variant")),
                                  Prefetch("variants", Variant.objects.prefetch_related(
                                      "materials", "steps")))
                .order_by("item__implementation_code"))
    out = []
    total = len(latest)
    for done, version in enumerate(versions.iterator(chunk_size=500), start=1):
        rec = snapshot.record_of(version)
        form = online_form.definition_record(version)
        if form is not None:  # outside the hashed record: see importing.FORM_KEY
            rec[importing.FORM_KEY] = form
        out.append(rec)
        if progress:
            progress(done, total)
    return out


def export_file(target: IO[bytes], fmt: str,
                progress: Callable[[int, int], None] | None = None) -> int:
    recs = published_records(progress)
    if fmt == "json":
        formats.write_json(recs, target)
    else:
        formats.write_excel(recs, target)
    return len(recs)


def power_list_rows(power: selectors.PowerList) -> list[dict[str, Any]]:
    """The 权责清单 as rows: category, item, codes, type, basis, limits, transfer."""
    rows = []
    for category, entries in ((_("本部门实施"), power.held),
                              (_("已划转至行政审批局"), power.transferred_out),
                              (_("主管监管（由他单位实施）"), power.supervised)):
        for entry in entries:
            version, memo = entry.version, entry.memo
            rows.append({
                "category": category,
                "name": version.name,
                "implementation_code": version.item.implementation_code,
                "basic_code": version.item.basic_code,
                "item_type": str(version.get_item_type_display()),
                "implementing_body": version.item.implementing_unit.name,
                "statutory_limit_days": version.statutory_limit_days,
                "statutory_limit_unit": version.statutory_limit_unit,
                "statutory_limit": version.statutory_limit_text(),
                "promised_limit_days": version.promised_limit_days,
                "transferred_to": memo.to_unit.name if memo else "",
                "transfer_effective_on": memo.effective_on.isoformat() if memo else "",
                "supervision_duty": memo.supervision_duty if memo else "",
            })
    return rows


POWER_COLUMNS = [
    ("category", gettext_lazy("类别")),
    ("name", gettext_lazy("事项名称")),
    ("implementation_code", gettext_lazy("实施编码")),
    ("basic_code", gettext_lazy("基本编码")),
    ("item_type", gettext_lazy("事项类型")),
    ("implementing_body", gettext_lazy("实施主体")),
    ("statutory_limit", gettext_lazy("法定办结时限")),
    ("promised_limit_days", gettext_lazy("承诺办结时限（工作日）")),
    ("transferred_to", gettext_lazy("划入单位")),
    ("transfer_effective_on", gettext_lazy("划转生效日期")),
    ("supervision_duty", gettext_lazy("监管职责")),
]


def power_list_excel(power: selectors.PowerList, target: IO[bytes]) -> None:
    book = Workbook()
    ws = book.active
    ws.title = _("权责清单")
    ws.append([_("%(unit)s权责清单（%(date)s）") % {"unit": power.unit.name,
                                                 "date": power.on.isoformat()}])
    ws.append([str(label) for _key, label in POWER_COLUMNS])
    for row in power_list_rows(power):
        ws.append([row[key] for key, _label in POWER_COLUMNS])
    book.save(target)


def power_list_json(power: selectors.PowerList) -> dict[str, Any]:
    return {"unit": {"id": power.unit.pk, "name": power.unit.name,
                     "credit_code": power.unit.credit_code},
            "on": power.on.isoformat(), "generated_at": dt.datetime.now(dt.UTC).isoformat(),
            "items": power_list_rows(power)}
