"""`bench_cases_generate`: benchmark rows written in bulk (the documented exception to "only
services write"), consistent enough for the list selectors, and guarded against real data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oneseal.accounts.models import User
from oneseal.applicants.services import register_person
from oneseal.cases import selectors, services
from oneseal.cases.domain.states import CaseState
from oneseal.cases.management.commands.bench_cases_generate import (
    BENCH_PREFIX,
    PERSON_POOL_MAX,
    _id_number,
)
from oneseal.cases.models import Case, CaseEvent, CaseStep, Delivery, StepState
from oneseal.catalog.demo import load_catalog
from oneseal.catalog.models import Item
from oneseal.core import demo
from oneseal.core.models import AuditEvent
from oneseal.org.demo import load as load_org

from .conftest import at


@pytest.fixture
def foundation(db):
    """The demo organisation, staff and catalogue (no demo cases)."""
    ctx = demo.DemoContext(write=lambda _msg: None)
    load_org(ctx)
    load_catalog()
    return {u.username: u for u in User.objects.all()}


def _generate(count: int, *args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("bench_cases_generate", "--count", str(count), *args, stdout=out, stderr=err)
    return out.getvalue()


def test_generates_unique_numbered_cases_in_every_state_with_steps_and_events(foundation):
    audit_before = AuditEvent.objects.count()
    out = _generate(3000, "--batch", "700")
    assert "3,000" in out
    cases = Case.objects.all()
    assert cases.count() == 3000
    numbers = list(cases.values_list("number", flat=True))
    assert len(set(numbers)) == 3000 and all(n.startswith(BENCH_PREFIX) for n in numbers)
    assert set(cases.values_list("state", flat=True)) == set(CaseState)
    assert cases.values("item_id").distinct().count() >= 10
    assert cases.values("department_id").distinct().count() >= 5
    # every case has its chain and a history that starts with the submission
    assert not cases.filter(steps__isnull=True).exists()
    assert CaseEvent.objects.filter(seq=1, kind="submit").count() == 3000
    assert Delivery.objects.count() == cases.filter(state=CaseState.DELIVERED).count()
    # the task lists have data: open and claimed steps, at most one per reviewing case
    reviewing = cases.filter(state=CaseState.REVIEWING)
    active_steps = CaseStep.objects.filter(state__in=[StepState.OPEN, StepState.CLAIMED],
                                           case__state=CaseState.REVIEWING)
    assert active_steps.filter(state=StepState.OPEN).exists()
    assert active_steps.filter(state=StepState.CLAIMED, assignee__isnull=False).exists()
    assert active_steps.count() == reviewing.count()
    assert not CaseStep.objects.filter(state__in=[StepState.OPEN, StepState.CLAIMED],
                                       case__state__in=[CaseState.DELIVERED,
                                                        CaseState.WITHDRAWN]).exists()
    # bench rows bypass the services: nothing is written to the audit chain
    assert AuditEvent.objects.count() == audit_before


def test_the_list_selectors_page_through_the_generated_cases(foundation):
    _generate(1500)
    clerk, reviewer = foundation["clerk"], foundation["reviewer"]
    page = selectors.case_list(clerk, selectors.CaseFilters(), limit=50)
    assert len(page.items) == 50 and page.next_cursor
    ids = [c.pk for c in page.items]
    assert ids == sorted(ids, reverse=True)
    seen = set(ids)
    cursor = page.next_cursor
    while cursor:
        page = selectors.case_list(clerk, selectors.CaseFilters(), cursor=cursor, limit=100)
        assert not seen & {c.pk for c in page.items}
        seen |= {c.pk for c in page.items}
        cursor = page.next_cursor
    assert len(seen) == 1500
    filtered = selectors.case_list(clerk, selectors.CaseFilters(state="reviewing"), limit=100)
    assert filtered.items and {c.state for c in filtered.items} == {"reviewing"}
    number = filtered.items[0].number
    found = selectors.case_list(clerk, selectors.CaseFilters(q=number))
    assert [c.number for c in found.items] == [number]
    tasks = selectors.task_list(reviewer, mine=False, limit=20)
    assert tasks.items and {s.role for s in tasks.items} == {"reviewer"}
    assert all(s.state == StepState.OPEN for s in tasks.items)
    mine = selectors.task_list(reviewer, mine=True, limit=20)
    assert mine.items and {s.assignee_id for s in mine.items} == {reviewer.pk}


def test_a_second_run_adds_more_cases_with_new_numbers(foundation):
    _generate(400)
    _generate(300, "--seed", "7")
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 700


def test_refused_outside_development_unless_told(foundation, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("ONESEAL_DEV", raising=False)
    with pytest.raises(CommandError, match="仅限开发环境"):
        _generate(10)
    assert Case.objects.count() == 0
    _generate(10, "--yes-i-know")
    assert Case.objects.count() == 10


def test_refused_on_a_database_with_real_cases(foundation):
    person = register_person(actor=None, name="张三", id_number="53011219800101123X")
    item = Item.objects.filter(implementing_unit__code="bureau").first()
    services.case_submit(actor=foundation["clerk"], item_id=item.pk, variant_code="01",
                         applicant=services.ApplicantRef(person_id=person.pk),
                         at=at("2026-09-01"))
    before = Case.objects.count()
    with pytest.raises(CommandError, match="非压测、非演示"):
        _generate(10, "--yes-i-know")
    assert Case.objects.count() == before


def test_the_person_pool_never_wraps_its_id_numbers():
    """10,000,000 cases once asked for 166,666 generated persons out of 144,000 distinct ID
    numbers: the pool is capped below that, and every number in it is distinct and valid."""
    from oneseal.core.identity import is_valid_id_number

    numbers = [_id_number(i) for i in range(PERSON_POOL_MAX + 50)]  # + the demo's persons
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_id_number(n) for n in numbers[::997])
