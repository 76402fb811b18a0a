"""Anomaly rules (异常监察): each rule reads the cases, their events, the seal ledger and the
audit chain, and returns its hits with the evidence; `scan` records every new hit once
(`Anomaly`, unique on rule and key) with an owner, to be closed with a note. Supervision
reads; it never changes a case.

Every rule names its article (or, where no article speaks, its reason) in its docstring.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role
from oneseal.cases.models import Case, CaseEvent, CaseStep, Outcome
from oneseal.catalog.models import TransferMemo
from oneseal.core.audit import append_event
from oneseal.core.workcalendar.domain import ClockError
from oneseal.core.workcalendar.selectors import get_work_calendar
from oneseal.seal.models import SealKind, SealUse

from .errors import SupervisionRefused
from .models import Anomaly, AnomalyState

# outside working hours: before 08:00, from 19:00 on, or on a day that is not a working day
WORK_START, WORK_END = 8, 19
BULK_TOUCHES = 20  # touches by one person within one hour outside working hours
# what a department may no longer do once its item was transferred (第25条)
ACTING_KINDS = ("accept", "refuse", "correction_notice", "decide", "decide_on_spot",
                "complete_step")


@dataclass
class Hit:
    key: str
    summary: str
    evidence: dict[str, Any]
    case_id: int | None = None
    department_id: int | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    basis: str
    find: Callable[[dt.date], list[Hit]] = field(compare=False)


def _case_ref(case: Case) -> dict[str, Any]:
    return {"case": case.pk, "number": case.number, "item": case.item_name}


def refusal_without_reasons(today: dt.date) -> list[Hit]:
    """不予受理 or 不予许可 without reasons: 行政许可法 第32条第一款 and 第38条第二款 (a refusal
    must state its reasons and the applicant's right to review or sue)."""
    hits: list[Hit] = []
    refused = Case.objects.filter(outcome=Outcome.REFUSED).filter(
        Q(decision_reasons="") | Q(decision_reasons__isnull=True))
    for case in refused:
        hits.append(Hit(f"case:{case.pk}:decision", _("不予许可决定未说明理由"),
                        {**_case_ref(case), "decided_on": str(case.decided_on)},
                        case.pk, case.department_id))
    for event in (CaseEvent.objects.filter(kind="refuse", reason="")
                  .select_related("case")):
        hits.append(Hit(f"case:{event.case_id}:refuse", _("不予受理未说明理由"),
                        {**_case_ref(event.case), "event_seq": event.seq,
                         "on": str(event.on), "actor": event.actor_name},
                        event.case_id, event.case.department_id))
    return hits


def step_over_limit(today: dt.date) -> list[Hit]:
    """A review step finished after its own limit (环节时限, the bureau's internal division
    of the 第42条 limit): completed later than its due date."""
    hits: list[Hit] = []
    late = (CaseStep.objects.filter(state="done", due_on__isnull=False,
                                    completed_on__gt=F("due_on"))
            .select_related("case", "assignee"))
    for step in late:
        hits.append(Hit(
            f"step:{step.pk}", _("环节“%(step)s”超过环节时限办结") % {"step": step.name},
            {**_case_ref(step.case), "step": step.name, "due_on": str(step.due_on),
             "completed_on": str(step.completed_on),
             "handler": str(step.assignee) if step.assignee else ""},
            step.case_id, step.department_id))
    return hits


def decision_without_acceptance(today: dt.date) -> list[Hit]:
    """A decision with no acceptance before it: 行政许可法 第32条 (an application is accepted,
    or deemed accepted, before it is examined, 第34条) and 第37条."""
    accepted = CaseEvent.objects.filter(case_id=OuterRef("case_id"),
                                        kind__in=("accept", "decide_on_spot"),
                                        seq__lt=OuterRef("seq"))
    hits: list[Hit] = []
    for event in (CaseEvent.objects.filter(kind="decide").filter(~Exists(accepted))
                  .filter(case__deemed_accepted=False).select_related("case")):
        hits.append(Hit(f"case:{event.case_id}", _("作出决定前没有受理记录"),
                        {**_case_ref(event.case), "decide_seq": event.seq,
                         "on": str(event.on), "actor": event.actor_name},
                        event.case_id, event.case.department_id))
    return hits


def events_out_of_order(today: dt.date) -> list[Hit]:
    """A case event dated before the one recorded before it (back-dating): the record of a
    case is written as it happens (行政许可法 第61条 supervision of the record; 国办发〔2019〕
    51号 electronic supervision), so dates never go backwards."""
    hits: list[Hit] = []
    last: dict[int, tuple[int, dt.date, dt.datetime]] = {}
    rows = (CaseEvent.objects.order_by("case_id", "seq")
            .values_list("case_id", "seq", "on", "at", "kind"))
    for case_id, seq, on, at, kind in rows.iterator(chunk_size=5000):
        previous = last.get(case_id)
        # the day, not the time: a record written later the same day is not back-dating
        if previous is not None and on < previous[1]:
            hits.append(Hit(f"case:{case_id}:seq:{seq}", _("办理记录的日期早于前一条记录"),
                            {"case": case_id, "seq": seq, "kind": kind, "on": str(on),
                             "previous_seq": previous[0], "previous_on": str(previous[1])},
                            case_id))
        last[case_id] = (seq, on, at)
    if hits:
        cases = Case.objects.in_bulk({h.case_id for h in hits})
        for hit in hits:
            case = cases.get(hit.case_id or 0)
            if case is not None:
                hit.evidence.update(_case_ref(case))
                hit.department_id = case.department_id
    return hits


def seal_without_decision(today: dt.date) -> list[Hit]:
    """The approval seal (行政审批专用章) used with no decided case behind it: 行政许可法 第38条
    and 第39条 (a licence is issued on a decision); the seal's use must follow the
    decision (用印登记)."""
    decided = Case.objects.filter(pk=OuterRef("case_id"), decided_on__isnull=False)
    uses = (SealUse.objects.filter(seal__kind=SealKind.APPROVAL)
            .filter(~Exists(decided)).select_related("case", "seal"))
    hits: list[Hit] = []
    for use in uses:
        hits.append(Hit(f"seal_use:{use.pk}", _("使用审批专用章时没有已决定的办件"),
                        {"seal_use": use.pk, "title": use.title,
                         "authorised_at": use.authorised_at.isoformat(),
                         "case": use.case_id, "number": use.case.number if use.case else ""},
                        use.case_id, use.case.department_id if use.case else None))
    return hits


def repeated_correction_notices(today: dt.date) -> list[Hit]:
    """More than one correction notice for one case: 行政许可法 第32条第一款第（四）项 requires
    telling the applicant everything to correct at once (一次性告知)."""
    hits: list[Hit] = []
    rows = (CaseEvent.objects.filter(kind="correction_notice").values("case_id")
            .annotate(n=Count("id")).filter(n__gt=1))
    cases = Case.objects.in_bulk([r["case_id"] for r in rows])
    for row in rows:
        case = cases[row["case_id"]]
        dates = list(CaseEvent.objects.filter(case=case, kind="correction_notice")
                     .order_by("seq").values_list("on", flat=True))
        hits.append(Hit(f"case:{case.pk}:{row['n']}", _("同一办件多次告知补正"),
                        {**_case_ref(case), "notices": row["n"],
                         "dates": [str(d) for d in dates]}, case.pk, case.department_id))
    return hits


def bulk_outside_hours(today: dt.date, *, days: int = 30) -> list[Hit]:
    """One person touching many cases within an hour outside working hours (before 08:00,
    after 19:00, or on a rest day, 第82条 working days): a sign of records entered in bulk
    after the fact; the bureau's internal-control rule of electronic supervision."""
    try:
        calendar = get_work_calendar()
    except ClockError:
        calendar = None
    since = timezone.now() - dt.timedelta(days=days)
    buckets: dict[tuple[int, str], set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for actor, name, case_id, at in (CaseEvent.objects.filter(at__gte=since,
                                                              actor__isnull=False)
                                     .values_list("actor_id", "actor_name", "case_id", "at")
                                     .iterator(chunk_size=5000)):
        local = timezone.localtime(at)
        rest_day = False
        if calendar is not None:
            try:
                rest_day = not calendar.is_workday(local.date())
            except ClockError:
                rest_day = False
        if rest_day or local.hour < WORK_START or local.hour >= WORK_END:
            buckets[(actor, local.strftime("%Y-%m-%dT%H"))].add(case_id)
            names[actor] = name
    hits: list[Hit] = []
    for (actor, hour), cases in sorted(buckets.items()):
        if len(cases) >= BULK_TOUCHES:
            hits.append(Hit(f"user:{actor}:{hour}",
                            _("%(name)s 在非工作时间一小时内操作 %(n)d 件办件")
                            % {"name": names[actor], "n": len(cases)},
                            {"user": actor, "name": names[actor], "hour": hour,
                             "cases": sorted(cases)[:50], "count": len(cases)}))
    return hits


def fee_where_none(today: dt.date) -> list[Hit]:
    """A fee recorded on a case whose item charges none: 行政许可法 第58条 (no fee for a
    licence unless a law or administrative regulation provides one; the catalogue's
    不收费). A fee is read from the case's events (``data["fee"]``, yuan)."""
    hits: list[Hit] = []
    events = (CaseEvent.objects.filter(case__version__fee_free=True, data__has_key="fee")
              .select_related("case"))
    for event in events:
        try:
            fee = float(event.data.get("fee") or 0)
        except (TypeError, ValueError):
            continue
        if fee > 0:
            hits.append(Hit(f"case:{event.case_id}:seq:{event.seq}",
                            _("不收费事项登记了收费"),
                            {**_case_ref(event.case), "fee": fee, "event_seq": event.seq,
                             "on": str(event.on)}, event.case_id, event.case.department_id))
    return hits


def acting_after_transfer(today: dt.date) -> list[Hit]:
    """A department still acting on an item transferred away from it: 行政许可法 第25条 and
    the transfer memo (划转备忘录): from its effective day the approval belongs to the unit
    it went to; the former department keeps only supervision."""
    hits: list[Hit] = []
    for memo in TransferMemo.objects.select_related("from_department"):
        staff = User.objects.filter(unit=memo.from_department).values("pk")
        events = (CaseEvent.objects.filter(case__item_id=memo.item_id, kind__in=ACTING_KINDS,
                                           on__gte=memo.effective_on, actor_id__in=staff)
                  .select_related("case"))
        for event in events:
            hits.append(Hit(
                f"case:{event.case_id}:seq:{event.seq}", _("划出部门仍在办理已划转的事项"),
                {**_case_ref(event.case), "kind": event.kind, "on": str(event.on),
                 "actor": event.actor_name,
                 "from_department": memo.from_department.name,
                 "effective_on": str(memo.effective_on)},
                event.case_id, memo.from_department_id))
    return hits


def audit_chain_broken(today: dt.date) -> list[Hit]:
    """`oneseal verify-audit` fails: the audit chain (防篡改审计链) shows a row changed,
    removed, inserted or moved — the record nobody may quietly change (measure 十三)."""
    from oneseal.core.audit_verify import verify_chain

    result = verify_chain(jobs=1)
    if result.ok:
        return []
    bad = result.first_bad
    assert bad is not None
    return [Hit(f"chain:{bad.seq}:{bad.reason}", _("审计链校验失败"),
                {"seq": bad.seq, "id": bad.id, "reason": str(bad.reason),
                 "detail": bad.detail, "rows_checked": result.rows_checked})]


RULES: tuple[Rule, ...] = (
    Rule("refusal_without_reasons", gettext_noop("不予受理或不予许可未说明理由"),
         gettext_noop("行政许可法第三十二条、第三十八条第二款"), refusal_without_reasons),
    Rule("step_over_limit", gettext_noop("环节超时办结"),
         gettext_noop("环节时限（第四十二条办理期限的内部分解）"), step_over_limit),
    Rule("decision_without_acceptance", gettext_noop("未受理即作出决定"),
         gettext_noop("行政许可法第三十二条、第三十七条"), decision_without_acceptance),
    Rule("events_out_of_order", gettext_noop("办理记录日期倒序"),
         gettext_noop("办理过程如实记录，日期不得倒填"), events_out_of_order),
    Rule("seal_without_decision", gettext_noop("无决定用印"),
         gettext_noop("行政许可法第三十八条、第三十九条"), seal_without_decision),
    Rule("repeated_correction_notices", gettext_noop("多次告知补正"),
         gettext_noop("行政许可法第三十二条第一款第（四）项：一次性告知"),
         repeated_correction_notices),
    Rule("bulk_outside_hours", gettext_noop("非工作时间批量操作"),
         gettext_noop("内部控制：非工作时间集中补录"), bulk_outside_hours),
    Rule("fee_where_none", gettext_noop("不收费事项收费"),
         gettext_noop("行政许可法第五十八条"), fee_where_none),
    Rule("acting_after_transfer", gettext_noop("划出部门越权办理"),
         gettext_noop("行政许可法第二十五条、划转备忘录"), acting_after_transfer),
    Rule("audit_chain_broken", gettext_noop("审计链校验失败"),
         gettext_noop("电子监察：操作记录不可篡改"), audit_chain_broken),
)
RULES_BY_CODE = {r.code: r for r in RULES}


def _owner() -> User | None:
    """Whoever owns a new hit: the first supervisor (by id) until someone takes it over."""
    return (User.objects.filter(is_active=True, role_grants__role=Role.SUPERVISOR)
            .order_by("pk").first())


def scan(*, today: dt.date | None = None, rules: Iterable[str] | None = None
         ) -> dict[str, int]:
    """Run the rules and record each new hit once; the number of new hits per rule.
    Idempotent: a hit already recorded (open or closed) is not recorded again."""
    today = today or timezone.localdate()
    now = timezone.now()
    owner = _owner()
    chosen = [RULES_BY_CODE[c] for c in rules] if rules is not None else list(RULES)
    found: dict[str, int] = {}
    for rule in chosen:
        hits = rule.find(today)
        if not hits:
            continue
        with transaction.atomic():
            known = set(Anomaly.objects.filter(rule=rule.code,
                                               key__in=[h.key for h in hits])
                        .values_list("key", flat=True))
            new = [h for h in hits if h.key not in known]
            Anomaly.objects.bulk_create([
                Anomaly(rule=rule.code, key=h.key[:120], case_id=h.case_id,
                        department_id=h.department_id, summary=h.summary[:300],
                        evidence=h.evidence, found_on=today, found_at=now, owner=owner)
                for h in new], ignore_conflicts=True)
            if new:
                append_event(actor=None, kind="supervision.anomalies", subject=f"rule:{rule.code}",
                             payload={"new": len(new), "keys": [h.key for h in new][:100]})
        if new:
            found[rule.code] = len(new)
    return found


def close(*, actor: Any, anomaly_id: int, note: str) -> Anomaly:
    """办结 a hit with the finding of the check (required)."""
    note = (note or "").strip()
    if not note:
        raise SupervisionRefused(_("办结异常必须填写核查结论。"), code="note_required")
    with transaction.atomic():
        anomaly = Anomaly.objects.select_for_update().filter(pk=anomaly_id).first()
        if anomaly is None:
            raise SupervisionRefused(_("异常记录不存在。"), code="not_found", status=404)
        if anomaly.state == AnomalyState.CLOSED:
            raise SupervisionRefused(_("该异常已办结。"), code="closed")
        anomaly.state, anomaly.closed_by, anomaly.closed_at, anomaly.note = (
            AnomalyState.CLOSED, actor, timezone.now(), note[:2000])
        anomaly.save(update_fields=["state", "closed_by", "closed_at", "note"])
        append_event(actor=actor, kind="supervision.anomaly_close",
                     subject=f"anomaly:{anomaly.pk}",
                     payload={"rule": anomaly.rule, "key": anomaly.key, "note": note})
    return anomaly


def take_over(*, actor: Any, anomaly_id: int) -> Anomaly:
    """The acting supervisor becomes the owner of a hit."""
    with transaction.atomic():
        anomaly = Anomaly.objects.select_for_update().filter(pk=anomaly_id).first()
        if anomaly is None:
            raise SupervisionRefused(_("异常记录不存在。"), code="not_found", status=404)
        anomaly.owner = actor
        anomaly.save(update_fields=["owner"])
        append_event(actor=actor, kind="supervision.anomaly_owner",
                     subject=f"anomaly:{anomaly.pk}", payload={"owner": actor.pk})
    return anomaly
