"""联合审批 (work plan measure 八): invited departments owe written opinions within their own
clock (working days, 行政许可法 第82条); the decision waits for all or for the required ones
as the item says; special joint review (national security, ecology, work safety) refuses the
decision until the listed departments have signed off. Joint meetings (联席会议)."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import Case
from oneseal.coordination import review
from oneseal.coordination.common import Forbidden, NotFound, Refused
from oneseal.coordination.models import ReviewInvitation
from tests.cases.conftest import at
from tests.cases.helpers import accepted, bureau_to_final

D = dt.date.fromisoformat


@pytest.fixture
def at_final(cast, catalogue, person):
    """A bureau case whose head holds the final step (2026-09-04)."""
    case = accepted(cast, catalogue.bureau_item, person)
    return bureau_to_final(cast, case)


def _decide(cast, case, day="2026-09-30"):
    return svc.case_decide(actor=cast["head"], case=case.pk, outcome="granted", at=at(day))


def test_opinion_due_counts_working_days_over_national_day_art_82(cast, at_final, org):
    inv = review.invite(actor=cast["chief"], case_id=at_final.pk,
                        department_id=org["dept-housing"].pk, question="是否符合规划？",
                        days=5, at=at("2026-09-29"))
    # 09-30, then 10-01..07 国庆 not counted, 10-08, 10-09, 10-10 (Saturday 调休), 10-12
    assert inv.due_on == D("2026-10-12")


def test_decision_waits_for_all_invited_by_default(cast, at_final, org):
    a = review.invite(actor=cast["chief"], case_id=at_final.pk,
                      department_id=org["dept-housing"].pk, question="规划意见", required=False,
                      at=at("2026-09-07"))
    with pytest.raises(RuleViolation) as err:
        _decide(cast, at_final)
    assert err.value.code == "joint_review_pending"
    assert "住房" in err.value.message or org["dept-housing"].name in err.value.message
    assert Case.objects.get(pk=at_final.pk).state == "reviewing"
    review.give_opinion(actor=_officer(org, "dept-housing"), invitation_id=a.pk,
                        opinion="agree", text="同意。", at=at("2026-09-08"))
    assert _decide(cast, at_final).state == "decided"


def test_decision_waits_only_for_required_when_item_says_so(cast, catalogue, at_final, org):
    review.set_item_policy(actor=cast["catalog_admin"], item=catalogue.bureau_item,
                           wait="required")
    review.invite(actor=cast["chief"], case_id=at_final.pk,
                  department_id=org["dept-housing"].pk, question="参考意见", required=False,
                  at=at("2026-09-07"))
    assert review.blockers(Case.objects.get(pk=at_final.pk)) == []
    assert _decide(cast, at_final).state == "decided"


def _officer(org, code):
    from oneseal.accounts.models import User
    from tests.factories import UserFactory
    found = User.objects.filter(username=f"officer-{code}").first()
    return found or UserFactory(username=f"officer-{code}", unit=org[code],
                                roles=["dept_officer"])


def test_special_review_refuses_decision_until_sign_off_measure_8(cast, catalogue, at_final,
                                                                    org):
    review.set_item_policy(actor=cast["catalog_admin"], item=catalogue.bureau_item,
                           wait="required", special_area="ecology",
                           sign_off=[org["dept-env"], org["dept-housing"]])
    with pytest.raises(RuleViolation) as err:  # nobody invited yet: still refused
        _decide(cast, at_final)
    assert "生态环境" in err.value.message
    rows = review.invite_sign_offs(actor=cast["chief"], case_id=at_final.pk,
                                   question="专项联合审查", at=at("2026-09-07"))
    assert {r.department_id for r in rows} == {org["dept-env"].pk, org["dept-housing"].pk}
    assert all(r.required and r.sign_off for r in rows)
    env = next(r for r in rows if r.department_id == org["dept-env"].pk)
    housing = next(r for r in rows if r.department_id == org["dept-housing"].pk)
    review.give_opinion(actor=cast["dept"], invitation_id=env.pk, opinion="conditional",
                        text="落实在线监测后同意。", at=at("2026-09-08"))
    review.give_opinion(actor=_officer(org, "dept-housing"), invitation_id=housing.pk,
                        opinion="disagree", text="不符合规划。", at=at("2026-09-08"))
    with pytest.raises(RuleViolation) as err:  # a refusal is no sign-off
        _decide(cast, at_final)
    assert org["dept-housing"].name in err.value.message
    assert org["dept-env"].name not in err.value.message.split("：")[-1]


def test_special_review_signed_off_allows_decision_measure_8(cast, catalogue, at_final, org):
    review.set_item_policy(actor=cast["catalog_admin"], item=catalogue.bureau_item,
                           special_area="work_safety", sign_off=[org["dept-env"]])
    (row,) = review.invite_sign_offs(actor=cast["chief"], case_id=at_final.pk,
                                     question="安全生产会签", at=at("2026-09-07"))
    review.give_opinion(actor=cast["dept"], invitation_id=row.pk, opinion="agree",
                        text="同意。", at=at("2026-09-08"))
    assert _decide(cast, at_final).state == "decided"


def test_invite_and_opinion_permissions(cast, at_final, org):
    for name in ("reviewer", "clerk", "dept", "supervisor", "applicant", "outsider",
                 "helper", "sysadmin"):
        with pytest.raises(Forbidden):
            review.invite(actor=cast[name], case_id=at_final.pk,
                          department_id=org["dept-env"].pk, question="x")
    inv = review.invite(actor=cast["chief"], case_id=at_final.pk,
                        department_id=org["dept-env"].pk, question="环保意见")
    with pytest.raises(Refused):
        review.invite(actor=cast["head"], case_id=at_final.pk,
                      department_id=org["dept-env"].pk, question="again")
    for name in ("chief", "head", "supervisor"):
        with pytest.raises(Forbidden):
            review.give_opinion(actor=cast[name], invitation_id=inv.pk, opinion="agree",
                                text="同意")
    for name in ("reviewer", "clerk", "applicant", "outsider"):
        with pytest.raises(NotFound):
            review.give_opinion(actor=cast[name], invitation_id=inv.pk, opinion="agree",
                                text="同意")
    with pytest.raises(NotFound):  # another department
        review.give_opinion(actor=_officer(org, "dept-housing"), invitation_id=inv.pk,
                            opinion="agree", text="同意")
    with pytest.raises(Refused):
        review.give_opinion(actor=cast["dept"], invitation_id=inv.pk, opinion="agree", text="")
    review.give_opinion(actor=cast["dept"], invitation_id=inv.pk, opinion="agree", text="同意")
    with pytest.raises(Refused):
        review.give_opinion(actor=cast["dept"], invitation_id=inv.pk, opinion="disagree",
                            text="改主意")
    assert ReviewInvitation.objects.get(pk=inv.pk).opinion == "agree"


def test_board_lights_who_owes_what(cast, at_final, org):
    inv = review.invite(actor=cast["chief"], case_id=at_final.pk,
                        department_id=org["dept-env"].pk, question="环保意见", days=2,
                        at=at("2026-09-07"))  # due 09-09
    case = Case.objects.get(pk=at_final.pk)
    (row,) = review.case_review_board(case, D("2026-09-07"))
    assert row["light"] == "green"
    assert review.case_review_board(case, D("2026-09-10"))[0]["light"] == "red"
    review.give_opinion(actor=cast["dept"], invitation_id=inv.pk, opinion="agree", text="同意",
                        at=at("2026-09-09"))
    assert review.case_review_board(case, D("2026-09-30"))[0]["light"] == "green"


def test_joint_meeting_minutes_and_case_decisions(cast, at_final, org):
    with pytest.raises(Forbidden):
        review.create_meeting(actor=cast["dept"], title="t", held_on=D("2026-09-08"),
                              place="p", agenda="a", department_ids=[org["dept-env"].pk],
                              participants="x", case_ids=[at_final.pk])
    meeting = review.create_meeting(
        actor=cast["chief"], title="排污许可联席会议", held_on=D("2026-09-08"),
        place="审批局三楼会议室", agenda="研究排污许可申请", participants="环保局、审批局",
        department_ids=[org["dept-env"].pk], case_ids=[at_final.pk])
    assert list(review.meetings_for(cast["dept"])) == [meeting]
    assert list(review.meetings_for(cast["applicant"])) == []
    with pytest.raises(Refused):
        review.record_minutes(actor=cast["chief"], meeting_id=meeting.pk, minutes="纪要",
                              decisions={})
    review.record_minutes(actor=cast["chief"], meeting_id=meeting.pk, minutes="会议同意。",
                          decisions={at_final.pk: "同意准予许可，附加在线监测条件。"})
    assert meeting.cases.get().decision.startswith("同意")
    with pytest.raises(Refused):
        review.record_minutes(actor=cast["chief"], meeting_id=meeting.pk, minutes="改",
                              decisions={at_final.pk: "改"})
