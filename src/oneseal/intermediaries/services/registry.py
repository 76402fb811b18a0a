"""Entering the market (进场): an intermediary registers with its credit code, declares its
ties to government bodies, and publishes qualifications (checked by staff), staff, fees and
promised times. Each write appends its audit event (kind ``intermediary.*``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oneseal.core.audit import append_event
from oneseal.core.identity import normalize_credit_code
from oneseal.core.roles import Role

from ..errors import MarketError, MarketForbidden, MarketNotFound
from ..models import (
    FeeSchedule,
    GovernmentTie,
    Intermediary,
    Qualification,
    QualificationState,
    Service,
    StaffMember,
)
from .common import moment, operated, require_market_user


def register_intermediary(*, actor: Any, name: str, credit_code: str, legal_representative: str,
                          address: str = "", phone: str = "", introduction: str = "",
                          no_ties_declared: bool = False, ties: Sequence[tuple[str, str]] = (),
                          at: dt.datetime | None = None) -> Intermediary:
    """进场登记. The credit code is checked (GB 32100 check character) and unique; the
    registering account becomes the first operator. Either the intermediary declares it has
    no tie to a government body or it lists its ties: one or the other, never silence."""
    require_market_user(actor)
    try:
        code = normalize_credit_code(credit_code)
    except ValidationError as exc:
        raise MarketError(exc.messages[0], code="credit_code") from None
    if not name.strip() or not legal_representative.strip():
        raise MarketError(_("请填写机构名称和法定代表人。"), code="missing")
    if not no_ties_declared and not ties:
        raise MarketError(_("请申报与政府部门的关联情况：无关联的，请勾选承诺。"), code="ties")
    if no_ties_declared and ties:
        raise MarketError(_("已申报关联的，不能同时承诺无关联。"), code="ties")
    _now, today = moment(at)
    with transaction.atomic():
        if Intermediary.objects.filter(credit_code=code).exists():
            raise MarketError(_("该统一社会信用代码已登记进场。"), code="duplicate")
        found = Intermediary.objects.create(
            name=name.strip(), credit_code=code, legal_representative=legal_representative.strip(),
            address=address, phone=phone, introduction=introduction,
            no_ties_declared=no_ties_declared, entered_on=today)
        found.users.add(actor)
        for body, relation in ties:
            GovernmentTie.objects.create(intermediary=found, body=body, relation=relation,
                                         declared_on=today)
        append_event(actor=actor, kind="intermediary.register", subject=f"intermediary:{found.pk}",
                     payload={"credit_code": code, "name": found.name,
                              "no_ties_declared": no_ties_declared,
                              "ties": [list(t) for t in ties]})
    return found


def submit_qualification(*, actor: Any, intermediary_id: int, service_id: int, name: str,
                         certificate_number: str, issuer: str, valid_from: dt.date,
                         valid_to: dt.date, at: dt.datetime | None = None) -> Qualification:
    """A qualification for one service, waiting for the staff's check (待审核)."""
    found = operated(actor, intermediary_id)
    if valid_to < valid_from:
        raise MarketError(_("资质有效期的截止日期早于起始日期。"), code="dates")
    if not certificate_number.strip():
        raise MarketError(_("请填写资质证书编号。"), code="missing")
    service = Service.objects.filter(pk=service_id, published=True).first()
    if service is None:
        raise MarketNotFound(_("该中介服务事项不存在。"))
    now, _today = moment(at)
    with transaction.atomic():
        q = Qualification.objects.create(
            intermediary=found, service=service, name=name or service.name,
            certificate_number=certificate_number.strip(), issuer=issuer,
            valid_from=valid_from, valid_to=valid_to, submitted_at=now)
        append_event(actor=actor, kind="intermediary.qualification_submit",
                     subject=f"intermediary:{found.pk}",
                     payload={"qualification": q.pk, "service": service.code,
                              "certificate": q.certificate_number,
                              "valid_to": valid_to.isoformat()})
    return q


def review_qualification(*, actor: Any, qualification_id: int, approve: bool, reason: str = "",
                         at: dt.datetime | None = None) -> Qualification:
    """Staff (事项目录管理员) approve a qualification or reject it with reasons. Checking a
    certificate is not choosing an intermediary: no selection happens here."""
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.CATALOG_ADMIN):
        raise MarketForbidden(_("只有事项目录管理员可以审核中介资质。"))
    reason = reason.strip()
    if not approve and not reason:
        raise MarketError(_("不予通过的，请写明理由。"), code="reason_required")
    now, _today = moment(at)
    with transaction.atomic():
        q = Qualification.objects.select_for_update().filter(pk=qualification_id).first()
        if q is None:
            raise MarketNotFound(_("该资质不存在。"))
        if q.state != QualificationState.PENDING:
            raise MarketError(_("该资质已审核。"), code="already_reviewed")
        q.state = QualificationState.APPROVED if approve else QualificationState.REJECTED
        q.reason, q.reviewed_by, q.reviewed_at = reason, actor, now
        q.save(update_fields=["state", "reason", "reviewed_by", "reviewed_at"])
        append_event(actor=actor, kind="intermediary.qualification_review",
                     subject=f"intermediary:{q.intermediary_id}",
                     payload={"qualification": q.pk, "state": q.state, "reason": reason})
    return q


def publish_fee(*, actor: Any, intermediary_id: int, service_id: int, max_fee: Decimal,
                basis: str, promised_days: int, at: dt.datetime | None = None) -> FeeSchedule:
    """收费公示: publish (or replace) the maximum fee and promised working days for a
    service. Offers above it are refused."""
    found = operated(actor, intermediary_id)
    if max_fee <= 0:
        raise MarketError(_("收费上限必须大于零。"), code="fee")
    if not 1 <= promised_days <= 365:
        raise MarketError(_("承诺服务时限应为1至365个工作日。"), code="days")
    if not basis.strip():
        raise MarketError(_("请写明收费标准。"), code="missing")
    service = Service.objects.filter(pk=service_id, published=True).first()
    if service is None:
        raise MarketNotFound(_("该中介服务事项不存在。"))
    _now, today = moment(at)
    with transaction.atomic():
        fee, _created = FeeSchedule.objects.update_or_create(
            intermediary=found, service=service,
            defaults={"max_fee": max_fee, "basis": basis.strip(), "promised_days": promised_days,
                      "published_on": today})
        append_event(actor=actor, kind="intermediary.fee_publish",
                     subject=f"intermediary:{found.pk}",
                     payload={"service": service.code, "max_fee": str(max_fee),
                              "promised_days": promised_days})
    return fee


def add_staff(*, actor: Any, intermediary_id: int, name: str, title: str = "",
              certificate_number: str = "", phone: str = "") -> StaffMember:
    found = operated(actor, intermediary_id)
    if not name.strip():
        raise MarketError(_("请填写姓名。"), code="missing")
    with transaction.atomic():
        member = StaffMember.objects.create(intermediary=found, name=name.strip(), title=title,
                                            certificate_number=certificate_number, phone=phone)
        append_event(actor=actor, kind="intermediary.staff_add", subject=f"intermediary:{found.pk}",
                     payload={"staff": member.pk, "certificate": certificate_number})
    return member


def declare_tie(*, actor: Any, intermediary_id: int, body: str, relation: str,
                at: dt.datetime | None = None) -> GovernmentTie:
    """Declare a tie to a government body; it withdraws any earlier "no ties" promise."""
    found = operated(actor, intermediary_id)
    if not body.strip() or not relation.strip():
        raise MarketError(_("请填写关联的政府部门和关联情形。"), code="missing")
    _now, today = moment(at)
    with transaction.atomic():
        tie = GovernmentTie.objects.create(intermediary=found, body=body.strip(),
                                           relation=relation.strip(), declared_on=today)
        if found.no_ties_declared:
            found.no_ties_declared = False
            found.save(update_fields=["no_ties_declared"])
        append_event(actor=actor, kind="intermediary.tie_declare",
                     subject=f"intermediary:{found.pk}",
                     payload={"body": tie.body, "relation": tie.relation})
    return tie


def save_service(*, actor: Any, code: str, name: str, legal_basis: str, compulsory: bool,
                 fee_basis: str = "", item_ids: Sequence[int] = (), published: bool = True,
                 service_id: int | None = None, material_names: str = "") -> Service:
    """The catalogue administrator keeps the list of intermediary services (中介服务事项清单):
    each with its legal basis (设定依据), the items that need it and the application material
    of those items that its report is (`material_names`, one a line: the report then reaches the
    applicant's case, `sharing.py`). A service without a legal basis cannot be listed."""
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.CATALOG_ADMIN):
        raise MarketForbidden(_("只有事项目录管理员可以维护中介服务事项清单。"))
    code, name, legal_basis = code.strip(), name.strip(), legal_basis.strip()
    if not code or not name:
        raise MarketError(_("请填写事项编码和名称。"), code="missing")
    if not legal_basis:
        raise MarketError(_("中介服务事项必须写明设定依据。"), code="legal_basis")
    with transaction.atomic():
        if Service.objects.filter(code=code).exclude(pk=service_id).exists():
            raise MarketError(_("事项编码已被使用。"), code="duplicate")
        if service_id is None:
            service = Service(code=code)
        else:
            found = Service.objects.select_for_update().filter(pk=service_id).first()
            if found is None:
                raise MarketNotFound(_("该中介服务事项不存在。"))
            service = found
        service.code, service.name, service.legal_basis = code, name, legal_basis
        service.compulsory, service.fee_basis, service.published = compulsory, fee_basis, published
        service.material_names = "\n".join(
            dict.fromkeys(n.strip()[:200] for n in material_names.splitlines() if n.strip()))
        service.save()
        service.items.set(list(item_ids))
        append_event(actor=actor, kind="intermediary.service_save", subject=f"service:{service.pk}",
                     payload={"code": code, "name": name, "legal_basis": legal_basis,
                              "compulsory": compulsory, "published": published,
                              "items": sorted(item_ids),
                              "material_names": service.material_name_list()})
    return service
