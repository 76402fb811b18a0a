"""Errors of the licence services: a machine `code`, an HTTP `status` and a Chinese message
that pages and the API show as is (the same shape as oneseal.cases.errors)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from oneseal.core.errors import ServiceError


class LicenceError(ServiceError):
    code = "licence_error"


class LicenceNotFound(LicenceError):
    code = "licence_not_found"
    status = 404

    def __init__(self) -> None:
        super().__init__(_("电子证照不存在，或您无权查看。"))


class LicenceForbidden(LicenceError):
    code = "forbidden"
    status = 403


class IllegalLicenceState(LicenceError):
    code = "illegal_transition"
    status = 409


class LicenceRuleViolation(LicenceError):
    code = "rule_violation"
    status = 422
