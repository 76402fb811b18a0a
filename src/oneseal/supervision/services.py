"""Writes of supervision: record a rating (好差评), deem the unrated ones 基本满意 and open the
follow-up of a 差评. Each write appends its audit-chain event in the same transaction
(`core.audit.append_event`, kind ``rating.*`` / ``follow_up.open``, subject ``case:<id>``).
The rules, with their articles, are in `domain/ratings.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.cases.domain.states import CaseState
from oneseal.cases.errors import CaseNotFound
from oneseal.cases.models import Case
from oneseal.cases.permissions import can_see, is_owner
from oneseal.core.audit import append_event
from oneseal.core.workcalendar.domain import ClockError
from oneseal.core.workcalendar.selectors import get_work_calendar

from .domain import ratings as rules
from .errors import RatingForbidden, RatingRefused
from .models import FollowUp, Rating


def _moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    now = at or timezone.now()
    return now, timezone.localtime(now).date()


def _name(user: Any) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def may_rate(user: Any, case: Case, channel: str) -> bool:
    """Online (一事一评) the applicant himself, his agent or an account of the applicant
    organisation rates; at the window (一次一评) a window clerk records the applicant's
    choice."""
    if channel == rules.RatingChannel.ONLINE:
        return is_owner(user, case)
    return bool(user.has_role(Role.CLERK)) and can_see(user, case)


def _handler(case: Case) -> Any:
    """Who handled the case (谁办理、谁负责): the decider, else whoever received it."""
    return case.decided_by or case.created_by


def _open_follow_up(rating: Rating, case: Case, now: dt.datetime, today: dt.date) -> FollowUp:
    owner = _handler(case)
    due = rules.follow_up_due(get_work_calendar(), today)
    follow_up = FollowUp.objects.create(rating=rating, case=case, owner=owner,
                                        owner_name=_name(owner), due=due, opened_at=now)
    append_event(actor=None, kind="follow_up.open", subject=f"case:{case.pk}", payload={
        "rating": rating.pk, "level": rating.level, "owner": owner.pk if owner else None,
        "due": due.isoformat()})
    return follow_up


def _store(*, actor: Any, case: Case, channel: str, level: str, reasons: list[str], text: str,
           deemed: bool, recorded_by: Any, now: dt.datetime, today: dt.date) -> Rating:
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case, channel=channel, level=level, reasons=reasons, text=text,
                deemed=deemed, rated_by=None if recorded_by else actor,
                recorded_by=recorded_by, rated_on=today, rated_at=now)
    except IntegrityError:
        raise RatingRefused(_("该办件已在此渠道评价过，一件事只评价一次。"),
                            code="already_rated") from None
    kind = "rating.deemed" if deemed else "rating.submit"
    event = append_event(actor=actor, kind=kind, subject=f"case:{case.pk}", payload={
        "rating": rating.pk, "channel": channel, "level": level, "reasons": reasons,
        "text": text})
    rating.audit_seq = event.seq
    rating.save(update_fields=["audit_seq"])
    if rules.is_bad(level):
        _open_follow_up(rating, case, now, today)
    return rating


def rate_case(*, actor: Any, case_id: int, channel: str, level: str, reasons: list[str],
              text: str = "", at: dt.datetime | None = None) -> Rating:
    """Record the applicant's rating of a delivered case (国办发〔2019〕51号): online by the
    applicant (一事一评), at the window by the clerk who enters the applicant's choice (一次
    一评); one per case and channel. A 差评 opens its follow-up record."""
    try:
        channel = rules.RatingChannel(channel)
    except ValueError:
        raise RatingRefused(_("评价渠道不正确。"), code="invalid_channel") from None
    with transaction.atomic():
        case = (Case.objects.select_for_update(of=("self",))
                .select_related("decided_by", "created_by")
                .filter(pk=case_id).first())
        if case is None or not can_see(actor, case):
            raise CaseNotFound()
        if not may_rate(actor, case, channel):
            raise RatingForbidden(_("您无权为该办件评价。"))
        if case.state != CaseState.DELIVERED:
            raise RatingRefused(_("办件送达后才能评价。"), code="not_delivered",
                                state=case.state)
        try:
            chosen, reasons, text = rules.clean_rating(level, list(reasons), text or "")
        except rules.RatingInvalid as exc:
            raise RatingRefused(_(exc.message) % exc.params if exc.params else _(exc.message),
                                code=exc.code) from None
        now, today = _moment(at)
        if case.delivered_on is not None and today < case.delivered_on:
            raise RatingRefused(_("评价日期不能早于送达日期。"), code="before_delivery")
        window = channel == rules.RatingChannel.WINDOW
        return _store(actor=actor, case=case, channel=channel, level=chosen, reasons=reasons,
                      text=text, deemed=False, recorded_by=actor if window else None,
                      now=now, today=today)


def rate_window_visit(*, actor: Any, case_id: int, level: str, reasons: list[str],
                      text: str = "", at: dt.datetime | None = None) -> Rating | None:
    """一次一评 from the window's evaluator (评价器) after a visit that became or served a
    case: the visit's rating becomes the case's window rating, with the same follow-up of a
    差评 as online (国办发〔2019〕51号). Unlike `rate_case` the case need not be delivered: the
    visit is what is rated. The clerk signed in at the window (`actor`) records it. None
    when the case already has its window rating (one per case and channel): the visit's
    rating then stays with the hall's records only."""
    with transaction.atomic():
        case = (Case.objects.select_for_update(of=("self",))
                .select_related("decided_by", "created_by")
                .filter(pk=case_id).first())
        if case is None or not can_see(actor, case):
            raise CaseNotFound()
        if not may_rate(actor, case, rules.RatingChannel.WINDOW):
            raise RatingForbidden(_("您无权为该办件评价。"))
        try:
            chosen, reasons, text = rules.clean_rating(level, list(reasons), text or "")
        except rules.RatingInvalid as exc:
            raise RatingRefused(_(exc.message) % exc.params if exc.params else _(exc.message),
                                code=exc.code) from None
        if case.ratings.filter(channel=rules.RatingChannel.WINDOW).exists():
            return None
        now, today = _moment(at)
        return _store(actor=actor, case=case, channel=rules.RatingChannel.WINDOW,
                      level=chosen, reasons=reasons, text=text, deemed=False,
                      recorded_by=actor, now=now, today=today)


def deem_unrated(*, today: dt.date | None = None) -> int:
    """云政办发〔2020〕6号: a delivered case nobody rated within 5 working days of its delivery
    counts as 基本满意. Records the deemed online rating (system actor) of each such case;
    idempotent. A case whose period reaches a year the calendar does not cover waits."""
    now = timezone.now()
    today = today or timezone.localdate()
    calendar = get_work_calendar()
    # 5 working days are at least 5 calendar days: anything delivered later cannot be due.
    candidates = (Case.objects.filter(state=CaseState.DELIVERED, delivered_on__isnull=False,
                                      delivered_on__lt=today - dt.timedelta(days=5))
                  .filter(ratings__isnull=True).values_list("pk", "delivered_on"))
    count = 0
    for case_id, delivered_on in candidates.iterator():
        try:
            due = rules.is_deemed(calendar, delivered_on, today)
        except ClockError:
            continue
        if not due:
            continue
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=case_id).first()
            if case is None or case.ratings.exists():
                continue
            _store(actor=None, case=case, channel=rules.RatingChannel.ONLINE,
                   level=rules.DEEMED_LEVEL, reasons=[], text="", deemed=True,
                   recorded_by=None, now=now, today=today)
            count += 1
    return count
