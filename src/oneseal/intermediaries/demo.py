"""Demo loader `intermediaries` (order 700): the intermediary services the demo items need,
a dozen intermediaries with qualifications, fees and staff, selections finished, running, open
and failed by every method (two draws to recompute), ratings, complaints, one suspended
intermediary, and one case whose material came from the marketplace (免提交) — all through
the services, dated in working days before the day of loading
(`oneseal.cases.demo.demo_today`). Idempotent: each scenario is keyed by its project name,
each intermediary by its credit code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role
from oneseal.accounts.services import create_applicant_account
from oneseal.applicants.selectors import organisations_for
from oneseal.cases import services as case_services
from oneseal.cases.demo import demo_today
from oneseal.cases.models import Case, Channel
from oneseal.cases.permissions import visible_cases_own
from oneseal.catalog.models import ItemVersion
from oneseal.core import demo
from oneseal.core.identity import make_credit_code
from oneseal.core.workcalendar.selectors import get_work_calendar

from .demo_data import INTERMEDIARIES, MATERIALS, SERVICES
from .models import Intermediary, Posting, Service
from .services import delivery, registry, selection

# A one-page PDF that passes the content check of uploads (the report of a demo service).
REPORT_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
              b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
              b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
              b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
              b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n")
OWNER_PUBLIC = ("citybuild", "西山区城市建设投资有限公司（经办人 钱志军）", "13800000031")
SHARED_PROJECT = "碧鸡数码科技园3号楼研发中心环境影响报告表"
SHARED_ITEM = "建设项目环境影响报告表审批"


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _back(days: int) -> dt.date:
    """The working day `days` working days before the demo's day (negative: after it)."""
    calendar = get_work_calendar()
    day = demo_today()
    step = -1 if days > 0 else 1
    for _ in range(abs(days)):
        day += dt.timedelta(days=step)
        while not calendar.is_workday(day):
            day += dt.timedelta(days=step)
    return day


def _user(ctx: demo.DemoContext, username: str, name: str, phone: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_applicant_account(actor=None, username=username, display_name=name,
                                        password_hash=ctx.password_hash, roles=[Role.AGENT],
                                        phone=phone)
    return user


def load_services() -> dict[str, Service]:
    out = {}
    for code, name, basis, compulsory, items in SERVICES:
        service, _created = Service.objects.get_or_create(code=code, defaults={
            "name": name, "legal_basis": basis, "compulsory": compulsory,
            "material_names": "\n".join(MATERIALS.get(code, []))})
        ids = set(ItemVersion.objects.filter(name__in=items).values_list("item_id", flat=True))
        if ids - set(service.items.values_list("pk", flat=True)):
            service.items.add(*ids)
        out[code] = service
    return out


def load_intermediaries(ctx: demo.DemoContext, services: dict[str, Service],
                        admin: User) -> list[Intermediary]:
    found = []
    entered = _moment(_back(60))
    for n, (name, code17, offers, legal) in enumerate(INTERMEDIARIES, start=1):
        code = make_credit_code(code17)
        existing = Intermediary.objects.filter(credit_code=code).first()
        if existing is not None:
            found.append(existing)
            continue
        username = "agency" if n == 1 else f"agency{n:02d}"
        user = _user(ctx, username, f"{name}经办人", f"138000001{n:02d}")
        ties = ([("西山区住房和城乡建设局", "原为该局下属事业单位，2021年脱钩改制，现无隶属关系")]
                if n == 5 else [])
        intermediary = registry.register_intermediary(
            actor=user, name=name, credit_code=code, legal_representative=legal,
            address=f"云南省昆明市西山区滇池路{100 + n}号", phone=f"0871641000{n:02d}",
            introduction="", no_ties_declared=not ties, ties=ties, at=entered)
        for code_s, fee, days in offers:
            q = registry.submit_qualification(
                actor=user, intermediary_id=intermediary.pk, service_id=services[code_s].pk,
                name=f"{services[code_s].name}资质", certificate_number=f"YN-{code_s}-{n:04d}",
                issuer="云南省有关主管部门", valid_from=_back(400), valid_to=_back(-500),
                at=entered)
            registry.review_qualification(actor=admin, qualification_id=q.pk, approve=True,
                                          at=entered)
            registry.publish_fee(actor=user, intermediary_id=intermediary.pk,
                                 service_id=services[code_s].pk, max_fee=Decimal(fee),
                                 basis="按项目规模分档，详见收费标准", promised_days=days,
                                 at=entered)
        for k, title in enumerate(["高级工程师", "工程师"]):
            registry.add_staff(actor=user, intermediary_id=intermediary.pk,
                               name=f"{legal[0]}{'文武'[k]}", title=title,
                               certificate_number=f"ZY{n:03d}{k}")
        if n == 2:  # one waiting for the check, one rejected with its reason
            registry.submit_qualification(
                actor=user, intermediary_id=intermediary.pk, service_id=services["ZJ06"].pk,
                name="水土保持方案编制资质", certificate_number="YN-ZJ06-0002",
                issuer="云南省水利厅", valid_from=_back(200), valid_to=_back(-300), at=entered)
            rejected = registry.submit_qualification(
                actor=user, intermediary_id=intermediary.pk, service_id=services["ZJ09"].pk,
                name="安全评价资质", certificate_number="YN-ZJ09-0002X",
                issuer="云南省应急管理厅", valid_from=_back(200), valid_to=_back(-300), at=entered)
            registry.review_qualification(actor=admin, qualification_id=rejected.pk,
                                          approve=False, at=entered,
                                          reason="证书编号与发证机关公开信息不一致，请核对后重新提交")
        found.append(intermediary)
    return found


def _operator(intermediary: Intermediary) -> User:
    return intermediary.users.order_by("id").first()  # type: ignore[return-value]


def _scenario(project: str, build: Callable[[], Any]) -> bool:
    if Posting.objects.filter(project=project).exists():
        return False
    build()
    return True


def _post(owner: User, service: Service, project: str, method: str, *, posted: int, close: int,
          cap: int, state_funded: bool = False, case: Case | None = None,
          applicant: tuple[str, int] | None = None) -> Posting:
    return selection.post_need(
        actor=owner, service_id=service.pk, project=project,
        scope=f"{service.name}：按项目实际规模提供服务，成果须满足审批要求。", budget_cap=cap,
        method=method, offers_close_at=_moment(_back(close), 17), state_funded=state_funded,
        case_id=case.pk if case else None, applicant=applicant, at=_moment(_back(posted)))


def _bids(posting: Posting, rows: list[tuple[Intermediary, int, int]], day: int) -> None:
    for k, (agency, price, days) in enumerate(rows):
        selection.submit_bid(actor=_operator(agency), posting_id=posting.pk,
                             intermediary_id=agency.pk, price=price, days=days,
                             proposal="成立专项小组，按期提交成果。", at=_moment(_back(day), 9 + k))


def _deliver(posting: Posting, *, report: int | None, finish: int | None = None,
             stars: int | None = None) -> None:
    posting.refresh_from_db()
    contract = posting.contract
    if report is None:
        return
    upload = ContentFile(REPORT_PDF, name="成果报告.pdf")
    delivery.submit_report(actor=_operator(contract.intermediary), contract_id=contract.pk,
                           upload=upload, name="成果报告.pdf", at=_moment(_back(report)))
    if finish is None:
        return
    owner = posting.owner
    delivery.finish(actor=owner, contract_id=contract.pk, at=_moment(_back(finish)))
    if stars is not None:
        delivery.rate(actor=owner, contract_id=contract.pk, stars=stars,
                      text=("按承诺时限完成，沟通顺畅。" if stars >= 4
                            else "成果质量一般，多次修改。"),
                      at=_moment(_back(finish)))


def load_selections(services: dict[str, Service], agencies: list[Intermediary],
                    applicant: User, company: User, public: User) -> int:
    a = agencies
    def case_of(item_name: str) -> Case | None:
        """The company's own case of the item the report is for (its report 免提交)."""
        return visible_cases_own(company).filter(item_name=item_name).order_by("id").first()

    done = 0

    def draw_finished() -> None:
        p = _post(applicant, services["ZJ01"], "西山区碧鸡路小型餐饮加工项目环境影响报告表", "draw",
                  posted=30, close=27, cap=75000)
        _bids(p, [(a[0], 68000, 20), (a[1], 65000, 25), (a[2], 72000, 18)], 29)
        selection.close_posting(posting_id=p.pk, at=_moment(_back(26)))
        _deliver(p, report=10, finish=9, stars=5)

    def lowest_finished() -> None:
        p = _post(company, services["ZJ04"], "碧鸡数码科技园1号楼房产测绘", "lowest_price",
                  posted=28, close=25, cap=30000, case=case_of("商品房预售许可"))
        _bids(p, [(a[5], 26000, 10), (a[6], 24500, 12)], 27)
        selection.close_posting(posting_id=p.pk, at=_moment(_back(24)))
        _deliver(p, report=14, finish=13, stars=4)

    def comprehensive_late() -> None:
        p = _post(company, services["ZJ03"], "碧鸡数码科技园2号楼施工图设计文件审查",
                  "comprehensive",
                  posted=35, close=32, cap=60000, case=case_of("建筑工程施工许可证核发"))
        _bids(p, [(a[3], 58000, 12), (a[4], 52000, 10)], 34)
        selection.close_posting(posting_id=p.pk, at=_moment(_back(31)))
        bids = {b.intermediary_id: b.pk for b in p.bids.all()}
        selection.score_proposals(actor=company, posting_id=p.pk,
                                  scores={bids[a[3].pk]: 62, bids[a[4].pk]: 55},
                                  at=_moment(_back(30)))
        _deliver(p, report=16, finish=15, stars=2)  # due 12 days after 30 -> 18: 2 days late

    def weighted_running() -> None:
        p = _post(public, services["ZJ01"], "西山区第二污水处理厂扩建工程环境影响报告书",
                  "weighted_draw",
                  posted=14, close=10, cap=90000, state_funded=True)
        _bids(p, [(a[0], 79000, 25), (a[1], 70000, 30), (a[2], 85000, 20)], 12)
        selection.close_posting(posting_id=p.pk, at=_moment(_back(9)))

    def direct_running() -> None:
        p = _post(applicant, services["ZJ07"], "西山区永昌路KTV消防设施检测", "direct",
                  posted=12, close=8, cap=25000)
        _bids(p, [(a[7], 18000, 8), (a[8], 21000, 10)], 10)
        selection.close_posting(posting_id=p.pk, at=_moment(_back(7)))
        bid = p.bids.get(intermediary=a[7])
        selection.choose_directly(actor=applicant, posting_id=p.pk, bid_id=bid.pk,
                                  at=_moment(_back(7), 15))

    def evaluating() -> None:
        p = _post(company, services["ZJ09"], "碧鸡数码科技园锂电池仓库安全评价", "comprehensive",
                  posted=6, close=2, cap=70000)
        _bids(p, [(a[9], 62000, 20), (a[10], 58000, 25)], 4)
        selection.close_posting(posting_id=p.pk, at=_moment(_back(1)))

    def failed_and_reposted() -> None:
        p = _post(public, services["ZJ05"], "西山区团结街道集中供水工程水资源论证", "lowest_price",
                  posted=10, close=5, cap=50000, state_funded=True)
        _bids(p, [(a[1], 48000, 25)], 8)
        selection.close_posting(posting_id=p.pk, at=_moment(_back(4)))
        selection.repost(actor=public, posting_id=p.pk, offers_close_at=_moment(_back(-5), 17),
                         at=_moment(_back(3)))

    def shared_to_case() -> None:
        """The company's environmental impact report table, drawn, delivered and accepted;
        then the company applies online for its approval: the case's material
        建设项目环境影响报告表 comes from the marketplace (免提交, 国务院令第716号 第7条)."""
        org = organisations_for(company).order_by("id").first()
        item = ItemVersion.objects.filter(name=SHARED_ITEM).values_list("item_id", flat=True)
        if org is None or not item:
            return
        p = _post(company, services["ZJ01"], SHARED_PROJECT, "draw", posted=22, close=19,
                  cap=70000, applicant=("organisation", org.pk))
        _bids(p, [(a[0], 56000, 20), (a[1], 52000, 25), (a[2], 58000, 15)], 21)
        selection.close_posting(posting_id=p.pk, at=_moment(_back(18)))
        _deliver(p, report=5, finish=4, stars=5)
        case_services.case_submit(
            actor=company, item_id=item[0], variant_code="01",
            applicant=case_services.ApplicantRef(organisation_id=org.pk),
            channel=Channel.ONLINE, at=_moment(_back(2), 9))

    def open_draw() -> None:
        p = _post(applicant, services["ZJ06"], "西山区海口镇采石场复垦项目水土保持方案", "draw",
                  posted=2, close=-4, cap=45000)
        _bids(p, [(a[0], 38000, 18), (a[2], 42000, 15)], 1)

    for project, build in [
        ("西山区碧鸡路小型餐饮加工项目环境影响报告表", draw_finished),
        ("碧鸡数码科技园1号楼房产测绘", lowest_finished),
        ("碧鸡数码科技园2号楼施工图设计文件审查", comprehensive_late),
        ("西山区第二污水处理厂扩建工程环境影响报告书", weighted_running),
        ("西山区永昌路KTV消防设施检测", direct_running),
        ("碧鸡数码科技园锂电池仓库安全评价", evaluating),
        ("西山区团结街道集中供水工程水资源论证", failed_and_reposted),
        ("西山区海口镇采石场复垦项目水土保持方案", open_draw),
        (SHARED_PROJECT, shared_to_case),
    ]:
        done += _scenario(project, build)
    return done


def load_complaints(agency: Intermediary, owner: User, supervisor: User) -> None:
    """Five justified complaints against one intermediary (a warning at 70, then a 90-day
    suspension at 50), and one complaint waiting for the supervisor."""
    if agency.complaints.exists():
        return
    texts = ["收取报告编制费后长期不出具报告", "要求另付“加急费”", "报告数据与现场不符",
             "擅自更换项目负责人", "以与审批部门“关系好”为名招揽业务"]
    for k, text in enumerate(texts):
        c = delivery.complain(actor=owner, intermediary_id=agency.pk, text=text,
                              at=_moment(_back(40 - 5 * k)))
        delivery.handle_complaint(actor=supervisor, complaint_id=c.pk, upheld=True,
                                  result="经调查核实，投诉属实，计入信用记录。",
                                  at=_moment(_back(36 - 5 * k)))
    delivery.complain(actor=owner, intermediary_id=agency.pk, text="暂停期间仍以本机构名义承揽业务",
                      at=_moment(_back(2)))


@demo.register("intermediaries", order=700)
def load(ctx: demo.DemoContext) -> None:
    admin = User.objects.get(username="catalog-admin")
    supervisor = User.objects.get(username="supervisor")
    applicant = User.objects.get(username="applicant")
    company = User.objects.get(username="company")
    public = _user(ctx, *OWNER_PUBLIC)
    services = load_services()
    agencies = load_intermediaries(ctx, services, admin)
    load_complaints(agencies[11], applicant, supervisor)
    made = load_selections(services, agencies, applicant, company, public)
    ctx.add_login("agency", f"{Role.AGENT.label}（中介机构：{agencies[0].name}）")
    ctx.add_login(OWNER_PUBLIC[0], f"{Role.AGENT.label}（政府投资项目业主）")
    ctx.log(f"中介超市 / intermediaries: {len(services)} 项中介服务，{len(agencies)} 家中介机构，"
            f"新建选取 {made} 项")
