"""Hearings (听证, 行政许可法 第36条, 第46–48条) in the case workflow: the applicant's and the
interested parties' five days to ask, counted in calendar days with 《民法典》第203条; the
听证告知书 to each of them, sealed like the other notices; a hearing the bureau calls itself
(第46条); no decision while the window to ask is open.

Hand-worked against the 2026 schedule (chinesecalendar): five days after
- Tuesday 09-01 → Sunday 09-06, a rest day → Monday 09-07;
- Tuesday 09-15 → Sunday 09-20, a make-up working day → 09-20 itself;
- Tuesday 09-22 → Sunday 09-27, the last day of Mid-autumn (09-25..09-27) → Monday 09-28;
- Monday 09-28 → Saturday 10-03, inside National Day (10-01..10-07) → Thursday 10-08;
- Friday 09-04 → Wednesday 09-09, a working day.
"""

from __future__ import annotations

import pytest

from oneseal.cases import documents
from oneseal.cases import services as svc
from oneseal.cases.models import CaseDocument, DocumentKind, HearingNotice, SpecialProcedureRun
from oneseal.cases.services.hearing import hearing_request_end

from .helpers import (
    accepted,
    at,
    bureau_to_final,
    claim,
    day,
    document_text,
    fresh,
    one_event,
    unchanged,
    violates,
)

pytestmark = pytest.mark.django_db
PARTIES = ["李四（相邻住户）", "昆明某物业公司"]


@pytest.fixture
def case(cast, catalogue, person):
    return claim(accepted(cast, catalogue.bureau_item, person, on="2026-09-01"),
                 cast["reviewer"], "2026-09-02")


def _notify(cast, case, on, who="reviewer", parties=PARTIES):
    return svc.case_hearing_notice(actor=cast[who], case=case, reason="涉及相邻住户的采光权。",
                                   parties=parties, at=at(on))


def _hearing_notices(case):
    return list(CaseDocument.objects.filter(case=case, kind=DocumentKind.HEARING_NOTICE)
                .order_by("id"))


@pytest.mark.parametrize(("notified", "last"), [
    ("2026-09-01", "2026-09-07"), ("2026-09-15", "2026-09-20"), ("2026-09-22", "2026-09-28"),
    ("2026-09-28", "2026-10-08"), ("2026-09-04", "2026-09-09")])
def test_article_47_request_window_is_5_days_with_civil_code_article_203(db, notified, last):
    assert hearing_request_end(day(notified)) == day(last)


def test_article_47_hearing_notice_to_the_applicant_and_each_interested_party(cast, case):
    result = one_event("hearing_notice", svc.case_hearing_notice, case, actor=cast["reviewer"],
                       reason="涉及相邻住户的采光权。", parties=[*PARTIES, " ", PARTIES[0]],
                       at=at("2026-09-22"))
    assert result.state == "reviewing"
    notice = HearingNotice.objects.get(case=case)
    assert (notice.notified_on, notice.request_by, notice.parties) == (
        day("2026-09-22"), day("2026-09-28"), PARTIES)
    docs = _hearing_notices(case)
    assert [d.context["details"]["addressee"] for d in docs] == ["张三", *PARTIES]
    to_applicant, to_party = document_text(docs[0]), document_text(docs[1])
    assert "第四十七条" in to_applicant and "2026年9月28日前" in to_applicant
    assert "利害关系人，有权进行陈述和申辩" in to_party and "第三十六条" in to_party
    assert "2026年9月28日前" in to_party
    assert len({d.number for d in docs}) == 3
    assert documents.render_pdf(docs[1]).startswith(b"%PDF")


def test_article_47_hearing_notice_needs_reason_and_parties(cast, case):
    with unchanged(case), violates("parties_required"):
        _notify(cast, case, "2026-09-22", parties=[" "])
    with unchanged(case), violates("reason_required"):
        svc.case_hearing_notice(actor=cast["reviewer"], case=case, reason="", parties=PARTIES,
                                at=at("2026-09-22"))


def test_article_47_hearing_notices_go_through_the_signing_pipeline(cast, case, seals):
    """Issued by the head (who holds the seals), each 听证告知书 gets an acceptance-seal use
    and is signed by the pipeline like the other notices."""
    from oneseal.licences.signing import sign_pending
    from oneseal.seal.models import SealUse

    _notify(cast, case, "2026-09-22", who="head")
    docs = _hearing_notices(case)
    uses = SealUse.objects.filter(case=case, key__in=[f"document:{d.pk}" for d in docs])
    assert uses.count() == 3 and {u.seal_id for u in uses} == {seals["acceptance"].pk}
    sign_pending(case)
    assert set(uses.values_list("state", flat=True)) == {"signed"}


def test_article_47_request_on_the_day_after_a_holiday_is_in_time(cast, case):
    """Told on 09-22: the fifth day (09-27) is a holiday, so a request on Monday 09-28 is in
    time (《民法典》第203条). Hearing on 10-15: 7 working days after the start on 09-28
    (10-13) and within 20 working days of the request (10-30)."""
    result = svc.case_special_start(
        actor=cast["reviewer"], case=case, kind="hearing", reason="利害关系人申请听证。",
        expected_days=10, at=at("2026-09-28"),
        hearing={"rights_notified_on": day("2026-09-22"), "requested_on": day("2026-09-28"),
                 "hearing_on": day("2026-10-15"), "place": "第一听证室",
                 "chair_id": cast["chief"].pk, "parties": PARTIES})
    assert result.state == "special"
    docs = _hearing_notices(case)
    assert [d.context["details"]["addressee"] for d in docs] == ["张三", *PARTIES]
    assert "2026年10月15日" in document_text(docs[1]) and "第一听证室" in document_text(docs[1])


def test_article_47_request_on_the_next_working_day_after_that_is_late(cast, case):
    """Tuesday 09-29 is the 4th working day after 09-22 but the 7th calendar day: too late."""
    with unchanged(case), violates("hearing_request_late") as refused:
        svc.case_special_start(
            actor=cast["reviewer"], case=case, kind="hearing", reason="申请听证。",
            expected_days=10, at=at("2026-09-29"),
            hearing={"rights_notified_on": day("2026-09-22"), "requested_on": day("2026-09-29"),
                     "hearing_on": day("2026-10-15"), "place": "第一听证室",
                     "chair_id": cast["chief"].pk})
    assert "2026-09-28" in refused.value.message


def test_article_46_bureau_calls_a_hearing_without_a_request(cast, case):
    """Started Wednesday 09-02, the hearing on Friday 09-11 is the 7th working day after."""
    result = svc.case_special_start(
        actor=cast["head"], case=case, kind="hearing", reason="涉及公共利益，依职权听证。",
        expected_days=10, at=at("2026-09-02"),
        hearing={"called_by_bureau": True, "hearing_on": day("2026-09-11"),
                 "place": "第二听证室", "chair_id": cast["chief"].pk, "parties": PARTIES[:1]})
    assert result.state == "special"
    run = SpecialProcedureRun.objects.get(case=case)
    assert (run.called_by_bureau, run.rights_notified_on, run.requested_on) == (True, None, None)
    docs = _hearing_notices(case)
    assert len(docs) == 2
    assert "第四十六条" in document_text(docs[0]) and "第二听证室" in document_text(docs[0])


def test_article_46_bureau_hearing_still_needs_7_working_days_notice(cast, case):
    with unchanged(case), violates("hearing_notice_short"):
        svc.case_special_start(
            actor=cast["head"], case=case, kind="hearing", reason="依职权听证。",
            expected_days=10, at=at("2026-09-02"),
            hearing={"called_by_bureau": True, "hearing_on": day("2026-09-10"),
                     "place": "第二听证室", "chair_id": cast["chief"].pk})


def _at_final_step(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    return bureau_to_final(cast, case)  # 审查 09-02, 审核 09-03, the head claims 批准 09-04


def test_article_47_no_decision_while_the_request_window_is_open(cast, catalogue, person):
    """Told on Friday 09-04, they may ask until Wednesday 09-09: no decision that day; on
    09-10 the window has closed."""
    case = _at_final_step(cast, catalogue, person)
    _notify(cast, case, "2026-09-04", who="head")
    with unchanged(case), violates("hearing_window_open") as refused:
        svc.case_decide(actor=cast["head"], case=case, outcome="granted", at=at("2026-09-09"))
    assert "2026-09-09" in refused.value.message
    result = svc.case_decide(actor=cast["head"], case=case, outcome="granted",
                             at=at("2026-09-10"))
    assert result.state == "decided"


def test_article_47_decision_after_the_requested_hearing(cast, catalogue, person):
    """A hearing started inside the window takes over: after it, the decision is free."""
    case = _at_final_step(cast, catalogue, person)
    _notify(cast, case, "2026-09-04", who="head")
    svc.case_special_start(
        actor=cast["head"], case=case, kind="hearing", reason="申请人申请听证。",
        expected_days=10, at=at("2026-09-07"),
        hearing={"rights_notified_on": day("2026-09-04"), "requested_on": day("2026-09-07"),
                 "hearing_on": day("2026-09-16"), "place": "第一听证室",
                 "chair_id": cast["supervisor"].pk})
    svc.case_special_end(actor=cast["head"], case=case, result="听证结束",
                         minutes="听证笔录……", at=at("2026-09-16"))
    assert fresh(case).state == "reviewing"
    assert svc.case_decide(actor=cast["head"], case=case, outcome="granted",
                           at=at("2026-09-16")).state == "decided"
