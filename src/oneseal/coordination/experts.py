"""专家库 and the reproducible expert draw (work plan measure 六; 行政许可法 第45条 专家评审).

The draw is commit–reveal (algorithm in `domain/draw.py`, docs/coordination.md):
1. `commit_draw`: a fresh 32-byte seed is made; only its SHA-256 is shown (published) and
   written to the audit chain before anything else is decided;
2. `run_draw`: the eligible experts are fixed (field, availability on the day, recusal), the
   draw orders them by HMAC-SHA256(seed, id), the first `count` are chosen; the seed is
   revealed and the whole record (eligible, recused with reasons, selected, seed) goes into
   the audit chain;
3. anyone recomputes it on the public page (`recompute`)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.cases.models import Case
from oneseal.core.audit import append_event

from .common import Forbidden, NotFound, Refused, is_bureau, moment
from .domain import draw as algo
from .models_experts import DrawState, Expert, ExpertDraw

DRAW_ROLES = (Role.CHIEF, Role.HEAD, Role.REVIEWER)
RECUSAL_LABELS = {
    algo.RECUSE_SAME_UNIT: "与申请人同一单位",
    algo.RECUSE_RELATION: "与申请人有利害关系",
    algo.RECUSE_RECENT: "近期已被抽中",
}


def may_manage(user: Any) -> bool:
    return is_bureau(user, DRAW_ROLES)


def _check(user: Any) -> None:
    if not may_manage(user):
        raise Forbidden(_("只有审批局的审查人员、科长或局长可以管理专家库和抽取专家。"))


def save_expert(*, actor: Any, name: str, field: str, title: str, unit_name: str,
                phone: str = "", relations: list[str] | None = None, available: bool = True,
                unavailable_until: dt.date | None = None,
                expert_id: int | None = None) -> Expert:
    _check(actor)
    values = {"name": name.strip(), "field": field.strip(), "title": title.strip(),
              "unit_name": unit_name.strip()}
    if any(not v for v in values.values()):
        raise Refused(_("请填写专家的姓名、专业领域、职称和工作单位。"), code="incomplete")
    rel = [r.strip() for r in (relations or []) if r.strip()]
    with transaction.atomic():
        if expert_id is None:
            expert = Expert.objects.create(**values, phone=phone.strip(), relations=rel,
                                           available=available,
                                           unavailable_until=unavailable_until)
        else:
            expert = Expert.objects.select_for_update().filter(pk=expert_id).first()
            if expert is None:
                raise NotFound(_("专家不存在。"))
            for k, v in values.items():
                setattr(expert, k, v)
            expert.phone, expert.relations, expert.available = phone.strip(), rel, available
            expert.unavailable_until = unavailable_until
            expert.save()
        append_event(actor=actor, kind="coordination.expert", subject=f"expert:{expert.pk}",
                     payload={"field": expert.field, "available": expert.available})
        return expert


def _applicant_names(case: Case | None, extra: list[str]) -> list[str]:
    names = [n.strip() for n in extra if n.strip()]
    if case is not None and case.applicant_name:
        names.insert(0, case.applicant_name)
    return sorted(set(names))


def commit_draw(*, actor: Any, field: str, count: int, case_id: int | None = None,
                related_names: list[str] | None = None, recent_days: int = 30,
                at: dt.datetime | None = None) -> ExpertDraw:
    """Step 1: fix the seed and publish its SHA-256 (in the audit chain) before the draw."""
    _check(actor)
    field = (field or "").strip()
    if not field:
        raise Refused(_("请填写专业领域。"), code="field_required")
    if not isinstance(count, int) or not 1 <= count <= 15:
        raise Refused(_("抽取人数应为1至15人。"), code="invalid_count")
    if not isinstance(recent_days, int) or not 0 <= recent_days <= 365:
        raise Refused(_("回避天数应为0至365天。"), code="invalid_days")
    case = None
    if case_id is not None:
        case = Case.objects.filter(pk=case_id).first()
        if case is None:
            raise NotFound(_("办件不存在。"))
    seed = secrets.token_bytes(32)
    now, _today = moment(at)
    with transaction.atomic():
        row = ExpertDraw.objects.create(
            case=case, field=field, count=count, recent_days=recent_days,
            applicant_names=_applicant_names(case, related_names or []),
            commitment=algo.commitment(seed), seed=seed.hex(), committed_at=now,
            created_by=actor)
        audit = append_event(actor=actor, kind="coordination.draw_commit",
                             subject=f"draw:{row.pk}",
                             payload={"commitment": row.commitment, "field": field,
                                      "count": count, "case": case.number if case else "",
                                      "recent_days": recent_days,
                                      "applicant_names": row.applicant_names})
        row.commit_audit_seq = audit.seq
        row.save(update_fields=["commit_audit_seq"])
        return row


def _last_used(today: dt.date, exclude: int) -> dict[int, int]:
    """Days since each expert was last drawn (other draws)."""
    out: dict[int, int] = {}
    for d in ExpertDraw.objects.filter(state=DrawState.DRAWN).exclude(pk=exclude):
        if d.drawn_on is None:
            continue
        ago = (today - d.drawn_on).days
        for pk in d.selected_ids:
            out[pk] = min(out.get(pk, ago), ago)
    return out


def run_draw(*, actor: Any, draw_id: int, at: dt.datetime | None = None) -> ExpertDraw:
    """Step 2: the eligible list is fixed, the draw made, the seed revealed."""
    _check(actor)
    with transaction.atomic():
        row = ExpertDraw.objects.select_for_update().filter(pk=draw_id).first()
        if row is None:
            raise NotFound(_("抽取记录不存在。"))
        if row.state != DrawState.COMMITTED:
            raise Refused(_("本次抽取已完成。"), code="already_drawn", status=409)
        now, today = moment(at)
        used = _last_used(today, row.pk)
        eligible: list[int] = []
        recused: dict[str, str] = {}
        for e in Expert.objects.filter(field=row.field).order_by("id"):
            if not e.available or (e.unavailable_until and e.unavailable_until >= today):
                continue
            why = algo.recusal(
                algo.Candidate(e.pk, e.unit_name, tuple(e.relations or ()), used.get(e.pk)),
                applicant_names=row.applicant_names, recent_days=row.recent_days)
            if why:
                recused[str(e.pk)] = why
            else:
                eligible.append(e.pk)
        if len(eligible) < row.count:
            raise Refused(_("符合条件的专家只有%(n)d人，不足%(count)d人，"
                            "请扩大专业领域或减少人数。")
                          % {"n": len(eligible), "count": row.count}, code="too_few")
        seed = bytes.fromhex(row.seed)
        selected = algo.draw(seed, eligible, row.count)
        row.eligible_ids, row.recused, row.selected_ids = eligible, recused, selected
        row.state, row.drawn_at, row.drawn_on = DrawState.DRAWN, now, today
        audit = append_event(actor=actor, kind="coordination.draw", subject=f"draw:{row.pk}",
                             payload={"commitment": row.commitment, "seed": row.seed,
                                      "eligible": eligible, "recused": recused,
                                      "selected": selected})
        row.draw_audit_seq = audit.seq
        row.save()
        return row


def recompute(*, seed_hex: str, commitment: str, eligible_ids: list[int],
              count: int) -> dict[str, Any]:
    """What the public page shows: does the seed match the published SHA-256, and which
    experts does the algorithm draw from the published eligible list."""
    try:
        seed = bytes.fromhex(seed_hex.strip())
    except ValueError as exc:
        raise Refused(_("种子应为十六进制字符串。"), code="invalid_seed") from exc
    if not seed:
        raise Refused(_("请填写种子。"), code="invalid_seed")
    if not 1 <= count <= max(1, len(eligible_ids)):
        raise Refused(_("抽取人数不正确。"), code="invalid_count")
    order = algo.draw_order(seed, eligible_ids)
    return {"matches": algo.seed_matches(seed, commitment), "order": order,
            "selected": order[:count],
            "keys": {i: algo.draw_key(seed, i) for i in order}}


def public_draw(draw_id: int) -> ExpertDraw:
    row = ExpertDraw.objects.filter(pk=draw_id).first()
    if row is None:
        raise NotFound(_("抽取记录不存在。"))
    return row
