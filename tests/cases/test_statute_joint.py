"""Joint handling (统一办理、联合办理、集中办理, 行政许可法 第26条, 第42条第二款): 45 working days,
extendable once by at most 15 with the approval of 本级人民政府负责人, which the bureau enters as
an external approval (who, document number, date) — never the bureau head's own approval.

Hand-worked against the 2026 schedule: accepted Tuesday 09-01, 45 working days end Monday
11-09 (30 working days reach 10-19, see test_services_review; then 10-20..10-23 (34),
10-26..10-30 (39), 11-02..11-06 (44), 11-09 (45)); with 15 more: 11-10..11-13 (49),
11-16..11-20 (54), 11-23..11-27 (59), 11-30 (60)."""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.models import CaseDocument, DocumentKind, ExtensionRequest

from .helpers import (
    accepted,
    at,
    chain_ok,
    day,
    document_text,
    fresh,
    one_event,
    unchanged,
    violates,
)

pytestmark = pytest.mark.django_db

APPROVAL = {"approver": "王副区长", "document_number": "西府复〔2026〕12号"}


@pytest.fixture
def case(cast, catalogue, person):
    return accepted(cast, catalogue.bureau_item, person, on="2026-09-01")


def _mark(cast, case, on="2026-09-02", who="chief", kind="joint"):
    return svc.case_mark_joint(actor=cast[who], case=case, kind=kind,
                               reason="涉及环保、住建两个部门，联合办理。", at=at(on))


def _joint_request(cast, case, on="2026-10-20", days=15):
    _mark(cast, case)
    return svc.case_extension_request(actor=cast["reviewer"], case=case, days=days,
                                      reason="需多部门联合踏勘。", at=at(on))


def _government(cast, case, on="2026-10-23", approved_on="2026-10-22", who="chief", **kw):
    data = {**APPROVAL, **kw}
    return svc.case_extension_government(actor=cast[who], case=case,
                                         approved_on=day(approved_on), at=at(on), **data)


def test_article_42_second_paragraph_joint_case_has_45_working_days(cast, case):
    assert fresh(case).statutory_due == day("2026-09-29")
    result = one_event("mark_joint", svc.case_mark_joint, case, actor=cast["chief"],
                       kind="centralised", reason="集中办理。", at=at("2026-09-02"))
    assert (result.joint, result.joint_kind, result.joint_source) == (
        True, "centralised", "bureau")
    assert result.statutory_due == day("2026-11-09")
    assert result.promised_due == day("2026-09-15")  # the bureau's promise is unchanged
    assert result.events.order_by("-seq").first().data == {"kind": "centralised",
                                                            "source": "bureau"}


def test_article_42_second_paragraph_mark_joint_rules(cast, case):
    with unchanged(case), violates("invalid_joint_kind"):
        _mark(cast, case, kind="parallel")
    _mark(cast, case)
    with unchanged(case), violates("already_joint"):
        _mark(cast, case, on="2026-09-03", kind="unified")


def test_article_42_second_paragraph_no_joint_after_an_extension_request(cast, case):
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=5, reason="复杂。",
                               at=at("2026-09-10"))
    with unchanged(case), violates("joint_after_extension"):
        _mark(cast, case, on="2026-09-11")


def test_article_42_second_paragraph_head_may_not_approve_a_joint_extension(cast, case):
    _joint_request(cast, case)
    with unchanged(case), violates("joint_extension_needs_government"):
        svc.case_extension_approve(actor=cast["head"], case=case, approve=True,
                                   at=at("2026-10-21"))
    assert ExtensionRequest.objects.get(case=case).status == "pending"


def test_article_42_second_paragraph_government_approval_extends_by_15(cast, case):
    _joint_request(cast, case)
    result = one_event("extension_government", svc.case_extension_government, case,
                       actor=cast["chief"], approved_on=day("2026-10-22"),
                       at=at("2026-10-23"), **APPROVAL)
    assert result.statutory_due == day("2026-11-30")
    ext = ExtensionRequest.objects.get(case=case)
    assert (ext.status, ext.external_approver, ext.external_document,
            ext.external_approved_on, ext.decided_by_id) == (
        "approved", "王副区长", "西府复〔2026〕12号", day("2026-10-22"), cast["chief"].pk)
    event = result.events.order_by("-seq").first()
    assert event.data["approver"] == "王副区长" and event.data["entered_by"] == cast["chief"].pk
    text = document_text(CaseDocument.objects.get(case=case,
                                                  kind=DocumentKind.EXTENSION_NOTICE))
    assert "经本级人民政府负责人（王副区长，西府复〔2026〕12号）批准" in text
    assert "第四十二条第二款" in text and "截至2026年11月30日" in text
    assert chain_ok()


def test_article_42_second_paragraph_joint_extension_over_15_refused(cast, case):
    _mark(cast, case)
    with unchanged(case), violates("extension_over_cap"):
        svc.case_extension_request(actor=cast["reviewer"], case=case, days=16, reason="复杂。",
                                   at=at("2026-10-20"))


def test_article_42_government_approval_only_for_joint_cases(cast, case):
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=5, reason="复杂。",
                               at=at("2026-09-10"))
    with unchanged(case), violates("not_joint"):
        _government(cast, case, on="2026-09-11", approved_on="2026-09-11")


@pytest.mark.parametrize(("field", "value", "code"), [
    ("approver", " ", "approver_required"),
    ("document_number", "", "document_number_required"),
])
def test_article_42_second_paragraph_government_approval_needs_its_particulars(
        cast, case, field, value, code):
    _joint_request(cast, case)
    with unchanged(case), violates(code):
        _government(cast, case, **{field: value})


@pytest.mark.parametrize("approved_on", ["2026-10-19", "2026-10-24"])
def test_article_42_second_paragraph_approval_dated_between_request_and_today(
        cast, case, approved_on):
    """Requested 10-20, entered 10-23: an approval dated before the request or in the
    future is refused."""
    _joint_request(cast, case)
    with unchanged(case), violates("invalid_approval_date"):
        _government(cast, case, approved_on=approved_on)


def test_article_42_second_paragraph_government_approval_after_the_limit_refused(cast, case):
    """The 45 working days end on 11-09; an approval dated 11-10 comes too late."""
    _joint_request(cast, case, on="2026-11-09")
    with unchanged(case), violates("extension_after_limit"):
        _government(cast, case, on="2026-11-10", approved_on="2026-11-10")
    assert fresh(case).statutory_due == day("2026-11-09")
