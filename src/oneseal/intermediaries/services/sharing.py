"""The report reaches the applicant's case as a material (中介超市共享获取，免提交).

国务院令第716号 第7条 (证明材料后台核验): the agency does not ask the applicant again for what
it can obtain by sharing. An intermediary's report delivered through the marketplace is such a
material: the bureau has it already. The same flow as the licence library's
(`oneseal.licences.sharing`), through the same signal, because cases sits below this app
(import-linter layers) and knows nothing of the marketplace:

* which material: the service catalogue names, for each service, the items that need it
  (`Service.items`) and the application materials the report is (`Service.material_names`,
  one a line, matched by name as `licences.SharingRule` is: catalogue materials belong to
  one item version, new versions copy the name);
* whose report: the posting's applicant (`Posting.applicant_person` /
  `applicant_organisation`) is the case's applicant — the same organisation for an
  organisation's case, the same natural person for a person's case; a posting linked to one
  case (`Posting.case`) serves that case only;
* which report: one the owner accepted (contract ``finished``) by the day the case was
  received, with its file; the latest.

When: on submission (`case_submitted`, online or at the window), and when the owner accepts a
report (`delivery.finish`) while a case of his is still before acceptance (收件, 补正).
The material is then marked 共享获取 by the system (no clerk), obtainable by sharing for this
case, with `supplied_by` = 中介超市 for the applicant's receipt, and a `SuppliedReport` keeps
the report's file name, SHA-256, intermediary, service and date; the clerk opens the report
from the case's material table (`views_reports.py`). Each attachment appends the audit
event ``contract.share``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oneseal.cases.domain.states import CaseState
from oneseal.cases.models import Case, CaseMaterial, CheckStatus
from oneseal.core.audit import append_event

from ..models import Contract, ContractState, Service, SuppliedReport

# Stored on the case material (data, as a catalogue material's share_source is).
SOURCE = "中介超市"
OPEN_STATES = (CaseState.RECEIVED, CaseState.CORRECTING)  # before acceptance (第32条)


def _same_applicant(person_id: int | None, organisation_id: int | None) -> Q | None:
    if organisation_id is not None:
        return Q(posting__applicant_organisation_id=organisation_id)
    if person_id is not None:
        return Q(posting__applicant_person_id=person_id)
    return None


def _services_by_material(item_id: int) -> dict[str, list[int]]:
    by_name: dict[str, list[int]] = {}
    for service in Service.objects.filter(items=item_id).exclude(material_names=""):
        for name in service.material_name_list():
            by_name.setdefault(name, []).append(service.pk)
    return by_name


def _report_for(case: Any, service_ids: list[int], who: Q,
                until: dt.date | None) -> Contract | None:
    """The latest accepted report, accepted by `until` when given."""
    found = Contract.objects.filter(who, state=ContractState.FINISHED,
                                    posting__service_id__in=service_ids)
    if until is not None:
        found = found.filter(finished_on__lte=until)
    return (found
            .filter(Q(posting__case__isnull=True) | Q(posting__case_id=case.pk))
            .exclude(report="")
            .select_related("intermediary", "posting__service")
            .order_by("-finished_on", "-id").first())


def attach_reports(case: Any, *, now: dt.datetime | None = None,
                   accepted_by: dt.date | None = None) -> list[SuppliedReport]:
    """Attach the applicant's finished reports to the case's unchecked materials they
    supply (see the module docstring); with `accepted_by`, only reports accepted by that
    day (on submission: the day received — a case filed for an earlier day, as a
    back-dated import does, never receives a report accepted after it). Idempotent: a
    material already checked, by a clerk or by the licence library, or already supplied,
    is left alone. Runs in the caller's transaction."""
    if case.state not in OPEN_STATES:
        return []
    who = _same_applicant(case.person_id, case.organisation_id)
    if who is None:
        return []
    by_name = _services_by_material(case.item_id)
    if not by_name:
        return []
    pending = list(CaseMaterial.objects.filter(
        case=case, name__in=list(by_name), status__in=[CheckStatus.PENDING, CheckStatus.SHARED],
        checked_at__isnull=True, intermediary_report__isnull=True))
    moment = now or timezone.now()
    made: list[SuppliedReport] = []
    with transaction.atomic():
        for material in pending:
            contract = _report_for(case, by_name[material.name], who, accepted_by)
            if contract is None:
                continue
            material.status, material.shareable, material.supplied_by = (
                CheckStatus.SHARED, True, SOURCE)
            material.checked_by, material.checked_at = None, moment
            material.save(update_fields=["status", "shareable", "supplied_by", "checked_by",
                                         "checked_at"])
            made.append(SuppliedReport.objects.create(
                material=material, contract=contract, report_name=contract.report_name,
                report_sha256=contract.report_sha256,
                intermediary_name=contract.intermediary.name,
                service_name=contract.posting.service.name,
                reported_on=contract.reported_on or timezone.localdate(moment),
                attached_at=moment))
        if made:
            Contract.objects.filter(pk__in={r.contract_id for r in made}).update(
                case_linked=True)
            append_event(actor=None, kind="contract.share", subject=f"case:{case.pk}",
                         payload={"case": case.number, "materials": [
                             {"material": r.material.name, "contract": r.contract_id,
                              "sha256": r.report_sha256} for r in made]})
    return made


def attach_to_open_cases(contract: Contract, *, now: dt.datetime | None = None) -> int:
    """A report just accepted by its owner reaches the open cases (before acceptance) of
    the same applicant whose item needs the service. Returns how many materials received
    it."""
    posting = contract.posting
    service = posting.service
    if not service.material_name_list():
        return 0
    cases = Case.objects.filter(state__in=OPEN_STATES,
                                item_id__in=service.items.values_list("pk", flat=True))
    if posting.case_id is not None:
        cases = cases.filter(pk=posting.case_id)
    if posting.applicant_organisation_id is not None:
        cases = cases.filter(organisation_id=posting.applicant_organisation_id)
    elif posting.applicant_person_id is not None:
        cases = cases.filter(person_id=posting.applicant_person_id, organisation__isnull=True)
    else:
        return 0
    return sum(len(attach_reports(case, now=now)) for case in cases.order_by("id"))


def on_case_submitted(sender: Any, *, case: Any, **kwargs: Any) -> None:
    """Receiver of `case_submitted` (connected in `IntermediariesConfig.ready`)."""
    attach_reports(case, accepted_by=case.received_on)


def on_materials_supplied(sender: Any, *, person_id: int | None, organisation_id: int | None,
                          item_id: int, names: list[str], **kwargs: Any) -> dict[str, str]:
    """Receiver of `materials_supplied` (an online application being prepared): the
    materials among `names` that a report of the same applicant, accepted and not tied to
    another case, will supply on submission → {name: 中介超市}. The online form then asks
    no upload for them (免提交)."""
    who = _same_applicant(person_id, organisation_id)
    if who is None:
        return {}
    by_name = _services_by_material(item_id)
    wanted = [n for n in names if n in by_name]
    if not wanted:
        return {}
    reports = (Contract.objects.filter(who, state=ContractState.FINISHED,
                                       posting__case__isnull=True).exclude(report=""))
    return {n: SOURCE for n in wanted
            if reports.filter(posting__service_id__in=by_name[n]).exists()}
