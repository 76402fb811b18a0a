"""Building items through the services, as the workbench does."""

from __future__ import annotations

from typing import Any

from oneseal.catalog import services
from oneseal.catalog.models import ItemVersion
from oneseal.org.models import Unit


def build_draft(actor: Any, body: Unit, competent: Unit | None = None, *,
                basic_code: str = "000100088000", name: str = "排水许可（测试）",
                promised: int = 10) -> ItemVersion:
    """A complete draft: every element a publish needs."""
    draft = services.item_create(
        actor=actor, implementing_unit=body, exercise_level=4, basic_code=basic_code,
        name=name, item_type="licensing", competent_department=competent or body,
        acceptance_conditions="排水设施符合规定。", review_standard="水质达标。",
        statutory_limit_days=20, promised_limit_days=promised, online_depth=3,
        visits_required=1)
    services.draft_set_rows(actor=actor, version=draft, kind="legal_bases", rows=[
        {"law": "《城镇排水与污水处理条例》", "article": "第二十一条", "text": ""}])
    variant = services.variant_save(actor=actor, version=draft, code="01", name="新办")
    services.variant_set_materials(actor=actor, variant=variant, rows=[
        {"name": "申请表", "originals": 1, "copies": 0, "paper_size": "A4", "required": True,
         "shareable": False, "share_source": "", "legal_basis": "", "note": ""}])
    services.variant_set_steps(actor=actor, variant=variant, rows=[
        {"name": "受理", "role": "clerk", "limit_days": 1, "skippable_on_spot": False},
        {"name": "审查", "role": "reviewer", "limit_days": min(promised - 1, 5),
         "skippable_on_spot": False}])
    return draft
