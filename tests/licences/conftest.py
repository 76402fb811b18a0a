"""Fixtures of the licence tests: the case fixtures (organisation tree, published items,
applicants; see tests/cases/conftest.py) re-exported, a licence type for the bureau item
(valid 2 months, so expiry and renewal fall in 2026), and `granted` / `licence` builders
that issue through the services on a case decided on 2026-09-07."""

from __future__ import annotations

from typing import Any

import pytest

from oneseal.cases import services as case_services
from oneseal.licences import services
from oneseal.licences.models import Licence, LicenceType, SharingRule
from tests.cases.conftest import at, bureau, catalogue, company, department, org, person
from tests.cases.helpers import bureau_to_final, check, decided, submit

__all__ = ["at", "bureau", "catalogue", "company", "department", "org", "person"]

TYPE_CODE = "11100000000000042"
DECIDED_ON = "2026-09-07"  # valid 2026-09-07 .. 2026-11-06 with a 2-month type


@pytest.fixture
def licence_type(catalogue) -> LicenceType:
    return LicenceType.objects.create(
        code=TYPE_CODE, name="排污许可证", item=catalogue.bureau_item,
        defining_authority="生态环境部", validity_months=2, scope_label="许可范围")


@pytest.fixture
def business_licence_type(db) -> LicenceType:
    """A licence type that satisfies the shareable material 营业执照 (no item: issued
    elsewhere, by the market regulator)."""
    kind = LicenceType.objects.create(code="11100000000000011", name="营业执照",
                                      defining_authority="国家市场监督管理总局")
    SharingRule.objects.create(material_name="营业执照", licence_type=kind)
    return kind


def granted(cast: dict, catalogue: Any, applicant: Any, **kwargs: Any):
    """A case of the bureau item decided (准予) by the head on 2026-09-07."""
    return decided(cast, catalogue, applicant, on=DECIDED_ON, **kwargs)


def granted_to_company(cast: dict, catalogue: Any, company: Any, *, on: str = "2026-09-01",
                       outcome: str = "granted"):
    """A case of the bureau item applied for by `company`, granted on 2026-09-07."""
    case = submit(cast, catalogue.bureau_item, organisation=company, on=on)
    check(case, cast["clerk"])
    case_services.case_accept(actor=cast["clerk"], case=case, at=at(on))
    bureau_to_final(cast, case)
    return case_services.case_decide(actor=cast["head"], case=case, outcome=outcome,
                                     reasons="" if outcome == "granted" else "不符合条件。",
                                     at=at(DECIDED_ON))


@pytest.fixture
def licence(cast, catalogue, person, licence_type) -> Licence:
    case = granted(cast, catalogue, person)
    issued = services.issue_licence(case=case, actor=cast["head"])
    assert issued is not None
    return issued
