"""The pure rules of the marketplace, worked by hand: the draw, the selection methods and the
credit score (work-plan measure 十一; law.md §14 中介超市)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oneseal.intermediaries.domain import credit, draw, selection


def test_draw_commitment_is_sha256_of_the_hex_seed():
    seed = "00" * 32
    assert draw.commitment(seed) == hashlib.sha256(b"0" * 64).hexdigest()


def test_draw_worked_by_hand_with_sorted_bidders_and_weights():
    seed = "ab" * 32
    result = draw.draw(seed, "ZJ2026000001", [(9, 3), (4, 1), (7, 2)])
    text = "oneseal-draw-v1|" + seed + "|ZJ2026000001|4:1,7:2,9:3"
    assert result.message == text
    h = int(hashlib.sha256(text.encode()).hexdigest(), 16)
    r = h % 6
    expected = 4 if r < 1 else 7 if r < 3 else 9
    assert (result.total, result.remainder, result.winner_id) == (6, r, expected)
    assert [(s.intermediary_id, s.lower, s.upper) for s in result.steps] == [
        (4, 0, 1), (7, 1, 3), (9, 3, 6)]


def test_draw_order_of_input_does_not_matter():
    seed = "0123456789abcdef" * 4
    a = draw.draw(seed, "P", [(1, 1), (2, 1), (3, 1)])
    b = draw.draw(seed, "P", [(3, 1), (1, 1), (2, 1)])
    assert a == b


def test_draw_is_fair_enough_over_many_seeds():
    wins = {1: 0, 2: 0}
    for i in range(2000):
        seed = hashlib.sha256(str(i).encode()).hexdigest()
        wins[draw.draw(seed, "P", [(1, 1), (2, 3)]).winner_id] += 1
    assert 400 < wins[1] < 600  # expected 500 (weight 1 of 4)


@pytest.mark.parametrize("bidders", [[], [(1, 0)], [(1, 1), (1, 2)]])
def test_draw_refuses_bad_inputs(bidders):
    with pytest.raises(ValueError):
        draw.draw("00" * 32, "P", bidders)


def test_min_bidders_two_and_three_for_state_funded_work():
    assert selection.min_bidders(False) == 2 and selection.min_bidders(True) == 3
    assert not selection.enough_bidders(1, False) and selection.enough_bidders(2, False)
    assert not selection.enough_bidders(2, True) and selection.enough_bidders(3, True)


def test_price_above_published_fee_or_budget_cap_is_refused():
    r = selection.price_refusal
    assert r(Decimal("50000.01"), Decimal(50000), Decimal(90000)) == "above_schedule"
    assert r(Decimal(50000), Decimal(50000), Decimal(40000)) == "above_cap"
    assert r(Decimal(0), Decimal(50000), Decimal(90000)) == "not_positive"
    assert r(Decimal(40000), Decimal(50000), Decimal(40000)) is None


def test_lowest_price_ties_go_to_the_earlier_offer():
    offers = [selection.Offer(1, 11, Decimal(300), 0), selection.Offer(2, 12, Decimal(200), 1),
              selection.Offer(3, 13, Decimal(200), 2)]
    assert selection.lowest_price(offers).bid_id == 2


def test_comprehensive_evaluation_worked_by_hand():
    # price score = 30 x lowest / price: 30 x 40000/40000 = 30; 30 x 40000/50000 = 24
    offers = [selection.Offer(1, 11, Decimal(40000), 0, Decimal(50)),
              selection.Offer(2, 12, Decimal(50000), 1, Decimal(60))]
    ranked = selection.comprehensive(offers)
    assert [(s.offer.bid_id, s.price_score, s.total) for s in ranked] == [
        (2, Decimal("24.00"), Decimal("84.00")), (1, Decimal("30.00"), Decimal("80.00"))]


def test_credit_score_worked_by_hand():
    # 100 + min(2+2, 10) - 6 (one star) - (5+3) (3 days late) - 10 (one complaint) = 80
    inputs = credit.CreditInputs(ratings=(5, 5, 1, 4), overrun_days=(3,), upheld_complaints=1)
    assert credit.score(inputs) == 80
    assert credit.score(credit.CreditInputs(ratings=(5,) * 20)) == 110
    assert credit.score(credit.CreditInputs(overrun_days=(30,))) == 90  # capped at -10
    assert credit.score(credit.CreditInputs(upheld_complaints=20)) == 0


def test_standing_by_rule():
    s = credit.standing
    assert s(80, suspended_before=False) == "good"
    assert s(79, suspended_before=False) == "warning"
    assert s(59, suspended_before=False) == "suspended"
    assert s(59, suspended_before=True) == "exited"
    assert s(39, suspended_before=False) == "exited"
    assert credit.draw_weight(0) == 1 and credit.draw_weight(95) == 95


def _reference(seed: str, number: str, bidders: list[tuple[int, int]]) -> int:
    """docs/intermediaries.md's algorithm, step by step, with hashlib only."""
    pairs = sorted(bidders)
    text = f"oneseal-draw-v1|{seed}|{number}|" + ",".join(f"{i}:{w}" for i, w in pairs)
    r = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % sum(w for _, w in pairs)
    for i, w in pairs:
        if r < w:
            return i
        r -= w
    raise AssertionError


@given(seed=st.binary(min_size=32, max_size=32),
       ids=st.sets(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=40),
       weights=st.lists(st.integers(min_value=1, max_value=110), min_size=40, max_size=40),
       number=st.from_regex(r"ZJ20[0-9]{2}[0-9]{6}", fullmatch=True))
def test_draw_matches_the_documented_algorithm(seed, ids, weights, number):
    bidders = list(zip(sorted(ids), weights, strict=False))
    assert draw.draw(seed.hex(), number, bidders).winner_id == _reference(seed.hex(), number,
                                                                          bidders)
