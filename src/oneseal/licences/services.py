"""Writes of the licence library (证照服务): issuing a licence on a grant, changing its state,
expiry and renewal reminders. Every write runs in one transaction with a `LicenceEvent`
(for state changes) and an audit-chain event (`licence.<operation>`).

Numbers (证照编号): ``<last 4 characters of the type code><year><6-digit serial>``, e.g.
``0001`` + ``2026`` + ``000007`` = ``00012026000007``; the serial counts per type and year
(`LicenceSerial`, incremented in the issuing transaction, so numbers never repeat). The
identifier's serial is ``<year><6-digit serial>`` (``2026000007``), version 1.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.core.audit import append_event

from .domain.identifier import build_identifier
from .domain.states import (
    OP_LABELS,
    STATE_LABELS,
    IllegalLicenceTransition,
    Op,
    State,
    legal_basis,
    next_state,
)
from .errors import IllegalLicenceState, LicenceForbidden, LicenceRuleViolation
from .models import (
    HolderIdType,
    Licence,
    LicenceAccess,
    LicenceEvent,
    LicenceSerial,
    LicenceState,
    LicenceType,
    RenewalReminder,
)

RENEWAL_LEAD_DAYS = 30  # 行政许可法 第50条: apply for renewal 30 days before expiry
STATE_ROLES = (Role.HEAD, Role.CHIEF)


def state_label(state: str) -> str:
    try:
        return _(STATE_LABELS[State(state)])
    except ValueError:
        return state


def op_label(op: str) -> str:
    try:
        return _(OP_LABELS[Op(op)])
    except ValueError:
        return op


# --- issuing ---------------------------------------------------------------------------------

def licence_type_for_case(case: Any) -> LicenceType | None:
    """The active licence type issued on a grant of the case's item."""
    return LicenceType.objects.filter(item_id=case.item_id, active=True).order_by("id").first()


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months, clamped to the month's last day (1-31 + 1 → 2-28)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_end(valid_from: dt.date, months: int) -> dt.date | None:
    """The last day of validity: `months` after `valid_from`, less one day (a licence valid 12
    months from 2026-09-07 is valid to 2026-09-06 of the next year: 2027-09-06); None (长期)
    when `months` is 0."""
    if not months:
        return None
    return add_months(valid_from, months) - dt.timedelta(days=1)


def _next_serial(licence_type: LicenceType, year: int) -> int:
    # Create the year's row if missing without failing when a concurrent decision creates
    # it first (ignore_conflicts), then lock it: the second decision waits for the first.
    LicenceSerial.objects.bulk_create([LicenceSerial(type=licence_type, year=year, last=0)],
                                      ignore_conflicts=True)
    counter = LicenceSerial.objects.select_for_update().get(type=licence_type, year=year)
    LicenceSerial.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last


def _bureau_name() -> str:
    from oneseal.org.selectors import bureau

    unit = bureau()
    return unit.name if unit is not None else settings.ONESEAL_SITE_NAME


def _holder(case: Any) -> dict[str, Any]:
    if case.organisation_id:
        org = case.organisation
        return {"holder_name": org.name, "holder_id": org.credit_code,
                "holder_id_type": HolderIdType.CREDIT_CODE, "holder_organisation": org}
    person = case.person
    return {"holder_name": person.name, "holder_id": person.id_number,
            "holder_id_type": HolderIdType.RESIDENT_ID, "holder_person": person}


def _decision_document(case: Any) -> Any:
    from oneseal.cases.models import DocumentKind

    return case.documents.filter(kind=DocumentKind.GRANT_DECISION).order_by("-id").first()


def issue_licence(*, case: Any, actor: Any) -> Licence | None:
    """Issue the electronic licence of a granted case (颁发电子证照, 第44条), once.

    Idempotent: the case's existing licence of its type is returned unchanged (one licence
    per case and type, a unique constraint). None when the case was not granted or its item
    issues no licence. Every catalogue field (law.md §11) is copied from the case, the
    applicant and the bureau at this moment; valid from the decision day for the type's
    validity. Runs in the caller's transaction (the decision's, when the receiver calls it).
    """
    from oneseal.cases.models import Outcome

    if case.outcome != Outcome.GRANTED:
        return None
    licence_type = licence_type_for_case(case)
    if licence_type is None:
        return None
    with transaction.atomic():
        existing = Licence.objects.filter(case_id=case.pk, type=licence_type).first()
        if existing is not None:
            return existing
        day = case.decided_on or timezone.localdate()
        serial = _next_serial(licence_type, day.year)
        serial_text = f"{day.year}{serial:06d}"
        issuer_code = settings.ONESEAL_BUREAU_CODE
        document = _decision_document(case)
        licence = Licence.objects.create(
            identifier=build_identifier(licence_type.code, issuer_code, serial_text, 1),
            type=licence_type, number=f"{licence_type.code[-4:]}{serial_text}",
            name=licence_type.name, version=1, issuer_name=_bureau_name(),
            issuer_code=issuer_code, issued_on=day,
            defining_authority=licence_type.defining_authority, valid_from=day,
            valid_to=validity_end(day, licence_type.validity_months),
            jurisdiction=licence_type.jurisdiction, item_name=case.item_name,
            item_code=case.item.implementation_code,
            scope=f"{case.item_name}（{case.variant_name}）", case=case,
            decision_document=document, state=LicenceState.VALID,
            state_changed_at=timezone.now(), **_holder(case))
        append_event(actor=actor, kind="licence.issue", subject=f"licence:{licence.pk}",
                     payload={"identifier": licence.identifier, "number": licence.number,
                              "type": licence_type.code, "case": case.number,
                              "valid_from": day.isoformat(),
                              "valid_to": licence.valid_to.isoformat()
                              if licence.valid_to else ""})
        return licence


# --- state changes ---------------------------------------------------------------------------

def record_access(*, user: Any, token_label: str, ip: str | None, kind: str, query: str,
                  found: Sequence[Licence]) -> LicenceAccess:
    """Record one lookup of the library (调用登记), found or not: who asked (the user, or the
    token's public prefix), from where, how (`identifier` | `holder`), the query (a holder's
    number already masked, `masked_holder_id`) and the identifiers answered."""
    return LicenceAccess.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        token_label=token_label[:100], ip=ip, query_kind=kind, query=query[:200],
        result_count=len(found), identifiers=[licence.identifier for licence in found])


def may_change_state(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.has_role(*STATE_ROLES))


def _moment(on: dt.date | dt.datetime | None) -> dt.datetime:
    """`on` as an aware moment: now by default; a day means noon of that day, local time."""
    if on is None:
        return timezone.now()
    if isinstance(on, dt.datetime):
        return on
    return timezone.make_aware(dt.datetime.combine(on, dt.time(12)))


def _transition(*, actor: Any, licence: Licence | int, op: Op, reason: str,
                on: dt.date | dt.datetime | None, check_actor: bool = True) -> Licence:
    reason = (reason or "").strip()
    if check_actor and not may_change_state(actor):
        raise LicenceForbidden(_("只有局长或科长可以变更电子证照状态。"))
    if check_actor and not reason:
        raise LicenceRuleViolation(_("请填写%(op)s的原因。") % {"op": op_label(op)},
                                   code="reason_required")
    with transaction.atomic():
        pk = licence.pk if isinstance(licence, Licence) else int(licence)
        row = Licence.objects.select_for_update().get(pk=pk)
        try:
            target = next_state(op, State(row.state))
        except IllegalLicenceTransition as exc:
            raise IllegalLicenceState(
                _("电子证照当前状态为“%(state)s”，不能%(op)s。")
                % {"state": state_label(row.state), "op": op_label(op)},
                state=row.state, operation=str(op)) from exc
        now = _moment(on)
        basis = legal_basis(op)
        from_state = row.state
        row.state, row.state_reason, row.state_changed_at = target, reason, now
        row.save(update_fields=["state", "state_reason", "state_changed_at"])
        audit = append_event(actor=actor, kind=f"licence.{op}", subject=f"licence:{row.pk}",
                             payload={"identifier": row.identifier, "from": from_state,
                                      "to": str(target), "reason": reason,
                                      "legal_basis": basis})
        LicenceEvent.objects.create(licence=row, from_state=from_state, to_state=target,
                                    operation=op, reason=reason, legal_basis=basis,
                                    actor=actor, at=now, audit_seq=audit.seq)
        if isinstance(licence, Licence):
            licence.state, licence.state_reason = row.state, row.state_reason
            licence.state_changed_at = row.state_changed_at
        return row


def suspend_licence(*, actor: Any, licence: Licence | int, reason: str,
                    on: dt.date | dt.datetime | None = None) -> Licence:
    """暂扣: 有效 → 暂扣 (a penalty measure, 行政处罚法 第9条)."""
    return _transition(actor=actor, licence=licence, op=Op.SUSPEND, reason=reason, on=on)


def restore_licence(*, actor: Any, licence: Licence | int, reason: str,
                    on: dt.date | dt.datetime | None = None) -> Licence:
    """恢复: 暂扣 → 有效 when the suspension ends."""
    return _transition(actor=actor, licence=licence, op=Op.RESTORE, reason=reason, on=on)


def withdraw_licence(*, actor: Any, licence: Licence | int, reason: str,
                     on: dt.date | dt.datetime | None = None) -> Licence:
    """撤回 (第8条: the law or the circumstances changed): 有效/暂扣 → 注销."""
    return _transition(actor=actor, licence=licence, op=Op.WITHDRAW, reason=reason, on=on)


def revoke_licence(*, actor: Any, licence: Licence | int, reason: str,
                   on: dt.date | dt.datetime | None = None) -> Licence:
    """撤销 (第69条: granted unlawfully, or obtained by fraud or bribery): 有效/暂扣 → 撤销."""
    return _transition(actor=actor, licence=licence, op=Op.REVOKE, reason=reason, on=on)


def cancel_licence(*, actor: Any, licence: Licence | int, reason: str,
                   on: dt.date | dt.datetime | None = None) -> Licence:
    """注销 (第70条): from 有效, 暂扣, 失效, 撤销 or 吊销 → 注销."""
    return _transition(actor=actor, licence=licence, op=Op.CANCEL, reason=reason, on=on)


def penalise_licence(*, actor: Any, licence: Licence | int, reason: str,
                     on: dt.date | dt.datetime | None = None) -> Licence:
    """吊销: 有效/暂扣 → 吊销. An administrative penalty (《行政处罚法》第九条第（三）项), cited
    as such; 行政许可法 第70条第（四）项 comes only afterwards, when the 吊销 licence is
    cancelled (注销)."""
    return _transition(actor=actor, licence=licence, op=Op.PENALISE, reason=reason, on=on)


OPERATIONS = {
    Op.SUSPEND: suspend_licence, Op.RESTORE: restore_licence, Op.WITHDRAW: withdraw_licence,
    Op.REVOKE: revoke_licence, Op.CANCEL: cancel_licence, Op.PENALISE: penalise_licence,
}


def change_state(*, actor: Any, licence: Licence | int, operation: str, reason: str) -> Licence:
    """The state change named `operation` (pages and the API)."""
    try:
        service = OPERATIONS[Op(operation)]
    except (ValueError, KeyError) as exc:
        raise LicenceRuleViolation(_("未知的证照操作。"), code="unknown_operation") from exc
    return service(actor=actor, licence=licence, reason=reason)


# --- expiry and renewal (第70条(一), 第50条) ---------------------------------------------------

def state_today(licence: Licence, today: dt.date) -> str:
    """The licence's state on `today`: 失效 for a valid or suspended licence whose validity
    ended before `today` (第70条(一)), even before the daily job has recorded it."""
    if licence.state in (LicenceState.VALID, LicenceState.SUSPENDED) \
            and licence.valid_to is not None and licence.valid_to < today:
        return LicenceState.EXPIRED
    return licence.state


def expire_licences(today: dt.date) -> int:
    """Record 失效 for every valid or suspended licence whose last day of validity is before
    `today` (第70条第（一）项: the validity ended). The last day itself is still valid. A
    system change: the event has no actor. Returns how many licences expired."""
    due = list(Licence.objects.filter(
        state__in=[LicenceState.VALID, LicenceState.SUSPENDED], valid_to__lt=today)
        .order_by("id").values_list("id", flat=True))
    count = 0
    for pk in due:
        row = Licence.objects.get(pk=pk)
        try:
            _transition(actor=None, licence=pk, op=Op.EXPIRE, check_actor=False,
                        reason=_("有效期已于%(day)s届满。") % {"day": row.valid_to.isoformat()},
                        on=None)
        except IllegalLicenceState:  # changed meanwhile (cancelled, already expired)
            continue
        count += 1
    return count


def renewal_apply_by(licence: Licence) -> dt.date | None:
    """The last day to apply for renewal (第50条 "在该行政许可有效期届满三十日前提出申请"):
    30 calendar days before the last day of validity; None for a licence without end.

    Reading: the period is the holder's, counted in calendar days (第82条 counts working
    days only for the agency's own limits); "届满三十日前" is read as the day 30 days before
    `valid_to`. A legal reviewer should confirm."""
    if licence.valid_to is None:
        return None
    return licence.valid_to - dt.timedelta(days=RENEWAL_LEAD_DAYS)


def remind_on(apply_by: dt.date) -> dt.date:
    return apply_by - dt.timedelta(days=settings.ONESEAL_RENEWAL_REMINDER_DAYS)


def remind_renewals(today: dt.date) -> list[RenewalReminder]:
    """Remind the holder of each valid licence to apply for renewal in time (第50条): a
    reminder is created when remind_on (= apply_by − ONESEAL_RENEWAL_REMINDER_DAYS) ≤ today
    ≤ apply_by, once per licence and apply-by day (a second run creates nothing). Returns the
    reminders created now."""
    lead = RENEWAL_LEAD_DAYS
    window = settings.ONESEAL_RENEWAL_REMINDER_DAYS
    # apply_by = valid_to − lead, so the window is today + lead ≤ valid_to ≤ today + lead + window
    candidates = (Licence.objects.filter(state=LicenceState.VALID,
                                         valid_to__gte=today + dt.timedelta(days=lead),
                                         valid_to__lte=today + dt.timedelta(days=lead + window))
                  .order_by("id"))
    created: list[RenewalReminder] = []
    now = timezone.now()
    for licence in candidates:
        apply_by = renewal_apply_by(licence)
        assert apply_by is not None
        with transaction.atomic():
            reminder, made = RenewalReminder.objects.get_or_create(
                licence=licence, apply_by=apply_by,
                defaults={"remind_on": remind_on(apply_by), "sent_at": now})
            if made:
                append_event(actor=None, kind="licence.remind", subject=f"licence:{licence.pk}",
                             payload={"identifier": licence.identifier,
                                      "apply_by": apply_by.isoformat()})
                created.append(reminder)
    return created
