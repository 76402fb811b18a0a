"""Fixtures of the marketplace tests: the fixed cast (tests/conftest.py), a service and
three qualified intermediaries."""

from __future__ import annotations

import pytest

from .market import make_intermediary, make_service


@pytest.fixture
def service(db):
    return make_service()


@pytest.fixture
def agencies(cast, service):
    return [make_intermediary(n, service, cast) for n in (1, 2, 3)]
