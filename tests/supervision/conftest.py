"""Fixtures of the supervision tests: the case fixtures (tests/cases/conftest.py) and a
case delivered on a chosen day through the case services."""

from __future__ import annotations

from typing import Any

import pytest

from oneseal.cases import services as case_services
from tests.cases.conftest import at, bureau, catalogue, company, department, org, person
from tests.cases.helpers import VALID_ID, decide_and_seal

__all__ = ["at", "bureau", "catalogue", "company", "department", "org", "person"]


def deliver(cast: dict, catalogue: Any, person: Any, *, on: str) -> Any:
    """A case decided on 2026-09-07, sealed, and collected at the window on day `on`."""
    case = decide_and_seal(cast, catalogue, person)
    return case_services.case_deliver(actor=cast["clerk"], case=case, method="pickup",
                                      collector_name="张三", collector_id_number=VALID_ID,
                                      at=at(on))


@pytest.fixture
def delivered(cast, catalogue, person, seals):
    """Delivered on Wednesday 2026-09-30, the eve of the National Day holiday."""
    return deliver(cast, catalogue, person, on="2026-09-30")
