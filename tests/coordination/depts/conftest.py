"""Fixtures of the 审管互动 / joint review / experts / visits / forwarding tests (h16b): the
case fixtures (organisation tree with dept-env, published items, applicants) and a licence
type for the bureau item, re-exported from the case and licence tests."""

from __future__ import annotations

from tests.cases.conftest import at, bureau, catalogue, company, department, org, person
from tests.licences.conftest import licence_type

__all__ = ["at", "bureau", "catalogue", "company", "department", "licence_type", "org",
           "person"]
