"""Fixtures of the accounts tests."""

from .sms_helpers import sms_outbox  # noqa: F401 (a fixture)
