"""Selecting an intermediary: each method, the minimum bidders rule (2, 3 for state-funded
work), fees above the published schedule refused, and the commit-reveal draw recomputed
independently (work-plan measure 十一; law.md §14; 《优化营商环境条例》第43条)."""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import contextmanager
from decimal import Decimal

import pytest

from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.intermediaries.errors import MarketError
from oneseal.intermediaries.models import Bid, Contract, Posting
from oneseal.intermediaries.services import selection

from .market import at, bid, post

pytestmark = pytest.mark.django_db


def counts():
    return (Posting.objects.count(), Bid.objects.count(), Contract.objects.count(),
            AuditEvent.objects.count())


@contextmanager
def refused(code: str):
    before = counts()
    with pytest.raises(MarketError) as info:
        yield info
    assert info.value.code == code, (info.value.code, info.value.message)
    assert counts() == before


def close(posting, on="2026-09-29"):
    return selection.close_posting(posting_id=posting.pk, at=at(on))


def independent_draw(seed: str, number: str, bidders: list[tuple[int, int]]) -> int:
    """The documented algorithm (docs/intermediaries.md), written again here from the
    documentation with hashlib only."""
    pairs = sorted(bidders)
    text = f"oneseal-draw-v1|{seed}|{number}|" + ",".join(f"{i}:{w}" for i, w in pairs)
    r = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % sum(w for _, w in pairs)
    running = 0
    for i, w in pairs:
        running += w
        if r < running:
            return i
    raise AssertionError


def test_commit_reveal_draw_recomputed_independently_and_in_the_audit_chain(cast, agencies,
                                                                            service):
    posting = post(cast["applicant"], service, method="draw")
    assert posting.commitment == hashlib.sha256(posting.seed.encode()).hexdigest()
    assert not posting.seed_revealed and posting.draw is None
    posted = AuditEvent.objects.get(kind="posting.post", subject=f"posting:{posting.pk}")
    assert posted.payload["commitment"] == posting.commitment
    assert posting.seed not in posted.payload_json  # only the hash is published at posting
    for a in agencies:
        bid(a, posting)
    close(posting)
    posting.refresh_from_db()
    assert posting.state == "awarded" and posting.seed_revealed
    bidders = [(a.pk, 1) for a in agencies]
    winner = independent_draw(posting.seed, posting.number, bidders)
    assert posting.winner.intermediary_id == winner == posting.draw["winner"]
    award = AuditEvent.objects.get(kind="posting.award", subject=f"posting:{posting.pk}")
    assert award.payload["seed"] == posting.seed
    assert award.payload["intermediary"] == winner
    assert verify_chain().ok


def test_credit_weighted_draw_uses_the_score_at_close_as_weight(cast, agencies, service):
    agencies[0].credit_score = 50
    agencies[0].save(update_fields=["credit_score"])
    posting = post(cast["applicant"], service, method="weighted_draw")
    for a in agencies:
        bid(a, posting)
    close(posting)
    posting.refresh_from_db()
    weights = [(agencies[0].pk, 50), (agencies[1].pk, 100), (agencies[2].pk, 100)]
    assert posting.draw["bidders"] == [list(w) for w in sorted(weights)]
    assert posting.winner.intermediary_id == independent_draw(posting.seed, posting.number,
                                                              weights)


def test_lowest_price_wins(cast, agencies, service):
    posting = post(cast["applicant"], service, method="lowest_price")
    bid(agencies[0], posting, price="45000")
    low = bid(agencies[1], posting, price="38000")
    bid(agencies[2], posting, price="38000", on="2026-09-23")  # same price, later
    close(posting)
    posting.refresh_from_db()
    assert posting.winner == low and posting.contract.price == Decimal("38000")


def test_direct_choice_by_the_owner(cast, agencies, service):
    posting = post(cast["applicant"], service, method="direct")
    bids = [bid(a, posting) for a in agencies[:2]]
    assert close(posting).state == "evaluating"
    contract = selection.choose_directly(actor=cast["applicant"], posting_id=posting.pk,
                                         bid_id=bids[1].pk, at=at("2026-09-29"))
    assert contract.intermediary == agencies[1]


def test_direct_choice_refused_to_someone_else(cast, agencies, service):
    posting = post(cast["applicant"], service, method="direct")
    bids = [bid(a, posting) for a in agencies[:2]]
    close(posting)
    with pytest.raises(MarketError) as info:
        selection.choose_directly(actor=cast["company"], posting_id=posting.pk,
                                  bid_id=bids[0].pk, at=at("2026-09-29"))
    assert info.value.code == "forbidden"
    assert not Contract.objects.exists()


def test_comprehensive_evaluation_of_scored_proposals(cast, agencies, service):
    posting = post(cast["applicant"], service, method="comprehensive")
    cheap = bid(agencies[0], posting, price="40000")
    good = bid(agencies[1], posting, price="50000")
    close(posting)
    with refused("scores"):
        selection.score_proposals(actor=cast["applicant"], posting_id=posting.pk,
                                  scores={cheap.pk: 50}, at=at("2026-09-29"))
    # 50 + 30 = 80 against 60 + 24 = 84 (price score 30 x 40000 / 50000)
    contract = selection.score_proposals(actor=cast["applicant"], posting_id=posting.pk,
                                         scores={cheap.pk: 50, good.pk: 60}, at=at("2026-09-29"))
    assert contract.intermediary == agencies[1]


def test_fewer_than_two_bidders_fails_and_may_be_reposted(cast, agencies, service):
    posting = post(cast["applicant"], service, method="draw")
    bid(agencies[0], posting)
    close(posting)
    posting.refresh_from_db()
    assert posting.state == "failed" and "少于2家" in posting.failure_reason
    assert posting.seed_revealed
    again = selection.repost(actor=cast["applicant"], posting_id=posting.pk,
                             offers_close_at=at("2026-10-12", 17), at=at("2026-09-29"))
    assert again.reposted_from == posting and again.seed != posting.seed
    with refused("reposted"):
        selection.repost(actor=cast["applicant"], posting_id=posting.pk,
                         offers_close_at=at("2026-10-12", 17), at=at("2026-09-29"))


def test_state_funded_work_needs_three_bidders(cast, agencies, service):
    posting = post(cast["company"], service, method="lowest_price", state_funded=True)
    for a in agencies[:2]:
        bid(a, posting)
    close(posting)
    posting.refresh_from_db()
    assert posting.state == "failed" and "少于3家" in posting.failure_reason
    ok = post(cast["company"], service, method="lowest_price", state_funded=True)
    for a in agencies:
        bid(a, ok)
    assert close(ok).state == "awarded"


def test_offer_above_the_published_fee_is_refused(cast, agencies, service):
    posting = post(cast["applicant"], service, cap="90000")
    with refused("above_schedule"):
        bid(agencies[0], posting, price="50000.01")  # published maximum 50000
    small = post(cast["applicant"], service, cap="30000")
    with refused("above_cap"):
        bid(agencies[0], small, price="35000")


def test_offer_refused_after_the_deadline_without_qualification_or_twice(cast, agencies,
                                                                          service):
    from .market import make_intermediary
    posting = post(cast["applicant"], service)
    with refused("closed"):
        bid(agencies[0], posting, on="2026-09-29")
    unqualified = make_intermediary(9, service, cast, approve=False)
    with refused("qualification"):
        bid(unqualified, posting)
    bid(agencies[0], posting)
    with refused("duplicate"):
        bid(agencies[0], posting)


def test_suspended_intermediary_may_not_offer(cast, agencies, service):
    agencies[0].standing = "suspended"
    agencies[0].suspended_until = dt.date(2026, 12, 1)
    agencies[0].save()
    posting = post(cast["applicant"], service)
    with refused("standing"):
        bid(agencies[0], posting)


def test_offers_close_only_after_the_deadline(cast, agencies, service):
    posting = post(cast["applicant"], service)
    with refused("too_early"):
        selection.close_posting(posting_id=posting.pk, actor=cast["applicant"],
                                at=at("2026-09-28", 16))


def test_contract_clock_counts_working_days_across_national_day_art_82(cast, agencies, service):
    """Awarded on Wednesday 2026-09-30 with 5 working days: 10-08, 10-09, 10-10 (Saturday,
    make-up day), 10-12, 10-13 → due Tuesday 2026-10-13 (行政许可法 第82条; 民法典 第201条)."""
    posting = post(cast["applicant"], service, method="lowest_price")
    bid(agencies[0], posting, days=5)
    bid(agencies[1], posting, price="45000", days=5)
    selection.close_posting(posting_id=posting.pk, at=at("2026-09-30"))
    contract = Contract.objects.get(posting=posting)
    assert (contract.started_on, contract.due_on) == (dt.date(2026, 9, 30), dt.date(2026, 10, 13))


def test_close_due_postings_closes_only_past_deadlines(cast, agencies, service):
    due = post(cast["applicant"], service, close="2026-09-24")
    later = post(cast["applicant"], service, close="2026-10-12")
    assert selection.close_due_postings(at("2026-09-25")) == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.state, later.state) == ("failed", "open")
