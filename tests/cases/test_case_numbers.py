"""Submission (收件): the case is bound to the item version and business variant in force
(行政许可法 第25条 and the catalogue, law.md §13), copies their materials and review chain,
and gets a number (bureau code + year + sequence, consecutive, never repeated) and a random
query code (查询码) for the public progress lookup."""

from __future__ import annotations

import re
import threading

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

from oneseal.cases import services as svc
from oneseal.cases.errors import CaseError, RuleViolation
from oneseal.cases.models import Case, CaseEvent, CaseMaterial, CaseNumberCounter, CaseStep
from oneseal.catalog import services as catalog_services
from oneseal.catalog.selectors import version_in_force
from oneseal.core.models import AuditEvent

from .conftest import BUREAU_CHAIN, MATERIALS
from .helpers import at, chain_ok, submit

pytestmark = pytest.mark.django_db


def parts(number: str) -> tuple[str, int, int]:
    """A case number is the bureau's code, the year (4 digits) and the sequence (7 digits,
    zero-padded): e.g. 11530112MB12345678 2026 0000001, written without separators."""
    code = settings.ONESEAL_BUREAU_CODE
    assert number.startswith(code), number
    match = re.fullmatch(r"(\d{4})(\d{7})", number[len(code):])
    assert match, number
    return code, int(match.group(1)), int(match.group(2))


def seq_of(number: str) -> int:
    return parts(number)[2]


def year_of(number: str) -> int:
    return parts(number)[1]


def publish_v2(item, *, valid_from: str):
    """A second version of the item: one more material, a three-step chain, promised 8."""
    draft = catalog_services.draft_create(actor=None, item=item)
    catalog_services.draft_update(actor=None, version=draft, promised_limit_days=8)
    variant = draft.variants.get(code="01")
    catalog_services.variant_set_materials(actor=None, variant=variant, rows=[
        *MATERIALS,
        {"name": "环境影响评价文件", "originals": 1, "copies": 1, "paper_size": "A4",
         "required": True, "shareable": False, "share_source": "", "legal_basis": "",
         "note": ""}])
    catalog_services.variant_set_steps(actor=None, variant=variant, rows=[
        BUREAU_CHAIN[0], BUREAU_CHAIN[1], BUREAU_CHAIN[3]])
    return catalog_services.version_publish(actor=None, version=draft,
                                            valid_from=at(valid_from, 0))


# --- binding (第25条, law.md §13) --------------------------------------------------------

def test_article_25_submission_binds_version_and_variant_in_force(cast, catalogue, person):
    item = catalogue.bureau_item
    v1 = version_in_force(item, at("2026-09-01"))
    old = submit(cast, item, person, on="2026-09-01")
    v2 = publish_v2(item, valid_from="2026-09-10")
    new = submit(cast, item, person, on="2026-09-15")

    assert (old.version_id, old.variant.version_id, old.variant.code) == (v1.pk, v1.pk, "01")
    assert (new.version_id, new.variant.version_id, new.variant.code) == (v2.pk, v2.pk, "01")
    assert old.item_id == new.item_id == item.pk
    assert old.item_name == v1.name
    assert old.variant_name == "新办"

    # The running case keeps the chain and materials of its own version.
    old_steps = list(CaseStep.objects.filter(case=old).order_by("order")
                     .values_list("order", "name", "role", "limit_days"))
    assert old_steps == [(i + 1, s["name"], s["role"], s["limit_days"])
                         for i, s in enumerate(BUREAU_CHAIN)]
    new_steps = list(CaseStep.objects.filter(case=new).order_by("order")
                     .values_list("name", "role"))
    assert new_steps == [("受理", "clerk"), ("审查", "reviewer"), ("批准", "head")]
    assert sorted(CaseMaterial.objects.filter(case=old).values_list("name", flat=True)) == sorted(
        m["name"] for m in MATERIALS)
    assert CaseMaterial.objects.filter(case=new, name="环境影响评价文件").exists()


def test_submission_copies_materials_with_their_flags(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    rows = {m.name: m for m in CaseMaterial.objects.filter(case=case)}
    assert set(rows) == {m["name"] for m in MATERIALS}
    for spec in MATERIALS:
        row = rows[spec["name"]]
        assert row.required is spec["required"]
        assert row.shareable is spec["shareable"]
        assert row.originals == spec["originals"]
        # a material obtained by data sharing (免提交) starts as "shared", the others pending
        assert row.status == ("shared" if spec["shareable"] else "pending")


def test_submission_copies_the_chain_final_step_marked(cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    steps = list(CaseStep.objects.filter(case=case).order_by("order"))
    assert [s.is_final for s in steps] == [False, False, False, True]
    assert all(s.round == 1 for s in steps)
    assert all(s.assignee_id is None for s in steps)
    assert {s.state for s in steps[1:]} == {"waiting"}


def test_submission_writes_one_case_event_and_one_audit_event(cast, catalogue, person):
    audit = AuditEvent.objects.count()
    case = submit(cast, catalogue.bureau_item, person)
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
        "submit"]
    assert AuditEvent.objects.count() == audit + 1
    row = AuditEvent.objects.order_by("-seq").first()
    assert (row.kind, row.subject) == ("case.submit", f"case:{case.pk}")
    assert chain_ok()


def test_submission_records_applicant_and_dates(cast, catalogue, person, company):
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-03")
    assert case.state == "received"
    assert case.received_on.isoformat() == "2026-09-03"
    assert case.person_id == person.pk and case.applicant_kind == "person"
    assert case.applicant_name == "张三"
    assert case.accepted_on is None
    org_case = submit(cast, catalogue.bureau_item, organisation=company, on="2026-09-03")
    assert org_case.applicant_kind == "organisation"
    assert org_case.organisation_id == company.pk
    assert org_case.applicant_name == company.name
    assert chain_ok()


def test_article_32_correction_clock_set_at_submission(cast, catalogue, person):
    """第32条: 5 working days to give the correction notice. Received Mon 2026-09-28:
    09-29 (1), 09-30 (2), [10-01..10-07 National Day], 10-08 (3), 10-09 (4), Sat 10-10
    make-up working day (5) → due 2026-10-10."""
    case = submit(cast, catalogue.bureau_item, person, on="2026-09-28")
    assert case.correction_due.isoformat() == "2026-10-10"


def test_unknown_variant_refused_and_consumes_no_number(cast, catalogue, person):
    first = submit(cast, catalogue.bureau_item, person)
    before = Case.objects.count()
    with pytest.raises(CaseError) as refusal:
        svc.case_submit(actor=cast["clerk"], item_id=catalogue.bureau_item.pk,
                        variant_code="99", applicant=svc.ApplicantRef(person_id=person.pk),
                        at=at("2026-09-01"))
    assert refusal.value.code == "variant_not_found"
    assert Case.objects.count() == before
    second = submit(cast, catalogue.bureau_item, person)
    assert seq_of(second.number) == seq_of(first.number) + 1


def test_submission_needs_exactly_one_applicant(cast, catalogue, person, company):
    before = Case.objects.count()
    for ref in (svc.ApplicantRef(), svc.ApplicantRef(person_id=person.pk,
                                                     organisation_id=company.pk)):
        with pytest.raises(CaseError) as refusal:
            svc.case_submit(actor=cast["clerk"], item_id=catalogue.bureau_item.pk,
                            variant_code="01", applicant=ref, at=at("2026-09-01"))
        assert refusal.value.code == "applicant_required"
    assert Case.objects.count() == before


# --- numbers -------------------------------------------------------------------------------

def test_numbers_are_bureau_code_year_and_consecutive_sequence(cast, catalogue, person):
    cases = [submit(cast, catalogue.bureau_item, person, on="2026-09-01") for _ in range(5)]
    numbers = [c.number for c in cases]
    assert len(set(numbers)) == 5
    assert {year_of(n) for n in numbers} == {2026}
    seqs = [seq_of(n) for n in numbers]
    assert seqs == list(range(seqs[0], seqs[0] + 5))
    assert seqs[0] == 1
    assert CaseNumberCounter.objects.get(year=2026).last == 5


def test_numbers_restart_each_year_and_never_repeat(cast, catalogue, person):
    a = submit(cast, catalogue.bureau_item, person, on="2025-12-31")
    b = submit(cast, catalogue.bureau_item, person, on="2026-01-05")
    c = submit(cast, catalogue.bureau_item, person, on="2026-01-05")
    assert (year_of(a.number), year_of(b.number), year_of(c.number)) == (2025, 2026, 2026)
    assert seq_of(a.number) == 1 and seq_of(b.number) == 1 and seq_of(c.number) == 2
    assert len({a.number, b.number, c.number}) == 3


def test_query_code_random_and_distinct(cast, catalogue, person):
    cases = [submit(cast, catalogue.bureau_item, person) for _ in range(20)]
    codes = [c.query_code for c in cases]
    assert len(set(codes)) == 20
    for case in cases:
        assert len(case.query_code) >= 6
        assert case.query_code not in case.number
        assert str(seq_of(case.number)) != case.query_code


# --- idempotency ---------------------------------------------------------------------------

def test_same_idempotency_key_returns_same_case(cast, catalogue, person):
    kwargs = {"actor": cast["clerk"], "item_id": catalogue.bureau_item.pk, "variant_code": "01",
              "applicant": svc.ApplicantRef(person_id=person.pk), "at": at("2026-09-01"),
              "idempotency_key": "k-1", "request_hash": "h" * 64}
    case, created = svc.case_submit(**kwargs)
    again, created_again = svc.case_submit(**kwargs)
    assert created and not created_again
    assert again.pk == case.pk
    assert Case.objects.count() == 1
    assert CaseNumberCounter.objects.get(year=2026).last == 1


def test_idempotency_key_reused_with_other_request_refused(cast, catalogue, person):
    kwargs = {"actor": cast["clerk"], "item_id": catalogue.bureau_item.pk, "variant_code": "01",
              "applicant": svc.ApplicantRef(person_id=person.pk), "at": at("2026-09-01"),
              "idempotency_key": "k-2", "request_hash": "a" * 64}
    svc.case_submit(**kwargs)
    with pytest.raises(RuleViolation) as exc:
        svc.case_submit(**{**kwargs, "request_hash": "b" * 64})
    assert exc.value.code == "idempotency_key_reused"
    assert Case.objects.count() == 1


# --- concurrency ---------------------------------------------------------------------------

N_THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_numbered_one_to_n_without_gap(cast, catalogue, person):
    """20 clerks press "submit" at the same moment: numbers 1..20, no gap, no duplicate."""
    clerk_id, item_id, person_id = cast["clerk"].pk, catalogue.bureau_item.pk, person.pk
    barrier = threading.Barrier(N_THREADS)
    errors: list[BaseException] = []
    numbers: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            from oneseal.accounts.models import User

            clerk = User.objects.get(pk=clerk_id)
            barrier.wait(timeout=30)
            case, _created = svc.case_submit(
                actor=clerk, item_id=item_id, variant_code="01",
                applicant=svc.ApplicantRef(person_id=person_id), at=at("2026-09-01"))
            with lock:
                numbers.append(case.number)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(numbers) == N_THREADS
    assert sorted(seq_of(n) for n in numbers) == list(range(1, N_THREADS + 1))
    assert Case.objects.count() == N_THREADS
    assert len(set(Case.objects.values_list("query_code", flat=True))) == N_THREADS
    assert CaseNumberCounter.objects.get(year=2026).last == N_THREADS
    assert chain_ok()
