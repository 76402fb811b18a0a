"""差评整改: the follow-up of a bad rating (国办发〔2019〕51号: 差评 are rectified by whoever
handled the case, 谁办理、谁负责; every named 差评 gets a return visit, 回访; the staff member
may appeal and the supervisor reviews). Opened by `services._open_follow_up` when a rating
below 基本满意 is recorded, online or at the window, with its deadline 5 working days on.
An overdue follow-up is alerted by the sweep like a case (`alerts`).

    open --rectify--> done --visit--> closed
    open --appeal--> appealed --review(upheld)--> open / --review(void)--> void

Each step writes its audit-chain event (subject ``case:<id>``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.core.audit import append_event

from .errors import SupervisionRefused
from .models import FollowUp, FollowUpState, ReviewResult


def is_supervisor(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.SUPERVISOR))


def may_see(user: Any, follow_up: FollowUp) -> bool:
    return bool(user.is_authenticated and (
        user.has_role(Role.SUPERVISOR, Role.HEAD) or follow_up.owner_id == user.pk))


def _load(follow_up_id: int, actor: Any) -> FollowUp:
    follow_up = (FollowUp.objects.select_for_update().select_related("rating")
                 .filter(pk=follow_up_id).first())
    if follow_up is None or not may_see(actor, follow_up):
        raise SupervisionRefused(_("整改记录不存在或您无权处理。"), code="not_found", status=404)
    return follow_up


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise SupervisionRefused(message, code="text_required")
    return value[:2000]


def _event(actor: Any, kind: str, follow_up: FollowUp, **payload: Any) -> None:
    append_event(actor=actor, kind=f"follow_up.{kind}", subject=f"case:{follow_up.case_id}",
                 payload={"follow_up": follow_up.pk, **payload})


def rectify(*, actor: Any, follow_up_id: int, text: str) -> FollowUp:
    """整改: the owner (or a supervisor for him) records what was done about the 差评."""
    text = _text(text, _("请填写整改情况。"))
    with transaction.atomic():
        follow_up = _load(follow_up_id, actor)
        if follow_up.owner_id != actor.pk and not is_supervisor(actor):
            raise SupervisionRefused(_("只有整改责任人或监督人员可以登记整改。"),
                                     code="forbidden", status=403)
        if follow_up.state != FollowUpState.OPEN:
            raise SupervisionRefused(_("该整改记录不在待整改状态。"), code="not_open")
        follow_up.rectification, follow_up.rectified_at = text, timezone.now()
        follow_up.state = FollowUpState.DONE
        follow_up.save(update_fields=["rectification", "rectified_at", "state"])
        _event(actor, "rectify", follow_up, text=text)
    return follow_up


def visit(*, actor: Any, follow_up_id: int, on: dt.date, result: str,
          satisfied: bool) -> FollowUp:
    """回访: the supervisor calls the applicant back after the rectification and records
    what he said; the follow-up is then closed."""
    result = _text(result, _("请填写回访情况。"))
    if not is_supervisor(actor):
        raise SupervisionRefused(_("回访由监督人员登记。"), code="forbidden", status=403)
    with transaction.atomic():
        follow_up = _load(follow_up_id, actor)
        if follow_up.state != FollowUpState.DONE:
            raise SupervisionRefused(_("整改完成后才能回访。"), code="not_rectified")
        if on < follow_up.opened_at.date() or on > timezone.localdate():
            raise SupervisionRefused(_("回访日期不正确。"), code="bad_date")
        follow_up.visit_on, follow_up.visit_by, follow_up.visit_result = on, actor, result
        follow_up.visit_satisfied, follow_up.state = satisfied, FollowUpState.CLOSED
        follow_up.save(update_fields=["visit_on", "visit_by", "visit_result",
                                      "visit_satisfied", "state"])
        _event(actor, "visit", follow_up, on=on.isoformat(), satisfied=satisfied,
               result=result)
    return follow_up


def appeal(*, actor: Any, follow_up_id: int, reason: str) -> FollowUp:
    """申诉: the owner disputes the 差评 (e.g. a rating about something outside the bureau's
    remit, or a malicious one); the deadline stops until it is reviewed."""
    reason = _text(reason, _("请填写申诉理由。"))
    with transaction.atomic():
        follow_up = _load(follow_up_id, actor)
        if follow_up.owner_id != actor.pk:
            raise SupervisionRefused(_("只有整改责任人可以申诉。"), code="forbidden", status=403)
        if follow_up.state != FollowUpState.OPEN or follow_up.appealed_at is not None:
            raise SupervisionRefused(_("每条差评只能申诉一次，且须在整改前提出。"),
                                     code="not_open")
        follow_up.appeal_reason, follow_up.appealed_at = reason, timezone.now()
        follow_up.state = FollowUpState.APPEALED
        follow_up.save(update_fields=["appeal_reason", "appealed_at", "state"])
        _event(actor, "appeal", follow_up, reason=reason)
    return follow_up


def review(*, actor: Any, follow_up_id: int, result: str, note: str) -> FollowUp:
    """复核: the supervisor decides the appeal. Upheld (申诉不成立): back to 待整改; void
    (申诉成立): the 差评 does not count and the follow-up ends."""
    note = _text(note, _("请填写复核意见。"))
    if result not in ReviewResult.values:
        raise SupervisionRefused(_("请选择复核结论。"), code="bad_result")
    if not is_supervisor(actor):
        raise SupervisionRefused(_("申诉由监督人员复核。"), code="forbidden", status=403)
    with transaction.atomic():
        follow_up = _load(follow_up_id, actor)
        if follow_up.state != FollowUpState.APPEALED:
            raise SupervisionRefused(_("该整改记录没有待复核的申诉。"), code="not_appealed")
        follow_up.review_result, follow_up.review_note = result, note
        follow_up.reviewed_by, follow_up.reviewed_at = actor, timezone.now()
        follow_up.state = (FollowUpState.VOID if result == ReviewResult.VOID
                           else FollowUpState.OPEN)
        follow_up.save(update_fields=["review_result", "review_note", "reviewed_by",
                                      "reviewed_at", "state"])
        _event(actor, "review", follow_up, result=result, note=note)
    return follow_up
