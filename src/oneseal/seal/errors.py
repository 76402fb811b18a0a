"""Errors the seal services raise. Each carries a machine `code`, an HTTP `status` for the
API and a Chinese `message` (translated) that pages and the API show as is — the same
shape as `oneseal.cases.errors`, kept separate because the seal app never imports cases."""

from __future__ import annotations

from oneseal.core.errors import ServiceError


class SealError(ServiceError):
    """Base of every refusal by the seal services."""

    code = "seal_error"


class SealForbidden(SealError):
    """The person may not use the seal, or may not manage its delegations."""

    code = "forbidden"
    status = 403


class SealNotFound(SealError):
    """The seal, delegation or use does not exist (or may not be seen)."""

    code = "not_found"
    status = 404


class SealRuleViolation(SealError):
    """A rule refuses the operation; `code` names the rule (e.g. ``case_not_decided``)."""

    code = "rule_violation"
    status = 422


class SealSigningFailed(SealError):
    """Signing a document failed (key store unreachable, PDF unreadable...). The use is
    left in state FAILED with the error, so the job can be retried."""

    code = "signing_failed"
    status = 500
