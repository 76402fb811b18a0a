"""The reproducible expert draw (专家随机抽取).

Anyone can recompute a draw from what is published:

1. Before the draw the bureau commits to a random seed: it publishes
   `commitment = SHA-256(seed)` (hex of the 32-byte seed, lower case).
2. The eligible experts are those of the field, available on the day, and not recused
   (same unit as the applicant, a listed relation with the applicant, or used in another
   draw within the last N days). Their ids are listed in ascending order.
3. Each eligible id gets the key `HMAC-SHA256(key=seed bytes, msg=str(id) as ASCII)`; the
   experts are ordered by that key (hex, ascending; ties impossible in practice, then by id);
   the first `count` are drawn.
4. After the draw the seed is revealed: `SHA-256(seed) == commitment` proves it was fixed
   before, and steps 2–3 give the same experts.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def commitment(seed: bytes) -> str:
    """SHA-256 of the seed, hex: published before the draw."""
    return hashlib.sha256(seed).hexdigest()


def draw_key(seed: bytes, expert_id: int) -> str:
    return hmac.new(seed, str(expert_id).encode("ascii"), hashlib.sha256).hexdigest()


def draw_order(seed: bytes, eligible_ids: Iterable[int]) -> list[int]:
    """The eligible ids in draw order."""
    ids = sorted(set(eligible_ids))
    return sorted(ids, key=lambda i: (draw_key(seed, i), i))


def draw(seed: bytes, eligible_ids: Iterable[int], count: int) -> list[int]:
    if count < 1:
        raise ValueError("count must be at least 1")
    return draw_order(seed, eligible_ids)[:count]


def seed_matches(seed: bytes, published: str) -> bool:
    return hmac.compare_digest(commitment(seed), published.lower())


@dataclass(frozen=True)
class Candidate:
    id: int
    unit: str
    relations: tuple[str, ...]
    last_used_days_ago: int | None  # None: never drawn


RECUSE_SAME_UNIT = "same_unit"
RECUSE_RELATION = "relation"
RECUSE_RECENT = "recent"


def _norm(text: str) -> str:
    return "".join(text.split()).lower()


def recusal(candidate: Candidate, *, applicant_names: Sequence[str], recent_days: int) -> str:
    """Why the candidate must stand aside ('' if not): works in the applicant's unit, has a
    listed relation with the applicant, or was drawn within the last `recent_days` days."""
    names = {_norm(n) for n in applicant_names if n.strip()}
    if candidate.unit.strip() and _norm(candidate.unit) in names:
        return RECUSE_SAME_UNIT
    if any(_norm(r) in names for r in candidate.relations if r.strip()):
        return RECUSE_RELATION
    if candidate.last_used_days_ago is not None and candidate.last_used_days_ago < recent_days:
        return RECUSE_RECENT
    return ""
