"""Fixtures of the API-wide tests: the case and licence fixtures (organisation tree,
published items, applicants, an issued licence) re-exported."""

from tests.licences.conftest import (
    at,
    bureau,
    catalogue,
    company,
    department,
    licence,
    licence_type,
    org,
    person,
)

__all__ = ["at", "bureau", "catalogue", "company", "department", "licence", "licence_type",
           "org", "person"]
