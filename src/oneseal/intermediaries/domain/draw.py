"""The commit-reveal draw (随机抽取) of the intermediary marketplace, version 1.

Every random selection (随机抽取 and 信用加权随机抽取) must be verifiable by anyone from
the published inputs (work-plan measure 十一; 《优化营商环境条例》第43条 forbids the bureau to
designate an intermediary, so the draw must not be steerable by anyone, the bureau included).

Protocol
--------
1. When the need is posted, a fresh seed of 32 random bytes is generated and kept secret; the
   *commitment* ``SHA-256(seed_hex)`` (the lowercase hex seed as ASCII bytes) is published at
   once, before any offer arrives.
2. When offers close, the bidders are fixed; the seed is revealed and the winner computed by
   the rule below. Anyone checks ``SHA-256(seed_hex) == commitment`` and recomputes.

The rule (``oneseal-draw-v1``)
------------------------------
Inputs: ``seed_hex`` (64 lowercase hex digits), the posting's number ``P``, and the bidders
as pairs ``(intermediary_id, weight)`` with integer weights >= 1 (all 1 for a plain draw; the
credit score for a credit-weighted draw).

a. Sort the bidders by intermediary id, ascending.
b. Message ``M = "oneseal-draw-v1|" + seed_hex + "|" + P + "|" + "id1:w1,id2:w2,..."`` (decimal
   numbers, no spaces), encoded as UTF-8.
c. ``h = int(SHA-256(M).hexdigest(), 16)``; ``T`` = sum of the weights; ``r = h mod T``.
d. Walk the sorted bidders adding weights; the winner is the first bidder whose running total
   exceeds ``r``.

With ``h`` a 256-bit number and ``T`` small, the modulo bias is below 2^-200: each bidder wins
with probability ``weight / T``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

VERSION = "oneseal-draw-v1"


def new_seed() -> str:
    """32 random bytes from the operating system's CSPRNG, as 64 lowercase hex digits."""
    return secrets.token_hex(32)


def commitment(seed_hex: str) -> str:
    """The published commitment of a seed: SHA-256 of its hex text (ASCII)."""
    return hashlib.sha256(seed_hex.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class DrawStep:
    intermediary_id: int
    weight: int
    lower: int  # the bidder wins when lower <= r < upper
    upper: int


@dataclass(frozen=True)
class DrawResult:
    message: str
    digest: str
    total: int
    remainder: int
    steps: tuple[DrawStep, ...]
    winner_id: int


def message(seed_hex: str, posting_number: str, bidders: Sequence[tuple[int, int]]) -> str:
    ordered = sorted(bidders)
    return "|".join([VERSION, seed_hex, posting_number,
                     ",".join(f"{pid}:{weight}" for pid, weight in ordered)])


def draw(seed_hex: str, posting_number: str, bidders: Sequence[tuple[int, int]]) -> DrawResult:
    """The winner of a draw among `bidders` ((intermediary_id, weight) pairs), with every
    step of the computation (module docstring)."""
    if not bidders:
        raise ValueError("a draw needs at least one bidder")
    ids = [pid for pid, _ in bidders]
    if len(set(ids)) != len(ids):
        raise ValueError("a bidder appears twice")
    if any(weight < 1 for _, weight in bidders):
        raise ValueError("weights must be integers >= 1")
    if len(seed_hex) != 64 or any(c not in "0123456789abcdef" for c in seed_hex):
        raise ValueError("the seed must be 64 lowercase hex digits")
    text = message(seed_hex, posting_number, bidders)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    total = sum(weight for _, weight in bidders)
    remainder = int(digest, 16) % total
    steps: list[DrawStep] = []
    running = 0
    winner: int | None = None
    for pid, weight in sorted(bidders):
        lower, running = running, running + weight
        steps.append(DrawStep(pid, weight, lower, running))
        if winner is None and remainder < running:
            winner = pid
    assert winner is not None  # remainder < total = running at the end
    return DrawResult(text, digest, total, remainder, tuple(steps), winner)
