"""The demo catalogue as item records: the 21 items transferred to the bureau on 2019-03-31
with their memos, the 审核转报 item whose 初审 came by a later memo (`forwarded`), and the
in-hall items that stay with their departments (items.md)."""

from __future__ import annotations

from typing import Any

from oneseal.org.models import Unit

from . import forwarded, in_hall, transferred_a, transferred_b
from .common import HALL, VALID_FROM, memo

TRANSFERRED = [*transferred_a.ITEMS, *transferred_b.ITEMS, *forwarded.ITEMS]
IN_HALL = in_hall.ITEMS
# 审核转报 items are licences decided upstairs: the national code of 行政许可 (01).
TYPE_CODES = {"licensing": "01", "confirmation": "07", "public_service": "20",
              "review_forward": "01"}
UNIT_CODES = sorted({spec["dept"] for spec in [*TRANSFERRED, *IN_HALL]})


def record(spec: dict[str, Any], units: dict[str, Unit], bureau: Unit,
           transferred: bool) -> dict[str, Any]:
    dept = units[spec["dept"]]
    body = bureau if transferred else dept
    item_type = spec.get("type", "licensing")
    fees = spec.get("fees", [])
    rec: dict[str, Any] = {
        "basic_code": f"00{TYPE_CODES[item_type]}{spec['n']:05d}000",
        "exercise_level": 4,
        "implementing_body_code": body.credit_code,
        "competent_department_code": dept.credit_code,
        "name": spec["name"], "item_type": item_type,
        "acceptance_conditions": spec["conditions"], "review_standard": spec["standard"],
        "promised_limit_days": spec["promised"],
        "fee_free": not fees, "fees": fees,
        "online_depth": spec["depth"], "visits_required": spec["visits"],
        "street_available": spec.get("street", False), "in_hall": True,
        **HALL,
        "valid_from": VALID_FROM,
        "legal_bases": spec["bases"], "special_procedures": spec["procs"],
        "results": spec["results"], "faqs": spec["faqs"], "variants": spec["variants"],
    }
    if spec.get("statutory") is not None:
        rec["statutory_limit_days"] = spec["statutory"]
        rec["statutory_limit_basis"] = spec.get("statutory_basis", "")
    # The item's own limit (行政许可法 第42条 "法律、法规另有规定的，依照其规定"): its unit
    # (民法典 第201–203条 for 日 and 月), its start and its extension cap, from its law.
    for key, field in (("unit", "statutory_limit_unit"), ("start", "statutory_limit_start"),
                       ("extension", "extension_limit_days"),
                       ("extension_basis", "extension_limit_basis")):
        if key in spec:
            rec[field] = spec[key]
    if not transferred:
        rec["window"] = f"{dept.short_name or dept.name}窗口（部门进驻区）"
    if transferred:
        rec["transfer"] = {**memo(dept.name, spec["head"], **spec.get("memo", {})),
                           "from_department_code": dept.credit_code}
    return rec


def records(units: dict[str, Unit], bureau: Unit) -> list[dict[str, Any]]:
    return ([record(s, units, bureau, True) for s in TRANSFERRED]
            + [record(s, units, bureau, False) for s in IN_HALL])
