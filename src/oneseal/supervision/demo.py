"""Demo loader `supervision` (order 500, after the cases): the helper (帮办员 `helper`) with
authorisations from three applicants — `applicant` among them, who can revoke it on 我的授权 —
and cases he filed for them; ratings: `applicant` rated a delivered case online, a window
rating with a 差评 and its follow-up, and the daily job's 基本满意 for the cases left unrated.
Idempotent: looks everything up by natural keys first. See `oneseal.core.demo`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from oneseal.accounts.models import User
from oneseal.applicants import assist
from oneseal.applicants.models import AgentAuthorisation, Person
from oneseal.applicants.services import register_person
from oneseal.cases import services as case_services
from oneseal.cases.domain.states import CaseState
from oneseal.cases.models import Case, IdempotencyRecord
from oneseal.catalog.selectors import versions_in_force
from oneseal.core import demo
from oneseal.org.models import ServicePointItem
from oneseal.org.service_points import service_points, set_point_items

from .models import Rating
from .services import deem_unrated, rate_case

# sequence code 997: reserved by GB 11643-1999 for people over a hundred (never a real one)
HELPER = {"name": "孙佳", "id_number": "530112199003089975", "phone": "13800000009"}
KEY_PREFIX = "demo-assist-"


def _helper() -> tuple[User, Person] | None:
    user = User.objects.filter(username="helper").first()
    if user is None:
        return None
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = register_person(actor=None, name=HELPER["name"],
                                 id_number=HELPER["id_number"], phone=HELPER["phone"],
                                 user=user)
    return user, person


def _assisted(ctx: demo.DemoContext) -> int:
    found = _helper()
    if found is None:
        return 0
    user, agent = found
    items = [v.item_id for v in versions_in_force().order_by("name")[:3]]
    principals = [p for p in [Person.objects.filter(user__username="applicant").first(),
                              *Person.objects.filter(user__isnull=True).order_by("id")[:2]]
                  if p is not None]
    today = timezone.localdate()
    filed = 0
    for n, principal in enumerate(principals):
        if not AgentAuthorisation.objects.filter(agent=agent, person=principal,
                                                 assisted=True).exists():
            assist.authorise_helper(
                actor=user, helper=user, person=principal,
                items=None if n != 1 else items[:2],
                valid_from=today - dt.timedelta(days=30),
                valid_to=None if n == 0 else today + dt.timedelta(days=180),
                document_ref=f"帮办授〔{today.year}〕{n + 1}号")
        key = f"{KEY_PREFIX}{n + 1:02d}"
        if not items or IdempotencyRecord.objects.filter(user=user, key=key).exists():
            continue
        case_services.case_submit(
            actor=user, item_id=items[0], variant_code="01",
            applicant=case_services.ApplicantRef(person_id=principal.pk), agent_id=agent.pk,
            channel="online", idempotency_key=key, request_hash=key)
        filed += 1
    return filed


def _ratings() -> int:
    applicant = User.objects.filter(username="applicant").first()
    clerk = User.objects.filter(username="clerk").first()
    if applicant is None or clerk is None:
        return 0
    delivered = Case.objects.filter(state=CaseState.DELIVERED).order_by("delivered_on", "id")
    mine = delivered.filter(person__user=applicant).first()
    if mine is not None and not Rating.objects.filter(case=mine, channel="online").exists():
        rate_case(actor=applicant, case_id=mine.pk, channel="online", level="very_satisfied",
                  reasons=["fast", "one_visit"], text="网上提交，窗口一次领取，省心。")
    other = delivered.exclude(person__user=applicant).last()
    if other is not None and not Rating.objects.filter(case=other).exists():
        rate_case(actor=clerk, case_id=other.pk, channel="window", level="dissatisfied",
                  reasons=["slow", "unclear_materials"], text="材料清单与窗口要求不一致。")
    return deem_unrated()


def _points() -> int:
    """Every street centre and community station may receive the first five items (by
    name); set once."""
    items = [v.item_id for v in versions_in_force().order_by("name")[:5]]
    count = 0
    for point in service_points():
        if items and not ServicePointItem.objects.filter(point=point).exists():
            set_point_items(actor=None, point=point, item_ids=items)
            count += 1
    return count


@demo.register("supervision", order=500)
def load(ctx: demo.DemoContext) -> None:
    _points()
    filed = _assisted(ctx)
    deemed = _ratings()
    ctx.log(f"帮办代办 / assisted: helper 新代办 {filed} 件；好差评 / ratings: "
            f"{Rating.objects.count()} 条（本次默认基本满意 {deemed} 条）")


from . import demo_alerts  # noqa: E402, F401, I001  (lights, alerts, anomalies of the demo)
from . import demo_stats  # noqa: E402, F401  (the statistics loader, after all others)
