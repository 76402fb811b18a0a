"""Writes of the licence library (证照服务): issuing a licence on a grant, changing its state,
expiry and renewal reminders. Every write runs in one transaction with a `LicenceEvent`
(for state changes) and an audit-chain event (`licence.<operation>`).

Numbers (证照编号): ``<type code>-<year><6-digit serial>``, e.g. ``LX000100005000`` +
``2026`` + ``000007`` = ``LX000100005000-2026000007``; the serial counts per type and year
(`LicenceSerial`, incremented in the issuing transaction) and the type code is unique, so a
number never repeats, within a type or across types (a unique constraint says so too). The
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
from .domain.renewal import RENEWAL_LEAD_DAYS, applied_in_time, deemed_granted
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
    LicenceRenewal,
    LicenceSerial,
    LicenceState,
    LicenceType,
    RenewalOutcome,
    RenewalReminder,
)

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


def licence_number(type_code: str, serial_text: str) -> str:
    """证照编号: the whole type code (unique), a hyphen, the year and serial — never the
    same for two types (the last 4 characters of two codes can be equal)."""
    return f"{type_code}-{serial_text}"


def _next_serial(licence_type: LicenceType, year: int) -> int:
    # Create the year's row if missing without failing when a concurrent decision creates
    # it first (ignore_conflicts), then lock it: the second decision waits for the first.
    LicenceSerial.objects.bulk_create([LicenceSerial(type=licence_type, year=year, last=0)],
                                      ignore_conflicts=True)
    counter = LicenceSerial.objects.select_for_update().get(type=licence_type, year=year)
    LicenceSerial.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last


def issuing_body(case: Any) -> tuple[str, str]:
    """(name, unified social credit code) of the body that issues the case's licence: the
    body exercising the item on the day the case was received (行政许可法 第25条) — the bureau
    (its configured code) for a transferred item, the department for one it keeps."""
    from oneseal.catalog.selectors import implementing_body
    from oneseal.org.models import UnitKind

    body = implementing_body(case.item, case.received_on)
    if body.kind == UnitKind.BUREAU or not body.credit_code:
        return body.name or settings.ONESEAL_SITE_NAME, settings.ONESEAL_BUREAU_CODE
    return body.name, body.credit_code


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
    The issuer is the body exercising the item (`issuing_body`): a department issues the
    licences of the items it keeps, under its own code in the identifier.
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
        issuer_name, issuer_code = issuing_body(case)
        document = _decision_document(case)
        licence = Licence.objects.create(
            identifier=build_identifier(licence_type.code, issuer_code, serial_text, 1),
            type=licence_type, number=licence_number(licence_type.code, serial_text),
            name=licence_type.name, version=1, issuer_name=issuer_name,
            issuer_code=issuer_code, issued_on=day,
            defining_authority=licence_type.defining_authority, valid_from=day,
            valid_to=validity_end(day, licence_type.validity_months),
            jurisdiction=licence_type.jurisdiction, item_name=case.item_name,
            item_code=case.item.implementation_code,
            # 经营范围 / 许可范围: what the applicant applied for, never the item's name
            scope=str((case.form_data or {}).get("business_scope") or "").strip(), case=case,
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
    ended before `today` (第70条(一)), even before the daily job has recorded it — unless a
    renewal applied for in time is pending: then it is deemed renewed (第50条第二款) and
    stays 有效."""
    if licence.state in (LicenceState.VALID, LicenceState.SUSPENDED) \
            and licence.valid_to is not None and licence.valid_to < today:
        if licence.state == LicenceState.VALID and _deemed_renewal(licence) is not None:
            return LicenceState.VALID
        return LicenceState.EXPIRED
    return licence.state


def _deemed_renewal(licence: Licence) -> LicenceRenewal | None:
    """The renewal of `licence` deemed granted at its expiry (第50条第二款), if any: applied
    for in time and not decided on or before the last day of validity."""
    if licence.valid_to is None:
        return None
    # a renewal already deemed granted has been used: it never extends the licence twice
    renewals = licence.renewals.filter(in_time=True).exclude(outcome=RenewalOutcome.DEEMED)
    for renewal in renewals.order_by("applied_on", "id"):
        if deemed_granted(applied_on=renewal.applied_on, apply_by=renewal.apply_by,
                          valid_to=licence.valid_to, decided_on=renewal.decided_on):
            return renewal
    return None


def _deem_renew(pk: int, today: dt.date) -> bool:
    """第50条第二款 at expiry: extend the licence by its type's validity from the day after
    its last day, record the operation (LicenceEvent + audit event, no actor) and mark the
    renewal deemed granted. False when there is no such renewal."""
    with transaction.atomic():
        row = Licence.objects.select_for_update().select_related("type").get(pk=pk)
        renewal = _deemed_renewal(row) if row.state == LicenceState.VALID else None
        if renewal is None or row.valid_to is None or row.valid_to >= today:
            return False
        old_end = row.valid_to
        new_end = validity_end(old_end + dt.timedelta(days=1), row.type.validity_months)
        basis = legal_basis(Op.DEEM_RENEW)
        reason = _("已于%(day)s前按期申请延续（%(case)s），有效期届满前未作决定，"
                   "依法视为准予延续。") % {"day": renewal.apply_by.isoformat(),
                                          "case": renewal.case.number}
        now = timezone.now()
        row.valid_to, row.state_reason, row.state_changed_at = new_end, reason, now
        row.save(update_fields=["valid_to", "state_reason", "state_changed_at"])
        audit = append_event(actor=None, kind=f"licence.{Op.DEEM_RENEW}",
                             subject=f"licence:{row.pk}",
                             payload={"identifier": row.identifier, "case": renewal.case.number,
                                      "old_valid_to": old_end.isoformat(),
                                      "valid_to": new_end.isoformat() if new_end else "",
                                      "legal_basis": basis})
        LicenceEvent.objects.create(licence=row, from_state=row.state, to_state=row.state,
                                    operation=Op.DEEM_RENEW, reason=reason, legal_basis=basis,
                                    actor=None, at=now, audit_seq=audit.seq)
        if renewal.outcome == RenewalOutcome.PENDING:
            renewal.outcome = RenewalOutcome.DEEMED
            renewal.save(update_fields=["outcome"])
        return True


def expire_licences(today: dt.date) -> int:
    """Record 失效 for every valid or suspended licence whose last day of validity is before
    `today` (第70条第（一）项: the validity ended). The last day itself is still valid. A
    system change: the event has no actor. Returns how many licences expired."""
    due = list(Licence.objects.filter(
        state__in=[LicenceState.VALID, LicenceState.SUSPENDED], valid_to__lt=today)
        .order_by("id").values_list("id", flat=True))
    count = 0
    for pk in due:
        if _deem_renew(pk, today):  # 第50条第二款: deemed renewed, not expired
            continue
        row = Licence.objects.get(pk=pk)
        try:
            _transition(actor=None, licence=pk, op=Op.EXPIRE, check_actor=False,
                        reason=_("有效期已于%(day)s届满。") % {"day": row.valid_to.isoformat()},
                        on=None)
        except IllegalLicenceState:  # changed meanwhile (cancelled, already expired)
            continue
        count += 1
    return count


def renewal_apply_by(licence: Licence, calendar: Any = None) -> dt.date | None:
    """The last day to apply for renewal (第50条 "在该行政许可有效期届满三十日前提出申请"):
    30 calendar days before the last day of validity, moved to the next working day when it
    is a statutory rest day (《民法典》第203条); None for a licence without end.

    Reading: the period is the holder's, counted in calendar days (第82条 counts working
    days only for the agency's own limits). Without a calendar for that year the day itself
    is given (never later than the law allows)."""
    if licence.valid_to is None:
        return None
    from oneseal.core.workcalendar.domain import ClockError, period_before
    from oneseal.core.workcalendar.selectors import get_work_calendar

    try:
        return period_before(calendar or get_work_calendar(), licence.valid_to,
                             RENEWAL_LEAD_DAYS)
    except ClockError:
        return licence.valid_to - dt.timedelta(days=RENEWAL_LEAD_DAYS)


def _renewal_holder_licence(case: Any) -> Licence | None:
    """The live licence of the case's applicant for the case's item that a renewal (延续)
    application renews: the one that ends last."""
    holder = case.organisation.credit_code if case.organisation_id else (
        case.person.id_number if case.person_id else "")
    if not holder:
        return None
    return (Licence.objects.filter(type__item_id=case.item_id, holder_id=holder,
                                   state__in=[LicenceState.VALID, LicenceState.SUSPENDED])
            .exclude(valid_to=None).order_by("-valid_to", "-id").first())


def is_renewal_case(case: Any) -> bool:
    """A case of the item's renewal variant (业务办理项 “延续”)."""
    return "延续" in (case.variant_name or "")


def record_renewal_application(*, case: Any) -> LicenceRenewal | None:
    """A renewal (延续) application was received: link it to the licence it renews, with the
    last day to apply and whether it came in time (第50条第一款). Called when the case is
    submitted (receiver of `case_submitted`), in its transaction. Idempotent; None when the
    case is not a renewal or the applicant holds no live licence of the item."""
    if not is_renewal_case(case):
        return None
    existing = LicenceRenewal.objects.filter(case_id=case.pk).first()
    if existing is not None:
        return existing
    licence = _renewal_holder_licence(case)
    if licence is None:
        return None
    apply_by = renewal_apply_by(licence)
    assert apply_by is not None
    applied_on = case.received_on
    renewal = LicenceRenewal.objects.create(
        licence=licence, case=case, applied_on=applied_on, apply_by=apply_by,
        in_time=applied_in_time(applied_on, apply_by))
    append_event(actor=None, kind="licence.renewal_apply", subject=f"licence:{licence.pk}",
                 payload={"identifier": licence.identifier, "case": case.number,
                          "applied_on": applied_on.isoformat(),
                          "apply_by": apply_by.isoformat(), "in_time": renewal.in_time})
    return renewal


def record_renewal_decision(*, case: Any) -> LicenceRenewal | None:
    """The renewal case was decided: 准予 or 不予延续 on its decision day. A renewal already
    deemed granted at expiry (第50条第二款) stays so."""
    renewal = LicenceRenewal.objects.filter(case_id=case.pk).first()
    if renewal is None or renewal.outcome != RenewalOutcome.PENDING:
        return renewal
    from oneseal.cases.models import Outcome

    renewal.outcome = (RenewalOutcome.GRANTED if case.outcome == Outcome.GRANTED
                       else RenewalOutcome.REFUSED)
    renewal.decided_on = case.decided_on or timezone.localdate()
    renewal.save(update_fields=["outcome", "decided_on"])
    return renewal


REST_SLACK = 10  # days: longer than any run of statutory rest days (春节 with weekends)


def remind_on(apply_by: dt.date) -> dt.date:
    return apply_by - dt.timedelta(days=settings.ONESEAL_RENEWAL_REMINDER_DAYS)


def remind_renewals(today: dt.date) -> list[RenewalReminder]:
    """Remind the holder of each valid licence to apply for renewal in time (第50条): a
    reminder is created when remind_on (= apply_by − ONESEAL_RENEWAL_REMINDER_DAYS) ≤ today
    ≤ apply_by, once per licence and apply-by day (a second run creates nothing). Returns the
    reminders created now."""
    from oneseal.core.workcalendar.domain import ClockError
    from oneseal.core.workcalendar.selectors import get_work_calendar

    lead = RENEWAL_LEAD_DAYS
    window = settings.ONESEAL_RENEWAL_REMINDER_DAYS
    # apply_by = valid_to − lead, moved past rest days (民法典 第203条: at most the length of
    # the longest rest, ~10 days), so the window is within today + lead − 10 ≤ valid_to ≤
    # today + lead + window; each candidate is then checked exactly.
    candidates = (Licence.objects.filter(
        state=LicenceState.VALID, valid_to__gte=today + dt.timedelta(days=lead - REST_SLACK),
        valid_to__lte=today + dt.timedelta(days=lead + window)).order_by("id"))
    try:
        calendar = get_work_calendar()
    except ClockError:
        calendar = None
    created: list[RenewalReminder] = []
    now = timezone.now()
    for licence in candidates:
        apply_by = renewal_apply_by(licence, calendar)
        assert apply_by is not None
        if not remind_on(apply_by) <= today <= apply_by:
            continue
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
