"""The service on the clock (限时服务): the chosen intermediary uploads its report (checked by
content, as case materials are), which the owner's case receives as a material the applicant
need not submit (免提交); the owner confirms, rates; anyone who used the market may complain,
and a supervisor handles the complaint within its clock. Each write appends its audit
event (kind ``contract.*`` / ``complaint.*``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from oneseal.cases.uploads import inspect_upload
from oneseal.core.audit import append_event
from oneseal.core.roles import Role
from oneseal.core.workcalendar.selectors import get_work_calendar

from ..errors import MarketError, MarketForbidden, MarketNotFound
from ..models import (
    Complaint,
    ComplaintState,
    Contract,
    ContractState,
    Intermediary,
    ServiceRating,
)
from .common import moment, operated, require_market_user
from .credit import apply_credit_rules
from .sharing import attach_to_open_cases

# The bureau's promise for handling a complaint about an intermediary: 10 working days
# (counted as every limit of the bureau, 行政许可法 第82条; the day of filing not counted,
# 民法典 第201条).
COMPLAINT_DAYS = 10


def _contract(contract_id: int) -> Contract:
    found = (Contract.objects.select_for_update().filter(pk=contract_id).first())
    if found is None:
        raise MarketNotFound(_("该服务合同不存在。"))
    return found


def submit_report(*, actor: Any, contract_id: int, upload: Any, name: str,
                  at: dt.datetime | None = None) -> Contract:
    """The intermediary uploads its report (中介服务成果), a Django `File` (an uploaded
    file), checked by its content (PDF, OFD, JPEG, PNG) as case materials are.
    Days late are the working days after the due day (第82条)."""
    info = inspect_upload(upload, name=name)
    _now, today = moment(at)
    with transaction.atomic():
        contract = _contract(contract_id)
        operated(actor, contract.intermediary_id)
        if contract.state != ContractState.RUNNING:
            raise MarketError(_("该合同已提交成果。"), code="state")
        upload.seek(0)
        contract.report.save(info.safe_name, upload, save=False)
        late = get_work_calendar().count_working_days(contract.due_on, today)
        contract.report_name, contract.report_sha256 = info.safe_name, info.sha256
        contract.reported_on, contract.days_late = today, max(0, late)
        contract.state = ContractState.REPORTED
        contract.save(update_fields=["report", "report_name", "report_sha256", "reported_on",
                                     "days_late", "state"])
        append_event(actor=actor, kind="contract.report", subject=f"contract:{contract.pk}",
                     payload={"sha256": info.sha256, "kind": info.kind, "size": info.size,
                              "days_late": contract.days_late,
                              "case": contract.posting.case_id})
    if contract.days_late:
        apply_credit_rules(contract.intermediary_id, today)
    return contract


def _owned_contract(actor: Any, contract_id: int) -> Contract:
    require_market_user(actor)
    contract = _contract(contract_id)
    if contract.posting.owner_id != actor.pk:
        raise MarketForbidden(_("只有项目业主可以办理此操作。"))
    return contract


def finish(*, actor: Any, contract_id: int, at: dt.datetime | None = None) -> Contract:
    """The owner accepts the report: the service is finished, and the report becomes a
    material of the owner's open cases that need it (`sharing.py`, 国务院令第716号 第7条)."""
    _now, today = moment(at)
    with transaction.atomic():
        contract = _owned_contract(actor, contract_id)
        if contract.state != ContractState.REPORTED:
            raise MarketError(_("中介机构尚未提交成果。"), code="state")
        contract.state, contract.finished_on = ContractState.FINISHED, today
        contract.save(update_fields=["state", "finished_on"])
        append_event(actor=actor, kind="contract.finish", subject=f"contract:{contract.pk}",
                     payload={"finished_on": today.isoformat()})
        # the accepted report reaches the owner's cases still before acceptance (免提交)
        attach_to_open_cases(contract, now=at)
    return contract


def rate(*, actor: Any, contract_id: int, stars: int, text: str = "",
         at: dt.datetime | None = None) -> ServiceRating:
    """The owner rates a finished service once, 1–5 stars; the credit follows."""
    _now, today = moment(at)
    if not 1 <= int(stars) <= 5:
        raise MarketError(_("评分应为1至5星。"), code="stars")
    with transaction.atomic():
        contract = _owned_contract(actor, contract_id)
        if contract.state != ContractState.FINISHED:
            raise MarketError(_("服务完成后才能评价。"), code="state")
        if ServiceRating.objects.filter(contract=contract).exists():
            raise MarketError(_("该服务已评价。"), code="duplicate")
        rating = ServiceRating.objects.create(contract=contract, stars=int(stars),
                                             text=text[:500], rated_on=today)
        append_event(actor=actor, kind="contract.rate", subject=f"contract:{contract.pk}",
                     payload={"stars": rating.stars, "intermediary": contract.intermediary_id})
    apply_credit_rules(contract.intermediary_id, today)
    return rating


def complain(*, actor: Any, intermediary_id: int, text: str, contract_id: int | None = None,
             at: dt.datetime | None = None) -> Complaint:
    """A complaint about an intermediary, with its handling clock (COMPLAINT_DAYS working
    days). Only a project owner may name a contract, and only his own."""
    require_market_user(actor)
    _now, today = moment(at)
    if not text.strip():
        raise MarketError(_("请写明投诉内容。"), code="missing")
    found = Intermediary.objects.filter(pk=intermediary_id).first()
    if found is None:
        raise MarketNotFound(_("该中介服务机构不存在。"))
    contract = None
    if contract_id is not None:
        contract = Contract.objects.filter(pk=contract_id, intermediary=found,
                                           posting__owner=actor).first()
        if contract is None:
            raise MarketForbidden(_("只能就本人的服务合同投诉。"))
    calendar = get_work_calendar()
    due = calendar.add_working_days(today, COMPLAINT_DAYS)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            intermediary=found, contract=contract, complainant=actor, text=text.strip()[:2000],
            filed_on=today, due_on=due, due_provisional=bool(calendar.provisional_in(today, due)))
        append_event(actor=actor, kind="complaint.file", subject=f"intermediary:{found.pk}",
                     payload={"complaint": complaint.pk, "due_on": due.isoformat()})
    return complaint


def handle_complaint(*, actor: Any, complaint_id: int, upheld: bool, result: str,
                     at: dt.datetime | None = None) -> Complaint:
    """A supervisor (监督人员) finds the complaint justified or not, with the reasons; a
    justified one lowers the credit (domain/credit.py)."""
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.SUPERVISOR):
        raise MarketForbidden(_("只有监督人员可以处理投诉。"))
    if not result.strip():
        raise MarketError(_("请写明处理结果。"), code="missing")
    _now, today = moment(at)
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
        if complaint is None:
            raise MarketNotFound(_("该投诉不存在。"))
        if complaint.state != ComplaintState.OPEN:
            raise MarketError(_("该投诉已办结。"), code="state")
        complaint.state = ComplaintState.UPHELD if upheld else ComplaintState.DISMISSED
        complaint.result, complaint.handled_by, complaint.handled_on = result.strip(), actor, today
        complaint.save(update_fields=["state", "result", "handled_by", "handled_on"])
        append_event(actor=actor, kind="complaint.handle",
                     subject=f"intermediary:{complaint.intermediary_id}",
                     payload={"complaint": complaint.pk, "state": complaint.state,
                              "on_time": today <= complaint.due_on})
    if upheld:
        apply_credit_rules(complaint.intermediary_id, today)
    return complaint

