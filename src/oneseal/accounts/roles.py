"""Roles (角色): they live in `oneseal.core.roles`, the vocabulary every layer shares
(docs/adr/0003-layers.md); re-exported here for the modules that import them from accounts."""

from oneseal.core.roles import STAFF_ROLES, TWO_FACTOR_ROLES, Role

__all__ = ["STAFF_ROLES", "TWO_FACTOR_ROLES", "Role"]
