"""Demo data of the licence library: a licence type for every demo item whose result is a
licence (证照) or an approval document (批文), and the sharing rule that lets the library
supply the material 营业执照 (证明材料后台核验, 国务院令第716号 第7条). Idempotent: run it
again and nothing changes. The seal loader below calls it before the case demo builds its
cases, so every granted demo case gets its electronic licence.

Also the seal's part of the demo, which builds on the cases: the seals, delegations and
licence types before the cases (`seal`, order 350), the signing of the decided cases after
them (`signing`, order 450), and the sealing steps the case story calls mid-way
(`oneseal.cases.demo.SEALING`).

Type codes: ``LX`` + the item's 12-digit basic code (证照类型代码 is the issuer's choice in
the demo; a real deployment takes the national codes from the licence type catalogue).
Validity: the first "N年" of the catalogue's stated validity, in months; anything else
("长期", "以许可证载明为准", a period fixed per licence) is 0, i.e. 长期.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oneseal.accounts.models import User
from oneseal.cases import demo as case_demo
from oneseal.cases.demo import demo_today
from oneseal.cases.domain.states import CaseState
from oneseal.cases.models import Case
from oneseal.core import demo
from oneseal.org.selectors import bureau as find_bureau

from .models import Licence, LicenceType, SharingRule, TemplateKind
from .signing import authorise_case, sign_pending

# The case demo's story seals its decisions through the signing pipeline (see SEALING).
case_demo.SEALING.update(authorise_case=authorise_case, sign_pending=sign_pending)

_YEARS = re.compile(r"(\d+)\s*年")
SCOPE_LABELS = {"食品经营许可证": "经营项目", "营业执照": "经营范围",
                "道路运输经营许可证": "经营范围", "取水许可证": "取水量和用途"}
SHARED_MATERIALS = {"营业执照": "营业执照"}  # material name -> licence type name


def validity_months(text: str) -> int:
    """`"5年"` -> 60, `"一般为5年，最长不超过10年"` -> 60, `"长期"` -> 0."""
    found = _YEARS.search(text or "")
    return int(found.group(1)) * 12 if found else 0


def load_demo_licence_types() -> list[LicenceType]:
    """Create or update the licence types of the demo items (see the module docstring)."""
    from oneseal.catalog.models import Result
    from oneseal.catalog.selectors import versions_in_force

    made: list[LicenceType] = []
    versions = versions_in_force().select_related("item", "competent_department")
    with transaction.atomic():
        for version in versions.order_by("item_id"):
            result = (Result.objects.filter(version=version, kind__in=["licence", "approval"])
                      .order_by("sort", "id").first())
            if result is None:
                continue
            kind, _created = LicenceType.objects.update_or_create(
                code=f"LX{version.item.basic_code}"[:20],
                defaults={"name": result.name[:100], "item": version.item,
                          "defining_authority": version.competent_department.name,
                          "validity_months": validity_months(result.validity),
                          "template": (TemplateKind.CERTIFICATE if result.kind == "licence"
                                       else TemplateKind.APPROVAL),
                          "scope_label": SCOPE_LABELS.get(result.name, "许可范围"),
                          "active": True})
            made.append(kind)
        by_name = {kind.name: kind for kind in made}
        for material, type_name in SHARED_MATERIALS.items():
            if type_name in by_name:
                SharingRule.objects.get_or_create(material_name=material,
                                                  licence_type=by_name[type_name])
    return made


# --------------------------------------------------------------------- the seal (issue 6)
# Before the cases (`oneseal.cases.demo`, order 400): the seals (demo CA, `oneseal seal
# init`), the licence types of the demo items, and the delegations (用印授权) of the demo
# period. After the cases: every case
# granted before the demo day is signed (today's on-the-spot grant by a window clerk waits in
# the 用印审批 queue, to try it), and one licence PDF is written to
# <DATA_DIR>/demo-licence.pdf for the /verify page.

DELEGATIONS = (("clerk", "acceptance"), ("chief", "approval"))
# The departments that keep their items accept and decide them under their own seals (行政
# 许可法 第25条): the demo's department officer (`dept`, who handles every department's steps
# in the story) may use each department's seals, and the market department's window clerk
# (`market-clerk`, who decides its 即办件 at the window) the market department's — its
# approval seal only until yesterday, so that today's grant at the window waits for the seal.
UNIT_DELEGATIONS = (("dept", None), ("market-clerk", "dept-market"))
DEMO_LICENCE_FILE = "demo-licence.pdf"


@demo.register("seal", order=350)
def load_seal(ctx: demo.DemoContext) -> None:
    from oneseal.catalog.selectors import units_exercising_own_items
    from oneseal.seal import services as seal_services
    from oneseal.seal.keys import init_seals
    from oneseal.seal.models import SealDelegation, SealKind

    unit = find_bureau()
    report = init_seals(bureau_name=unit.name if unit else "行政审批局",
                        bureau_code=settings.ONESEAL_BUREAU_CODE,
                        units=units_exercising_own_items(demo_today()))
    for line in report.lines():
        ctx.log(line)
    load_demo_licence_types()
    head = User.objects.filter(username="head").first()
    seals = {seal.kind: seal for seal in report.seals if unit is None or seal.unit_id == unit.pk}
    wanted = [(username, seals.get(kind)) for username, kind in DELEGATIONS]
    wanted += [(username, seal) for username, code in UNIT_DELEGATIONS for seal in report.seals
               if (unit is None or seal.unit_id != unit.pk)
               and (code is None or seal.unit.code == code)]
    until = timezone.localdate() + dt.timedelta(days=365)
    since = demo_today() - dt.timedelta(days=365)
    yesterday = demo_today() - dt.timedelta(days=1)
    for username, seal in wanted:
        user = User.objects.filter(username=username).first()
        if head is None or user is None or seal is None:
            continue
        end = (yesterday if username == "market-clerk" and seal.kind == SealKind.APPROVAL
               else until)
        if SealDelegation.objects.filter(seal=seal, user=user, revoked_at__isnull=True,
                                         valid_to__gte=min(end, timezone.localdate())).exists():
            continue
        seal_services.grant_delegation(actor=head, seal=seal, user=user,
                                       valid_from=since, valid_to=end,
                                       note="演示用印授权 / demo delegation")
    ctx.log(f"用印授权 / seal delegations: {len(wanted)}")


@demo.register("signing", order=450)
def load_signing(ctx: demo.DemoContext) -> None:
    from oneseal.licences.signing import case_body, seal_or_none
    from oneseal.seal.models import SealKind
    from oneseal.seal.services import may_use, signed_pdf

    head = User.objects.get(username="head")
    dept = User.objects.filter(username="dept").first()
    # The head has authorised the seal on every grant of the bureau decided before today, the
    # department officer (a delegate) on the departments' grants; today's decision at the
    # window (by a clerk without the approval seal) waits in the queue.
    for case in Case.objects.filter(state=CaseState.DECIDED, outcome="granted",
                                    decided_on__lt=demo_today()):
        seal = seal_or_none(SealKind.APPROVAL, case.decided_on, case_body(case))
        actor = head if seal is None or may_use(head, seal, demo_today()) else dept
        authorise_case(actor=actor, case=case)
    done = sign_pending()
    ready = Case.objects.filter(state=CaseState.READY).count()
    ctx.log(f"签章 / signed: {len(done)}；已签章待送达 / ready: {ready}")
    licence = (Licence.objects.filter(seal_use__state="signed")
               .select_related("seal_use").order_by("id").first())
    if licence is None:
        ctx.log("提示：没有已签章的电子证照。")
        return
    path = settings.DATA_DIR / DEMO_LICENCE_FILE
    path.write_bytes(signed_pdf(licence.seal_use))
    base = settings.ONESEAL_PUBLIC_URL.rstrip("/")
    ctx.log(f"演示电子证照 / demo licence PDF: {path}")
    ctx.log(f"在线核验 / verify: {base}/verify/  （上传该 PDF / upload it，"
            f"或打开 / or open {base}/verify/l/{licence.identifier}/）")
