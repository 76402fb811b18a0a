"""Demo loader `coordination-depts` (h16b): the department officer `dept` (生态环境局) finds in
部门协同 a claimed decision with its supervision record and a problem report that started a
撤销, an overdue decision not yet claimed, a fresh one, and an opinion owed on a joint-review
case; the expert pool has experts and a recorded draw; a site visit is scheduled and another
one's record (勘察笔录, with a photo) is signed by the two staff's reviewer and sealed with
the bureau's seal after the head's 批准用印 (verifiable on /verify/). The overdue decision
gets its 部门认领时限 red alert from the alert sweep of `supervision_alerts` (order 930,
after this loader), shown to the supervisor on 时限监督 and to `dept` in 我的预警. Two cases
of the 审核转报 item (建设项目使用林地, 第43条) are reviewed and forwarded by the head to the
province with their packages (转报材料包) sealed with the bureau's 受理专用章 (the head may
use it: authorised at once, signed by `sign_pending`, verifiable on /verify/); the older
one's receipt and the province's decision are recorded. Dated
relative to the load day (`cases.demo.at`); loading twice changes nothing (every case has
an idempotency key, every other row is looked up first)."""

from __future__ import annotations

from typing import Any

from oneseal.accounts.models import User
from oneseal.cases import services as case_services
from oneseal.cases.demo import COMPANY, Flow, _cast, at, demo_today
from oneseal.cases.models import Case, IdempotencyRecord
from oneseal.cases.permissions import open_step
from oneseal.catalog.demo_data.forwarded import ITEMS as FORWARDED_ITEMS
from oneseal.catalog.demo_data.forwarded import UPPER_AUTHORITY
from oneseal.core import demo
from oneseal.licences.signing import sign_pending
from oneseal.org.models import Unit
from oneseal.seal.models import SealUse

from . import claims, experts, forwarding, review, sealing, visits
from .models import (
    ClaimTicket,
    Expert,
    ExpertDraw,
    Forwarding,
    JointMeeting,
    ProblemReport,
    ReviewInvitation,
    SiteVisit,
)

KEY = "demo-coord-"
ENV_TABLE = "建设项目环境影响报告表审批"
ENV_BOOK = "建设项目环境影响报告书审批"
SOIL = "生产建设项目水土保持方案审批"
FOREST = FORWARDED_ITEMS[0]["name"]
FOREST_OPINION = ("经现场查验，拟使用林地位于西山区团结街道，地类为乔木林地，面积与林地现状调查表"
                  "一致，不涉及生态保护红线和公益林；申请材料齐全，符合使用林地条件，同意上报。")
EXPERTS = [
    ("周立新", "环境工程", "正高级工程师", "云南省生态环境科学研究院"),
    ("杨晓梅", "环境工程", "教授", "昆明理工大学"),
    ("段志强", "环境工程", "高级工程师", "云南大学"),
    ("李春华", "环境工程", "高级工程师", "昆明西山碧鸡数码科技有限公司"),
    ("赵永明", "环境工程", "教授", "西南林业大学"),
    ("何丽琼", "水利工程", "正高级工程师", "云南省水利水电勘测设计研究院"),
    ("王建国", "水利工程", "教授", "昆明理工大学"),
    ("孙文斌", "水利工程", "高级工程师", "云南农业大学"),
    ("马骏", "建筑结构", "正高级工程师", "云南省设计院集团"),
    ("刘芳", "建筑结构", "高级工程师", "昆明市建筑设计研究院"),
]


def _submit(cast: Any, n: int, item_name: str, applicant: str, day: str) -> Case | None:
    key = f"{KEY}{n:02d}"
    actor = cast.user("clerk")
    if IdempotencyRecord.objects.filter(user=actor, key=key).exists():
        return None
    if item_name not in cast.items:
        return None
    if applicant in cast.persons:
        ref = case_services.ApplicantRef(person_id=cast.persons[applicant].pk)
    else:
        ref = case_services.ApplicantRef(organisation_id=cast.orgs[applicant].pk)
    case, created = case_services.case_submit(
        actor=actor, item_id=cast.items[item_name].pk, variant_code="01", applicant=ref,
        channel="window", at=at(day, 9), idempotency_key=key, request_hash=key)
    return case if created else None


def _to_final(flow: Flow, days: list[str]) -> Flow:
    for day in days:
        step = open_step(flow.case)
        if step is None or step.is_final:
            break
        flow.complete(day)
    return flow


def _decided(cast: Any, n: int, item: str, applicant: str, days: list[str]) -> Case | None:
    case = _submit(cast, n, item, applicant, days[0])
    if case is None:
        return None
    flow = Flow(cast, case).accept(days[0])
    _to_final(flow, days[1:-1])
    return flow.decide(days[-1]).case


def _ticket(case: Case | None) -> ClaimTicket | None:
    if case is None:
        return None
    return ClaimTicket.objects.filter(case=case, kind="decision").first()


def _forwarded(cast: Any, n: int, days: list[str]) -> Any:
    """A 审核转报 case (第43条) accepted on days[0], reviewed through its chain up to the
    head's 签发转报 step (one step a day), and forwarded by the head on days[-1]; the head
    may use the 受理专用章, so the package's seal is authorised at once."""
    case = _submit(cast, n, FOREST, COMPANY, days[0])
    if case is None:
        return None
    flow = Flow(cast, case).accept(days[0])
    row = forwarding.start(actor=cast.user("chief"), case_id=case.pk)
    _to_final(flow, days[1:-1])
    flow.claim(days[-1])
    return forwarding.forward(actor=cast.user("head"), forwarding_id=row.pk,
                              opinion=FOREST_OPINION, at=at(days[-1], 16))


def _forwarding_cases(cast: Any, head: Any) -> None:
    """The item's upper authority (its coordination setting), a case forwarded the day
    before yesterday, and an older one the province received and decided."""
    item = cast.items.get(FOREST)
    if item is None:
        return
    if review.policy_of(item.pk) is None:
        review.set_item_policy(actor=head, item=item, upper_authority=UPPER_AUTHORITY)
    _forwarded(cast, 5, ["11-13", "11-16", "11-20", "11-25"])
    older = _forwarded(cast, 6, ["10-20", "10-22", "10-28", "10-30"])
    if older is not None:
        forwarding.record_receipt(actor=head, forwarding_id=older.pk,
                                  receipt_number="云林审收〔2026〕0417号",
                                  received_on=at("11-03").date())
        forwarding.record_upper_decision(actor=head, forwarding_id=older.pk,
                                         outcome="granted", document="云林许准〔2026〕386号",
                                         decided_on=at("11-24").date())


def _photo() -> Any:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 120), (118, 150, 96))
    ImageDraw.Draw(image).rectangle((20, 60, 140, 110), fill=(150, 120, 80))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return SimpleUploadedFile("取土场现场.png", buf.getvalue(), content_type="image/png")


def _signed_visit(cast: Any, head: Any) -> None:
    """A visit done and recorded on the first joint-review case: photo, findings, the
    reviewer's signature, then the head authorises the seal (signed by `sign_pending`)."""
    record = IdempotencyRecord.objects.filter(user=cast.user("clerk"), key=f"{KEY}01").first()
    case = record.case if record else None
    if case is None:
        return
    reviewer = cast.user("reviewer")
    visit = SiteVisit.objects.filter(case=case).first()
    if visit is None:
        visit = visits.schedule_visit(actor=cast.user("chief"), case_id=case.pk,
                                      scheduled_on=at("11-10").date(),
                                      place="西山区碧鸡街道项目厂区（排污口及治污设施）",
                                      staff_ids=[reviewer.pk, cast.user("chief").pk])
    if visit.signed_at is None:
        visits.add_photo(actor=reviewer, visit_id=visit.pk, upload=_photo(),
                         caption="排污口位置")
        visits.sign_record(actor=reviewer, visit_id=visit.pk, at=at("11-10", 16),
                           findings="现场核查项目厂区及排污口位置、治污设施建设情况，"
                                    "排污口位置与报告表附图一致，治污设施已按报告表建成。")
    key = sealing.visit_key(visit.pk)
    if sealing.seal_use(key) is None and sealing.may_authorise(head, key):
        sealing.authorise_record(actor=head, key=key)


@demo.register("coordination-depts", order=720)
def load(ctx: demo.DemoContext) -> None:
    cast = _cast()
    dept = User.objects.filter(username="dept").first()
    chief, head = cast.user("chief"), cast.user("head")
    if dept is None:
        ctx.log("提示：没有演示用户 dept，未生成部门协同演示数据。")
        return
    person = next(iter(cast.persons))
    # 1. a decision claimed in time, supervised, reported (fraud) and revoked (第69条)
    a = _decided(cast, 1, ENV_TABLE, COMPANY, ["11-09", "11-10", "11-10", "11-11", "11-12"])
    ticket = _ticket(a)
    if ticket is not None:
        claims.claim(actor=dept, ticket_id=ticket.pk, at=at("11-13", 9, 40))
        claims.record_supervision(actor=dept, ticket_id=ticket.pk, action="inspection",
                                  result="problem", on=at("11-20").date(),
                                  note="现场检查发现项目实际排污口位置与环评报告表不一致，"
                                       "报告表所附监测数据经核实系伪造。")
        report = claims.report_problem(
            actor=dept, ticket_id=ticket.pk, kind="fraud", at=at("11-24", 10),
            facts="建设单位提交的环境质量现状监测报告系伪造（监测机构书面证明），"
                  "属以欺骗手段取得行政许可。")
        claims.open_procedure(actor=head, report_id=report.pk, operation="revoke",
                              at=at("11-25", 15),
                              reason="被许可人以欺骗手段取得行政许可，依照《行政许可法》"
                                     "第六十九条第二款予以撤销。")
    # 2. a decision not claimed within 2 working days (overdue), and a fresh one
    _decided(cast, 2, ENV_BOOK, COMPANY, ["11-16", "11-17", "11-17", "11-18", "11-23"])
    _decided(cast, 3, ENV_TABLE, person, ["11-23", "11-24", "11-24", "11-25", "11-26"])
    # 3. a joint-review case: dept-env owes an opinion
    soil = _submit(cast, 4, SOIL, COMPANY, "11-24")
    env = Unit.objects.filter(code="dept-env").first()
    if soil is not None and env is not None:
        flow = Flow(cast, soil).accept("11-24")
        flow.claim("11-25")
        review.invite(actor=chief, case_id=soil.pk, department_id=env.pk, days=5,
                      question="项目取土场、弃渣场选址是否涉及生态保护红线，"
                               "水土流失防治措施对周边水环境的影响，请出具书面意见。",
                      at=at("11-25", 11))
        visits.schedule_visit(actor=chief, case_id=soil.pk, scheduled_on=at("11-30").date(),
                              place="西山区团结街道项目取土场",
                              staff_ids=[cast.user("reviewer").pk, chief.pk])
        water = Unit.objects.filter(code="dept-water").first()
        review.create_meeting(
            actor=chief, title="生产建设项目水土保持联席会议", held_on=at("12-01").date(),
            place="区行政审批局三楼会议室",
            agenda="一、项目取土场、弃渣场选址；二、水土流失防治措施；三、生态保护红线核查。",
            department_ids=[u.pk for u in (env, water) if u is not None],
            participants="区行政审批局、区环境保护局、区水务局", case_ids=[soil.pk])
    _signed_visit(cast, head)
    _forwarding_cases(cast, head)
    # 4. the expert pool and a recorded draw
    for name, field, title, unit in EXPERTS:
        if not Expert.objects.filter(name=name, field=field).exists():
            experts.save_expert(actor=chief, name=name, field=field, title=title,
                                unit_name=unit, phone=f"1390871{len(name) * 1111:04d}"[:11])
    record = IdempotencyRecord.objects.filter(user=cast.user("clerk"), key=f"{KEY}02").first()
    draw_case = record.case if record else None
    if not ExpertDraw.objects.exists():
        row = experts.commit_draw(actor=chief, field="环境工程", count=3,
                                  case_id=draw_case.pk if draw_case else None,
                                  related_names=[COMPANY], at=at("11-17", 9))
        experts.run_draw(actor=chief, draw_id=row.pk, at=at("11-17", 9, 30))
    open_count = ClaimTicket.objects.filter(department__code="dept-env",
                                            claimed_at__isnull=True).count()
    overdue = ClaimTicket.objects.filter(department__code="dept-env", claimed_at__isnull=True,
                                         claim_due__lt=demo_today()).count()
    # The acceptance notices of the cases made here, under the clerk's delegated seal: signed now,
    # as the signing loader did for the earlier cases (else a second load would sign them).
    sign_pending()
    ctx.log(f"部门协同 / coordination: dept 待认领 {open_count}（超期 {overdue}），"
            f"问题反馈 {ProblemReport.objects.count()}，"
            f"待出具意见 {ReviewInvitation.objects.filter(answered_on__isnull=True).count()}，"
            f"专家 {Expert.objects.count()}，抽取 {ExpertDraw.objects.count()}，"
            f"现场勘察 {SiteVisit.objects.count()}（笔录已签章 "
            f"{SealUse.objects.filter(key__startswith='visit:', state='signed').count()}），"
            f"联席会议 {JointMeeting.objects.count()}，"
            f"审核转报 {Forwarding.objects.count()}（材料包已签章 "
            f"{SealUse.objects.filter(key__startswith='forwarding:', state='signed').count()}）")
