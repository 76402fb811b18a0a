"""Refusals of the marketplace services: a machine `code`, an HTTP `status` and a Chinese
message that pages show as is (`core.errors.ServiceError`)."""

from __future__ import annotations

from oneseal.core.errors import ServiceError


class MarketError(ServiceError):
    code = "market_refused"
    status = 422


class MarketForbidden(MarketError):
    """The actor may not do this (wrong role, not the owner, not the intermediary's
    operator); pages answer 403."""

    code = "forbidden"
    status = 403


class MarketNotFound(MarketError):
    code = "not_found"
    status = 404
