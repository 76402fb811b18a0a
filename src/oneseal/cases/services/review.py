"""Review steps (第34条), special procedures and hearings (第45、47–48条), extension (第42条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.core.audit import audit_frame
from oneseal.core.workcalendar.domain import EXTENSION_CAP, Handling

from .. import documents
from ..domain.states import CaseState, Operation
from ..errors import CaseConflict, CaseNotFound, RuleViolation
from ..models import (
    Case,
    CaseStep,
    DocumentKind,
    ExtensionRequest,
    ExtensionStatus,
    Opinion,
    SpecialKind,
    SpecialProcedureRun,
    StepState,
)
from ..permissions import can_see
from ..selectors_staff import case_reviewer_ids
from .frame import (
    HEARING_HOLD_DAYS,
    HEARING_NOTICE_DAYS,
    _actor_name,
    _begin,
    _calendar_due,
    _case_clocks,
    _finish_step,
    _int,
    _lock,
    _next_waiting,
    _open,
    _record,
    _required_text,
    current_step,
)
from .hearing import clean_parties, hearing_request_end, issue_hearing_notices


def case_claim(*, actor: Any, case: Case | int, at: dt.datetime | None = None) -> Case:
    """认领: take the open step; only someone holding the step's role (a department officer
    only for his department's cases). A step already claimed is a conflict."""
    with audit_frame():
        locked = _lock(case)
        if not can_see(actor, locked):
            raise CaseNotFound()
        step = current_step(locked)
        if locked.state == CaseState.REVIEWING and step is not None \
                and step.state == StepState.CLAIMED:
            if step.assignee_id == actor.pk:
                raise CaseConflict(_("您已认领该环节。"))
            raise CaseConflict(_("该环节已由%(name)s认领。")
                               % {"name": _actor_name(step.assignee)})
        case, now, today = _begin(actor, locked, Operation.CLAIM, at)
        step = current_step(case)
        assert step is not None
        step.state, step.assignee, step.claimed_at = StepState.CLAIMED, actor, now
        step.save(update_fields=["state", "assignee", "claimed_at"])
        _record(case, actor=actor, op=Operation.CLAIM, now=now, today=today,
                state_from=case.state, recompute=False,
                data={"step": step.name, "order": step.order, "round": step.round})
        return case


def case_complete_step(*, actor: Any, case: Case | int, opinion: str, comment: str = "",
                       return_to: int | None = None, site_staff: list[int] | None = None,
                       at: dt.datetime | None = None) -> Case:
    """办结环节 with an opinion: 同意 / 不同意 move on to the next step; 退回 sends the case
    back to an earlier step (with the reason), which is done again, and the steps after it
    wait again. A step that verifies facts on site needs two or more staff who went
    (行政许可法 第34条). The final step is not completed here: its holder decides."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.COMPLETE_STEP, at)
        step = current_step(case)
        assert step is not None
        comment = (comment or "").strip()
        if opinion not in (Opinion.AGREE, Opinion.DISAGREE, Opinion.RETURN):
            raise RuleViolation(_("审查意见只能是同意、不同意或退回。"), code="invalid_opinion")
        staff_names = _site_staff(step, actor, site_staff)
        data: dict[str, Any] = {"step": step.name, "order": step.order, "round": step.round,
                                "opinion": opinion,
                                "steps_completed": [f"{step.order}.{step.round}"]}
        if opinion == Opinion.RETURN:
            comment = _required_text(comment, _("退回须写明理由。"), "reason_required")
            first_reviewable = 2 if case.steps.filter(order=1, role=Role.CLERK).exists() else 1
            if return_to is None or not first_reviewable <= return_to < step.order:
                raise RuleViolation(_("只能退回到本环节之前的审查环节。"), code="invalid_return")
            _finish_step(step, actor=actor, now=now, today=today, opinion=opinion,
                         comment=comment)
            step.returned_to = return_to
            step.site_staff = staff_names
            step.save(update_fields=["returned_to", "site_staff"])
            data["return_to"] = return_to
            data["steps_started"] = [_reopen_from(case, return_to, step.order, today)]
        else:
            if opinion == Opinion.DISAGREE and not comment:
                raise RuleViolation(_("不同意须写明理由。"), code="reason_required")
            _finish_step(step, actor=actor, now=now, today=today, opinion=opinion,
                         comment=comment)
            if staff_names:
                step.site_staff = staff_names
                step.save(update_fields=["site_staff"])
            nxt = _next_waiting(case, step.order)
            if nxt is not None:
                data["steps_started"] = [_open(nxt, today)]
        _record(case, actor=actor, op=Operation.COMPLETE_STEP, now=now, today=today,
                state_from=case.state, reason=comment, data=data)
        return case


def _site_staff(step: CaseStep, actor: Any, site_staff: list[int] | None) -> list[dict[str, Any]]:
    """The staff who verified on site (第34条: two or more)."""
    from oneseal.accounts.models import User

    ids = {int(i) for i in (site_staff or [])}
    users = list(User.objects.filter(pk__in=ids, is_active=True))
    staff = [u for u in users if u.is_staff_member]
    if step.site_visit and len(staff) < 2:
        raise RuleViolation(
            _("本环节需要现场核查，依照《行政许可法》第三十四条应当指派两名以上工作人员，"
              "请登记前往核查的人员。"), code="site_staff_required")
    return [{"id": u.pk, "name": _actor_name(u)} for u in staff]


def _reopen_from(case: Case, return_to: int, current: int, today: dt.date) -> dict[str, Any]:
    """A new round of the steps from `return_to` up to `current`; the first one opens."""
    old = {s.order: s for s in case.steps.filter(order__gte=return_to, order__lte=current)
           .order_by("order", "round")}
    new_round = max(s.round for s in case.steps.filter(order__gte=return_to)) + 1
    created = [CaseStep(case=case, department_id=s.department_id, order=s.order,
                        round=new_round, name=s.name, role=s.role, limit_days=s.limit_days,
                        site_visit=s.site_visit, is_final=s.is_final, state=StepState.WAITING)
               for s in sorted(old.values(), key=lambda s: s.order)]
    CaseStep.objects.bulk_create(created)
    first = case.steps.get(order=return_to, round=new_round)
    return _open(first, today)


def case_special_start(*, actor: Any, case: Case | int, kind: str, reason: str,
                       expected_days: int, hearing: dict[str, Any] | None = None,
                       at: dt.datetime | None = None) -> Case:
    """Start a special procedure (特别程序, 行政许可法 第45条): its time is not counted in the
    limits; the applicant is told in writing how long it will take (特别程序告知书). Only the
    kinds the item declares. A hearing (第47–48条) needs: the request within 5 days of being
    told of the right (calendar days, 民法典 第203条), the hearing within 20 working days of
    the request, notice of time and place at least 7 working days before (counted from today,
    when the notice is issued), and a chair who did not review the case. The bureau may call
    a hearing itself (第46条, `called_by_bureau`: no request). The applicant and each
    interested party (`parties`) get a 听证告知书 with the time and place (第48条)."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.SPECIAL_START, at)
        if kind not in SpecialKind.values:
            raise RuleViolation(_("特别程序种类不正确。"), code="invalid_procedure")
        allowed = set(case.version.special_procedures.filter(stops_clock=True)
                      .values_list("kind", flat=True))
        if kind not in allowed:
            raise RuleViolation(_("该事项未规定“%(kind)s”特别程序。")
                                % {"kind": SpecialKind(kind).label}, code="procedure_not_allowed")
        reason = _required_text(reason, _("请写明启动特别程序的理由。"), "reason_required")
        if not isinstance(expected_days, int) or not 1 <= expected_days <= 365:
            raise RuleViolation(_("预计时长应为1至365个工作日。"), code="invalid_days")
        run = SpecialProcedureRun(case=case, kind=kind, reason=reason,
                                  expected_days=expected_days, started_on=today,
                                  started_by=actor)
        hearing_details = None
        if kind == SpecialKind.HEARING:
            hearing_details = _check_hearing(case, run, hearing or {}, today)
        run.save()
        state_from = case.state
        case.state = CaseState.SPECIAL
        _record(case, actor=actor, op=Operation.SPECIAL_START, now=now, today=today,
                state_from=state_from, reason=reason,
                data={"kind": kind, "run": run.pk, "expected_days": expected_days})
        documents.issue_document(
            actor=actor, case=case, kind=DocumentKind.SPECIAL_NOTICE, on=today,
            details={"kind": kind, "kind_label": str(SpecialKind(kind).label), "reason": reason,
                     "expected_days": expected_days, "started_on": today.isoformat(),
                     "hearing": hearing_details})
        if hearing_details is not None:
            issue_hearing_notices(case=case, actor=actor, on=today,
                                  parties=hearing_details["parties"],
                                  details={"stage": "hearing", "reason": reason,
                                           **hearing_details})
        return case


def _date(value: Any, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise RuleViolation(_("请填写%(label)s（日期）。") % {"label": label},
                            code="hearing_incomplete") from exc


def _check_hearing(case: Case, run: SpecialProcedureRun, hearing: dict[str, Any],
                   today: dt.date) -> dict[str, Any]:
    from oneseal.accounts.models import User

    called = bool(hearing.get("called_by_bureau"))
    held = _date(hearing.get("hearing_on"), _("听证日期"))
    place = _required_text(str(hearing.get("place", "")), _("请填写听证地点。"),
                           "hearing_incomplete")
    chair = User.objects.filter(pk=_int(hearing.get("chair_id")), is_active=True).first()
    if chair is None or not chair.is_staff_member:
        raise RuleViolation(_("请指定听证主持人（本局工作人员）。"), code="hearing_incomplete")
    parties = clean_parties(hearing.get("parties"))
    notified: dt.date | None = None
    requested: dt.date | None = None
    if not called:
        notified = _date(hearing.get("rights_notified_on"), _("告知听证权利日期"))
        requested = _date(hearing.get("requested_on"), _("申请听证日期"))
        last = hearing_request_end(notified)
        if requested < notified or requested > last:
            raise RuleViolation(
                _("依照《行政许可法》第四十七条，听证申请应在被告知听证权利之日起五日内提出"
                  "（%(notified)s告知，最迟%(last)s；期限的最后一日是法定休假日的，以休假日结束"
                  "的次日为最后一日，《民法典》第二百零三条）。")
                % {"notified": notified.isoformat(), "last": last.isoformat()},
                code="hearing_request_late")
    if requested is not None and held > _calendar_due(requested, HEARING_HOLD_DAYS):
        raise RuleViolation(
            _("依照《行政许可法》第四十七条，应在收到听证申请之日起二十日内组织听证"
              "（最迟%(last)s）。") % {"last": _calendar_due(requested, HEARING_HOLD_DAYS)
                                    .isoformat()}, code="hearing_too_late")
    earliest = _calendar_due(today, HEARING_NOTICE_DAYS)
    if held < earliest:
        raise RuleViolation(
            _("依照《行政许可法》第四十八条，应于举行听证的七日前通知听证的时间、地点；"
              "今天通知，听证最早可在%(first)s举行。") % {"first": earliest.isoformat()},
            code="hearing_notice_short")
    if chair.pk in case_reviewer_ids(case):
        raise RuleViolation(
            _("依照《行政许可法》第四十八条，听证主持人不能是审查该申请的工作人员。"),
            code="hearing_chair_is_reviewer")
    run.rights_notified_on, run.requested_on, run.hearing_on = notified, requested, held
    run.place, run.chair, run.called_by_bureau = place, chair, called
    return {"rights_notified_on": notified.isoformat() if notified else "",
            "requested_on": requested.isoformat() if requested else "",
            "hearing_on": held.isoformat(), "place": place, "chair_name": _actor_name(chair),
            "called_by_bureau": called, "parties": parties}


def case_special_end(*, actor: Any, case: Case | int, result: str, minutes: str = "",
                     minutes_file_id: int | None = None, at: dt.datetime | None = None) -> Case:
    """End the running special procedure (第45条): the clock runs again from the next day.
    A hearing needs its written record (听证笔录, 第48条) as text or an uploaded file."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.SPECIAL_END, at)
        run = case.special_procedures.filter(ended_on__isnull=True).order_by("-id").first()
        if run is None:
            raise RuleViolation(_("没有正在进行的特别程序。"), code="no_procedure")
        result = _required_text(result, _("请填写特别程序的结果。"), "result_required")
        minutes = (minutes or "").strip()
        minutes_file = None
        if minutes_file_id is not None:
            minutes_file = case.files.filter(pk=minutes_file_id).first()
            if minutes_file is None:
                raise RuleViolation(_("听证笔录文件不属于该办件。"), code="minutes_not_found")
        if run.kind == SpecialKind.HEARING:
            if run.hearing_on and today < run.hearing_on:
                raise RuleViolation(_("听证定于%(day)s举行，尚未举行，不能结束。")
                                    % {"day": run.hearing_on.isoformat()},
                                    code="hearing_not_held")
            if not minutes and minutes_file is None:
                raise RuleViolation(_("依照《行政许可法》第四十八条，听证应当制作笔录，"
                                      "请填写或上传听证笔录。"), code="minutes_required")
        if today < run.started_on:
            raise RuleViolation(_("结束日期不能早于开始日期。"), code="invalid_date")
        run.ended_on, run.ended_by, run.result = today, actor, result
        run.minutes, run.minutes_file = minutes, minutes_file
        run.save()
        state_from = case.state
        case.state = CaseState.REVIEWING
        _record(case, actor=actor, op=Operation.SPECIAL_END, now=now, today=today,
                state_from=state_from, reason=result, data={"kind": run.kind, "run": run.pk})
        return case


def _cap(case: Case) -> int:
    """The most an extension may add: 第42条's 10 working days (15 for joint handling), or
    the item's own cap where the law that sets its limit sets one (0: no extension; see
    `core/workcalendar/domain/item_limits.py`)."""
    handling = Handling.JOINT if case.joint else Handling.ORDINARY
    if case.joint or case.version.extension_limit_days is None:
        return EXTENSION_CAP[handling]
    return int(case.version.extension_limit_days)


def ensure_limit_not_passed(case: Case, on: dt.date) -> None:
    """行政许可法 第42条: an extension extends a limit that is still running; once the
    statutory limit has passed (the day after its due date), it can no longer be extended."""
    computed = _case_clocks(case, on)
    clock = computed.statutory if computed is not None else None
    if clock is not None and on > clock.due:
        raise RuleViolation(
            _("依照《行政许可法》第四十二条，延长的是尚未届满的办理期限；本件法定办结期限已于"
              "%(due)s届满，不能再延长。") % {"due": clock.due.isoformat()},
            code="extension_after_limit")


def extension_notice_details(case: Case, request: ExtensionRequest,
                             today: dt.date) -> dict[str, Any]:
    """What the 延期告知书 says of the new limit (第42条), computed now from the case's events
    with the extension just recorded: never read from the stored due date, which a clock
    that could not be recomputed would leave at the old date. A provisional date (a year
    without an official holiday schedule, law.md §1) is not printed: the notice gives the
    limit in working days and names the years whose official schedule decides it."""
    computed = _case_clocks(case, today)
    clock = computed.statutory if computed is not None else None
    years = list(clock.deadline.provisional_years) if clock is not None else []
    return {"days": request.days, "reason": request.reason,
            "new_due": clock.due.isoformat() if clock is not None and not years else "",
            "total_days": clock.deadline.total_days if clock is not None else None,
            "provisional_years": years}


def case_extension_request(*, actor: Any, case: Case | int, days: int, reason: str,
                           at: dt.datetime | None = None) -> Case:
    """申请延长办理期限 (行政许可法 第42条): with a reason, for at most 10 working days (15
    for joint handling); only once per case."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.EXTENSION_REQUEST, at)
        reason = _required_text(reason, _("请写明延期理由。"), "reason_required")
        if case.extensions.exclude(status=ExtensionStatus.REJECTED).exists():
            raise RuleViolation(_("依照《行政许可法》第四十二条，办理期限只能延长一次，"
                                  "本件已申请或已批准延期。"), code="extension_once")
        cap = _cap(case)
        if cap == 0:  # the item's own law sets its limit and no extension (e.g. 建筑法第8条)
            raise RuleViolation(_("本事项的办理期限依照%(basis)s确定，法律、法规未规定可以延长"
                                  "（《行政许可法》第四十二条），不能延长。")
                                % {"basis": case.version.statutory_limit_basis
                                   or case.version.extension_limit_basis},
                                code="extension_not_allowed")
        if case.version.extension_limit_days is not None and not case.joint and (
                not isinstance(days, int) or not 1 <= days <= cap):
            raise RuleViolation(_("依照%(basis)s，本事项的办理期限最多延长%(cap)d%(unit)s。")
                                % {"basis": case.version.extension_limit_basis, "cap": cap,
                                   "unit": _("个工作日")
                                   if case.version.statutory_limit_unit == "working_days"
                                   else _("日")}, code="extension_over_cap")
        if not isinstance(days, int) or not 1 <= days <= cap:
            raise RuleViolation(_("依照《行政许可法》第四十二条，延长期限为1至%(cap)d个工作日。")
                                % {"cap": cap}, code="extension_over_cap")
        ensure_limit_not_passed(case, today)
        ExtensionRequest.objects.create(case=case, days=days, reason=reason,
                                        requested_by=actor, requested_on=today)
        _record(case, actor=actor, op=Operation.EXTENSION_REQUEST, now=now, today=today,
                state_from=case.state, reason=reason, data={"days": days}, recompute=False)
        return case


def case_extension_approve(*, actor: Any, case: Case | int, approve: bool = True,
                           note: str = "", at: dt.datetime | None = None) -> Case:
    """The bureau head approves (or not) the pending extension (第42条: 经本行政机关负责人批准);
    the applicant is told by the 延期告知书 with the new due date. Not once the limit has
    passed; not for joint handling, whose extension the people's government approves
    (第42条第二款, `case_extension_government`)."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.EXTENSION_APPROVE, at)
        request = case.extensions.filter(status=ExtensionStatus.PENDING).first()
        if request is None:
            raise RuleViolation(_("没有待审批的延期申请。"), code="no_pending_extension")
        if case.joint:
            raise RuleViolation(
                _("本件为统一办理、联合办理或集中办理，依照《行政许可法》第四十二条第二款，延长"
                  "期限须经本级人民政府负责人批准，请登记人民政府的批准。"),
                code="joint_extension_needs_government")
        if approve:
            ensure_limit_not_passed(case, today)
        request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        request.decided_by, request.decided_on = actor, today
        request.decision_note = (note or "").strip()
        request.save()
        _record(case, actor=actor, op=Operation.EXTENSION_APPROVE, now=now, today=today,
                state_from=case.state, reason=request.reason,
                data={"days": request.days, "approved": bool(approve),
                      "approver": _actor_name(actor), "request": request.pk})
        if approve:
            documents.issue_document(actor=actor, case=case, kind=DocumentKind.EXTENSION_NOTICE,
                                     on=today,
                                     details=extension_notice_details(case, request, today))
        return case
