"""Refusals of the rating services. They are `CaseError`s (a rating is part of its case), so
the API answers them as every case refusal: `{"detail", "code"}` with their status."""

from __future__ import annotations

from oneseal.cases.errors import CaseError


class RatingRefused(CaseError):
    """A rating rule refuses the operation; `code` names the rule."""

    code = "rating_refused"
    status = 422


class RatingForbidden(CaseError):
    code = "forbidden"
    status = 403


class SupervisionRefused(CaseError):
    """A supervision operation (an alert, an anomaly, a follow-up, the log) is refused."""

    code = "supervision_refused"
    status = 422
