"""Fixtures of the outbox and applicant-page tests: those of the case tests (the seeded
organisation tree, the published items, a registered person and company), plus an agent of
the company who acts for it through a recorded authorisation (not a linked account)."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.applicants import services as applicant_services
from tests.cases.conftest import (  # noqa: F401  (fixtures)
    bureau,
    catalogue,
    company,
    department,
    org,
    person,
)


@pytest.fixture
def agent_person(db, cast):
    """`company`'s account as the person 赵六, authorised in force for `company` (the
    organisation) from 2026-01-01: he operates for it without being linked to it."""
    return applicant_services.register_person(
        actor=None, name="赵六", id_number="530102198203159993", phone="13900139000",
        user=cast["company"])


@pytest.fixture
def firm(db, agent_person):
    firm = applicant_services.register_organisation(
        actor=None, name="昆明西山授权测试有限公司", credit_code="91530112MA6K00001F",
        legal_representative="李四")
    applicant_services.authorise_agent(
        actor=None, agent=agent_person, organisation=firm, valid_from=dt.date(2026, 1, 1),
        scope="办理行政许可申请")
    return firm
