"""The fixed cast of users every permission test reads the same way (architecture rule 9):
an applicant, a company agent, a clerk, a reviewer, a section chief, the bureau head, a
department officer, a supervisor, a catalogue administrator, a system administrator, a
helper, and an outsider with no role at all."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from oneseal.accounts.roles import Role
from oneseal.org.models import UnitKind

from .factories import UnitFactory, UserFactory

# Property tests run on busy 2-core machines beside other suites: no per-example deadline
# and no health check that measures time (too_slow), so the outcome depends only on the
# examples, never on the machine's load. Pick another profile with HYPOTHESIS_PROFILE.
settings.register_profile(
    "oneseal", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile(
    "ci", parent=settings.get_profile("oneseal"), derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "oneseal"))

CAST = {
    "applicant": [Role.APPLICANT],
    "company": [Role.AGENT],
    "clerk": [Role.CLERK],
    "reviewer": [Role.REVIEWER],
    "chief": [Role.CHIEF, Role.REVIEWER],
    "head": [Role.HEAD],
    "dept": [Role.DEPT_OFFICER],
    "supervisor": [Role.SUPERVISOR],
    "catalog_admin": [Role.CATALOG_ADMIN],
    "sysadmin": [Role.SYSADMIN],
    "helper": [Role.HELPER],
    "outsider": [],
}


@pytest.fixture
def bureau(db):
    return UnitFactory(code="bureau", name="西山区行政审批局", kind=UnitKind.BUREAU)


@pytest.fixture
def department(db):
    return UnitFactory(code="dept-env", name="西山区环保局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def cast(db, bureau, department):
    """Every member of the cast, by name."""
    people = {}
    for name, roles in CAST.items():
        unit = None
        if name == "dept":
            unit = department
        elif roles and roles[0] not in (Role.APPLICANT, Role.AGENT):
            unit = bureau
        people[name] = UserFactory(username=name, unit=unit, roles=roles)
    return people


# --- the seals (issue 6, seal app) ---------------------------------------------------------

@pytest.fixture(scope="session")
def seal_keys(tmp_path_factory):
    """Key material for the seals, made once per test session (key generation and PKCS#12
    encryption are the slow part): a demo maker and one PKCS#12 file per seal kind in a
    temporary ONESEAL_SEAL_DIR, dated from 2024-01-01 so that tests frozen in 2025–2026
    can sign. Returns the directory."""
    from datetime import UTC, datetime

    from django.test import override_settings

    from oneseal.seal.keys import ensure_key_material

    directory = tmp_path_factory.mktemp("seal-keys")
    with override_settings(ONESEAL_SEAL_DIR=directory, ONESEAL_SEAL_PASSPHRASE=""):
        ensure_key_material(organisation="西山区行政审批局", directory=directory,
                            not_before=datetime(2024, 1, 1, tzinfo=UTC))
    return directory


@pytest.fixture
def seals(db, bureau, settings, seal_keys):
    """The bureau's two seals as database rows made from the session's key material:
    {"approval": Seal, "acceptance": Seal}. Settings point ONESEAL_SEAL_DIR at the keys."""
    from oneseal.seal.keys import init_seals

    settings.ONESEAL_SEAL_DIR = seal_keys
    settings.ONESEAL_SEAL_PASSPHRASE = ""
    report = init_seals(bureau_name=bureau.name, bureau_code=settings.ONESEAL_BUREAU_CODE)
    return {seal.kind: seal for seal in report.seals}


@pytest.fixture(autouse=True)
def _private_data_dir(settings, tmp_path_factory):
    """What a test writes under DATA_DIR at run time (signed PDFs, the demo licence) goes to
    a folder of its own: never into the checkout's var/, never shared with another test or
    xdist worker (a test that counts signed files must see only its own)."""
    settings.DATA_DIR = tmp_path_factory.mktemp("data")


@pytest.fixture(autouse=True)
def _chinese_to_begin_with():
    """Each test starts in the site's language (zh-hans). A request in English leaves English
    active in its thread (LocaleMiddleware activates, nothing deactivates), and a later test in
    the same xdist worker that checks a service's message outside a request would read it in
    English — depending on the random order."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield
