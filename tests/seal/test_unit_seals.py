"""Seals belong to units (GB/T 38540: a unit seal names its unit): the bureau's two seals are
two of them, and a department that keeps its items in the hall accepts and decides them under
its own (行政许可法 第25条). `oneseal seal init` makes the seals the demo needs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from oneseal.seal import services
from oneseal.seal.errors import SealRuleViolation
from oneseal.seal.keys import init_seals
from oneseal.seal.models import Seal

DAY = dt.date(2026, 9, 4)


@pytest.fixture
def dept_seals(seals, department, settings):
    report = init_seals(bureau_name=seals["approval"].unit.name,
                        bureau_code=settings.ONESEAL_BUREAU_CODE, units=[department])
    return {s.kind: s for s in report.seals if s.unit_id == department.pk}


def test_article_25_each_unit_has_its_own_two_seals(seals, dept_seals, bureau, department):
    assert {s.unit_id for s in seals.values()} == {bureau.pk}
    assert dept_seals["approval"].name == f"{department.name}行政许可专用章"
    assert dept_seals["acceptance"].name == f"{department.name}受理专用章"
    assert dept_seals["approval"].seal_data["property"]["unit"] == department.name
    codes = [s.code for s in Seal.objects.all()]
    assert len(codes) == len(set(codes)) == 4


def test_seal_for_picks_the_units_seal_and_the_bureaus_by_default(seals, dept_seals,
                                                                  department):
    assert services.seal_for("approval", DAY) == seals["approval"]
    assert services.seal_for("approval", DAY, department) == dept_seals["approval"]
    assert services.seal_for("acceptance", DAY, department) == dept_seals["acceptance"]


def test_a_unit_without_seals_is_refused_never_given_the_bureaus(seals, db):
    from tests.factories import UnitFactory

    other = UnitFactory(code="dept-health", name="西山区卫生健康局", kind="department")
    with pytest.raises(SealRuleViolation) as err:
        services.seal_for("approval", DAY, other)
    assert err.value.code == "seal_not_initialised"


def test_article_25_only_the_units_own_people_may_use_its_seal(cast, seals, dept_seals):
    """The bureau head uses the bureau's seals, not the department's; the department's
    officer (its decider) uses the department's, not the bureau's; nobody else."""
    assert services.may_use(cast["head"], seals["approval"], DAY)
    assert not services.may_use(cast["head"], dept_seals["approval"], DAY)
    assert services.may_use(cast["dept"], dept_seals["approval"], DAY)
    assert services.may_use(cast["dept"], dept_seals["acceptance"], DAY)
    assert not services.may_use(cast["dept"], seals["approval"], DAY)
    for who in ("clerk", "chief", "reviewer", "supervisor", "applicant", "outsider"):
        assert not services.may_use(cast[who], dept_seals["approval"], DAY), who


def test_init_twice_changes_nothing(seals, dept_seals, department, settings):
    report = init_seals(bureau_name=seals["approval"].unit.name,
                        bureau_code=settings.ONESEAL_BUREAU_CODE, units=[department])
    assert not report.changed and Seal.objects.count() == 4


def test_seal_init_command_makes_the_seals_of_departments_keeping_items(
        settings, seal_keys, db):
    """With the demo catalogue: the bureau's two seals and two for each unit that exercises
    items of its own (食品经营许可 stays with 区市场监管局)."""
    from oneseal.catalog.demo import load_catalog
    from oneseal.catalog.selectors import units_exercising_own_items
    from oneseal.org.seed import load_org_tree

    settings.ONESEAL_SEAL_DIR = seal_keys
    settings.ONESEAL_SEAL_PASSPHRASE = ""
    units = load_org_tree()
    load_catalog()
    keeping = units_exercising_own_items()
    assert units["dept-market"] in keeping and units["bureau"] not in keeping
    assert units["dept-env"] not in keeping  # its items were transferred to the bureau
    call_command("seal", "init", stdout=StringIO())
    market = Seal.objects.filter(unit=units["dept-market"])
    assert {s.kind for s in market} == {"approval", "acceptance"}
    assert Seal.objects.filter(unit=units["bureau"]).count() == 2
    assert Seal.objects.count() == 2 + 2 * len(keeping)
