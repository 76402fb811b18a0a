"""Reads about applicants: who may act for which organisation (代理权限查询)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from oneseal.accounts.models import User
from oneseal.core.identity import normalize_credit_code, normalize_id_number

from .domain.authorisation import in_force
from .models import AgentAuthorisation, Organisation, Person


def _in_force(auth: AgentAuthorisation, on: datetime.date) -> bool:
    revoked_on = timezone.localdate(auth.revoked_at) if auth.revoked_at else None
    return in_force(valid_from=auth.valid_from, valid_to=auth.valid_to,
                    revoked_on=revoked_on, on=on)


def authorisations_in_force(
    person: Person, *, on: datetime.date | None = None
) -> list[AgentAuthorisation]:
    """The authorisations `person` holds on day `on` (today by default)."""
    day = on or timezone.localdate()
    candidates = (AgentAuthorisation.objects.filter(agent=person, valid_from__lte=day)
                  .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
                  .select_related("organisation"))
    return [a for a in candidates if _in_force(a, day)]


def may_act_for(
    person: Person, organisation: Organisation, *, on: datetime.date | None = None
) -> bool:
    """True when `person` holds an authorisation in force for `organisation` on day `on`
    (today by default)."""
    return any(a.organisation_id == organisation.pk
               for a in authorisations_in_force(person, on=on))


def organisations_for(user: User, *, on: datetime.date | None = None) -> QuerySet[Organisation]:
    """Organisations an account may act for: linked to it directly, or through the person
    behind the account holding an authorisation in force."""
    ids = set(Organisation.objects.filter(users=user).values_list("pk", flat=True))
    person = Person.objects.filter(user=user).first()
    if person is not None:
        ids.update(a.organisation_id for a in authorisations_in_force(person, on=on))
    return Organisation.objects.filter(pk__in=ids)


_ID_LIKE = re.compile(r"^[0-9A-Za-z０-９Ａ-Ｚａ-ｚ\s-]{15,}$")


def find_applicants(q: str, *, limit: int = 20) -> tuple[list[Person], list[Organisation]]:
    """Applicants matching a name (substring), or an ID number / credit code (exact), for the
    front desk (综合受理) to pick from."""
    q = q.strip()
    if not q:
        return [], []
    if _ID_LIKE.match(q):
        people: list[Person] = []
        orgs: list[Organisation] = []
        try:
            people = list(Person.objects.filter(id_number=normalize_id_number(q)))
        except ValidationError:
            pass
        try:
            orgs = list(Organisation.objects.filter(credit_code=normalize_credit_code(q)))
        except ValidationError:
            pass
        return people, orgs
    return (list(Person.objects.filter(name__contains=q).order_by("name", "id")[:limit]),
            list(Organisation.objects.filter(Q(name__contains=q)).order_by("name", "id")
                 [:limit]))
