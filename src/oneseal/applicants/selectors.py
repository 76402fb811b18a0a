"""Reads about applicants: who may act for which organisation (代理权限查询)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.models import User
from oneseal.core.identity import normalize_credit_code, normalize_id_number

from .domain import authorisation as rule
from .domain.authorisation import in_force
from .models import AgentAuthorisation, Organisation, Person

#: The Chinese message of each reason an agent may not act (`domain.authorisation`).
AGENT_REFUSALS: dict[str, Any] = {
    rule.NOT_AUTHORISED: _("代理人没有该申请人登记在案的授权委托，不能代为申请。"),
    rule.NOT_IN_FORCE: _("代理人的授权委托不在有效期内（已过期或尚未生效），不能代为申请。"),
    rule.REVOKED: _("代理人的授权委托已被撤销，不能代为申请。"),
    rule.OUT_OF_SCOPE: _("代理人的授权委托不包括该事项，不能代为申请。"),
}


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
                  .select_related("organisation", "person").prefetch_related("items"))
    return [a for a in candidates if _in_force(a, day)]


def may_act_for(
    person: Person, organisation: Organisation, *, on: datetime.date | None = None
) -> bool:
    """True when `person` holds an authorisation in force for `organisation` on day `on`
    (today by default)."""
    return any(a.organisation_id == organisation.pk
               for a in authorisations_in_force(person, on=on))


def _grant(auth: AgentAuthorisation) -> rule.Grant:
    return rule.Grant(
        valid_from=auth.valid_from, valid_to=auth.valid_to,
        revoked_on=timezone.localdate(auth.revoked_at) if auth.revoked_at else None,
        all_items=auth.all_items, item_ids=frozenset(i.pk for i in auth.items.all()))


def agent_refusal(
    agent: Person, *, item_id: int, person: Person | None = None,
    organisation: Organisation | None = None, on: datetime.date | None = None,
) -> str | None:
    """None when `agent` holds an authorisation from the applicant (`person` or
    `organisation`) in force on day `on` (today by default) that covers `item_id`; else the
    code of the reason (`domain.authorisation`; its message in `AGENT_REFUSALS`)."""
    principal = Q(person=person) if person is not None else Q(organisation=organisation)
    auths = (AgentAuthorisation.objects.filter(principal, agent=agent)
             .prefetch_related("items"))
    return rule.refusal([_grant(a) for a in auths], item_id=item_id,
                        on=on or timezone.localdate())


def organisations_for(user: User, *, on: datetime.date | None = None) -> QuerySet[Organisation]:
    """Organisations an account may act for: linked to it directly, or through the person
    behind the account holding an authorisation in force."""
    ids = set(Organisation.objects.filter(users=user).values_list("pk", flat=True))
    person = Person.objects.filter(user=user).first()
    if person is not None:
        ids.update(a.organisation_id for a in authorisations_in_force(person, on=on)
                   if a.organisation_id is not None)
    return Organisation.objects.filter(pk__in=ids)


def acting_for(user: User, *, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """Whom an account may apply for (`GET /api/v1/me`): the person behind it ("self"), the
    organisations linked to it ("linked"), and every applicant whose authorisation in force
    it holds ("authorisation", with the authorisation's id, dates and items)."""
    found: list[dict[str, Any]] = []
    person = Person.objects.filter(user=user).first()
    if person is not None:
        found.append({"kind": "person", "id": person.pk, "name": person.name, "via": "self",
                      "authorisation": None})
    for org in Organisation.objects.filter(users=user).order_by("id"):
        found.append({"kind": "organisation", "id": org.pk, "name": org.name, "via": "linked",
                      "authorisation": None})
    if person is None:
        return found
    for auth in authorisations_in_force(person, on=on):
        principal = auth.organisation or auth.person
        if principal is None:
            continue
        found.append({
            "kind": "organisation" if auth.organisation_id else "person", "id": principal.pk,
            "name": principal.name, "via": "authorisation",
            "authorisation": {"id": auth.pk, "valid_from": auth.valid_from,
                              "valid_to": auth.valid_to, "all_items": auth.all_items,
                              "item_ids": sorted(i.pk for i in auth.items.all())}})
    return found


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
