"""Reads of the licence library: lookups by identifier or holder, who may see a licence,
the keyset-paged list of the workbench (newest first), and the lists of the 用印审批 queue
(what waits for the bureau's seal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from oneseal.accounts.roles import Role
from oneseal.applicants.selectors import organisations_for
from oneseal.cases.domain.states import CaseState
from oneseal.cases.models import Case, CaseDocument
from oneseal.cases.permissions import visible_cases
from oneseal.seal.ledger import document_key_sql
from oneseal.seal.models import SealKind, SealUse

from . import signing
from .domain.identifier import parse_identifier
from .models import Licence, LicenceState, RenewalReminder
from .services import RENEWAL_LEAD_DAYS

# who may read the whole library (the API and the workbench list)
READERS = (Role.CLERK, Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.DEPT_OFFICER,
           Role.SUPERVISOR)
HOLDER_ROLES = (Role.APPLICANT, Role.AGENT)


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


@dataclass
class LicenceFilters:
    q: str = ""  # identifier, number, or the start of the holder's name
    type_id: int | None = None
    state: str = ""
    renewal_due: bool = False  # 临近延续


def is_reader(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.has_role(*READERS))


def held_by(user: Any) -> Q:
    """The licences `user` holds: as the linked natural person, or through an organisation
    it operates for — linked to the account, or through an authorisation in force (an
    organisation's agent, `applicants.selectors.organisations_for`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    org_ids = list(organisations_for(user).values_list("pk", flat=True))
    return Q(holder_person__user=user) | Q(holder_organisation_id__in=org_ids)


def visible_licences(user: Any) -> QuerySet[Licence]:
    """The licences `user` may see: all for the readers, their own for anyone else."""
    qs = Licence.objects.select_related("type")
    if is_reader(user):
        return qs
    return qs.filter(held_by(user)).distinct()


def find_by_identifier(identifier: str, user: Any = None) -> Licence | None:
    """The licence with this identifier (checked first: raises `InvalidIdentifier` for a
    malformed one), among those `user` may see when a user is given."""
    text = parse_identifier(identifier).text
    qs = visible_licences(user) if user is not None else Licence.objects.select_related("type")
    return qs.filter(identifier=text).first()


def find_by_holder(holder_id: str, type_code: str = "", user: Any = None) -> list[Licence]:
    """The licences of a holder (credit code or ID number), optionally of one type; newest
    first."""
    qs = visible_licences(user) if user is not None else Licence.objects.select_related("type")
    qs = qs.filter(holder_id=(holder_id or "").strip().upper())
    if type_code:
        qs = qs.filter(type__code=type_code.strip().upper())
    return list(qs.order_by("-id")[:200])


def renewal_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The range of last days of validity whose renewal is due now (第50条): apply_by (=
    valid_to − 30 days) within the next ONESEAL_RENEWAL_REMINDER_DAYS days, or today."""
    start = today + dt.timedelta(days=RENEWAL_LEAD_DAYS)
    return start, start + dt.timedelta(days=settings.ONESEAL_RENEWAL_REMINDER_DAYS)


def _cursor(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def licence_list(filters: LicenceFilters | None = None, cursor: str | None = None, *,
                 user: Any = None, limit: int = 50, today: dt.date | None = None) -> Page:
    """One keyset page of the licences `user` may see, newest first, filtered."""
    f = filters or LicenceFilters()
    qs = visible_licences(user) if user is not None else Licence.objects.select_related("type")
    q = f.q.strip()
    if q:
        qs = qs.filter(Q(identifier=q.upper()) | Q(number=q.upper())
                       | Q(holder_name__startswith=q))
    if f.type_id:
        qs = qs.filter(type_id=f.type_id)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.renewal_due:
        start, end = renewal_window(today or timezone.localdate())
        qs = qs.filter(state=LicenceState.VALID, valid_to__gte=start - dt.timedelta(
            days=RENEWAL_LEAD_DAYS), valid_to__lte=end)
    after = _cursor(cursor)
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs.order_by("-pk")[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, str(rows[-1].pk) if more and rows else None)


def reminders_of(user: Any, today: dt.date | None = None) -> list[RenewalReminder]:
    """The renewal reminders of the licences `user` holds that are still actionable."""
    day = today or timezone.localdate()
    return list(RenewalReminder.objects.select_related("licence", "licence__type")
                .filter(licence__in=Licence.objects.filter(held_by(user)),
                        licence__state=LicenceState.VALID, licence__valid_to__gte=day)
                .order_by("apply_by", "id"))


# --- the 用印审批 queue (licences:seal_queue) ---------------------------------------------

def waiting_cases(user: Any, q: str = "") -> QuerySet[Case]:
    """Decided cases without any approval-seal use yet, oldest decision first."""
    uses = SealUse.objects.filter(case=OuterRef("pk"), seal__kind=SealKind.APPROVAL)
    qs = (visible_cases(user).filter(state=CaseState.DECIDED)
          .filter(~Exists(uses)).order_by("decided_on", "id"))
    return qs.filter(number=q) if q else qs


def pending_uses(user: Any, q: str = "") -> QuerySet[SealUse]:
    """Uses authorised but unsigned, or failed: failed first, then the oldest."""
    qs = (SealUse.objects.filter(state__in=signing.PENDING_STATES)
          .filter(Q(case__isnull=True) | Q(case__in=visible_cases(user)))
          .select_related("seal", "case", "authorised_by").order_by("-state", "id"))
    return qs.filter(case__number=q) if q else qs


def unsealed_notices(user: Any, q: str = "") -> QuerySet[CaseDocument]:
    """Notices (not decisions) that have no seal use at all, oldest first."""
    uses = SealUse.objects.filter(key=OuterRef("seal_key"))
    qs = (CaseDocument.objects.filter(case__in=visible_cases(user))
          .exclude(kind__in=signing.APPROVAL_DOCUMENTS)
          .annotate(seal_key=document_key_sql())
          .filter(~Exists(uses)).select_related("case").order_by("id"))
    return qs.filter(case__number=q) if q else qs


def visible_decided_case(user: Any, case_id: int) -> Case | None:
    """The case `case_id` if `user` may see it (the queue's 批准用印 on a case), else None."""
    return visible_cases(user).filter(pk=case_id).first()


def visible_document(user: Any, document_id: int) -> CaseDocument | None:
    """The written document `document_id` of a case `user` may see, else None."""
    return (CaseDocument.objects.filter(pk=document_id, case__in=visible_cases(user))
            .select_related("case").first())
