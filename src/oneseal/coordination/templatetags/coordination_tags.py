"""`{% case_joint_review case %}`: the 联合审查 section of the case page — who owes what, with
the clocks, and the link to invite or answer (staff who may read the case's review)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from .. import review

register = template.Library()


@register.inclusion_tag("coordination/depts/_case_section.html", takes_context=True)
def case_joint_review(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member \
            or not review.may_read_case_review(user, case):
        return {"show": False}
    board = review.case_review_board(case, timezone.localdate())
    may_invite = review.is_bureau(user) and case.state in review.OPEN_STATES
    may_visit = review.is_bureau(user, ("reviewer", "chief", "head"))
    may_forward = may_invite and case.version.item_type == "review_forward"
    return {"show": bool(board) or may_invite or may_visit, "case": case, "board": board,
            "blockers": review.blockers(case) if board else [], "may_invite": may_invite,
            "may_visit": may_visit, "may_forward": may_forward}
