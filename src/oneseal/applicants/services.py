"""Writes about applicants (申请人登记、代理授权). Each takes `actor=` and writes its audit
event in the same transaction. Audit payloads carry masked ID numbers only: the chain is
append-only, so nothing personal that would have to be erased later goes into it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.models import User
from oneseal.core.audit import append_event
from oneseal.core.identity import normalize_credit_code, normalize_id_number, normalize_phone
from oneseal.core.masking import mask_id_number

from .domain.authorisation import period_valid
from .models import AgentAuthorisation, Organisation, Person


def _phone(value: str) -> str:
    return normalize_phone(value) if value and value.strip() else ""


def register_person(
    *, actor: User | None, name: str, id_number: str, phone: str = "", user: User | None = None,
) -> Person:
    """Register a natural person (登记自然人) by resident ID number."""
    person = Person(name=name.strip(), id_number=normalize_id_number(id_number),
                    phone=_phone(phone), user=user)
    with transaction.atomic():
        person.full_clean()
        person.save()
        append_event(actor=actor, kind="applicant.person.register", subject=f"person:{person.pk}",
                     payload={"id_number": mask_id_number(person.id_number),
                              "user": user.pk if user else None})
    return person


def update_person(*, actor: User | None, person: Person, **changes: Any) -> Person:
    """Change a person's name, phone or linked account. The ID number does not change: a
    different number is a different person."""
    allowed = {"name", "phone", "user"}
    if set(changes) - allowed:
        raise TypeError(f"update_person: unknown fields {sorted(set(changes) - allowed)}")
    if "phone" in changes:
        changes["phone"] = _phone(changes["phone"])
    # Only the names of the changed fields are audited: a person's phone is personal data.
    _locked_update(actor, person, changes, "applicant.person.update", f"person:{person.pk}",
                   lambda changed: {"fields": sorted(changed)})
    return person


def register_organisation(
    *, actor: User | None, name: str, credit_code: str, legal_representative: str,
    address: str = "", phone: str = "",
) -> Organisation:
    """Register an organisation (登记法人和其他组织) by unified social credit code."""
    org = Organisation(
        name=name.strip(), credit_code=normalize_credit_code(credit_code),
        legal_representative=legal_representative.strip(), address=address.strip(),
        phone=_phone(phone),
    )
    with transaction.atomic():
        org.full_clean()
        org.save()
        append_event(actor=actor, kind="applicant.organisation.register",
                     subject=f"organisation:{org.pk}",
                     payload={"name": org.name, "credit_code": org.credit_code})
    return org


def update_organisation(
    *, actor: User | None, organisation: Organisation, **changes: Any
) -> Organisation:
    """Change an organisation's name, legal representative, address or phone. The credit
    code does not change: a different code is a different organisation."""
    allowed = {"name", "legal_representative", "address", "phone"}
    if set(changes) - allowed:
        raise TypeError(f"update_organisation: unknown fields {sorted(set(changes) - allowed)}")
    if "phone" in changes:
        changes["phone"] = _phone(changes["phone"])
    _locked_update(actor, organisation, changes, "applicant.organisation.update",
                   f"organisation:{organisation.pk}",
                   lambda changed: {"changes": {f: changes[f] for f in sorted(changed)}})
    return organisation


def _locked_update(
    actor: User | None, obj: Person | Organisation, changes: dict[str, Any], kind: str,
    subject: str, payload: Callable[[list[str]], dict[str, Any]],
) -> None:
    """Lock the row, apply the fields that really change, validate, save and audit them in
    one transaction; nothing is written (and no event) when nothing changes."""
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        changed = [f for f, v in changes.items() if getattr(locked, f) != v]
        if not changed:
            return
        for field in changed:
            setattr(locked, field, changes[field])
        locked.full_clean()
        locked.save(update_fields=changed)
        append_event(actor=actor, kind=kind, subject=subject, payload=payload(changed))
    obj.refresh_from_db()


def link_organisation_user(*, actor: User | None, organisation: Organisation, user: User) -> bool:
    """Let an account act for the organisation online (关联账户). False if already linked."""
    with transaction.atomic():
        if organisation.users.filter(pk=user.pk).exists():
            return False
        organisation.users.add(user)
        append_event(actor=actor, kind="applicant.organisation.link_user",
                     subject=f"organisation:{organisation.pk}", payload={"user": user.pk})
    return True


def authorise_agent(
    *, actor: User | None, agent: Person, organisation: Organisation | None = None,
    person: Person | None = None, valid_from: datetime.date, scope: str,
    valid_to: datetime.date | None = None, document_ref: str = "",
    items: Iterable[int] | None = None, assisted: bool = False,
) -> AgentAuthorisation:
    """Record a written authorisation (登记授权委托书) letting `agent` act for one applicant
    — `organisation` or `person`, exactly one — from `valid_from` to `valid_to` (both
    included), for the catalogue items `items` (ids), or for every item when `items` is
    None; `scope` is the authorisation's own wording of the matters and powers. The case
    service refuses an agent without one in force for the item (`selectors.agent_refusal`).
    `assisted`: 帮办代办 — the agent is a bureau helper (帮办员) serving free of charge."""
    if (organisation is None) == (person is None):
        raise ValidationError({"organisation": _("请指定一个委托人：单位或自然人。")})
    if person is not None and person.pk == agent.pk:
        raise ValidationError({"person": _("委托人和代理人不能是同一人。")})
    if not period_valid(valid_from, valid_to):
        raise ValidationError({"valid_to": _("有效期截止日期不能早于起始日期。")})
    if not scope.strip():
        raise ValidationError({"scope": _("请填写委托事项和权限。")})
    item_ids = None if items is None else sorted({int(i) for i in items})
    if item_ids is not None:
        # The catalogue's items, through the relation (applicants sit below the catalogue).
        items_model = AgentAuthorisation._meta.get_field("items").related_model
        if not item_ids or items_model.objects.filter(pk__in=item_ids).count() != len(item_ids):
            raise ValidationError({"items": _("请选择委托办理的事项（或选择全部事项）。")})
    auth = AgentAuthorisation(
        agent=agent, organisation=organisation, person=person, valid_from=valid_from,
        valid_to=valid_to, scope=scope.strip(), document_ref=document_ref.strip(),
        all_items=item_ids is None, assisted=assisted,
    )
    with transaction.atomic():
        auth.full_clean()
        auth.save()
        if item_ids:
            auth.items.set(item_ids)
        append_event(
            actor=actor, kind="applicant.agent.authorise", subject=f"authorisation:{auth.pk}",
            payload={"agent": agent.pk,
                     "organisation": organisation.pk if organisation else None,
                     "person": person.pk if person else None,
                     "items": item_ids if item_ids is not None else "all",
                     "valid_from": valid_from.isoformat(),
                     "valid_to": valid_to.isoformat() if valid_to else None,
                     "document_ref": auth.document_ref,
                     **({"assisted": True} if assisted else {})},
        )
    return auth


def revoke_authorisation(
    *, actor: User | None, authorisation: AgentAuthorisation, reason: str = "",
) -> AgentAuthorisation:
    """Revoke an authorisation (撤销授权) from now on. Revoking twice changes nothing."""
    with transaction.atomic():
        locked = AgentAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_reason = reason.strip()[:200]
            locked.save(update_fields=["revoked_at", "revoked_reason"])
            append_event(actor=actor, kind="applicant.agent.revoke",
                         subject=f"authorisation:{locked.pk}",
                         payload={"reason": locked.revoked_reason})
    authorisation.revoked_at = locked.revoked_at
    authorisation.revoked_reason = locked.revoked_reason
    return locked
