"""Who may be named for a case's site visit or hearing (人员查询), for API clients that must
send staff ids: the same candidates the review services accept.

- 第34条: a site visit (现场核查) is made by two or more staff — any active staff member;
- 第48条: the hearing's chair (听证主持人) is a staff member who did not review the case.
"""

from __future__ import annotations

from django.db.models import QuerySet

from oneseal.accounts.models import User
from oneseal.accounts.roles import STAFF_ROLES, Role

from .models import Case

#: At most this many candidates in one answer (filter by unit for more).
MAX_CANDIDATES = 200


def case_reviewer_ids(case: Case) -> set[int]:
    """The staff who hold or held a review step of `case` (not the clerk's acceptance step):
    they may not chair its hearing (第48条)."""
    return set(case.steps.exclude(order=1, role=Role.CLERK)
               .exclude(assignee__isnull=True).values_list("assignee_id", flat=True))


def _active_staff(unit_id: int | None) -> QuerySet[User]:
    users = (User.objects.filter(is_active=True, role_grants__role__in=STAFF_ROLES)
             .distinct().select_related("unit").order_by("unit_id", "display_name", "id"))
    return users.filter(unit_id=unit_id) if unit_id is not None else users


def site_visit_staff(case: Case, *, unit_id: int | None = None) -> list[User]:
    """Staff who may be assigned to a site visit of `case` (第34条)."""
    return list(_active_staff(unit_id)[:MAX_CANDIDATES])


def hearing_chairs(case: Case, *, unit_id: int | None = None) -> list[User]:
    """Staff who may chair a hearing of `case`: not one of its reviewers (第48条)."""
    return list(_active_staff(unit_id).exclude(pk__in=case_reviewer_ids(case))
                [:MAX_CANDIDATES])
