"""Whether a case may be decided while departments are in its review (联合审批, work plan
measure 八).

- Joint review: the item says whether the case waits for every invited department
  (`WAIT_ALL`) or only for those marked required (`WAIT_REQUIRED`).
- Special joint review (national security, ecology, work safety): each department the item
  lists must have signed off (a written opinion of 同意 or 有条件同意); a refusal or a
  missing opinion blocks the decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WAIT_ALL = "all"
WAIT_REQUIRED = "required"
SIGN_OFF_OPINIONS = frozenset({"agree", "conditional"})


@dataclass(frozen=True)
class InvitationView:
    department_id: int
    department_name: str
    required: bool
    answered: bool
    opinion: str  # agree | conditional | disagree | ''


def missing_opinions(invitations: Iterable[InvitationView], wait: str) -> list[str]:
    """The departments whose written opinion the case still waits for."""
    return [i.department_name for i in invitations
            if not i.answered and (wait == WAIT_ALL or i.required)]


def missing_sign_offs(invitations: Iterable[InvitationView],
                      sign_off: dict[int, str]) -> list[str]:
    """Of the departments that must sign off (`sign_off`: id -> name), those without a
    written 同意 / 有条件同意."""
    agreed = {i.department_id for i in invitations
              if i.answered and i.opinion in SIGN_OFF_OPINIONS}
    return [name for pk, name in sorted(sign_off.items()) if pk not in agreed]
