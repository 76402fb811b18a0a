"""Fixtures of the applicant's pages: the case fixtures (organisation tree, published items,
a registered person), the licence type of the bureau item, and the firm `company` operates
for through a recorded authorisation (tests/notifications/conftest.py)."""

from tests.cases.conftest import (  # noqa: F401  (fixtures)
    bureau,
    catalogue,
    company,
    department,
    org,
    person,
)
from tests.licences.conftest import licence_type  # noqa: F401
from tests.notifications.conftest import agent_person, firm  # noqa: F401
