"""帮办代办 (assisted service, work plan measure 十二): a bureau helper (帮办员) files and
follows cases for an applicant under the applicant's recorded authorisation — the agent
authorisation of this app (`AgentAuthorisation` with ``assisted``), so the case service checks
it as for any agent (in force, scope of items, dates). It is free of charge, and the
applicant revokes it online from his account (我的授权)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role

from .models import AgentAuthorisation, Organisation, Person
from .services import authorise_agent, revoke_authorisation


def helper_person(helper: User) -> Person | None:
    """The person record behind a helper's account: the agent named in his authorisations."""
    return Person.objects.filter(user=helper).first()


def authorise_helper(
    *, actor: User | None, helper: User, valid_from: datetime.date,
    valid_to: datetime.date | None = None, person: Person | None = None,
    organisation: Organisation | None = None, items: Iterable[int] | None = None,
    document_ref: str = "",
) -> AgentAuthorisation:
    """Record the applicant's authorisation of a helper (帮办代办授权): items or all, first and
    last days, free of charge."""
    if not helper.has_role(Role.HELPER):
        raise ValidationError({"agent": _("被授权人不是帮办员。")})
    agent = helper_person(helper)
    if agent is None:
        raise ValidationError({"agent": _("帮办员尚未登记身份信息，不能接受授权。")})
    return authorise_agent(
        actor=actor, agent=agent, person=person, organisation=organisation,
        valid_from=valid_from, valid_to=valid_to, items=items, document_ref=document_ref,
        scope=_("帮办代办：代为填报申请、提交材料、跟踪办理进度（免费）"), assisted=True)


def granted_by(user: Any) -> QuerySet[AgentAuthorisation]:
    """The authorisations the applicant behind `user` gave: as a person, or for an
    organisation linked to the account."""
    if not getattr(user, "is_authenticated", False):
        return AgentAuthorisation.objects.none()
    org_ids = list(Organisation.objects.filter(users=user).values_list("pk", flat=True))
    return (AgentAuthorisation.objects.filter(Q(person__user=user)
                                              | Q(organisation_id__in=org_ids))
            .select_related("agent", "person", "organisation").prefetch_related("items"))


def helper_authorisations(helper: User) -> QuerySet[AgentAuthorisation]:
    """The assisted-service authorisations a helper holds (in force or not)."""
    return (AgentAuthorisation.objects.filter(agent__user=helper, assisted=True)
            .select_related("person", "organisation").prefetch_related("items"))


def revoke_by_applicant(*, actor: User, authorisation_id: int,
                        reason: str = "") -> AgentAuthorisation:
    """The applicant revokes an authorisation he gave (撤销授权), online, from now on. Anyone
    else is refused without learning whether it exists (`PermissionDenied`)."""
    auth = granted_by(actor).filter(pk=authorisation_id).first()
    if auth is None:
        raise PermissionDenied(_("授权不存在或不是您的授权。"))
    return revoke_authorisation(actor=actor, authorisation=auth,
                                reason=reason or _("申请人在线撤销"))
