"""The licence library's API (/api/v1/licences, /api/v1/verify)."""

from ninja import Router

router = Router(tags=["licences"])
