"""联合审批 and special joint review (work plan measure 八).

- The bureau (a section chief or the head) invites departments into a case's review; each
  owes a written opinion within its own clock (working days, 行政许可法 第82条).
- The case page shows who owes what; the decision waits for every invited department or
  only for the required ones, as the item says (`ItemCoordination.wait`).
- Special joint review (national security, ecology, work safety): every department the item
  lists must sign off (同意 / 有条件同意) before the decision; the cases decision service asks
  through the `case_deciding` signal and is refused (`RuleViolation`) until they have.
- Joint meetings (联席会议): agenda, participants, minutes, decisions tied to cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import Case
from oneseal.core.audit import append_event
from oneseal.org.models import Unit, UnitKind

from .common import (
    BUREAU_READERS,
    Forbidden,
    NotFound,
    Refused,
    actor_name,
    calendar,
    department_id_of,
    is_bureau,
    is_provisional,
    moment,
)
from .domain.clocks import clock_light, opinion_due
from .domain.review import InvitationView, missing_opinions, missing_sign_offs
from .models_review import (
    ItemCoordination,
    JointMeeting,
    MeetingCase,
    OpinionKind,
    ReviewInvitation,
    SpecialArea,
    WaitPolicy,
)

OPEN_STATES = frozenset({"received", "accepted", "reviewing", "special", "correcting"})


def policy_of(item_id: int) -> ItemCoordination | None:
    return ItemCoordination.objects.filter(item_id=item_id).first()


def set_item_policy(*, actor: Any, item: Any, wait: str = WaitPolicy.ALL, opinion_days: int = 5,
                    special_area: str = "", sign_off: list[Unit] | None = None,
                    upper_authority: str = "") -> ItemCoordination:
    """The item's coordination settings: the catalogue administrator or the bureau head."""
    if not (getattr(actor, "is_authenticated", False)
            and (actor.has_role("catalog_admin") or is_bureau(actor, ("head",)))):
        raise Forbidden(_("只有事项目录管理员或局长可以设置事项的协同要求。"))
    if wait not in WaitPolicy.values or (special_area and special_area not in SpecialArea.values):
        raise Refused(_("设置不正确。"), code="invalid_policy")
    if not 1 <= int(opinion_days) <= 30:
        raise Refused(_("部门出具意见时限应为1至30个工作日。"), code="invalid_days")
    if special_area and not sign_off:
        raise Refused(_("专项联合审查须指定必须会签的部门。"), code="sign_off_required")
    with transaction.atomic():
        policy, _created = ItemCoordination.objects.update_or_create(
            item=item, defaults={"wait": wait, "opinion_days": int(opinion_days),
                                 "special_area": special_area,
                                 "upper_authority": upper_authority.strip()})
        policy.sign_off_departments.set(sign_off or [])
        append_event(actor=actor, kind="coordination.item_policy", subject=f"item:{item.pk}",
                     payload={"wait": wait, "opinion_days": int(opinion_days),
                              "special_area": special_area,
                              "sign_off": sorted(u.pk for u in sign_off or []),
                              "upper_authority": upper_authority.strip()})
        return policy


def _case_for_bureau(actor: Any, case_id: int) -> Case:
    if not is_bureau(actor):
        raise Forbidden(_("只有审批局的科长或局长可以邀请部门参与联合审查。"))
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("办件不存在。"))
    return case


def invite(*, actor: Any, case_id: int, department_id: int, question: str,
           required: bool = True, days: int | None = None,
           at: dt.datetime | None = None) -> ReviewInvitation:
    """邀请部门参与联合审查: the department's written opinion is due `days` working days
    after today (the item's default). A department the item lists for special joint review
    is a required sign-off."""
    with transaction.atomic():
        case = _case_for_bureau(actor, case_id)
        if case.state not in OPEN_STATES:
            raise Refused(_("办件已作出决定或已终结，不能再邀请部门。"), code="case_closed")
        dept = Unit.objects.filter(pk=department_id, kind=UnitKind.DEPARTMENT).first()
        if dept is None:
            raise Refused(_("请选择行政主管部门。"), code="invalid_department")
        question = (question or "").strip()
        if not question:
            raise Refused(_("请写明征求意见的事项。"), code="question_required")
        if case.review_invitations.filter(department=dept).exists():
            raise Refused(_("已邀请%(dept)s。") % {"dept": dept.name}, code="already_invited",
                          status=409)
        policy = policy_of(case.item_id)
        n = days if days is not None else (policy.opinion_days if policy else 5)
        if not isinstance(n, int) or not 1 <= n <= 30:
            raise Refused(_("意见时限应为1至30个工作日。"), code="invalid_days")
        sign_off = bool(policy and policy.special_area
                        and policy.sign_off_departments.filter(pk=dept.pk).exists())
        _now, today = moment(at)
        due = opinion_due(calendar(), today, n)
        row = ReviewInvitation.objects.create(
            case=case, department=dept, required=bool(required) or sign_off, sign_off=sign_off,
            question=question, invited_by=actor, invited_on=today, due_on=due,
            due_provisional=is_provisional(due))
        append_event(actor=actor, kind="coordination.invite", subject=f"case:{case.pk}",
                     payload={"department": dept.pk, "due": due.isoformat(),
                              "required": row.required, "sign_off": sign_off})
        return row


def invite_sign_offs(*, actor: Any, case_id: int, question: str,
                     at: dt.datetime | None = None) -> list[ReviewInvitation]:
    """Invite every department the item lists for special joint review not yet invited."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("办件不存在。"))
    policy = policy_of(case.item_id)
    if policy is None or not policy.special_area:
        raise Refused(_("该事项不需要专项联合审查。"), code="no_special_review")
    invited = set(case.review_invitations.values_list("department_id", flat=True))
    return [invite(actor=actor, case_id=case_id, department_id=d.pk, question=question, at=at)
            for d in policy.sign_off_departments.order_by("id") if d.pk not in invited]


def give_opinion(*, actor: Any, invitation_id: int, opinion: str, text: str,
                 at: dt.datetime | None = None) -> ReviewInvitation:
    """The invited department's written opinion (书面意见); once given it stands."""
    with transaction.atomic():
        row = ReviewInvitation.objects.select_for_update().filter(pk=invitation_id).first()
        dept = department_id_of(actor)
        if row is None or (dept != row.department_id
                           and not is_bureau(actor, BUREAU_READERS)):
            raise NotFound(_("联合审查邀请不存在。"))
        if dept != row.department_id:
            raise Forbidden(_("只有受邀部门的人员可以出具意见。"))
        if row.answered_on is not None:
            raise Refused(_("本部门已出具意见。"), code="already_answered", status=409)
        if opinion not in OpinionKind.values:
            raise Refused(_("请选择同意、有条件同意或不同意。"), code="invalid_opinion")
        text = (text or "").strip()
        if not text:
            raise Refused(_("请填写书面意见。"), code="text_required")
        now, today = moment(at)
        row.opinion, row.opinion_text = opinion, text
        row.answered_by, row.answered_on, row.answered_at = actor, today, now
        row.save()
        append_event(actor=actor, kind="coordination.opinion", subject=f"case:{row.case_id}",
                     payload={"invitation": row.pk, "department": row.department_id,
                              "opinion": opinion, "late": today > row.due_on})
        return row


# --- reads and the decision check ------------------------------------------------------

def may_read_case_review(user: Any, case: Case) -> bool:
    dept = department_id_of(user)
    if dept is not None:
        return case.review_invitations.filter(department_id=dept).exists() \
            or case.department_id == dept
    return is_bureau(user, BUREAU_READERS) or user.has_role("reviewer")


def invitations_for_department(user: Any) -> Any:
    dept = department_id_of(user)
    if dept is None:
        return ReviewInvitation.objects.none()
    return (ReviewInvitation.objects.filter(department_id=dept)
            .select_related("case", "department").order_by("answered_on", "due_on", "id"))


def _views(case: Case) -> list[InvitationView]:
    return [InvitationView(i.department_id, i.department.name, i.required,
                           i.answered_on is not None, i.opinion)
            for i in case.review_invitations.select_related("department")]


def blockers(case: Case) -> list[str]:
    """Why the case may not be decided yet (empty: it may)."""
    policy = policy_of(case.item_id)
    views = _views(case)
    reasons: list[str] = []
    wait = policy.wait if policy else WaitPolicy.ALL
    missing = missing_opinions(views, wait)
    if missing:
        reasons.append(_("联合审查尚待以下部门出具书面意见：%(depts)s。")
                       % {"depts": "、".join(missing)})
    if policy is not None and policy.special_area:
        sign_off = {d.pk: d.name for d in policy.sign_off_departments.all()}
        unsigned = missing_sign_offs(views, sign_off)
        if unsigned:
            reasons.append(
                _("本事项涉及%(area)s，须经专项联合审查，以下部门尚未会签同意：%(depts)s，"
                  "不能作出许可决定。")
                % {"area": SpecialArea(policy.special_area).label, "depts": "、".join(unsigned)})
    return reasons


def check_decision(*, case: Case, **_kwargs: Any) -> None:
    """The `case_deciding` receiver: refuse the decision while blockers remain."""
    reasons = blockers(case)
    if reasons:
        raise RuleViolation(" ".join(reasons), code="joint_review_pending")


def invitation_light(invitation: ReviewInvitation, today: dt.date) -> str:
    return clock_light(calendar(), invitation.due_on, today, invitation.answered_on)


def case_review_board(case: Case, today: dt.date) -> list[dict[str, Any]]:
    """Who owes what on the case: one row per invited department with its clock."""
    cal = calendar()
    return [{"invitation": i, "light": clock_light(cal, i.due_on, today, i.answered_on)}
            for i in case.review_invitations.select_related("department", "answered_by")]


# --- joint meetings ----------------------------------------------------------------------

def create_meeting(*, actor: Any, title: str, held_on: dt.date, place: str, agenda: str,
                   department_ids: list[int], participants: str,
                   case_ids: list[int]) -> JointMeeting:
    if not is_bureau(actor):
        raise Forbidden(_("只有审批局的科长或局长可以召集联席会议。"))
    fields = {"title": title, "place": place, "agenda": agenda, "participants": participants}
    if any(not (v or "").strip() for v in fields.values()):
        raise Refused(_("请填写会议名称、地点、议程和参会人员。"), code="incomplete")
    depts = list(Unit.objects.filter(pk__in=department_ids, kind=UnitKind.DEPARTMENT))
    if not depts:
        raise Refused(_("请选择参会部门。"), code="departments_required")
    cases = list(Case.objects.filter(pk__in=case_ids))
    if not cases:
        raise Refused(_("请选择会议研究的办件。"), code="cases_required")
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            title=title.strip(), held_on=held_on, place=place.strip(), agenda=agenda.strip(),
            participants=participants.strip(), created_by=actor)
        meeting.departments.set(depts)
        MeetingCase.objects.bulk_create([MeetingCase(meeting=meeting, case=c) for c in cases])
        append_event(actor=actor, kind="coordination.meeting", subject=f"meeting:{meeting.pk}",
                     payload={"title": meeting.title, "held_on": held_on.isoformat(),
                              "cases": sorted(c.pk for c in cases),
                              "departments": sorted(d.pk for d in depts)})
        return meeting


def record_minutes(*, actor: Any, meeting_id: int, minutes: str,
                   decisions: dict[int, str]) -> JointMeeting:
    """会议纪要 and the decision on each case discussed; confirmed once, then fixed."""
    if not is_bureau(actor):
        raise Forbidden(_("只有审批局的科长或局长可以确认会议纪要。"))
    with transaction.atomic():
        meeting = JointMeeting.objects.select_for_update().filter(pk=meeting_id).first()
        if meeting is None:
            raise NotFound(_("联席会议不存在。"))
        if meeting.closed_at is not None:
            raise Refused(_("会议纪要已确认，不能修改。"), code="minutes_closed", status=409)
        minutes = (minutes or "").strip()
        if not minutes:
            raise Refused(_("请填写会议纪要。"), code="minutes_required")
        now, today = moment(None)
        if meeting.held_on > today:
            raise Refused(_("会议尚未召开，不能确认纪要。"), code="not_held")
        for row in meeting.cases.all():
            text = (decisions.get(row.case_id) or "").strip()
            if not text:
                raise Refused(_("请填写对办件%(number)s的会议决定。")
                              % {"number": row.case.number}, code="decision_required")
            row.decision = text
            row.save(update_fields=["decision"])
        meeting.minutes, meeting.closed_at = minutes, now
        meeting.save(update_fields=["minutes", "closed_at"])
        append_event(actor=actor, kind="coordination.minutes", subject=f"meeting:{meeting.pk}",
                     payload={"by": actor_name(actor)})
        return meeting


def get_meeting(user: Any, meeting_id: int) -> JointMeeting:
    meeting = meetings_for(user).filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("联席会议不存在。"))
    return meeting


def meetings_for(user: Any) -> Any:
    rows = JointMeeting.objects.prefetch_related("departments", "cases__case")
    dept = department_id_of(user)
    if dept is not None:
        return rows.filter(departments__id=dept).distinct()
    if is_bureau(user, BUREAU_READERS) or user.has_role("reviewer"):
        return rows
    return rows.none()
