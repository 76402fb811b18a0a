"""Review (审查): claiming and completing the steps of the chain, returning to an earlier
step, site visits by two or more staff (行政许可法 第34条); the decision clocks from the
acceptance day (第42条, 第82条: working days, the start day not counted) and the one
extension the head may approve (第42条).

Hand-worked dates against the 2026 schedule: accepted Tue 2026-09-01; working days after it:
09-02 (1), 09-03, 09-04, 09-07, 09-08, 09-09 (6), 09-10, 09-11, 09-14, 09-15 (10), 09-16,
09-17, 09-18, **Sun 09-20 make-up** (14), 09-21 .. 09-24 (18), [09-25..27 Mid-autumn],
09-28 (19), 09-29 (20), 09-30 (21), [10-01..07 National Day], 10-08 (22), 10-09 (23),
**Sat 10-10 make-up** (24), 10-12 .. 10-16 (29), 10-19 (30)."""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import CaseConflict, CaseForbidden
from oneseal.cases.models import CaseDocument, CaseStep, DocumentKind, ExtensionRequest
from oneseal.catalog import services as catalog_services

from .conftest import BUREAU_CHAIN, _publish
from .helpers import (
    accepted,
    at,
    chain_ok,
    claim,
    complete,
    current_step,
    day,
    fresh,
    one_event,
    pass_step,
    unchanged,
    violates,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast, catalogue, person):
    return accepted(cast, catalogue.bureau_item, person, on="2026-09-01")


# --- clocks (第42条, 第82条) -----------------------------------------------------------------

def test_article_42_statutory_and_promised_due_from_acceptance(case):
    """Statutory limit 20 working days → 2026-09-29; promised limit 10 → 2026-09-15."""
    assert case.statutory_due == day("2026-09-29")
    assert case.promised_due == day("2026-09-15")
    assert case.delivery_due is None
    assert case.clock_paused is False
    assert case.clock_error == ""


def test_article_82_step_due_counts_working_days(case):
    """Step 2 (审查, 6 working days) opened on 09-01 → due 2026-09-09."""
    step = current_step(case)
    assert (step.order, step.state) == (2, "open")
    assert step.due_on == day("2026-09-09")


# --- claim -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["clerk", "dept", "head", "supervisor"])
def test_claim_requires_the_step_role(cast, case, who):
    with unchanged(case), pytest.raises(CaseForbidden):
        svc.case_claim(actor=cast[who], case=case, at=at("2026-09-02"))


def test_claim_open_step(cast, case):
    result = one_event("claim", svc.case_claim, case, actor=cast["reviewer"],
                       at=at("2026-09-02"))
    assert result.state == "reviewing"
    step = CaseStep.objects.get(case=case, order=2)
    assert (step.state, step.assignee_id) == ("claimed", cast["reviewer"].pk)
    assert step.claimed_at is not None


def test_second_claim_of_the_same_step_conflicts(cast, case):
    claim(case, cast["reviewer"], "2026-09-02")
    with unchanged(case), pytest.raises(CaseConflict):
        svc.case_claim(actor=cast["chief"], case=case, at=at("2026-09-02"))
    assert CaseStep.objects.get(case=case, order=2).assignee_id == cast["reviewer"].pk


# --- complete ------------------------------------------------------------------------------

def test_completion_only_by_the_claimant(cast, case):
    claim(case, cast["reviewer"], "2026-09-02")
    with unchanged(case), pytest.raises(CaseForbidden):
        svc.case_complete_step(actor=cast["chief"], case=case, opinion="agree",
                               comment="同意", at=at("2026-09-02"))


def test_completion_of_an_unclaimed_step_refused(cast, case):
    with unchanged(case), pytest.raises(CaseForbidden):
        svc.case_complete_step(actor=cast["reviewer"], case=case, opinion="agree",
                               comment="同意", at=at("2026-09-02"))


def test_complete_agree_opens_next_step(cast, case):
    claim(case, cast["reviewer"], "2026-09-02")
    result = one_event("complete_step", svc.case_complete_step, case, actor=cast["reviewer"],
                       opinion="agree", comment="材料齐全，符合条件。", at=at("2026-09-03"))
    assert result.state == "reviewing"
    done = CaseStep.objects.get(case=case, order=2)
    assert (done.state, done.opinion, done.completed_on) == ("done", "agree",
                                                             day("2026-09-03"))
    nxt = current_step(case)
    assert (nxt.order, nxt.state, nxt.assignee_id) == (3, "open", None)
    assert nxt.opened_on == day("2026-09-03")
    # 审核 has 1 working day from 09-03 → 09-04.
    assert nxt.due_on == day("2026-09-04")
    assert CaseStep.objects.get(case=case, order=4).state == "waiting"
    assert chain_ok()


def test_unknown_opinion_refused(cast, case):
    claim(case, cast["reviewer"], "2026-09-02")
    with unchanged(case), violates("invalid_opinion"):
        complete(case, cast["reviewer"], "2026-09-02", opinion="grant")


def test_final_step_is_decided_not_completed(cast, case):
    pass_step(case, cast["reviewer"], "2026-09-02")
    pass_step(case, cast["chief"], "2026-09-03")
    claim(case, cast["head"], "2026-09-04")
    # The spec names no error class; the code answers CaseForbidden (may() is false for
    # complete_step on a final step).
    with unchanged(case), pytest.raises(CaseForbidden):
        complete(case, cast["head"], "2026-09-04", opinion="agree")


# --- return ------------------------------------------------------------------------------

def test_return_to_earlier_step_reopens_it_and_later_steps_wait(cast, case):
    pass_step(case, cast["reviewer"], "2026-09-02")
    claim(case, cast["chief"], "2026-09-03")
    result = one_event("complete_step", svc.case_complete_step, case, actor=cast["chief"],
                       opinion="return", return_to=2, comment="场所面积需核实。",
                       at=at("2026-09-03"))
    assert result.state == "reviewing"
    active = CaseStep.objects.filter(case=case, state__in=["open", "claimed"])
    assert [(s.order, s.round, s.state, s.assignee_id) for s in active] == [
        (2, 2, "open", None)]
    returned = CaseStep.objects.filter(case=case, order=3, opinion="return").get()
    assert (returned.returned_to, returned.comment) == (2, "场所面积需核实。")
    later = CaseStep.objects.filter(case=case, order__gt=2).exclude(
        state__in=["done", "superseded"])
    assert later.exists()
    assert set(later.values_list("state", flat=True)) == {"waiting"}

    # The new round runs through the chain again.
    pass_step(case, cast["reviewer"], "2026-09-04")
    nxt = current_step(case)
    assert (nxt.order, nxt.state) == (3, "open")
    pass_step(case, cast["chief"], "2026-09-07")
    assert current_step(case).order == 4


def test_return_needs_a_comment(cast, case):
    pass_step(case, cast["reviewer"], "2026-09-02")
    claim(case, cast["chief"], "2026-09-03")
    with unchanged(case), violates("reason_required"):
        complete(case, cast["chief"], "2026-09-03", opinion="return", return_to=2,
                 comment="")


@pytest.mark.parametrize("target", [None, 3, 4, 9])
def test_return_only_to_an_earlier_step(cast, case, target):
    pass_step(case, cast["reviewer"], "2026-09-02")
    claim(case, cast["chief"], "2026-09-03")
    with unchanged(case), violates("invalid_return"):
        complete(case, cast["chief"], "2026-09-03", opinion="return", return_to=target,
                 comment="退回")


# --- site visit (第34条) -------------------------------------------------------------------

def _site_visit_step(case):
    CaseStep.objects.filter(case=case, order=2).update(site_visit=True)


def test_article_34_site_visit_step_copied_from_catalogue(cast, org, person):
    chain = [dict(s) for s in BUREAU_CHAIN]
    chain[1]["site_visit"] = True
    version = _publish(body=org["bureau"], competent=org["dept-env"], basic_code="000100080000",
                       name="现场核查事项（测试）", chain=chain, promised=10)
    catalog_services.memo_save(
        actor=None, item=version.item, from_department=org["dept-env"], to_unit=org["bureau"],
        effective_on=day("2019-03-31"), approval_duty="审批", supervision_duty="监管")
    case = accepted(cast, version.item, person)
    flags = list(CaseStep.objects.filter(case=case).order_by("order")
                 .values_list("site_visit", flat=True))
    assert flags == [False, True, False, False]


@pytest.mark.parametrize("staff", [None, [], ["reviewer"], ["reviewer", "reviewer"]])
def test_article_34_site_visit_needs_two_distinct_staff(cast, case, staff):
    _site_visit_step(case)
    claim(case, cast["reviewer"], "2026-09-02")
    ids = None if staff is None else [cast[name].pk for name in staff]
    with unchanged(case), violates("site_staff_required"):
        complete(case, cast["reviewer"], "2026-09-03", site_staff=ids)


def test_article_34_site_visit_staff_must_be_staff(cast, case):
    _site_visit_step(case)
    claim(case, cast["reviewer"], "2026-09-02")
    with unchanged(case), violates("site_staff_required"):
        complete(case, cast["reviewer"], "2026-09-03",
                 site_staff=[cast["reviewer"].pk, cast["applicant"].pk])


def test_article_34_site_visit_with_two_staff(cast, case):
    _site_visit_step(case)
    claim(case, cast["reviewer"], "2026-09-02")
    complete(case, cast["reviewer"], "2026-09-03", comment="现场核查属实。",
             site_staff=[cast["reviewer"].pk, cast["chief"].pk])
    step = CaseStep.objects.get(case=case, order=2)
    assert step.state == "done"
    # stored as [{"id": ..., "name": ...}] so the record keeps the names at the time
    assert sorted(s["id"] for s in step.site_staff) == sorted(
        [cast["reviewer"].pk, cast["chief"].pk])


# --- extension (第42条) --------------------------------------------------------------------

def _request(cast, case, days=10, who="reviewer", on="2026-09-10"):
    return svc.case_extension_request(actor=cast[who], case=case, days=days,
                                      reason="需补充现场勘验。", at=at(on))


def test_article_42_approved_extension_adds_its_days(cast, case):
    """20 + 10 working days from 09-01 → 2026-10-19; promised 10 + 10 → 2026-09-29."""
    one_event("extension_request", svc.case_extension_request, case, actor=cast["reviewer"],
              days=10, reason="需补充现场勘验。", at=at("2026-09-10"))
    assert fresh(case).statutory_due == day("2026-09-29")  # a request alone changes nothing
    result = one_event("extension_approve", svc.case_extension_approve, case,
                       actor=cast["head"], approve=True, note="同意延长。", at=at("2026-09-11"))
    assert result.statutory_due == day("2026-10-19")
    assert result.promised_due == day("2026-09-29")
    ext = ExtensionRequest.objects.get(case=case)
    assert (ext.status, ext.decided_by_id, ext.decided_on) == (
        "approved", cast["head"].pk, day("2026-09-11"))
    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.EXTENSION_NOTICE)
    assert "需补充现场勘验" in str(doc.context)  # the applicant is told why
    assert chain_ok()


def test_article_42_rejected_extension_changes_no_due_date(cast, case):
    _request(cast, case)
    result = svc.case_extension_approve(actor=cast["head"], case=case, approve=False,
                                        note="不同意。", at=at("2026-09-11"))
    assert result.statutory_due == day("2026-09-29")
    assert ExtensionRequest.objects.get(case=case).status == "rejected"


@pytest.mark.parametrize("who", ["reviewer", "chief", "clerk", "supervisor"])
def test_article_42_only_the_head_approves(cast, case, who):
    _request(cast, case)
    with unchanged(case), pytest.raises(CaseForbidden):
        svc.case_extension_approve(actor=cast[who], case=case, approve=True,
                                   at=at("2026-09-11"))
    assert ExtensionRequest.objects.get(case=case).status == "pending"


def test_article_42_extension_over_10_days_refused(cast, case):
    """The request itself is refused: 11 working days is over the cap of 第42条."""
    before = fresh(case).statutory_due
    with unchanged(case), violates("extension_over_cap"):
        _request(cast, case, days=11)
    assert not ExtensionRequest.objects.filter(case=case).exists()
    assert fresh(case).statutory_due == before


def test_article_42_second_extension_refused(cast, case):
    _request(cast, case, days=5)
    svc.case_extension_approve(actor=cast["head"], case=case, approve=True,
                               at=at("2026-09-11"))
    due = fresh(case).statutory_due
    with unchanged(case), violates("extension_once"):
        _request(cast, case, days=5, on="2026-09-14")
    assert fresh(case).statutory_due == due
    assert ExtensionRequest.objects.filter(case=case, status="approved").count() == 1


def test_article_42_extension_needs_a_reason(cast, case):
    with unchanged(case), violates("reason_required"):
        svc.case_extension_request(actor=cast["reviewer"], case=case, days=5, reason=" ",
                                   at=at("2026-09-10"))


@pytest.mark.parametrize("who", ["clerk", "dept", "supervisor"])
def test_article_42_extension_request_roles(cast, case, who):
    with unchanged(case), pytest.raises(CaseForbidden):
        _request(cast, case, who=who)
