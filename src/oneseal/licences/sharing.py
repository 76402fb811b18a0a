"""Back-office verification of materials (证明材料后台核验, 国务院令第716号 第7条: do not ask
applicants again for what the agency can get by sharing).

When a case is submitted, every material that the catalogue marks obtainable by sharing
(`shareable`) and that no one has checked yet is looked up in the licence library, provided
a `SharingRule` names a licence type for that material (the library is then its source):

* the applicant (the same `Person` or `Organisation`) holds a licence of that type that is
  有效 on the day the case was received → the material is marked 共享获取 (``shared``) by the
  system (no clerk) and its provenance kept: which licence, which version, when checked
  (`MaterialProvenance`). The applicant is not asked for it.
* otherwise (no licence; or only a suspended, expired, revoked or cancelled one; or someone
  else's; or one of another type) → the material is left 待核验 (``pending``): the case
  intake marks shareable materials ``shared`` up front, but a material the library should
  supply and cannot must be checked by the clerk and, if need be, asked for.

A shareable material without a rule is left as the intake marked it (another sharing source,
e.g. the market regulator's system named in `share_source`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from oneseal.core.audit import append_event

from .models import Licence, LicenceState, MaterialProvenance, SharingRule
from .services import state_today


def _holder_filter(case: Any) -> dict[str, Any]:
    if case.organisation_id:
        return {"holder_organisation_id": case.organisation_id}
    return {"holder_person_id": case.person_id}


def _valid_licence(case: Any, type_ids: list[int], day: dt.date) -> Licence | None:
    """The applicant's licence of one of `type_ids` in force on `day`: the one valid longest."""
    candidates = (Licence.objects.filter(type_id__in=type_ids, state=LicenceState.VALID,
                                         valid_from__lte=day, **_holder_filter(case))
                  .order_by("-valid_to", "-id"))
    for licence in candidates:
        if state_today(licence, day) == LicenceState.VALID:
            return licence
    return None


def attach_shared(case: Any, *, now: dt.datetime | None = None) -> list[MaterialProvenance]:
    """Attach the holder's valid licences to the case's shareable unchecked materials (see the
    module docstring). Returns the provenances created. Idempotent: a material already
    checked (by a clerk or by this function) is left alone. Runs in the caller's
    transaction."""
    from oneseal.cases.models import CheckStatus

    if not (case.person_id or case.organisation_id):
        return []
    pending = list(case.materials.filter(
        shareable=True, status__in=[CheckStatus.PENDING, CheckStatus.SHARED],
        checked_at__isnull=True, provenance__isnull=True))
    if not pending:
        return []
    rules: dict[str, list[int]] = {}
    for name, type_id in SharingRule.objects.filter(
            material_name__in={m.name for m in pending},
            licence_type__active=True).values_list("material_name", "licence_type_id"):
        rules.setdefault(name, []).append(type_id)
    moment = now or timezone.now()
    day = case.received_on or timezone.localdate(moment)
    made: list[MaterialProvenance] = []
    with transaction.atomic():
        for material in pending:
            type_ids = rules.get(material.name)
            if not type_ids:
                continue
            licence = _valid_licence(case, type_ids, day)
            if licence is None:
                if material.status != CheckStatus.PENDING:
                    material.status = CheckStatus.PENDING
                    material.save(update_fields=["status"])
                continue
            material.status = CheckStatus.SHARED
            material.checked_by = None
            material.checked_at = moment
            material.save(update_fields=["status", "checked_by", "checked_at"])
            made.append(MaterialProvenance.objects.create(
                material=material, licence=licence, identifier=licence.identifier,
                version=licence.version, checked_at=moment))
        if made:
            append_event(actor=None, kind="licence.share", subject=f"case:{case.pk}",
                         payload={"case": case.number, "materials": [
                             {"material": p.material.name, "identifier": p.identifier,
                              "version": p.version} for p in made]})
    return made


def on_case_submitted(sender: Any, *, case: Any, **kwargs: Any) -> None:
    """Receiver of `case_submitted` (connected by `receivers.py`)."""
    attach_shared(case)
