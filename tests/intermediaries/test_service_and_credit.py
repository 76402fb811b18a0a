"""The service on the clock, its report, the owner's rating, complaints with their clock,
and warnings, suspension and exit by rule (work-plan measure 十一: 限时服务、评价退出机制).
Dates on the 2026 schedule: 10-01..10-07 National Day, Saturday 10-10 a make-up day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oneseal.cases.uploads import UploadRejected
from oneseal.core.identity import make_credit_code
from oneseal.core.models import AuditEvent
from oneseal.intermediaries.errors import MarketError
from oneseal.intermediaries.models import Complaint, Contract, CreditMeasure, ServiceRating
from oneseal.intermediaries.services import credit, delivery, registry, selection

from .market import at, bid, post

pytestmark = pytest.mark.django_db

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
       b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
       b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n")


def awarded(cast, agencies, service, *, days=5, on="2026-09-30"):
    posting = post(cast["applicant"], service, method="lowest_price")
    bid(agencies[0], posting, price="30000", days=days)
    bid(agencies[1], posting, price="45000", days=days)
    selection.close_posting(posting_id=posting.pk, at=at(on))
    return Contract.objects.get(posting=posting)


def report(contract, agency, on):
    upload = SimpleUploadedFile("环评报告.pdf", PDF, content_type="application/pdf")
    return delivery.submit_report(actor=agency.users.first(), contract_id=contract.pk,
                                  upload=upload, name="环评报告.pdf", at=at(on))


def test_report_on_time_across_national_day_art_82(cast, agencies, service):
    contract = awarded(cast, agencies, service)  # due 2026-10-13
    report(contract, agencies[0], "2026-10-13")
    contract.refresh_from_db()
    assert (contract.state, contract.days_late, contract.report_sha256 != "") == (
        "reported", 0, True)


def test_report_late_counts_working_days_after_the_due_day_art_82(cast, agencies, service):
    """Due Tuesday 10-13; handed in Monday 10-19: 10-14, 10-15, 10-16, 10-19 = 4 working
    days late (the weekend 10-17/18 not counted). Score 100 - (5 + 4) = 91."""
    contract = awarded(cast, agencies, service)
    report(contract, agencies[0], "2026-10-19")
    contract.refresh_from_db()
    agencies[0].refresh_from_db()
    assert contract.days_late == 4 and agencies[0].credit_score == 91


def test_report_checked_by_content(cast, agencies, service):
    contract = awarded(cast, agencies, service)
    fake = SimpleUploadedFile("报告.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    with pytest.raises(UploadRejected):
        delivery.submit_report(actor=agencies[0].users.first(), contract_id=contract.pk,
                               upload=fake, name="报告.pdf", at=at("2026-10-09"))
    contract.refresh_from_db()
    assert contract.state == "running" and not contract.report


def test_only_the_winner_uploads_and_only_the_owner_finishes_and_rates(cast, agencies, service):
    contract = awarded(cast, agencies, service)
    with pytest.raises(MarketError) as info:
        report(contract, agencies[1], "2026-10-09")
    assert info.value.code == "forbidden"
    report(contract, agencies[0], "2026-10-09")
    with pytest.raises(MarketError) as info:
        delivery.finish(actor=cast["company"], contract_id=contract.pk, at=at("2026-10-12"))
    assert info.value.code == "forbidden"
    delivery.finish(actor=cast["applicant"], contract_id=contract.pk, at=at("2026-10-12"))
    delivery.rate(actor=cast["applicant"], contract_id=contract.pk, stars=5, at=at("2026-10-12"))
    with pytest.raises(MarketError) as info:
        delivery.rate(actor=cast["applicant"], contract_id=contract.pk, stars=1,
                      at=at("2026-10-12"))
    assert info.value.code == "duplicate"
    agencies[0].refresh_from_db()
    assert agencies[0].credit_score == 102 and ServiceRating.objects.count() == 1


def test_complaint_clock_ten_working_days_across_national_day_art_82(cast, agencies):
    """Filed Tuesday 2026-09-29: 09-30, 10-08, 10-09, 10-10 (Sat, make-up), 10-12..10-16,
    10-19 → due Monday 2026-10-19."""
    c = delivery.complain(actor=cast["applicant"], intermediary_id=agencies[0].pk,
                          text="收费后拖延出具报告", at=at("2026-09-29"))
    assert c.due_on == dt.date(2026, 10, 19)


def test_only_a_supervisor_handles_complaints(cast, agencies):
    c = delivery.complain(actor=cast["applicant"], intermediary_id=agencies[0].pk,
                          text="要求额外收费", at=at("2026-09-29"))
    for name in ("clerk", "head", "catalog_admin", "applicant"):
        with pytest.raises(MarketError) as info:
            delivery.handle_complaint(actor=cast[name], complaint_id=c.pk, upheld=True,
                                      result="属实")
        assert info.value.code == "forbidden"
    delivery.handle_complaint(actor=cast["supervisor"], complaint_id=c.pk, upheld=True,
                              result="经核查属实", at=at("2026-10-09"))
    agencies[0].refresh_from_db()
    assert agencies[0].credit_score == 90 and Complaint.objects.get().state == "upheld"


def uphold(cast, agency, n, on="2026-10-09"):
    for _ in range(n):
        c = delivery.complain(actor=cast["applicant"], intermediary_id=agency.pk, text="违规",
                              at=at("2026-09-29"))
        delivery.handle_complaint(actor=cast["supervisor"], complaint_id=c.pk, upheld=True,
                                  result="属实", at=at(on))


def test_warning_then_suspension_then_exit_by_rule(cast, agencies):
    a = agencies[0]
    uphold(cast, a, 3)  # 70: warning
    a.refresh_from_db()
    assert (a.credit_score, a.standing) == (70, "warning")
    uphold(cast, a, 2)  # 50: suspension for 90 days
    a.refresh_from_db()
    assert (a.standing, a.suspended_until) == ("suspended", dt.date(2027, 1, 7))
    # during the suspension the rules do not move it
    assert credit.apply_credit_rules(a.pk, dt.date(2026, 12, 1)).standing == "suspended"
    # the term ends and the score is still below 60: cleared out (清退), for good
    assert credit.apply_rules_to_ended_suspensions(dt.date(2027, 1, 8)) == 1
    a.refresh_from_db()
    assert a.standing == "exited"
    kinds = list(CreditMeasure.objects.filter(intermediary=a).order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == ["warning", "suspension", "exit"]
    assert AuditEvent.objects.filter(kind="intermediary.credit_exit").count() == 1
    assert not a.may_bid


def test_exit_at_once_below_forty(cast, agencies):
    uphold(cast, agencies[1], 7)  # 30
    agencies[1].refresh_from_db()
    assert agencies[1].standing == "exited"


def test_register_checks_the_credit_code_and_the_ties(cast):
    from .market import operator
    user = operator(50)
    with pytest.raises(MarketError) as info:
        registry.register_intermediary(actor=user, name="某机构", credit_code="91530112MA00000001",
                                       legal_representative="王五", no_ties_declared=True)
    assert info.value.code == "credit_code"
    with pytest.raises(MarketError) as info:
        registry.register_intermediary(actor=user, name="某机构",
                                       credit_code=make_credit_code("91530112MA0000009"),
                                       legal_representative="王五")
    assert info.value.code == "ties"  # neither ties nor the promise of none


def test_qualification_rejected_only_with_reasons(cast, agencies, service):
    user = agencies[0].users.first()
    q = registry.submit_qualification(
        actor=user, intermediary_id=agencies[0].pk, service_id=service.pk, name="乙级",
        certificate_number="ZZ-X", issuer="厅", valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2027, 1, 1))
    with pytest.raises(MarketError) as info:
        registry.review_qualification(actor=cast["catalog_admin"], qualification_id=q.pk,
                                      approve=False)
    assert info.value.code == "reason_required"
    with pytest.raises(MarketError) as info:
        registry.review_qualification(actor=cast["supervisor"], qualification_id=q.pk,
                                      approve=True)
    assert info.value.code == "forbidden"
    done = registry.review_qualification(actor=cast["catalog_admin"], qualification_id=q.pk,
                                         approve=False, reason="证书编号与发证机关公示不符")
    assert done.state == "rejected" and done.reason.startswith("证书编号")
