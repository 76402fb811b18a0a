"""Demo data of the licence library: a licence type for every demo item whose result is a
licence (证照) or an approval document (批文), and the sharing rule that lets the library
supply the material 营业执照 (证明材料后台核验, 国务院令第716号 第7条). Idempotent: run it
again and nothing changes. The case demo calls it before building its cases, so every
granted demo case gets its electronic licence.

Type codes: ``LX`` + the item's 12-digit basic code (证照类型代码 is the issuer's choice in
the demo; a real deployment takes the national codes from the licence type catalogue).
Validity: the first "N年" of the catalogue's stated validity, in months; anything else
("长期", "以许可证载明为准", a period fixed per licence) is 0, i.e. 长期.
"""

from __future__ import annotations

import re

from django.db import transaction

from .models import LicenceType, SharingRule, TemplateKind

_YEARS = re.compile(r"(\d+)\s*年")
SCOPE_LABELS = {"食品经营许可证": "经营项目", "营业执照": "经营范围",
                "道路运输经营许可证": "经营范围", "取水许可证": "取水量和用途"}
SHARED_MATERIALS = {"营业执照": "营业执照"}  # material name -> licence type name


def validity_months(text: str) -> int:
    """`"5年"` -> 60, `"一般为5年，最长不超过10年"` -> 60, `"长期"` -> 0."""
    found = _YEARS.search(text or "")
    return int(found.group(1)) * 12 if found else 0


def load_demo_licence_types() -> list[LicenceType]:
    """Create or update the licence types of the demo items (see the module docstring)."""
    from oneseal.catalog.models import Result
    from oneseal.catalog.selectors import versions_in_force

    made: list[LicenceType] = []
    versions = versions_in_force().select_related("item", "competent_department")
    with transaction.atomic():
        for version in versions.order_by("item_id"):
            result = (Result.objects.filter(version=version, kind__in=["licence", "approval"])
                      .order_by("sort", "id").first())
            if result is None:
                continue
            kind, _created = LicenceType.objects.update_or_create(
                code=f"LX{version.item.basic_code}"[:20],
                defaults={"name": result.name[:100], "item": version.item,
                          "defining_authority": version.competent_department.name,
                          "validity_months": validity_months(result.validity),
                          "template": (TemplateKind.CERTIFICATE if result.kind == "licence"
                                       else TemplateKind.APPROVAL),
                          "scope_label": SCOPE_LABELS.get(result.name, "许可范围"),
                          "active": True})
            made.append(kind)
        by_name = {kind.name: kind for kind in made}
        for material, type_name in SHARED_MATERIALS.items():
            if type_name in by_name:
                SharingRule.objects.get_or_create(material_name=material,
                                                  licence_type=by_name[type_name])
    return made
