"""Who may exercise an item: the transfer rule (划转), 行政许可法 第25条 (law.md §8).

Under relatively concentrated licensing power, once an item is transferred to the
administrative approval bureau the former department no longer exercises it. From the
memo's effective date (inclusive) only the bureau may accept or decide the item; before it,
only the department. An item that was never transferred is exercised by its implementing
body alone.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Refusal(enum.StrEnum):
    TRANSFERRED = "transferred"  # a department acts on an item it has handed over
    NOT_YET_TRANSFERRED = "not_yet_transferred"  # the bureau acts before the effective date
    NOT_IMPLEMENTING_BODY = "not_implementing_body"  # anyone else


@dataclass(frozen=True)
class Transfer:
    from_body: int
    to_body: int
    effective_on: dt.date


@dataclass(frozen=True)
class Decision:
    allowed: bool
    holder: int  # the body that may exercise the item on that day
    refusal: Refusal | None = None


def exercising_body(implementing_body: int, transfer: Transfer | None, on: dt.date) -> int:
    """The body that holds the item's power on day `on` (第25条)."""
    if transfer is None:
        return implementing_body
    return transfer.to_body if on >= transfer.effective_on else transfer.from_body


def may_exercise(
    body: int, implementing_body: int, transfer: Transfer | None, on: dt.date
) -> Decision:
    """May `body` accept or decide the item on day `on`? (行政许可法 第25条)

    Bodies are identified by their ids; `body` is the legal body acting (a section of the
    bureau acts as the bureau).
    """
    holder = exercising_body(implementing_body, transfer, on)
    if body == holder:
        return Decision(True, holder)
    if transfer is not None and body == transfer.from_body:
        return Decision(False, holder, Refusal.TRANSFERRED)
    if transfer is not None and body == transfer.to_body:
        return Decision(False, holder, Refusal.NOT_YET_TRANSFERRED)
    return Decision(False, holder, Refusal.NOT_IMPLEMENTING_BODY)
