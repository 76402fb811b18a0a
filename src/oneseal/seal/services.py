"""Using the seal (用印): who may, the ledger of every use (用印登记), signing.

Rules (law.md §12; 国务院令第716号 第8–9条 gives the electronic seal the force of the
physical one, so it is guarded like one):
- the seal is used only on a decided case (用印只能用于已作出决定的办件) when the caller
  asks for it (`require_decided`: licences and decisions);
- only the bureau head (局长) or a person holding an unrevoked delegation (用印授权) that
  covers the day may authorise a use;
- every use is a SealUse row and an event of the audit chain ("seal.authorise" when
  authorised, "seal.use" with the signed document's hash when signed).

Authorising and signing are idempotent by the use's `key`, so retried jobs never seal a
document twice.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.core.audit import append_event

from .errors import SealForbidden, SealNotFound, SealRuleViolation, SealSigningFailed
from .keys import maker_key_for, refresh_seal_data, signer_for
from .models import PictureKind, Seal, SealCertificate, SealDelegation, SealUse, SealUseState
from .picture import check_picture
from .sign import sign_pdf
from .storage import read_signed, store_signed

DECIDED_STATES = frozenset({"decided", "ready", "delivered"})


def seal_for(kind: str, on: date | None = None, unit: Any = None) -> Seal:
    """The active seal of `kind` of `unit` valid on `on` (today by default). Seals belong to
    units: `unit` is the body in whose name the document is issued (a department that keeps
    its item seals with its own seal); None means the bureau."""
    on = on or timezone.localdate()
    qs = (Seal.objects.select_related("unit")
          .filter(kind=kind, active=True, valid_from__lte=on, valid_to__gte=on))
    if unit is None:
        from oneseal.org.selectors import bureau

        unit = bureau()
    if unit is not None:
        qs = qs.filter(unit=unit)
    seal = qs.order_by("-valid_from", "-id").first()
    if seal is None:
        raise SealRuleViolation(_("%(unit)s的印章未初始化，请运行 oneseal seal init")
                                % {"unit": getattr(unit, "name", "")},
                                code="seal_not_initialised")
    return seal


def _legal_body_id(unit: Any) -> int | None:
    """The legal body a staff member's unit acts for: a section (内设科室) acts for the
    bureau (or department) above it."""
    from oneseal.org.models import UnitKind

    seen: set[int] = set()
    while unit is not None and unit.kind == UnitKind.SECTION and unit.parent_id \
            and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.parent
    return unit.pk if unit is not None else None


def may_use(user: Any, seal: Seal, on: date) -> bool:
    """Whether `user` may authorise a use of `seal` on day `on`. Seals belong to units, and
    only the unit's own people decide on its seal: the head (局长) of the seal's unit — the
    bureau head for the bureau's seals, never for a department's —, for a department's seal
    its officers (主管部门人员, who decide its items in its name, 行政许可法 第25条), and
    anyone holding an unrevoked delegation of this seal whose dates (both included) cover
    `on`. Nobody else; never the system (None)."""
    from oneseal.org.models import UnitKind

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    own = _legal_body_id(getattr(user, "unit", None)) == seal.unit_id
    if own and user.has_role(Role.HEAD):
        return True
    if own and seal.unit.kind != UnitKind.BUREAU and user.has_role(Role.DEPT_OFFICER):
        return True
    return SealDelegation.objects.filter(
        seal=seal, user=user, revoked_at__isnull=True, valid_from__lte=on, valid_to__gte=on,
    ).exists()


def _require_head(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) \
            or not actor.has_role(Role.HEAD):
        raise SealForbidden(_("只有局长可以授权或撤销用印授权。"))


def grant_delegation(*, actor: Any, seal: Seal, user: Any, valid_from: date, valid_to: date,
                     note: str = "") -> SealDelegation:
    """The head lets `user` authorise uses of `seal` from `valid_from` to `valid_to`."""
    _require_head(actor)
    if valid_to < valid_from:
        raise SealRuleViolation(_("授权截止日不能早于起始日。"), code="bad_dates")
    if not user.is_active or not user.is_staff_member:
        raise SealRuleViolation(_("只能授权给本局在职工作人员。"), code="not_staff")
    with transaction.atomic():
        delegation = SealDelegation.objects.create(
            seal=seal, user=user, valid_from=valid_from, valid_to=valid_to,
            granted_by=actor, granted_at=timezone.now(), note=note[:200])
        append_event(actor=actor, kind="seal.delegate", subject=f"seal_delegation:{delegation.pk}",
                     payload={"seal": seal.code, "user": user.get_username(),
                              "valid_from": valid_from, "valid_to": valid_to, "note": note})
    return delegation


def revoke_delegation(*, actor: Any, delegation: SealDelegation) -> SealDelegation:
    """The head ends a delegation now (it no longer covers any day)."""
    _require_head(actor)
    with transaction.atomic():
        locked = SealDelegation.objects.select_for_update().get(pk=delegation.pk)
        if locked.revoked_at is not None:
            raise SealRuleViolation(_("该授权已撤销。"), code="already_revoked")
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        append_event(actor=actor, kind="seal.delegate_revoke",
                     subject=f"seal_delegation:{locked.pk}",
                     payload={"seal": locked.seal.code, "user": locked.user.get_username()})
    return locked


def authorise_use(*, actor: Any, seal: Seal, key: str, case: Any = None, title: str,
                  require_decided: bool = False, on: date | None = None,
                  at: datetime | None = None) -> SealUse:
    """Record that `actor` authorises using `seal` for the document `key` (用印审批), at
    `at` (default now: the moment of the decision or notice that asks for the seal).
    Idempotent by `key`: an existing use is returned unchanged, whoever asks."""
    existing = SealUse.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if on is None:
        on = timezone.localdate(at) if at is not None else timezone.localdate()
    if not may_use(actor, seal, on):
        raise SealForbidden(_("您无权批准使用“%(seal)s”。") % {"seal": seal.name},
                            code="seal_forbidden")
    if not seal.active or not (seal.valid_from <= on <= seal.valid_to):
        raise SealRuleViolation(_("印章“%(seal)s”已停用或不在有效期内。") % {"seal": seal.name},
                                code="seal_not_valid")
    if require_decided and (case is None or case.state not in DECIDED_STATES
                            or not case.outcome):
        raise SealRuleViolation(_("用印只能用于已作出决定的办件。"), code="case_not_decided")
    with transaction.atomic():
        try:
            with transaction.atomic():
                use = SealUse.objects.create(
                    key=key, seal=seal, case=case, title=title[:200], authorised_by=actor,
                    authorised_at=at or timezone.now(), state=SealUseState.AUTHORISED)
        except IntegrityError:  # a concurrent caller authorised the same key first
            return SealUse.objects.get(key=key)
        append_event(actor=actor, kind="seal.authorise", subject=f"seal_use:{use.pk}",
                     payload={"key": key, "seal": seal.code, "title": use.title,
                              "case": getattr(case, "number", "")})
    return use


def sign_use(use: SealUse, pdf: bytes, box: tuple[int, float, float, float], *, reason: str,
             signing_time: datetime | None = None) -> SealUse:
    """Sign `pdf` for an authorised use and record it in the ledger. Idempotent: a use
    already SIGNED is returned unchanged, and only one signature is ever recorded (the row
    is locked while the result is stored). On a failure the use is left FAILED with the
    error and SealSigningFailed is raised.

    The signing itself (tens of milliseconds of CPU) runs before the row is locked, so
    that workers sign in parallel and a database that serialises writers (SQLite) is held
    only for the few writes; two workers racing on the same use may both sign, and the one
    that locks second finds the use signed and drops its bytes."""
    current = SealUse.objects.select_related("seal", "seal__unit").get(pk=use.pk)
    if current.state == SealUseState.SIGNED:
        return current
    at = signing_time or timezone.now()
    try:
        signer = signer_for(current.seal)
        fp = signer.signing_cert.sha256.hex()
        certificate = SealCertificate.objects.filter(
            seal=current.seal, fingerprint=fp, revoked_at__isnull=True).first()
        if certificate is None:
            raise SealRuleViolation(_("签章密钥的证书未登记为该印章的有效证书。"),
                                    code="certificate_not_registered")
        signed = sign_pdf(pdf, seal=current.seal, signer=signer, box=box, reason=reason,
                          location=current.seal.unit.name, signing_time=at)
    except Exception as exc:
        with transaction.atomic():
            locked = _locked_use(use.pk)
            if locked.state == SealUseState.SIGNED:  # another worker got there
                return locked
            locked.state = SealUseState.FAILED
            locked.attempts += 1
            locked.last_error = (getattr(exc, "message", "") or repr(exc))[:500]
            locked.save(update_fields=["state", "attempts", "last_error"])
        raise SealSigningFailed(_("签章失败：%(error)s") % {"error": locked.last_error},
                                use_id=locked.pk) from exc
    with transaction.atomic():
        locked = _locked_use(use.pk)
        if locked.state == SealUseState.SIGNED:  # another worker got there: keep theirs
            return locked
        locked.source_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.signed_sha256 = store_signed(signed)
        locked.signed_size = len(signed)
        locked.signed_at = at
        locked.certificate = certificate
        locked.state = SealUseState.SIGNED
        locked.last_error = ""
        event = append_event(actor=None, kind="seal.use", subject=f"seal_use:{locked.pk}",
                             payload=ledger_payload(locked))
        locked.audit_seq = event.seq
        locked.save(update_fields=[
            "source_sha256", "signed_sha256", "signed_size", "signed_at", "certificate",
            "state", "last_error", "audit_seq"])
    return locked


def _locked_use(pk: int) -> SealUse:
    return (SealUse.objects.select_for_update(of=("self",))
            .select_related("seal", "seal__unit", "case", "authorised_by").get(pk=pk))


def ledger_payload(use: SealUse) -> dict[str, Any]:
    """The ledger entry (用印登记) as the audit chain records it."""
    return {
        "seal_code": use.seal.code, "seal_name": use.seal.name,
        "case": use.case.number if use.case_id else "", "title": use.title,
        "source_sha256": use.source_sha256, "signed_sha256": use.signed_sha256,
        "certificate": use.certificate.fingerprint if use.certificate_id else "",
        "authorised_by": use.authorised_by.get_username() if use.authorised_by_id else "",
        "authorised_at": use.authorised_at, "signed_at": use.signed_at,
    }


def signed_pdf(use: SealUse) -> bytes:
    """The signed document of a use, checked against the hash in the ledger."""
    if use.state != SealUseState.SIGNED or not use.signed_sha256:
        raise SealRuleViolation(_("该文件尚未签章。"), code="not_signed")
    data = read_signed(use.signed_sha256)
    if data is None:
        raise SealRuleViolation(_("签章文件缺失或已被改动。"), code="signed_file_missing")
    return data


def use_for_signed_hash(sha256_hex: str) -> SealUse | None:
    """The ledger entry whose signed document has this SHA-256, if any."""
    return (SealUse.objects.select_related("seal", "case", "certificate")
            .filter(signed_sha256=sha256_hex.strip().lower()).first())


def set_seal_picture(*, actor: Any, seal: Seal, data: bytes | None) -> Seal:
    """The head replaces the seal's picture with an uploaded PNG/JPEG (checked by content,
    at most 2 MB), or with the drawn vector picture when `data` is None. The seal data
    records the new picture's hash and is re-signed when the maker's key is at hand."""
    _require_head(actor)
    kind = check_picture(data) if data is not None else "vector"
    with transaction.atomic():
        locked = Seal.objects.select_for_update().get(pk=seal.pk)
        locked.picture_kind = PictureKind.VECTOR if data is None else PictureKind.IMAGE
        locked.picture = b"" if data is None else data
        locked.save(update_fields=["picture_kind", "picture"])
        refresh_seal_data(locked, maker_key_for(locked.maker))
        append_event(actor=actor, kind="seal.picture", subject=f"seal:{locked.pk}",
                     payload={"seal": locked.code, "picture": kind,
                              "sha256": locked.seal_data["picture"]["sha256"]})
    return locked


def get_delegation(pk: int) -> SealDelegation:
    found = SealDelegation.objects.select_related("seal", "user").filter(pk=pk).first()
    if found is None:
        raise SealNotFound(_("用印授权不存在。"))
    return found
