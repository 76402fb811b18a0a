"""The fixed cast of users every permission test reads the same way (architecture rule 9):
an applicant, a company agent, a clerk, a reviewer, a section chief, the bureau head, a
department officer, a supervisor, a catalogue administrator, a system administrator, a
helper, and an outsider with no role at all."""

from __future__ import annotations

import pytest

from oneseal.accounts.roles import Role
from oneseal.org.models import UnitKind

from .factories import UnitFactory, UserFactory

CAST = {
    "applicant": [Role.APPLICANT],
    "company": [Role.AGENT],
    "clerk": [Role.CLERK],
    "reviewer": [Role.REVIEWER],
    "chief": [Role.CHIEF, Role.REVIEWER],
    "head": [Role.HEAD],
    "dept": [Role.DEPT_OFFICER],
    "supervisor": [Role.SUPERVISOR],
    "catalog_admin": [Role.CATALOG_ADMIN],
    "sysadmin": [Role.SYSADMIN],
    "helper": [Role.HELPER],
    "outsider": [],
}


@pytest.fixture
def bureau(db):
    return UnitFactory(code="bureau", name="西山区行政审批局", kind=UnitKind.BUREAU)


@pytest.fixture
def department(db):
    return UnitFactory(code="dept-env", name="西山区环保局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def cast(db, bureau, department):
    """Every member of the cast, by name."""
    people = {}
    for name, roles in CAST.items():
        unit = None
        if name == "dept":
            unit = department
        elif roles and roles[0] not in (Role.APPLICANT, Role.AGENT):
            unit = bureau
        people[name] = UserFactory(username=name, unit=unit, roles=roles)
    return people
