"""Selecting an intermediary (选取中介): the owner posts a need, intermediaries offer, the
offers close and the posting's method picks the winner — or the posting fails for want of
bidders and may be posted again. The draw methods follow the commit-reveal protocol of
`domain/draw.py`; each step appends its audit event (kind ``posting.*``).

Every function here refuses staff accounts (`refuse_staff`, 《优化营商环境条例》第43条),
except `close_posting` run by the system at the deadline, which applies the published
method and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.applicants.models import Organisation, Person
from oneseal.applicants.selectors import acting_for
from oneseal.cases.models import Case
from oneseal.cases.permissions import is_owner
from oneseal.core.audit import append_event
from oneseal.core.workcalendar.selectors import get_work_calendar

from ..domain import draw as drawing
from ..domain import selection as rules
from ..domain.credit import draw_weight
from ..errors import MarketError, MarketForbidden, MarketNotFound
from ..models import (
    Bid,
    Contract,
    FeeSchedule,
    Intermediary,
    MethodChoices,
    Posting,
    PostingState,
    Qualification,
    QualificationState,
    Service,
)
from .common import moment, name_of, operated, refuse_staff, require_market_user

MAX_OPEN_DAYS = 60


def _locked(posting_id: int) -> Posting:
    found = Posting.objects.select_for_update().filter(pk=posting_id).first()
    if found is None:
        raise MarketNotFound(_("该采购公告不存在。"))
    return found


def _owned(actor: Any, posting_id: int) -> Posting:
    require_market_user(actor)
    found = _locked(posting_id)
    if found.owner_id != actor.pk:
        raise MarketForbidden(_("只有项目业主可以办理此操作。"))
    return found


def _decimal(value: Any, what: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise MarketError(_("%(what)s不是有效的金额。") % {"what": what}, code="amount") from None
    if not result.is_finite():
        raise MarketError(_("%(what)s不是有效的金额。") % {"what": what}, code="amount")
    return result


def post_need(*, actor: Any, service_id: int, project: str, scope: str, budget_cap: Any,
              method: str, offers_close_at: dt.datetime, state_funded: bool = False,
              owner_name: str = "", case_id: int | None = None,
              applicant: tuple[str, int] | None = None,
              at: dt.datetime | None = None, reposted_from: Posting | None = None) -> Posting:
    """Post a need (发布采购公告). The seed of any draw is generated now and only its SHA-256
    is published (commit-reveal, `domain/draw.py`).

    `applicant` ("person" | "organisation", id): whose project it is, one of those the
    account may act for (`applicants.selectors.acting_for`); by default the case's
    applicant when a case is linked, else the first the account acts for (the person behind
    it). A case of the same applicant receives the finished report as a material
    (`sharing.py`)."""
    require_market_user(actor)
    now, _today = moment(at)
    if method not in MethodChoices.values:
        raise MarketError(_("请选择选取方式。"), code="method")
    cap = _decimal(budget_cap, _("预算上限"))
    if cap <= 0:
        raise MarketError(_("预算上限必须大于零。"), code="amount")
    if not project.strip() or not scope.strip():
        raise MarketError(_("请填写项目名称和服务范围。"), code="missing")
    if offers_close_at <= now:
        raise MarketError(_("报名截止时间必须晚于现在。"), code="deadline")
    if offers_close_at > now + dt.timedelta(days=MAX_OPEN_DAYS):
        raise MarketError(_("报名期限最长60日。"), code="deadline")
    service = Service.objects.filter(pk=service_id, published=True).first()
    if service is None:
        raise MarketNotFound(_("该中介服务事项不存在。"))
    case = None
    if case_id is not None:
        case = Case.objects.filter(pk=case_id).first()
        if case is None or not is_owner(actor, case):
            raise MarketError(_("只能关联本人（本单位）的办件。"), code="case")
    person, organisation = _project_applicant(actor, case, applicant)
    seed = drawing.new_seed()
    with transaction.atomic():
        found = Posting.objects.create(
            number=f"tmp-{seed[:16]}", owner=actor, owner_name=owner_name or name_of(actor),
            state_funded=state_funded, service=service, project=project.strip(),
            scope=scope.strip(), budget_cap=cap, method=method, offers_close_at=offers_close_at,
            case=case, seed=seed, commitment=drawing.commitment(seed), posted_at=now,
            reposted_from=reposted_from, applicant_person=person,
            applicant_organisation=organisation)
        found.number = f"ZJ{timezone.localtime(now).year}{found.pk:06d}"
        event = append_event(actor=actor, kind="posting.post", subject=f"posting:{found.pk}",
                             payload={"number": found.number, "service": service.code,
                                      "method": method, "budget_cap": str(cap),
                                      "state_funded": state_funded,
                                      "offers_close_at": offers_close_at.isoformat(),
                                      "commitment": found.commitment,
                                      "reposted_from": reposted_from.number if reposted_from
                                      else None})
        found.audit_seq = event.seq
        found.save(update_fields=["number", "audit_seq"])
    return found


def _project_applicant(actor: Any, case: Case | None, applicant: tuple[str, int] | None
                       ) -> tuple[Person | None, Organisation | None]:
    """The applicant whose project the posting is (see `post_need`)."""
    if case is not None:
        if case.organisation_id is not None:
            return None, case.organisation
        return case.person, None
    options = acting_for(actor)
    if applicant is None:
        chosen = options[0] if options else None
    else:
        kind, pk = applicant
        chosen = next((o for o in options if o["kind"] == kind and o["id"] == pk), None)
        if chosen is None:
            raise MarketError(_("项目业主只能是本人或您可以代表的单位。"), code="applicant")
    if chosen is None:
        return None, None
    if chosen["kind"] == "organisation":
        return None, Organisation.objects.get(pk=chosen["id"])
    return Person.objects.get(pk=chosen["id"]), None


def qualified_on(intermediary: Intermediary, service: Service, day: dt.date) -> bool:
    return Qualification.objects.filter(
        intermediary=intermediary, service=service, state=QualificationState.APPROVED,
        valid_from__lte=day, valid_to__gte=day).exists()


def submit_bid(*, actor: Any, posting_id: int, intermediary_id: int, price: Any, days: int,
               proposal: str = "", at: dt.datetime | None = None) -> Bid:
    """报名: an intermediary in good standing (not suspended or cleared out), with an
    approved qualification valid today and a published fee for the service, offers a price
    no higher than that fee (收费公示) nor the owner's budget cap, before the deadline."""
    found_int = operated(actor, intermediary_id)
    now, today = moment(at)
    amount = _decimal(price, _("报价"))
    with transaction.atomic():
        posting = _locked(posting_id)
        if posting.state != PostingState.OPEN or now >= posting.offers_close_at:
            raise MarketError(_("报名已截止。"), code="closed")
        if posting.owner_id == actor.pk or found_int.users.filter(pk=posting.owner_id).exists():
            raise MarketError(_("项目业主不能报名自己的项目。"), code="own_posting")
        if not found_int.may_bid:
            raise MarketError(_("该机构处于%(standing)s状态，不能承接业务。")
                              % {"standing": found_int.get_standing_display()}, code="standing")
        if not qualified_on(found_int, posting.service, today):
            raise MarketError(_("该机构没有经审核通过且在有效期内的%(service)s资质。")
                              % {"service": posting.service.name}, code="qualification")
        fee = FeeSchedule.objects.filter(intermediary=found_int, service=posting.service).first()
        if fee is None:
            raise MarketError(_("请先公示该服务的收费标准，再报名。"), code="no_fee")
        refusal = rules.price_refusal(amount, fee.max_fee, posting.budget_cap)
        if refusal == rules.PriceRefusal.NOT_POSITIVE:
            raise MarketError(_("报价必须大于零。"), code="amount")
        if refusal == rules.PriceRefusal.ABOVE_SCHEDULE:
            raise MarketError(_("报价%(price)s元高于本机构公示的收费上限%(fee)s元，不予接受。")
                              % {"price": amount, "fee": fee.max_fee}, code="above_schedule")
        if refusal == rules.PriceRefusal.ABOVE_CAP:
            raise MarketError(_("报价%(price)s元高于项目预算上限%(cap)s元，不予接受。")
                              % {"price": amount, "cap": posting.budget_cap}, code="above_cap")
        if not 1 <= days <= fee.promised_days:
            raise MarketError(_("承诺服务时限应为1至%(days)d个工作日（不超过公示的承诺时限）。")
                              % {"days": fee.promised_days}, code="days")
        if Bid.objects.filter(posting=posting, intermediary=found_int).exists():
            raise MarketError(_("该机构已报名本项目。"), code="duplicate")
        bid = Bid.objects.create(posting=posting, intermediary=found_int, price=amount, days=days,
                                 proposal=proposal, submitted_at=now, submitted_by=actor)
        append_event(actor=actor, kind="posting.bid", subject=f"posting:{posting.pk}",
                     payload={"bid": bid.pk, "intermediary": found_int.pk, "price": str(amount),
                              "days": days})
    return bid


def _award(posting: Posting, bid: Bid, now: dt.datetime, today: dt.date, actor: Any,
           how: dict[str, Any]) -> Contract:
    calendar = get_work_calendar()
    due = calendar.add_working_days(today, bid.days)
    contract = Contract.objects.create(
        posting=posting, intermediary=bid.intermediary, price=bid.price, promised_days=bid.days,
        started_on=today, due_on=due, due_provisional=bool(calendar.provisional_in(today, due)))
    posting.state, posting.winner, posting.awarded_at = PostingState.AWARDED, bid, now
    posting.save(update_fields=["state", "winner", "awarded_at"])
    append_event(actor=actor, kind="posting.award", subject=f"posting:{posting.pk}",
                 payload={"number": posting.number, "method": posting.method, "bid": bid.pk,
                          "intermediary": bid.intermediary_id, "price": str(bid.price),
                          "contract": contract.pk, "due_on": due.isoformat(), **how})
    return contract


def _offers(bids: list[Bid]) -> list[rules.Offer]:
    return [rules.Offer(bid_id=b.pk, intermediary_id=b.intermediary_id, price=b.price,
                        order=i, tech_score=b.tech_score) for i, b in enumerate(bids)]


def close_posting(*, posting_id: int, actor: Any = None, at: dt.datetime | None = None) -> Posting:
    """Close the offers once the deadline has passed (the worker, or the owner's 开标).
    Bidders suspended or cleared out since they offered drop out. Fewer than the minimum
    (2, or 3 for state-funded work) and the posting fails (流标). Otherwise a draw reveals
    the seed and computes the winner, lowest price picks the lowest offer, and direct choice
    or comprehensive evaluation wait for the owner."""
    if actor is not None:
        refuse_staff(actor)
    now, today = moment(at)
    with transaction.atomic():
        posting = _locked(posting_id)
        if actor is not None and posting.owner_id != actor.pk:
            raise MarketForbidden(_("只有项目业主可以办理此操作。"))
        if posting.state != PostingState.OPEN:
            raise MarketError(_("该公告已截止。"), code="not_open")
        if now < posting.offers_close_at:
            raise MarketError(_("报名截止时间未到，不能开标。"), code="too_early")
        offered = posting.bids.select_related("intermediary").order_by("submitted_at", "id")
        bids = [b for b in offered if b.intermediary.may_bid]
        by_score: dict[int, list[int]] = {}
        for b in bids:  # the scores the draw uses are the ones stored: one UPDATE per score
            b.credit_at_close = b.intermediary.credit_score
            by_score.setdefault(b.credit_at_close, []).append(b.pk)
        for value, pks in by_score.items():
            Bid.objects.filter(pk__in=pks).update(credit_at_close=value)
        posting.closed_at, posting.seed_revealed = now, True
        minimum = rules.min_bidders(posting.state_funded)
        if not rules.enough_bidders(len(bids), posting.state_funded):
            posting.state = PostingState.FAILED
            posting.failure_reason = (_("有效报名%(count)d家，少于%(min)d家，流标。")
                                      % {"count": len(bids), "min": minimum})
            posting.save(update_fields=["closed_at", "seed_revealed", "state", "failure_reason"])
            append_event(actor=actor, kind="posting.fail", subject=f"posting:{posting.pk}",
                         payload={"number": posting.number, "bidders": len(bids),
                                  "minimum": minimum, "seed": posting.seed})
            return posting
        if posting.is_draw:
            weighted = posting.method == MethodChoices.WEIGHTED_DRAW
            pairs = [(b.intermediary_id, draw_weight(b.credit_at_close or 0) if weighted else 1)
                     for b in bids]
            result = drawing.draw(posting.seed, posting.number, pairs)
            posting.draw = {
                "version": drawing.VERSION, "seed": posting.seed,
                "commitment": posting.commitment, "bidders": [list(p) for p in sorted(pairs)],
                "message": result.message, "digest": result.digest, "total": result.total,
                "remainder": result.remainder, "winner": result.winner_id}
            posting.save(update_fields=["closed_at", "seed_revealed", "draw"])
            winner = next(b for b in bids if b.intermediary_id == result.winner_id)
            _award(posting, winner, now, today, actor,
                   {"seed": posting.seed, "digest": result.digest, "remainder": result.remainder,
                    "total": result.total, "bidders": [list(p) for p in sorted(pairs)]})
            return posting
        if posting.method == MethodChoices.LOWEST_PRICE:
            posting.save(update_fields=["closed_at", "seed_revealed"])
            best = rules.lowest_price(_offers(bids))
            winner = next(b for b in bids if b.pk == best.bid_id)
            _award(posting, winner, now, today, actor, {"rule": "lowest_price"})
            return posting
        posting.state = PostingState.EVALUATING
        posting.save(update_fields=["closed_at", "seed_revealed", "state"])
        append_event(actor=actor, kind="posting.close", subject=f"posting:{posting.pk}",
                     payload={"number": posting.number, "bidders": len(bids)})
    return posting


def _valid_bids(posting: Posting) -> list[Bid]:
    return [b for b in posting.bids.select_related("intermediary").order_by("submitted_at", "id")
            if b.credit_at_close is not None]


def choose_directly(*, actor: Any, posting_id: int, bid_id: int,
                    at: dt.datetime | None = None) -> Contract:
    """直接选取: the owner — never the bureau — chooses one of the bidders."""
    now, today = moment(at)
    with transaction.atomic():
        posting = _owned(actor, posting_id)
        if posting.method != MethodChoices.DIRECT or posting.state != PostingState.EVALUATING:
            raise MarketError(_("该公告现在不能直接选取。"), code="state")
        bid = next((b for b in _valid_bids(posting) if b.pk == bid_id), None)
        if bid is None:
            raise MarketError(_("请从有效报名的机构中选取。"), code="bid")
        return _award(posting, bid, now, today, actor, {"rule": "direct"})


def score_proposals(*, actor: Any, posting_id: int, scores: Mapping[int, Any],
                    at: dt.datetime | None = None) -> Contract:
    """综合评价: the owner scores every proposal (0–70); the price score (0–30) is computed;
    the highest total wins (`domain/selection.comprehensive`)."""
    now, today = moment(at)
    with transaction.atomic():
        posting = _owned(actor, posting_id)
        if (posting.method != MethodChoices.COMPREHENSIVE
                or posting.state != PostingState.EVALUATING):
            raise MarketError(_("该公告现在不能评分。"), code="state")
        bids = _valid_bids(posting)
        if set(scores) != {b.pk for b in bids}:
            raise MarketError(_("请为每一份服务方案评分。"), code="scores")
        for b in bids:
            value = _decimal(scores[b.pk], _("方案评分"))
            if not Decimal(0) <= value <= rules.TECH_POINTS:
                raise MarketError(_("方案评分应在0至70分之间。"), code="scores")
            b.tech_score = value
            b.save(update_fields=["tech_score"])
        ranked = rules.comprehensive(_offers(bids))
        winner = next(b for b in bids if b.pk == ranked[0].offer.bid_id)
        return _award(posting, winner, now, today, actor, {
            "rule": "comprehensive",
            "ranking": [[s.offer.bid_id, str(s.total)] for s in ranked]})


def repost(*, actor: Any, posting_id: int, offers_close_at: dt.datetime,
           at: dt.datetime | None = None) -> Posting:
    """A failed posting (流标) is posted again, with a new seed and deadline."""
    with transaction.atomic():
        old = _owned(actor, posting_id)
        if old.state != PostingState.FAILED:
            raise MarketError(_("只有流标的公告可以重新发布。"), code="state")
        if old.reposts.exists():
            raise MarketError(_("该公告已重新发布。"), code="reposted")
        return post_need(actor=actor, service_id=old.service_id, project=old.project,
                         scope=old.scope, budget_cap=old.budget_cap, method=old.method,
                         offers_close_at=offers_close_at, state_funded=old.state_funded,
                         owner_name=old.owner_name, case_id=old.case_id, at=at,
                         reposted_from=old, applicant=_applicant_ref(old))


def _applicant_ref(posting: Posting) -> tuple[str, int] | None:
    if posting.applicant_organisation_id is not None:
        return ("organisation", posting.applicant_organisation_id)
    if posting.applicant_person_id is not None:
        return ("person", posting.applicant_person_id)
    return None


def close_due_postings(at: dt.datetime | None = None) -> int:
    """The worker's job: close every open posting past its deadline."""
    now, _today = moment(at)
    ids = list(Posting.objects.filter(state=PostingState.OPEN, offers_close_at__lte=now)
               .values_list("pk", flat=True))
    for pk in ids:
        close_posting(posting_id=pk, at=at)
    return len(ids)
