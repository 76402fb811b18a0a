"""Fixtures of the applicants tests."""

from tests.accounts.sms_helpers import sms_outbox  # noqa: F401 (a fixture)
