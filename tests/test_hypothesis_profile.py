"""The project-wide hypothesis profile (tests/conftest.py): property tests may not fail
because the machine is busy."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def test_hypothesis_profile_has_no_deadline_and_no_timing_health_check():
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check
