"""Selection of an intermediary (中介服务机构选取): the methods, the minimum number of
bidders and the refusal of offers above the published fee or the budget cap.

Work-plan measure 十一 and law.md §14 (中介超市): the project owner selects by a published
method — direct choice (直接选取), random draw (随机抽取), lowest price (最低价), comprehensive
evaluation of proposals (综合评价) or a draw weighted by credit (信用加权随机抽取) — among at
least two bidders; three for state-funded work (政府投资项目). The bureau and the departments
never choose (《优化营商环境条例》第43条).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

MIN_BIDDERS = 2
MIN_BIDDERS_STATE_FUNDED = 3
PRICE_POINTS = Decimal(30)  # comprehensive evaluation: price score out of 30
TECH_POINTS = Decimal(70)  # the owner's score of the proposal, out of 70


class Method(StrEnum):
    DIRECT = "direct"  # 直接选取: the owner chooses one of the bidders
    DRAW = "draw"  # 随机抽取
    LOWEST_PRICE = "lowest_price"  # 最低价中选
    COMPREHENSIVE = "comprehensive"  # 综合评价
    WEIGHTED_DRAW = "weighted_draw"  # 信用加权随机抽取


DRAW_METHODS = frozenset({Method.DRAW, Method.WEIGHTED_DRAW})


def min_bidders(state_funded: bool) -> int:
    """At least 2 bidders, 3 for state-funded work; fewer and the posting fails."""
    return MIN_BIDDERS_STATE_FUNDED if state_funded else MIN_BIDDERS


def enough_bidders(count: int, state_funded: bool) -> bool:
    return count >= min_bidders(state_funded)


class PriceRefusal(StrEnum):
    ABOVE_SCHEDULE = "above_schedule"  # above the published fee (收费公示)
    ABOVE_CAP = "above_cap"  # above the owner's budget cap
    NOT_POSITIVE = "not_positive"


def price_refusal(price: Decimal, schedule_max: Decimal,
                  budget_cap: Decimal) -> PriceRefusal | None:
    """Why an offer's price is refused, or None: it must be positive, at most the fee the
    intermediary published for the service (收费公示) and at most the owner's budget cap."""
    if price <= 0:
        return PriceRefusal.NOT_POSITIVE
    if price > schedule_max:
        return PriceRefusal.ABOVE_SCHEDULE
    if price > budget_cap:
        return PriceRefusal.ABOVE_CAP
    return None


@dataclass(frozen=True)
class Offer:
    bid_id: int
    intermediary_id: int
    price: Decimal
    order: int  # submission order (earlier first)
    tech_score: Decimal | None = None


def lowest_price(offers: Sequence[Offer]) -> Offer:
    """最低价中选: the lowest price; at equal price the earlier offer."""
    if not offers:
        raise ValueError("no offers")
    return min(offers, key=lambda o: (o.price, o.order, o.bid_id))


def price_score(price: Decimal, lowest: Decimal) -> Decimal:
    """The price score of comprehensive evaluation: 30 x lowest price / this price, to two
    decimals (the lowest offer gets the full 30)."""
    return (PRICE_POINTS * lowest / price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Scored:
    offer: Offer
    price_score: Decimal
    total: Decimal


def comprehensive(offers: Sequence[Offer]) -> list[Scored]:
    """综合评价: total = the owner's proposal score (0–70) + the price score (0–30); ranked
    by total, then lower price, then the earlier offer. Every offer must be scored."""
    if not offers:
        raise ValueError("no offers")
    if any(o.tech_score is None for o in offers):
        raise ValueError("every proposal must be scored")
    lowest = min(o.price for o in offers)
    rows = []
    for o in offers:
        assert o.tech_score is not None
        if not Decimal(0) <= o.tech_score <= TECH_POINTS:
            raise ValueError("proposal score out of range")
        ps = price_score(o.price, lowest)
        rows.append(Scored(o, ps, o.tech_score + ps))
    rows.sort(key=lambda s: (-s.total, s.offer.price, s.offer.order, s.offer.bid_id))
    return rows
