"""Fixtures of the archives tests: the case fixtures re-exported (organisation tree, items,
applicants; tests/cases/conftest.py), and builders of closed cases driven through the case
services — withdrawn (cheap) and delivered (decided, sealed by the signing worker, handed
over at the window)."""

from __future__ import annotations

from typing import Any

import pytest

from oneseal.cases import services as svc
from tests.cases.conftest import at, bureau, catalogue, company, department, org, person
from tests.cases.helpers import decide_and_seal, submit
from tests.cases.test_uploads import make_pdf, upload

__all__ = ["at", "bureau", "catalogue", "company", "department", "org", "person"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def withdrawn_case(cast: dict, catalogue: Any, person: Any, *, on: str = "2026-09-01",
                   with_file: bool = True):
    """A case of `person` (or an organisation) received at the window, with one uploaded
    PDF, then withdrawn."""
    from oneseal.applicants.models import Organisation

    if isinstance(person, Organisation):
        case = submit(cast, catalogue.bureau_item, organisation=person, on=on)
    else:
        case = submit(cast, catalogue.bureau_item, person, on=on)
    if with_file:
        material = case.materials.order_by("sort", "id").first()
        svc.case_attach_file(actor=cast["clerk"], case=case, material_id=material.pk,
                             upload=upload(make_pdf(2), "申请表.pdf"), at=at(on))
    return svc.case_withdraw(actor=cast["clerk"], case=case, reason="申请人书面申请撤回。",
                             at=at(on, 15))


def delivered_case(cast: dict, catalogue: Any, person: Any):
    """A granted case, sealed, picked up at the window on 2026-09-08."""
    case = decide_and_seal(cast, catalogue, person)
    return svc.case_deliver(actor=cast["clerk"], case=case, method="pickup",
                            collector_name="张三", collector_id_number="11010519491231002X",
                            at=at("2026-09-08"))
