"""The alert sweep (超期预警) and the handling of alerts.

`sweep` runs every hour from the worker (`config/schedule.py`). It reads the stored due
dates (`Case.promised_due`/`correction_due`/`delivery_due`, `CaseStep.due_on`,
`FollowUp.due`) through their indexes: only clocks whose due date is at most the yellow
limit (`domain.alerts.yellow_until`) are looked at, and of those only the ones without an
alert for their present due date and colour (an anti-join on `Alert`, whose rows are the
sweep's memory of the last light sent for each clock). So a run where nothing crossed a
threshold touches no row, and each crossing is raised once: to the handler, the section
chief of the department and the supervisors, in the message box (站内消息) and through the
outbox (SMS, e-mail; tried again by `deliver_alerts` when a channel is down).

Supervision reads clocks; it never changes a case.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models import When as W
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role
from oneseal.cases.models import Case, CaseStep
from oneseal.core.audit import append_event
from oneseal.core.sms import SmsError, send_sms
from oneseal.core.workcalendar.domain import ClockError
from oneseal.core.workcalendar.selectors import get_work_calendar

from . import clock_sources
from .domain import alerts as rules
from .errors import SupervisionRefused
from .models import (
    Alert,
    AlertChannel,
    AlertClock,
    AlertDelivery,
    AlertState,
    FollowUp,
    FollowUpState,
    SweepMark,
)

logger = logging.getLogger("oneseal.supervision")

RUNNING_STATES = ("received", "correcting", "reviewing", "special")
DELIVERY_STATES = tuple(sorted(rules.DELIVERY_STATES))
OPEN_STEP_STATES = ("open", "claimed")
MAX_ATTEMPTS = 40


def threshold() -> rules.Threshold:
    """The configured yellow threshold: ``ONESEAL_ALERT_YELLOW_DAYS`` working days before
    the due date (default 1) or ``ONESEAL_ALERT_YELLOW_SHARE`` of the limit, the longer."""
    return rules.Threshold(days=int(getattr(settings, "ONESEAL_ALERT_YELLOW_DAYS", 1)),
                           share=getattr(settings, "ONESEAL_ALERT_YELLOW_SHARE", None))


def watched_due_expression() -> SqlCase:
    """`domain.alerts.watched_due` in SQL."""
    return SqlCase(W(state__in=DELIVERY_STATES, then=F("delivery_due")),
                   default=Coalesce(F("promised_due"), F("correction_due")))


def running_cases() -> Any:
    """Open cases whose clock runs: not ended, no special procedure stopping it (第45条),
    not waiting for the applicant's corrections (unless deemed accepted, 第32条)."""
    return (Case.objects.filter(state__in=RUNNING_STATES + DELIVERY_STATES, clock_paused=False)
            .exclude(state="correcting", deemed_accepted=False))


def case_windows(upper: dt.date, lower: dt.date | None = None) -> list[Q]:
    """`case_window` as its three disjoint parts."""
    low = {} if lower is None else {"gte": lower}
    return [Q(state__in=DELIVERY_STATES, delivery_due__lte=upper,
              **{f"delivery_due__{k}": v for k, v in low.items()}),
            Q(state__in=RUNNING_STATES, promised_due__lte=upper,
              **{f"promised_due__{k}": v for k, v in low.items()}),
            Q(state__in=RUNNING_STATES, promised_due__isnull=True, correction_due__lte=upper,
              **{f"correction_due__{k}": v for k, v in low.items()})]


def case_window(upper: dt.date, lower: dt.date | None = None) -> Q:
    """Cases whose watched due date is at most `upper` (and at least `lower`), as
    index-friendly ranges."""
    low = {} if lower is None else {"gte": lower}
    return (Q(state__in=DELIVERY_STATES, delivery_due__lte=upper,
              **{f"delivery_due__{k}": v for k, v in low.items()})
            | Q(state__in=RUNNING_STATES, promised_due__lte=upper,
                **{f"promised_due__{k}": v for k, v in low.items()})
            | Q(state__in=RUNNING_STATES, promised_due__isnull=True,
                correction_due__lte=upper,
                **{f"correction_due__{k}": v for k, v in low.items()}))


@dataclass
class Crossing:
    clock: str
    key: str
    case_id: int
    due: dt.date
    light: str
    label: str
    provisional: bool = False
    step_id: int | None = None
    follow_up_id: int | None = None
    handler_id: int | None = None
    department_id: int | None = None
    # further people told (role "department"): the officers of the department whose clock
    # it is, for a clock a registered source owns (`clock_sources`)
    told_ids: tuple[int, ...] = ()


@dataclass
class SweepResult:
    as_of: dt.date
    raised: int = 0
    examined: int = 0
    by_light: dict[str, int] = field(default_factory=dict)
    error: str = ""
    full: bool = True


def _light_sql(today: dt.date, due_field: str) -> SqlCase:
    return SqlCase(W(**{f"{due_field}__lt": today}, then=Value(rules.RED)),
                   default=Value(rules.YELLOW))


def _case_crossings(calendar: Any, today: dt.date, limit: rules.Threshold,
                    widest: dt.date, lower: dt.date | None) -> list[Crossing]:
    alerted = Alert.objects.filter(case_id=OuterRef("pk"), clock=AlertClock.CASE,
                                   due=OuterRef("watch"), light=OuterRef("colour"))
    rows = []
    for window in case_windows(widest, lower):  # one index range each (no OR for SQLite)
        rows.extend(running_cases().filter(window)
                    .annotate(watch=watched_due_expression())
                    .annotate(colour=SqlCase(W(watch__lt=today, then=Value(rules.RED)),
                                             default=Value(rules.YELLOW)))
                    .filter(~Exists(alerted))
                    .values_list("pk", "watch", "colour", "state",
                                 "version__promised_limit_days", "department_id",
                                 "created_by_id", "provisional_dues"))
    out: list[Crossing] = []
    uppers: dict[int, dt.date] = {}
    labels = {True: _("送达时限（第44条）"), False: _("办结时限")}
    for pk, due, colour, state, limit_days, dept, creator, provisional in rows:
        if due is None:
            continue
        if colour == rules.YELLOW:
            warn = limit.warn_days(limit_days)
            if warn not in uppers:
                uppers[warn] = rules.yellow_until(calendar, today, warn)
            if due > uppers[warn]:
                continue  # within the widest window, not yet within its own
        field_name = ("delivery_due" if state in DELIVERY_STATES else "promised_due")
        out.append(Crossing(
            clock=AlertClock.CASE, key=f"case:{pk}", case_id=pk, due=due, light=colour,
            label=labels[state in DELIVERY_STATES],
            provisional=field_name in (provisional or {}), handler_id=creator,
            department_id=dept))
    if out:  # the handler of an open case: whoever holds its current step, in its department
        current: dict[int, tuple[int | None, int]] = {}
        for case_id, assignee, dept in (CaseStep.objects.filter(
                case_id__in=[c.case_id for c in out], state__in=OPEN_STEP_STATES)
                .order_by("-order", "-round").values_list("case_id", "assignee_id",
                                                          "department_id")):
            current[case_id] = (assignee, dept)  # the lowest open step wins
        for crossing in out:
            assignee, dept = current.get(crossing.case_id, (None, crossing.department_id or 0))
            crossing.handler_id = assignee or crossing.handler_id
            crossing.department_id = dept or crossing.department_id
    return out


def _step_crossings(calendar: Any, today: dt.date, limit: rules.Threshold,
                    widest: dt.date, lower: dt.date | None) -> list[Crossing]:
    alerted = Alert.objects.filter(step_id=OuterRef("pk"), clock=AlertClock.STEP,
                                   due=OuterRef("due_on"), light=OuterRef("colour"))
    steps = CaseStep.objects.filter(state__in=OPEN_STEP_STATES, due_on__lte=widest)
    if lower is not None:
        steps = steps.filter(due_on__gte=lower)
    rows = (steps.filter(case__state__in=RUNNING_STATES + DELIVERY_STATES,
                         case__clock_paused=False)
            .exclude(case__state="correcting", case__deemed_accepted=False)
            .annotate(colour=_light_sql(today, "due_on"))
            .filter(~Exists(alerted))
            .values_list("pk", "case_id", "due_on", "colour", "limit_days", "name",
                         "assignee_id", "department_id", "due_provisional"))
    out: list[Crossing] = []
    uppers: dict[int, dt.date] = {}
    step_label = _("环节时限：%(step)s")
    for pk, case_id, due, colour, limit_days, name, assignee, dept, provisional in rows:
        warn = limit.warn_days(limit_days)
        if warn not in uppers:
            uppers[warn] = rules.yellow_until(calendar, today, warn)
        if colour == rules.YELLOW and due > uppers[warn]:
            continue
        out.append(Crossing(clock=AlertClock.STEP, key=f"step:{pk}", case_id=case_id, due=due,
                            light=colour, label=step_label % {"step": name},
                            provisional=provisional, step_id=pk, handler_id=assignee,
                            department_id=dept))
    return out


def _follow_up_crossings(calendar: Any, today: dt.date, limit: rules.Threshold,
                         widest: dt.date, lower: dt.date | None) -> list[Crossing]:
    alerted = Alert.objects.filter(follow_up_id=OuterRef("pk"), clock=AlertClock.FOLLOW_UP,
                                   due=OuterRef("due"), light=OuterRef("colour"))
    follow_ups = FollowUp.objects.filter(state=FollowUpState.OPEN, due__lte=widest)
    if lower is not None:
        follow_ups = follow_ups.filter(due__gte=lower)
    rows = (follow_ups.annotate(colour=_light_sql(today, "due"))
            .filter(~Exists(alerted))
            .values_list("pk", "case_id", "due", "colour", "owner_id", "case__department_id"))
    out: list[Crossing] = []
    for pk, case_id, due, colour, owner, dept in rows:
        if colour == rules.YELLOW and due > rules.yellow_until(
                calendar, today, limit.warn_days(5)):
            continue
        out.append(Crossing(clock=AlertClock.FOLLOW_UP, key=f"follow_up:{pk}",
                            case_id=case_id, due=due, light=colour,
                            label=_("差评整改期限"), follow_up_id=pk, handler_id=owner,
                            department_id=dept))
    return out


def _recipients() -> tuple[list[User], dict[int, list[User]]]:
    staff = (User.objects.filter(is_active=True, role_grants__role__in=[Role.SUPERVISOR,
                                                                         Role.CHIEF])
             .distinct().prefetch_related("role_grants"))
    supervisors: list[User] = []
    chiefs: dict[int, list[User]] = {}
    for user in staff:
        roles = {g.role for g in user.role_grants.all()}
        if Role.SUPERVISOR in roles:
            supervisors.append(user)
        if Role.CHIEF in roles and user.unit_id is not None:
            chiefs.setdefault(user.unit_id, []).append(user)
    return supervisors, chiefs


def _addresses(user: User) -> list[tuple[str, str]]:
    rows = [(AlertChannel.INBOX, f"user:{user.pk}")]
    if user.phone.strip():
        rows.append((AlertChannel.SMS, user.phone.strip()))
    if user.email.strip():
        rows.append((AlertChannel.EMAIL, user.email.strip().lower()))
    return rows


# the columns of a delivery row as `_insert_deliveries` writes them
DELIVERY_COLUMNS = ("alert_id", "user_id", "role", "channel", "address", "state",
                    "attempts", "next_attempt_at", "last_error", "sent_at")


def _deliveries(alerts: list[Alert], users: dict[int, User], supervisors: list[User],
                chiefs: dict[int, list[User]],
                crossing_told: dict[str, tuple[int, ...]] | None = None
                ) -> list[tuple[int, int, str, str, str]]:
    """(alert, user, role, channel, address) of every message of `alerts`."""
    out: list[tuple[int, int, str, str, str]] = []
    crossing_told = crossing_told or {}
    addresses: dict[int, list[tuple[str, str]]] = {}
    for alert in alerts:
        told: dict[int, tuple[User, str]] = {}
        for user in supervisors:
            told[user.pk] = (user, "supervisor")
        handler = users.get(alert.handler_id or 0)
        # the section chief (科室负责人): of the department the clock runs in, and of the
        # handler's own section
        units = {alert.department_id, handler.unit_id if handler is not None else None}
        for unit in units - {None}:
            for user in chiefs.get(unit or 0, []):
                told[user.pk] = (user, "chief")
        if handler is not None and handler.is_active:
            told[handler.pk] = (handler, "handler")
        for pk in crossing_told.get(alert.clock_key, ()):
            user = users.get(pk)
            if user is not None and user.is_active and pk not in told:
                told[pk] = (user, "department")
        for user, role in told.values():
            if user.pk not in addresses:
                addresses[user.pk] = _addresses(user)
            for channel, address in addresses[user.pk]:
                out.append((alert.pk, user.pk, role, channel, address))
    return out


def _insert_deliveries(rows: list[tuple[int, int, str, str, str]], now: dt.datetime,
                       batch: int = 2000) -> None:
    """Write the deliveries with one prepared INSERT run over all rows (`executemany`),
    not through model instances: the sweep's own table, no signals, and every row shares
    the same moment, adapted once for the backend. The in-site message (站内消息) is sent
    at once; SMS and e-mail wait in the outbox for `deliver_alerts`. Against
    `bulk_create` this skips building and preparing a model instance per row, which was
    most of the time of a sweep with tens of thousands of deliveries."""
    if not rows:
        return
    table = connection.ops.quote_name(AlertDelivery._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in DELIVERY_COLUMNS)
    marks = ", ".join(["%s"] * len(DELIVERY_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - fixed names
    at = connection.ops.adapt_datetimefield_value(now)
    inbox = str(AlertChannel.INBOX)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, [
                (alert, user, role, channel, address,
                 "sent" if channel == inbox else "pending", 0, at, "",
                 at if channel == inbox else None)
                for alert, user, role, channel, address in rows[start:start + batch]])


def sweep(*, today: dt.date | None = None, now: dt.datetime | None = None,
          full: bool | None = None) -> SweepResult:
    """Raise the alerts of every clock that crossed a threshold and was not alerted yet
    at its present due date and colour. Idempotent: a second run raises nothing.

    The first run of a day (or `full=True`) looks at every clock due by the yellow limit;
    a later run of the same day only at clocks due from today on — nothing turns red
    during a day, so what it can find is a due date set or moved since the last run (a
    new case, a decision starting the delivery clock, an extension). A due date moved
    into the past is found by the next day's full run."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    result = SweepResult(as_of=today)
    limit = threshold()
    try:
        calendar = get_work_calendar()
        widest = rules.yellow_until(calendar, today,
                                    max(limit.warn_days(n) for n in (1, 60, 250)))
    except ClockError as exc:
        result.error = exc.message(_)
        logger.warning("alert sweep skipped: %s", result.error)
        return result
    with transaction.atomic():
        mark, _created = SweepMark.objects.select_for_update().get_or_create(
            name="alerts", defaults={"ran_at": now, "as_of": today})
        if full is None:
            full = _created or mark.as_of != today
        lower = None if full else today
        result.full = full
        crossings = (_case_crossings(calendar, today, limit, widest, lower)
                     + _step_crossings(calendar, today, limit, widest, lower)
                     + _follow_up_crossings(calendar, today, limit, widest, lower))
        for source in clock_sources.sources():  # clocks other apps own (部门认领时限 ...)
            crossings += source.find(calendar, today, limit, widest, lower)
        result.examined = len(crossings)
        alerts = Alert.objects.bulk_create([
            Alert(clock=c.clock, clock_key=c.key, case_id=c.case_id, step_id=c.step_id,
                  follow_up_id=c.follow_up_id, light=c.light, due=c.due,
                  provisional=c.provisional, label=c.label[:100], handler_id=c.handler_id,
                  department_id=c.department_id, raised_on=today, raised_at=now)
            for c in crossings], batch_size=1000)
        if alerts and alerts[0].pk is None:  # a backend that returns no ids
            keys = [a.clock_key for a in alerts]
            alerts = list(Alert.objects.filter(clock_key__in=keys, raised_at=now))
        supervisors, chiefs = _recipients()
        told = {c.key: c.told_ids for c in crossings if c.told_ids}
        users = User.objects.in_bulk({a.handler_id for a in alerts if a.handler_id}
                                     | {pk for ids in told.values() for pk in ids})
        _insert_deliveries(_deliveries(alerts, users, supervisors, chiefs, told), now)
        result.raised = len(alerts)
        for alert in alerts:
            result.by_light[alert.light] = result.by_light.get(alert.light, 0) + 1
        mark.ran_at, mark.as_of, mark.raised = now, today, result.raised
        mark.save(update_fields=["ran_at", "as_of", "raised"])
        if alerts:
            append_event(actor=None, kind="supervision.alerts_raised",
                         subject=f"sweep:{today.isoformat()}", payload={
                             "raised": result.raised, "by_light": result.by_light,
                             "first": alerts[0].pk, "last": alerts[-1].pk})
    return result


# --- the outbox of alerts ------------------------------------------------------------------

def alert_text(alert: Alert) -> tuple[str, str]:
    """The title and text of an alert's message."""
    number = alert.case.number if alert.case_id else ""
    if alert.light == rules.RED:
        title = _("超期预警：%(number)s") % {"number": number}
        text = _("办件 %(number)s 的%(label)s已于 %(due)s 到期，现已超期，请立即处理。")
    else:
        title = _("临近期限提醒：%(number)s") % {"number": number}
        text = _("办件 %(number)s 的%(label)s将于 %(due)s 到期，请抓紧办理。")
    return title, text % {"number": number, "label": alert.label, "due": alert.due.isoformat()}


def deliver_alerts(*, now: dt.datetime | None = None, batch: int = 200) -> dict[str, int]:
    """Send the pending SMS and e-mails of alerts that are due; a channel that is down is
    tried again after 1, 2, 4... minutes, at most an hour apart."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    pending = list(AlertDelivery.objects.filter(state="pending", next_attempt_at__lte=now)
                   .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:batch])
    for pk in pending:
        with transaction.atomic():
            row = (AlertDelivery.objects.select_for_update().select_related("alert__case")
                   .filter(pk=pk, state="pending").first())
            if row is None:
                continue
            title, text = alert_text(row.alert)
            row.attempts += 1
            try:
                if row.channel == AlertChannel.SMS:
                    send_sms(row.address, f"{title}。{text}")
                elif row.channel == AlertChannel.EMAIL:
                    send_mail(title, text, None, [row.address])
                row.state, row.sent_at, row.last_error = "sent", now, ""
            except (SmsError, OSError) as exc:
                row.last_error = str(exc)[:300]
                if row.attempts >= MAX_ATTEMPTS:
                    row.state = "failed"
                else:
                    wait = min(dt.timedelta(minutes=2 ** (row.attempts - 1)),
                               dt.timedelta(hours=1))
                    row.next_attempt_at = now + wait
            row.save(update_fields=["attempts", "state", "sent_at", "last_error",
                                    "next_attempt_at"])
            counts[row.state] = counts.get(row.state, 0) + 1
    return counts


# --- acknowledging and closing -------------------------------------------------------------

def may_handle(user: Any, alert: Alert) -> bool:
    """Whoever was told may acknowledge an alert; the supervisors may also close it."""
    if user.has_role(Role.SUPERVISOR):
        return True
    return AlertDelivery.objects.filter(alert=alert, user=user).exists()


def acknowledge(*, actor: Any, alert_id: int, at: dt.datetime | None = None) -> Alert:
    """确认: the recipient has seen the alert (kept open until closed with a note)."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None or not may_handle(actor, alert):
            raise SupervisionRefused(_("预警不存在或您无权处理。"), code="not_found", status=404)
        if alert.state != AlertState.OPEN:
            raise SupervisionRefused(_("该预警已确认或已关闭。"), code="not_open")
        now = at or timezone.now()
        alert.state, alert.acknowledged_by, alert.acknowledged_at = (
            AlertState.ACKNOWLEDGED, actor, now)
        alert.save(update_fields=["state", "acknowledged_by", "acknowledged_at"])
        AlertDelivery.objects.filter(alert=alert, user=actor, channel=AlertChannel.INBOX,
                                     read_at__isnull=True).update(read_at=now)
        append_event(actor=actor, kind="supervision.alert_ack", subject=f"case:{alert.case_id}",
                     payload={"alert": alert.pk, "clock": alert.clock_key,
                              "light": alert.light})
    return alert


def close(*, actor: Any, alert_id: int, note: str, at: dt.datetime | None = None) -> Alert:
    """关闭: a supervisor, or whoever was told, closes the alert with a note of what was
    done (the note is required)."""
    note = (note or "").strip()
    if not note:
        raise SupervisionRefused(_("关闭预警必须填写处理说明。"), code="note_required")
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None or not may_handle(actor, alert):
            raise SupervisionRefused(_("预警不存在或您无权处理。"), code="not_found", status=404)
        if alert.state == AlertState.CLOSED:
            raise SupervisionRefused(_("该预警已关闭。"), code="closed")
        now = at or timezone.now()
        if alert.acknowledged_at is None:
            alert.acknowledged_by, alert.acknowledged_at = actor, now
        alert.state, alert.closed_by, alert.closed_at, alert.note = (
            AlertState.CLOSED, actor, now, note[:2000])
        alert.save(update_fields=["state", "closed_by", "closed_at", "note",
                                  "acknowledged_by", "acknowledged_at"])
        append_event(actor=actor, kind="supervision.alert_close",
                     subject=f"case:{alert.case_id}",
                     payload={"alert": alert.pk, "clock": alert.clock_key, "note": note})
    return alert


def close_clock(*, clock_key: str, note: str, actor: Any = None,
                at: dt.datetime | None = None) -> int:
    """Close every alert of the clock `clock_key` that is not closed yet, because the clock
    itself ended (a claim made, `coordination.claims.claim`): called by the app that owns
    the clock, in the transaction that ends it. Two UPDATEs and one audit event; returns how
    many alerts were closed (0, and no event, when there were none)."""
    now = at or timezone.now()
    open_alerts = Alert.objects.filter(clock_key=clock_key).exclude(state=AlertState.CLOSED)
    ids = list(open_alerts.values_list("pk", flat=True))
    if not ids:
        return 0
    actor_id = getattr(actor, "pk", None)
    Alert.objects.filter(pk__in=ids, acknowledged_at__isnull=True).update(
        acknowledged_by_id=actor_id, acknowledged_at=now)
    closed = Alert.objects.filter(pk__in=ids).update(
        state=AlertState.CLOSED, closed_by_id=actor_id, closed_at=now, note=note[:2000])
    append_event(actor=actor, kind="supervision.alert_close_clock", subject=clock_key,
                 payload={"alerts": ids, "note": note})
    return closed
