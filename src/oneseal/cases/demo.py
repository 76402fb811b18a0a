"""Demo loader `cases` (演示办件): about fifty cases in every state, driven through the case
services with `at=` moments in the past, so that their events, documents, audit-chain rows
and clocks are exactly what real handling would have produced.

The demo lives on the day it is loaded. The scenarios are written as days of late 2026
around a design day (`DESIGN_DAY`, Friday 2026-11-27); each is moved to the day that lies
the same number of working days before (or after) the load day — `demo_today()`, the last
working day up to today — so that, whenever the demo starts, some running cases are green,
some yellow (due within a working day) and some red (overdue), exactly as designed. A case
bound to a 60-working-day item reaches far ahead: when that is a year whose holiday
schedule is not published yet, its dates are provisional (暂定, law.md §1).

Idempotent: each case is submitted with an idempotency key (`demo-case-NN`); a case whose
key is already used is left as it is. See `oneseal.core.demo` for how loaders run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from stdnum.cn import ric

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role
from oneseal.applicants.models import Organisation, Person
from oneseal.applicants.services import register_person
from oneseal.catalog.models import Item
from oneseal.catalog.selectors import legal_body, may_exercise, versions_in_force
from oneseal.core import demo
from oneseal.core.workcalendar.selectors import get_work_calendar
from oneseal.org.selectors import bureau as find_bureau

from . import services
from .domain.states import CaseState
from .errors import state_label
from .models import Case, CheckStatus, IdempotencyRecord, OnSpotAuthorisation, StepState
from .permissions import open_step

DESIGN_DAY = dt.date(2026, 11, 27)  # the day the scenarios below were written for
# How the story's decisions get the bureau's seal: the signing pipeline of the licence
# library, a layer above cases, plugs `authorise_case` and `sign_pending` in here when its
# demo module is imported (`oneseal.licences.demo`, before any loader runs); without it the
# decided cases stay unsigned.
SEALING: dict[str, Callable[..., Any]] = {}
KEY_PREFIX = "demo-case-"
KUNMING = ZoneInfo("Asia/Shanghai")

# Walk-in applicants (窗口申请人) besides the citizen and the company of the `applicants`
# loader (persons only: the company stays the demo's one organisation). As there, the ID
# numbers use sequence codes 998/999 (reserved for people over a hundred) with births in the
# 1970s-1990s, so they cannot belong to a real person.
PERSONS = [
    ("李建明", "530112197507129990", "13800000011"),
    ("王芳", "530102198311059980", "13800000012"),
    ("张伟", "530103199002219990", "13800000013"),
    ("陈静", "530111198708309980", "13800000014"),
]


_SHIFT: dict[tuple[dt.date, dt.date], dt.date] = {}


def demo_today() -> dt.date:
    """The day the demo stands on: today if it is a working day, else the last one before."""
    calendar = get_work_calendar()
    day = timezone.localdate()
    while not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def shifted(design: dt.date, anchor: dt.date | None = None) -> dt.date:
    """The day as many working days before (after) `anchor` as `design` is before (after)
    `DESIGN_DAY` on the 2026 calendar (行政许可法 第82条: limits count working days, so the
    lights come out as designed)."""
    anchor = anchor or demo_today()
    key = (design, anchor)
    if key not in _SHIFT:
        calendar = get_work_calendar()
        if design <= DESIGN_DAY:
            k = calendar.count_working_days(design, DESIGN_DAY)
            day = anchor
            while k > 0:
                day -= dt.timedelta(days=1)
                if calendar.is_workday(day):
                    k -= 1
        else:
            k = calendar.count_working_days(DESIGN_DAY, design)
            day = calendar.add_working_days(anchor, k)
        _SHIFT[key] = day
    return _SHIFT[key]


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment in Kunming on the load-day equivalent of the design day `day` ("MM-DD" of
    2026, or "YYYY-MM-DD")."""
    text = day if len(day) > 5 else f"2026-{day}"
    moved = shifted(dt.date.fromisoformat(text))
    return dt.datetime.combine(moved, dt.time(hour, minute), tzinfo=KUNMING)


def _id_number(first17: str) -> str:
    return first17[:17] + ric.calc_check_digit(first17[:17] + "0")


@dataclass
class Cast:
    """The demo staff and applicants, looked up by their natural keys."""

    staff: dict[str, User]
    persons: dict[str, Person]
    orgs: dict[str, Organisation]
    agent: Person
    items: dict[str, Item]
    on_spot_item: Item | None
    on_spot_clerk: User | None = None  # a window clerk whose body may decide that item

    def user(self, name: str) -> User:
        return self.staff[name]


def _applicants() -> dict[str, Person]:
    persons: dict[str, Person] = {}
    for name, number, phone in PERSONS:
        id_number = _id_number(number)
        person = Person.objects.filter(id_number=id_number).first()
        if person is None:
            person = register_person(actor=None, name=name, id_number=id_number, phone=phone)
        persons[name] = person
    return persons


def _cast() -> Cast:
    staff = {u.username: u for u in User.objects.filter(username__in=[
        "clerk", "reviewer", "chief", "head", "dept", "supervisor", "helper", "applicant",
        "company"])}
    missing = {"clerk", "reviewer", "chief", "head", "applicant", "company"} - set(staff)
    if missing:
        raise RuntimeError(f"演示办件需要先载入演示人员 / load org and applicants first: {missing}")
    persons = _applicants()
    orgs: dict[str, Organisation] = {}
    citizen = Person.objects.get(user=staff["applicant"])
    persons[citizen.name] = citizen
    agent = Person.objects.get(user=staff["company"])
    for org in Organisation.objects.filter(authorisations__agent=agent):
        orgs[org.name] = org
    items = {v.name: v.item for v in versions_in_force().select_related("item")}
    bureau = find_bureau()
    on_spot, on_spot_clerk = None, None
    for version in versions_in_force().filter(promised_limit_days=0).select_related("item"):
        # the bureau's clerk, or a department's clerk stationed at the hall (进驻窗口)
        candidates = [staff["clerk"], *User.objects.filter(
            unit=version.item.implementing_unit, role_grants__role=Role.CLERK)]
        for clerk in candidates:
            body = legal_body(clerk.unit) if clerk.unit_id else bureau
            if body is not None and may_exercise(body, version.item, demo_today()):
                on_spot, on_spot_clerk = version.item, clerk
                break
        if on_spot is not None:
            break
    return Cast(staff, persons, orgs, agent, items, on_spot, on_spot_clerk)


@dataclass
class Flow:
    """One demo case and the services that move it, each at a given moment."""

    cast: Cast
    case: Case

    def _user(self, name: str) -> User:
        return self.cast.user(name)

    def check(self, day: str, *, defective: int = 0, reason: str = "",
              by: str = "clerk") -> Flow:
        """材料核验: every pending material 合格 (optional ones 不适用), except the first
        `defective` required paper materials, marked 需补正 with `reason`."""
        results = []
        bad = 0
        for m in self.case.materials.order_by("sort", "id"):
            if m.status not in (CheckStatus.PENDING, CheckStatus.DEFECTIVE):
                continue
            if m.required and not m.shareable and bad < defective:
                bad += 1
                results.append({"material": m.pk, "status": "defective",
                                "reason": reason or "材料内容不完整，请补充后重新提交"})
            elif m.required or self.case.agent_id:
                results.append({"material": m.pk, "status": "ok"})
            else:
                results.append({"material": m.pk, "status": "not_needed"})
        if results:
            services.case_check_materials(actor=self._user(by), case=self.case,
                                          results=results, at=at(day, 9, 30))
        return self

    def accept(self, day: str) -> Flow:
        self.check(day)
        self.case = services.case_accept(actor=self._user("clerk"), case=self.case,
                                         at=at(day, 10))
        return self

    def notice(self, day: str) -> Flow:
        self.case = services.case_correction_notice(actor=self._user("clerk"), case=self.case,
                                                    at=at(day, 11))
        return self

    def corrections(self, day: str) -> Flow:
        self.case = services.case_receive_corrections(actor=self._user("clerk"),
                                                      case=self.case, at=at(day, 9))
        return self

    def refuse(self, day: str, reason: str, agency: str = "") -> Flow:
        self.case = services.case_refuse(actor=self._user("clerk"), case=self.case,
                                         reason=reason, competent_agency=agency,
                                         at=at(day, 11))
        return self

    def _handler(self) -> str:
        step = open_step(self.case)
        assert step is not None, self.case
        return {"reviewer": "reviewer", "chief": "chief", "head": "head",
                "dept_officer": "dept"}[step.role]

    def claim(self, day: str, by: str | None = None) -> Flow:
        self.case = services.case_claim(actor=self._user(by or self._handler()),
                                        case=self.case, at=at(day, 9, 15))
        return self

    def complete(self, day: str, opinion: str = "agree", comment: str = "",
                 return_to: int | None = None) -> Flow:
        """Claim the open step (if not claimed yet) and complete it."""
        step = open_step(self.case)
        assert step is not None
        if step.state == StepState.OPEN:
            self.claim(day)
            step = open_step(self.case)
            assert step is not None
        who = step.assignee
        site_staff = None
        if step.site_visit:  # 第34条: two or more staff verify on site
            other = "chief" if who.username != "chief" else "reviewer"
            site_staff = [who.pk, self._user(other).pk]
        self.case = services.case_complete_step(
            actor=who, case=self.case, opinion=opinion,
            comment=comment or (AGREE if opinion == "agree" else ""),
            return_to=return_to, site_staff=site_staff, at=at(day, 15))
        return self

    def review(self, *days: str) -> Flow:
        """Complete one review step per day given."""
        for day in days:
            self.complete(day)
        return self

    def decide(self, day: str, outcome: str = "granted", reasons: str = "") -> Flow:
        step = open_step(self.case)
        assert step is not None and step.is_final, self.case
        if step.state == StepState.OPEN:
            self.claim(day)
            step = open_step(self.case)
            assert step is not None
        reasons = reasons or ("申请人提交的材料齐全，符合法定条件、标准，准予行政许可。"
                              if outcome == "granted" else "")
        self.case = services.case_decide(actor=step.assignee, case=self.case, outcome=outcome,
                                         reasons=reasons, at=at(day, 16))
        return self._sign(day)

    def _sign(self, day: str) -> Flow:
        """Sign what the decider (or a delegate) authorised, as the worker would have done
        that evening; a case whose decider may not use the seal waits in the queue."""
        if "sign_pending" in SEALING:
            SEALING["sign_pending"](self.case, at=at(day, 17))
            self.case = Case.objects.get(pk=self.case.pk)
        return self

    def deliver(self, day: str, method: str) -> Flow:
        if self.case.state == CaseState.DECIDED and SEALING:  # not signed: the head authorises
            SEALING["authorise_case"](actor=self._user("head"), case=self.case, at=at(day, 9))
            SEALING["sign_pending"](self.case, at=at(day, 9))
            self.case = Case.objects.get(pk=self.case.pk)
        name = self.case.applicant_name
        kwargs: dict[str, Any] = {
            "pickup": {"collector_name": self.cast.agent.name if self.case.agent_id else name,
                       "collector_id_number": (self.cast.agent.id_number if self.case.agent_id
                                               else _pickup_id(self.case))},
            "post": {"carrier": "中国邮政EMS", "tracking_number": f"1{self.case.pk:012d}"},
            "electronic": {"address": "云南政务服务网“我的证照”电子证照库"},
        }[method]
        self.case = services.case_deliver(actor=self._user("clerk"), case=self.case,
                                          method=method, at=at(day, 14), **kwargs)
        return self

    def special(self, day: str, kind: str, reason: str, days: int,
                hearing: dict[str, Any] | None = None, by: str = "reviewer") -> Flow:
        self.case = services.case_special_start(actor=self._user(by), case=self.case,
                                                kind=kind, reason=reason, expected_days=days,
                                                hearing=hearing, at=at(day, 11))
        return self

    def special_end(self, day: str, result: str, minutes: str = "",
                    by: str = "reviewer") -> Flow:
        self.case = services.case_special_end(actor=self._user(by), case=self.case,
                                              result=result, minutes=minutes, at=at(day, 17))
        return self

    def extension(self, day: str, days: int, reason: str, approve_on: str | None = None
                  ) -> Flow:
        self.case = services.case_extension_request(actor=self._user("reviewer"),
                                                    case=self.case, days=days, reason=reason,
                                                    at=at(day, 11))
        if approve_on:
            self.case = services.case_extension_approve(
                actor=self._user("head"), case=self.case, approve=True,
                note="同意延长办理期限。", at=at(approve_on, 10))
        return self

    def withdraw(self, day: str, reason: str, by: str = "clerk") -> Flow:
        self.case = services.case_withdraw(actor=self._user(by), case=self.case,
                                           reason=reason, at=at(day, 10))
        return self

    def terminate(self, day: str, reason: str, by: str = "chief") -> Flow:
        self.case = services.case_terminate(actor=self._user(by), case=self.case,
                                            reason=reason, at=at(day, 10))
        return self

    def reopen(self, day: str, reason: str) -> Flow:
        self.case = services.case_reopen(actor=self._user("head"), case=self.case,
                                         reason=reason, at=at(day, 10))
        return self

    def on_spot(self, day: str, outcome: str = "granted", clerk: User | None = None) -> Flow:
        self.check(day)
        self.case = services.case_decide_on_spot(
            actor=clerk or self._user("clerk"), case=self.case, outcome=outcome,
            reasons="材料齐全，符合法定形式，当场准予。", at=at(day, 10, 20))
        return self._sign(day)


def _pickup_id(case: Case) -> str:
    person = case.person or Person.objects.filter(pk=case.agent_id).first()
    if person is not None:
        return person.id_number
    return _id_number("53011219850101999")


# --------------------------------------------------------------------- the cases
# Each scenario: (item name, applicant, agent?, received day, channel, script). Applicants
# are person names or organisation names; the script moves the case after receipt.

Script = Callable[[Flow], Any]
COMPANY = "昆明西山碧鸡数码科技有限公司"
HENGDA = COMPANY  # its legal representative at the window, without the agent
BIJI = "张伟"  # an individual road haulier (个体运输户)
YUEDONG = "陈静"
XINGGUANG = "王芳"
CITIZEN = "杨丽华"
DEFECT = "场所平面图未标注面积和出入口，请按示例重新绘制"
HEARING_REASON = "申请人经营场所与居民住宅相邻，依法告知听证权利，申请人要求听证"
EXPERT_REASON = "水土保持方案需组织专家技术评审"
AGREE = "经审查，申请材料齐全，符合法定条件。"


def _hearing(cast: Cast, notified: str, requested: str, held: str) -> dict[str, Any]:
    return {"rights_notified_on": at(notified).date(), "requested_on": at(requested).date(),
            "hearing_on": at(held).date(), "place": "区政务服务中心三楼听证室",
            "chair_id": cast.user("supervisor").pk}


SCENARIOS: list[tuple[str, str, bool, str, str, Script]] = [
    # --- received, not yet accepted (待受理)
    ("道路货物运输经营许可", COMPANY, True, "11-27", "window", lambda f: None),
    ("占用、挖掘城市道路审批", "李建明", False, "11-26", "window", lambda f: f.check("11-26")),
    ("食品经营许可", "王芳", False, "11-20", "window", lambda f: None),  # 补正告知期限今天
    ("设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批", HENGDA, False, "11-12",
     "window", lambda f: None),  # 补正告知期限已过
    ("商品房预售许可", COMPANY, True, "11-25", "online", lambda f: None),
    # --- correcting (待补正)
    ("农药经营许可", "张伟", False, "11-18", "window",
     lambda f: f.check("11-18", defective=1, reason="仓储场所平面图缺少危险品隔离区标注")
     .notice("11-19")),
    ("兽药经营许可证核发", BIJI, False, "11-10", "window",
     lambda f: f.check("11-10", defective=1, reason="质量管理制度文件未盖公章").notice("11-11")
     .corrections("11-17").check("11-18", defective=1, reason="质量管理制度文件仍未盖公章")
     .notice("11-18")),
    ("公共场所卫生许可", "陈静", False, "11-24", "window",
     lambda f: f.check("11-24", defective=1, reason=DEFECT).notice("11-25")),
    # --- not accepted (不予受理)
    ("林木采伐许可证核发", "李建明", False, "11-05", "window",
     lambda f: f.refuse("11-06", "采伐地块位于国有林场经营范围内，不属于本局受理范围",
                        "昆明市林业和草原局")),
    ("用电报装", "王芳", False, "10-20", "window",
     lambda f: f.refuse("10-21", "申请报装地址已有正常用电户号，应办理增容而非新装")),
    ("城市建筑垃圾处置核准", HENGDA, False, "09-15", "window",
     lambda f: f.refuse("09-15", "申请人未取得建筑垃圾运输车辆相关资质，不符合申请条件")),
    # --- reviewing (审查中): different steps, open and claimed, green / yellow / red
    ("道路货物运输经营许可", BIJI, False, "11-24", "window", lambda f: f.accept("11-24")),
    ("占用、挖掘城市道路审批", HENGDA, False, "11-19", "window",
     lambda f: f.accept("11-20").claim("11-23")),
    ("临时占用城市绿化用地审批", "张伟", False, "11-13", "window",  # 承诺期限今天（黄）
     lambda f: f.accept("11-13").review("11-24")),
    ("城镇污水排入排水管网许可", HENGDA, False, "11-16", "window",  # 承诺期限下个工作日（黄）
     lambda f: f.accept("11-16").review("11-25").claim("11-26")),
    ("设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批", COMPANY, True, "11-02",
     "window", lambda f: f.accept("11-02").review("11-12", "11-13")),  # 已超期（红）
    ("公路超限运输许可", BIJI, False, "11-17", "window",
     lambda f: f.accept("11-17").review("11-19", "11-20").claim("11-23")),  # 已超期（红）
    ("企业投资项目核准", COMPANY, True, "11-18", "window",  # 审核退回审查（第二轮）
     lambda f: f.accept("11-19").review("11-23")
     .complete("11-25", "return", "投资估算与可研报告不一致，请重新核实", return_to=2)),
    ("建设项目环境影响报告书审批", HENGDA, False, "10-19", "window",  # 法定期限跨入2027年
     lambda f: f.accept("10-20").claim("10-21")),
    ("建设项目环境影响报告表审批", COMPANY, True, "11-09", "window",
     lambda f: f.accept("11-09").claim("11-10")),
    ("食品经营许可", CITIZEN, False, "11-23", "window", lambda f: f.accept("11-23")),
    ("医疗机构执业登记", "陈静", False, "11-16", "window", lambda f: f.accept("11-16")),
    ("砍伐城市树木、迁移古树名木审批", "李建明", False, "11-02", "window",  # 已批准延期
     lambda f: f.accept("11-02").claim("11-03")
     .extension("11-20", 10, "需协调园林部门对古树名木进行复核鉴定", approve_on="11-23")),
    ("农药经营许可", BIJI, False, "11-16", "window",  # 延期待局长审批
     lambda f: f.accept("11-16").claim("11-17")
     .extension("11-26", 5, "需核实申请人仓储场所的安全距离")),
    ("经营高危险性体育项目许可", YUEDONG, False, "11-09", "window",  # 撤回后恢复办理
     lambda f: f.accept("11-10").withdraw("11-16", "申请人来电要求撤回申请")
     .reopen("11-18", "申请人书面说明撤回系工作人员误解其意思，要求继续办理")),
    ("固定资产投资项目节能审查", HENGDA, False, "11-02", "window",  # 逾期告知补正，视为受理
     lambda f: f.check("11-02", defective=1, reason="节能报告缺少能源消费总量测算")
     .notice("11-12").corrections("11-16").accept("11-17")),
    ("建筑工程施工许可证核发", HENGDA, False, "11-26", "window", lambda f: f.accept("11-26")),
    # --- special procedures (特别程序中): a hearing, an expert review
    ("娱乐场所经营活动审批", XINGGUANG, False, "11-02", "window",
     lambda f: f.accept("11-03").claim("11-04")
     .special("11-16", "hearing", HEARING_REASON, 12,
              hearing=_hearing(f.cast, "11-10", "11-12", "12-01"))),
    ("生产建设项目水土保持方案审批", HENGDA, False, "11-09", "window",
     lambda f: f.accept("11-10").claim("11-11").special("11-18", "expert_review",
                                                         EXPERT_REASON, 10)),
    # --- decided, waiting for delivery (已决定，待出件)
    ("道路货物运输经营许可", "张伟", False, "11-09", "window",
     lambda f: f.accept("11-09").review("11-18", "11-24").decide("11-25")),
    ("建筑工程施工许可证核发", HENGDA, False, "11-23", "window",
     lambda f: f.accept("11-23").review("11-24").decide("11-26")),
    ("商品房预售许可", HENGDA, False, "11-09", "window",
     lambda f: f.accept("11-09").review("11-16", "11-17").decide(
         "11-20", "refused", "预售项目工程形象进度未达到规定标准（主体结构未封顶）")),
    ("临时占用城市绿化用地审批", COMPANY, True, "10-26", "window",  # 送达期限已过（红）
     lambda f: f.accept("10-26").review("11-04", "11-06").decide("11-09")),
    ("城镇污水排入排水管网许可", BIJI, False, "10-28", "window",  # 送达期限今天（黄）
     lambda f: f.accept("10-28").review("11-06", "11-10").decide("11-13")),
    # --- delivered (已送达): at the window, by post, electronically
    ("企业投资项目核准", COMPANY, True, "10-08", "window",  # 专家评审后决定
     lambda f: f.accept("10-09").claim("10-12").special("10-12", "expert_review",
                                                         "项目申请报告委托专家评估", 8)
     .special_end("10-22", "专家评估意见：项目符合产业政策，建议核准").review("10-26", "10-27")
     .decide("10-28").deliver("10-30", "pickup")),
    ("取水许可", HENGDA, False, "08-31", "window",  # 听证后决定
     lambda f: f.accept("09-01").claim("09-02")
     .special("09-07", "hearing", "取水可能影响下游农业灌溉用水，利害关系人申请听证", 10,
              hearing=_hearing(f.cast, "09-03", "09-04", "09-18"))
     .special_end("09-18", "听证已举行，利害关系人意见已记录并纳入审查",
                  minutes="听证笔录：申请人与利害关系人分别陈述意见，主持人归纳争议焦点……")
     .review("09-21", "09-22").decide("09-23").deliver("09-25", "post")),
    ("建设项目环境影响报告表审批", HENGDA, False, "09-14", "window",
     lambda f: f.accept("09-14").review("09-28", "10-09").decide("10-12")
     .deliver("10-13", "electronic")),
    ("公路超限运输许可", COMPANY, True, "11-02", "online",
     lambda f: f.accept("11-02").review("11-03", "11-04").decide("11-05")
     .deliver("11-05", "electronic")),
    ("占用、挖掘城市道路审批", "李建明", False, "10-12", "window",
     lambda f: f.accept("10-12").review("10-19", "10-20").decide("10-21")
     .deliver("10-23", "pickup")),
    ("兽药经营许可证核发", "张伟", False, "09-21", "window",
     lambda f: f.accept("09-21").review("10-12", "10-13").decide("10-14")
     .deliver("10-16", "post")),
    ("经营高危险性体育项目许可", YUEDONG, False, "10-13", "window",
     lambda f: f.accept("10-13").review("10-27", "10-28").decide(
         "10-29", "refused", "游泳池水质检测结果不符合GB 19079.1的要求")
     .deliver("10-30", "pickup")),
    ("城市建筑垃圾处置核准", BIJI, False, "11-03", "window",
     lambda f: f.accept("11-03").review("11-10", "11-11").decide("11-12")
     .deliver("11-16", "electronic")),
    ("砍伐城市树木、迁移古树名木审批", CITIZEN, False, "09-07", "online",
     lambda f: f.accept("09-07").review("09-14", "09-15").decide("09-16")
     .deliver("09-18", "pickup")),
    # --- withdrawn (已撤回), terminated (已终止)
    ("商品房预售许可", CITIZEN, False, "11-16", "online",
     lambda f: f.withdraw("11-18", "个人原因，暂不申请", by="applicant")),
    ("道路货物运输经营许可", "陈静", False, "10-19", "window",
     lambda f: f.accept("10-19").claim("10-20").withdraw("10-23", "申请人书面申请撤回")),
    ("农药经营许可", COMPANY, True, "10-12", "window",
     lambda f: f.accept("10-12").claim("10-13").terminate(
         "10-20", "申请人已被市场监管部门吊销营业执照，主体资格消灭")),
    ("娱乐场所经营活动审批", "王芳", False, "09-28", "window",
     lambda f: f.accept("09-28").terminate(
         "10-12", "申请人经公告送达仍未提交听证所需材料，终止办理", by="head")),
    # --- accepted today: limits that run far ahead (in December, into next year, 暂定)
    ("占用、挖掘城市道路审批", CITIZEN, False, "11-27", "window", lambda f: f.accept("11-27")),
    ("民办学校办学许可", XINGGUANG, False, "11-26", "window",  # a limit of three months
     lambda f: f.accept("11-27")),
]


def _submit(cast: Cast, n: int, item_name: str, applicant: str, with_agent: bool, day: str,
            channel: str) -> Case | None:
    """Submit case `n` once (by its idempotency key); None when it exists already."""
    key = f"{KEY_PREFIX}{n:02d}"
    item = cast.items[item_name]
    actor = cast.user("clerk")
    if channel == "online":
        actor = cast.user("company" if applicant == COMPANY else "applicant")
    if IdempotencyRecord.objects.filter(user=actor, key=key).exists():
        return None
    if applicant in cast.persons:
        ref = services.ApplicantRef(person_id=cast.persons[applicant].pk)
    else:
        ref = services.ApplicantRef(organisation_id=cast.orgs[applicant].pk)
    case, created = services.case_submit(
        actor=actor, item_id=item.pk, variant_code="01", applicant=ref,
        agent_id=cast.agent.pk if with_agent else None, channel=channel,
        at=at(day, 9), idempotency_key=key, request_hash=key)
    return case if created else None


def _on_spot(cast: Cast, n: int) -> list[Case]:
    """即办件: the clerk, authorised by the head, accepts and decides at the window."""
    item, clerk = cast.on_spot_item, cast.on_spot_clerk
    if item is None or clerk is None:
        return []
    if not OnSpotAuthorisation.objects.filter(user=clerk, item=item,
                                              revoked_at__isnull=True).exists():
        services.grant_on_spot_authorisation(actor=cast.user("head"), user=clerk, item=item)
    version_name = next(name for name, it in cast.items.items() if it.pk == item.pk)
    out = []
    for offset, (applicant, day, deliver) in enumerate(
            [("李建明", "11-24", "pickup"), ("陈静", "11-27", None)]):
        case = _submit(cast, n + offset, version_name, applicant, False, day, "window")
        if case is None:
            continue
        flow = Flow(cast, case).on_spot(day, clerk=clerk)
        if deliver:
            flow.deliver(day, deliver)
        out.append(flow.case)
    return out


def load_cases() -> tuple[Counter[str], bool]:
    """Load the demo cases; returns (cases by state, whether an on-the-spot item was
    available)."""
    cast = _cast()
    for n, (item_name, applicant, agent, day, channel, script) in enumerate(SCENARIOS, 1):
        case = _submit(cast, n, item_name, applicant, agent, day, channel)
        if case is not None:
            script(Flow(cast, case))
    _on_spot(cast, len(SCENARIOS) + 1)
    counts = Counter(Case.objects.values_list("state", flat=True))
    return counts, cast.on_spot_item is not None


@demo.register("cases", order=400)
def load(ctx: demo.DemoContext) -> None:
    counts, on_spot = load_cases()
    parts = "，".join(f"{state_label(s)} {counts[s]}" for s in CaseState if counts[s])
    ctx.log(f"办件 / cases: 共 {sum(counts.values())} 件（{parts}）")
    if not on_spot:
        ctx.log("提示：目录中没有本局可当场办结的即办件，未生成即办件演示办件。")


from . import demo_online  # noqa: E402, F401  (registers the online hall's demo loader)
