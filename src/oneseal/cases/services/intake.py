"""Submission and acceptance (收件、受理, 行政许可法 第32条), and on-the-spot decisions."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.applicants.domain.authorisation import NOT_AUTHORISED as AGENT_NOT_AUTHORISED
from oneseal.applicants.models import Organisation, Person
from oneseal.applicants.selectors import AGENT_REFUSALS, agent_refusal, organisations_for
from oneseal.catalog.models import Item
from oneseal.catalog.selectors import version_in_force
from oneseal.core.audit import audit_frame
from oneseal.org.service_points import POINT_REFUSALS, receive_refusal

from .. import documents
from ..domain.states import CaseState, Operation
from ..errors import CaseForbidden, RuleViolation
from ..models import (
    ApplicantKind,
    Case,
    CaseFile,
    CaseMaterial,
    CaseNumberCounter,
    CaseStep,
    Channel,
    CheckStatus,
    CorrectionNoticeRecord,
    DocumentKind,
    IdempotencyRecord,
    JointSource,
    Opinion,
    Outcome,
    SpotCorrection,
    StepState,
)
from ..signals import case_decided, case_submitted
from .frame import (
    QUERY_CODE_ALPHABET,
    _accepted_by_law,
    _begin,
    _check_decision,
    _close,
    _ensure_materials_ready,
    _finish_step,
    _int,
    _issue_decision,
    _moment,
    _next_waiting,
    _open,
    _record,
    _required_text,
    _set_decision,
)


@dataclass(frozen=True)
class ApplicantRef:
    person_id: int | None = None
    organisation_id: int | None = None


def _next_number(year: int) -> str:
    """Bureau code + year + a 7-digit sequence. The counter row is locked and incremented in
    the case's own transaction: a rolled-back submission gives its number back, so numbers
    never repeat and never skip (on SQLite the write transaction is serialised).

    One statement in the common case (`UPDATE … SET last = last + 1 … RETURNING last`: the
    row is locked and incremented at once, issue 19's profile counted three before); the
    first case of a year creates the row first."""
    last = _increment_counter(year)
    if last is None:
        CaseNumberCounter.objects.bulk_create([CaseNumberCounter(year=year, last=0)],
                                              ignore_conflicts=True)
        last = _increment_counter(year)
    if last is None:  # pragma: no cover - the row exists now
        raise RuntimeError(f"case number counter of {year} missing")
    return f"{settings.ONESEAL_BUREAU_CODE}{year}{last:07d}"


def _increment_counter(year: int) -> int | None:
    """The counter of `year` incremented (and so locked until commit), or None when the year
    has no row yet."""
    conn = connections[CaseNumberCounter.objects.db]
    table = conn.ops.quote_name(CaseNumberCounter._meta.db_table)
    if not _update_returning(conn):
        counter = CaseNumberCounter.objects.select_for_update().filter(year=year).first()
        if counter is None:
            return None
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last
    with conn.cursor() as cursor:
        cursor.execute(f'UPDATE {table} SET "last" = "last" + 1 '  # noqa: S608 - fixed name
                       'WHERE "year" = %s RETURNING "last"', [year])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _update_returning(conn: Any) -> bool:
    if conn.vendor == "postgresql":
        return True
    if conn.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version_info >= (3, 35)
    return False


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))


def _resolve_applicant(actor: Any, applicant: ApplicantRef, agent_id: int | None
                       ) -> tuple[str, Person | None, Organisation | None, Person | None]:
    staff = actor.has_role(Role.CLERK, Role.HELPER)
    if not staff and not actor.has_role(Role.APPLICANT, Role.AGENT):
        raise CaseForbidden(_("您的角色无权提交申请。"))
    person = org = agent = None
    if (applicant.person_id is None) == (applicant.organisation_id is None):
        raise RuleViolation(_("请指定一个申请人：自然人或法人和其他组织。"),
                            code="applicant_required")
    if applicant.person_id is not None:
        person = Person.objects.filter(pk=applicant.person_id).first()
        if person is None:
            raise RuleViolation(_("申请人不存在。"), code="applicant_not_found")
        if not staff and person.user_id != actor.pk:
            raise CaseForbidden(_("您只能以本人名义提交申请。"))
    else:
        org = Organisation.objects.filter(pk=applicant.organisation_id).first()
        if org is None:
            raise RuleViolation(_("申请单位不存在。"), code="applicant_not_found")
        if not staff and not organisations_for(actor).filter(pk=org.pk).exists():
            raise CaseForbidden(_("您无权代表该单位提交申请。"))
    if agent_id is not None:
        agent = Person.objects.filter(pk=agent_id).first()
        if agent is None:
            raise RuleViolation(_("代理人不存在。"), code="agent_not_found")
    if actor.has_role(Role.HELPER) and not actor.has_role(Role.CLERK):
        # 帮办代办: a helper files only as the agent himself, under the applicant's
        # authorisation (checked with every agent's below), never as the front desk does
        if agent is None or agent.user_id != actor.pk:
            raise RuleViolation(_("帮办员只能凭申请人的授权委托，以本人为代理人代为申请。"),
                                code="helper_needs_authorisation")
    kind = ApplicantKind.PERSON if person else ApplicantKind.ORGANISATION
    return kind, person, org, agent


def _online_acting_refusal(actor: Any, org: Organisation, item_id: int,
                           today: dt.date) -> str | None:
    """An account applying online for an organisation without naming an agent: its operators
    (linked to it) act for it in everything; an account that reaches it only through an
    authorisation (授权委托) is held to that authorisation's scope on the day, as a named
    agent is (`agent_out_of_scope` for an item it does not cover)."""
    if org.users.filter(pk=actor.pk).exists():
        return None
    person = Person.objects.filter(user=actor).first()
    if person is None:
        return AGENT_NOT_AUTHORISED
    return agent_refusal(person, organisation=org, item_id=item_id, on=today)


def case_submit(*, actor: Any, item_id: int, variant_code: str, applicant: ApplicantRef,
                agent_id: int | None = None, channel: str = Channel.WINDOW,
                at: dt.datetime | None = None, idempotency_key: str | None = None,
                request_hash: str = "", service_point_id: int | None = None,
                deliver_at_point: bool = False) -> tuple[Case, bool]:
    """Create a case when an application arrives (收件), bound to the item version and the
    business variant in force (law.md §13), with its materials and review chain copied.
    Returns (case, created). With an `idempotency_key`, a retry with the same request returns
    the case of the first call (created False); the same key with another request is refused.
    `service_point_id`: received at a street or community service point (便民服务中心/站)
    that may receive the item (`org.service_points`); `deliver_at_point`: the applicant
    collects the result there.
    """
    if idempotency_key:
        found = _idempotent(actor, idempotency_key, request_hash)
        if found is not None:
            return found, False
    try:
        with audit_frame():
            case = _submit(actor=actor, item_id=item_id, variant_code=variant_code,
                           applicant=applicant, agent_id=agent_id, channel=channel, at=at,
                           point=(service_point_id, deliver_at_point))
            if idempotency_key:
                IdempotencyRecord.objects.create(user=actor, key=idempotency_key,
                                                 request_hash=request_hash, case=case)
    except IntegrityError:
        if not idempotency_key:
            raise
        found = _idempotent(actor, idempotency_key, request_hash)
        if found is None:
            raise
        return found, False
    return case, True


def _idempotent(actor: Any, key: str, request_hash: str) -> Case | None:
    record = IdempotencyRecord.objects.filter(user=actor, key=key).select_related("case").first()
    if record is None:
        return None
    if record.request_hash != request_hash:
        raise RuleViolation(_("该幂等键（Idempotency-Key）已用于另一份不同的申请，请换用新的键。"),
                            code="idempotency_key_reused")
    return record.case


def _submit(*, actor: Any, item_id: int, variant_code: str, applicant: ApplicantRef,
            agent_id: int | None, channel: str, at: dt.datetime | None,
            point: tuple[int | None, bool] = (None, False)) -> Case:
    now, today = _moment(at)
    kind, person, org, agent = _resolve_applicant(actor, applicant, agent_id)
    if channel not in Channel.values:
        raise RuleViolation(_("收件渠道不正确。"), code="invalid_channel")
    item = Item.objects.filter(pk=item_id).first()
    version = version_in_force(item, now) if item is not None else None
    if item is None or version is None:
        raise RuleViolation(_("该事项不存在或当前没有有效版本，无法申请。"),
                            code="item_not_in_force")
    variant = version.variants.filter(code=variant_code).first()
    if variant is None:
        raise RuleViolation(_("该事项没有编码为“%(code)s”的业务办理项。") % {"code": variant_code},
                            code="variant_not_found")
    chain = list(variant.steps.order_by("order"))
    if not chain:
        raise RuleViolation(_("该办理项没有审批环节，无法受理。"), code="no_chain")
    if agent is not None:  # an authorisation from this applicant, in force, for this item
        refused = agent_refusal(agent, person=person, organisation=org, item_id=item.pk,
                                on=today)
        if refused is not None:
            raise RuleViolation(AGENT_REFUSALS[refused], code=refused)
    elif org is not None and not actor.has_role(Role.CLERK, Role.HELPER):
        refused = _online_acting_refusal(actor, org, item.pk, today)
        if refused is not None:
            raise RuleViolation(AGENT_REFUSALS[refused], code=refused)
    point_id, at_point = point
    if point_id is not None:
        refused = receive_refusal(point_id, item.pk)
        if refused is not None:
            raise RuleViolation(POINT_REFUSALS[refused], code=refused)
    elif at_point:
        raise RuleViolation(_("未在便民服务点收件，不能选择在便民服务点领取结果。"),
                            code="service_point_required")
    # An item whose law prescribes 统一办理、联合办理 or 集中办理 (行政许可法 第26条): the case
    # is handled jointly from intake, so its statutory clock counts 45 working days
    # (第42条第二款) and the bureau cannot mark it again.
    joint_kind = version.joint_handling
    case = Case.objects.create(
        number=_next_number(today.year), query_code=new_query_code(), item=item,
        version=version, variant=variant, department_id=version.competent_department_id,
        item_name=version.name, variant_name=variant.name, applicant_kind=kind, person=person,
        organisation=org, agent=agent, applicant_name=(person or org).name,  # type: ignore[union-attr]
        channel=channel, state=CaseState.RECEIVED, on_the_spot=version.is_on_the_spot,
        received_at=now, received_on=today, created_by=actor, service_point_id=point_id,
        deliver_at_point=at_point, joint=bool(joint_kind), joint_kind=joint_kind,
        joint_source=JointSource.ITEM if joint_kind else "")
    CaseMaterial.objects.bulk_create([
        CaseMaterial(case=case, catalog_material=m, name=m.name, required=m.required,
                     shareable=m.shareable, originals=m.originals, copies=m.copies,
                     sort=i, status=CheckStatus.SHARED if m.shareable else CheckStatus.PENDING)
        for i, m in enumerate(variant.materials.all())])
    last = len(chain) - 1
    steps = [CaseStep(case=case, department_id=case.department_id, order=i + 1, name=s.name,
                      role=s.role, limit_days=s.limit_days,
                      site_visit=bool(getattr(s, "site_visit", False)), is_final=i == last,
                      state=StepState.WAITING)
             for i, s in enumerate(chain)]
    data: dict[str, Any] = {"item": item.implementation_code, "version": version.number,
                            "variant": variant.code, "channel": channel}
    if point_id is not None:
        data["service_point"] = point_id
    if joint_kind:
        data["joint"] = {"kind": joint_kind, "source": JointSource.ITEM}
    first = steps[0]
    if first.role == Role.CLERK:  # the chain's acceptance step (受理) runs from receipt
        first.state, first.opened_on = StepState.OPEN, today
        data["steps_started"] = [{"key": "1.1", "days": first.limit_days}]
    CaseStep.objects.bulk_create(steps)
    _record(case, actor=actor, op="submit", now=now, today=today, state_from="", data=data)
    # The licence library attaches shared licences to materials obtainable by sharing
    # (国务院令第716号 第7条), in this transaction.
    case_submitted.send(sender=Case, case=case)
    return case


def case_check_materials(*, actor: Any, case: Case | int, results: list[dict[str, Any]],
                         at: dt.datetime | None = None) -> Case:
    """Record the clerk's check of each material (材料核验): 合格, 需补正 with the reason, 共享
    获取 (only for a material obtainable by sharing, 国务院令第716号 第7条) or 不适用 (only for
    an optional one). All results are checked before anything is written."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.CHECK_MATERIALS, at)
        _apply_checks(case, actor, results, now, today)
        return case


def _apply_checks(case: Case, actor: Any, results: list[dict[str, Any]], now: dt.datetime,
                  today: dt.date) -> None:
    """Validate every result, then write them all and their event (材料核验)."""
    materials = {m.pk: m for m in case.materials.all()}
    changed: list[CaseMaterial] = []
    problems: list[str] = []
    for row in results:
        material = materials.get(_int(row.get("material")))
        status = str(row.get("status", ""))
        reason = str(row.get("reason", "") or "").strip()
        if material is None:
            problems.append(_("材料 %(id)s 不属于该办件。") % {"id": row.get("material")})
            continue
        if status not in CheckStatus.values or status == CheckStatus.PENDING:
            problems.append(_("“%(name)s”的核验结果不正确。") % {"name": material.name})
        elif status == CheckStatus.DEFECTIVE and not reason:
            problems.append(_("“%(name)s”需补正，请写明补正原因。") % {"name": material.name})
        elif status == CheckStatus.SHARED and not material.shareable:
            problems.append(_("“%(name)s”不能通过共享获取。") % {"name": material.name})
        elif status == CheckStatus.NOT_NEEDED and material.required:
            problems.append(_("“%(name)s”是必要材料，不能标为不适用。")
                            % {"name": material.name})
        else:
            material.status = status
            material.reason = reason if status == CheckStatus.DEFECTIVE else ""
            material.checked_by, material.checked_at = actor, now
            changed.append(material)
    if problems:
        raise RuleViolation(" ".join(problems), code="invalid_check")
    CaseMaterial.objects.bulk_update(changed, ["status", "reason", "checked_by", "checked_at"])
    _record(case, actor=actor, op=Operation.CHECK_MATERIALS, now=now, today=today,
            state_from=case.state, recompute=False,
            data={"results": [{"material": m.pk, "status": m.status} for m in changed]})


def case_attach_file(*, actor: Any, case: Case | int, material_id: int | None, upload: Any,
                     purpose: str = "material", at: dt.datetime | None = None) -> CaseFile:
    """Attach an uploaded file, checked by its content (`uploads.inspect_upload`); a bad
    file is refused and nothing is kept."""
    from .. import uploads

    with audit_frame():
        case, now, today = _begin(actor, case, Operation.ATTACH_FILE, at)
        material = None
        if material_id is not None:
            material = case.materials.filter(pk=material_id).first()
            if material is None:
                raise RuleViolation(_("该材料不属于此办件。"), code="material_not_found")
        info = uploads.inspect_upload(upload, name=getattr(upload, "name", "") or "upload")
        stored = uploads.store_upload(case=case, material=material, upload=upload, info=info,
                                      user=actor, purpose=purpose)
        try:
            _record(case, actor=actor, op=Operation.ATTACH_FILE, now=now, today=today,
                    state_from=case.state, recompute=False,
                    data={"file": stored.pk, "material": material.pk if material else None,
                          "name": stored.name, "sha256": stored.sha256, "size": stored.size})
        except BaseException:
            stored.file.delete(save=False)  # nothing kept when the operation fails
            raise
        return stored


def case_accept(*, actor: Any, case: Case | int, results: list[dict[str, Any]] | None = None,
                at: dt.datetime | None = None) -> Case:
    """受理 (行政许可法 第32条): every required material is checked 合格 (or obtained by
    sharing); the acceptance step is done and the first review step opens. The 受理通知书
    is issued. The acceptance date is this day, unless the applicant was not told within 5
    working days of the materials (or of the complete corrections) arriving — by a late
    notice or by this acceptance coming late: then the day they arrived (第32条, computed by
    the clock from the events). `results`, when given, is the check of
    the materials made at the same time (as `case_check_materials`; its own event), in the
    same transaction: if acceptance is refused, the check is not kept either."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.ACCEPT, at)
        if results:
            _apply_checks(case, actor, results, now, today)
        _ensure_materials_ready(case)
        data = _complete_acceptance_step(case, actor, now, today)
        nxt = _next_waiting(case, 1 if data.get("steps_completed") else 0)
        if nxt is not None:
            data.setdefault("steps_started", []).append(_open(nxt, today))
        state_from = case.state
        case.state = CaseState.REVIEWING
        _record(case, actor=actor, op=Operation.ACCEPT, now=now, today=today,
                state_from=state_from, data=data)
        documents.issue_document(actor=actor, case=case, kind=DocumentKind.ACCEPTANCE_NOTICE,
                                 on=today, details={})
        return case


def _complete_acceptance_step(case: Case, actor: Any, now: dt.datetime,
                              today: dt.date) -> dict[str, Any]:
    step = case.steps.filter(order=1, state__in=[StepState.OPEN, StepState.CLAIMED]).first()
    if step is None or step.role != Role.CLERK:
        return {}
    _finish_step(step, actor=actor, now=now, today=today, opinion=Opinion.ACCEPT)
    return {"steps_completed": [f"{step.order}.{step.round}"]}


def case_refuse(*, actor: Any, case: Case | int, reason: str, competent_agency: str = "",
                at: dt.datetime | None = None) -> Case:
    """不予受理 (行政许可法 第32条): with the reason and, where the matter is not this
    bureau's competence, the agency that is. The 不予受理决定书 is issued. Not once the
    application counts as accepted by law (第32条: no correction notice within 5 working days
    of the materials or of the complete corrections): only 不予许可 (第38条) remains then."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.REFUSE, at)
        reason = _required_text(reason, _("请写明不予受理的理由。"), "reason_required")
        deemed = _accepted_by_law(case, today)
        if deemed is not None:
            raise RuleViolation(
                _("依照《行政许可法》第三十二条，本申请自%(day)s起已视为受理，不能再作出不予受理"
                  "决定；不符合法定条件、标准的，应当依照第三十八条作出不予行政许可决定。")
                % {"day": deemed.isoformat()}, code="already_accepted_by_law")
        case.competent_agency = (competent_agency or "").strip()[:200]
        state_from = case.state
        _close(case, CaseState.NOT_ACCEPTED, today, reason)
        _record(case, actor=actor, op=Operation.REFUSE, now=now, today=today,
                state_from=state_from, reason=reason,
                data={"competent_agency": case.competent_agency})
        documents.issue_document(actor=actor, case=case, kind=DocumentKind.REFUSAL_NOTICE,
                                 on=today, details={"reason": reason,
                                                    "competent_agency": case.competent_agency})
        return case


def case_correction_notice(*, actor: Any, case: Case | int,
                           at: dt.datetime | None = None) -> Case:
    """一次性告知补正 (行政许可法 第32条): one notice listing EVERY material marked 需补正.

    A second notice may only repeat defects already listed in the first (the corrections
    did not fix them); a defect that was not in the first notice is refused, because the law
    requires everything to be told at once. A notice later than 5 working days after the
    materials (or, for a repeated notice, the complete corrections) arrived makes the
    application count as accepted from that day (computed by the clock from the events): the
    notice then says the application is already accepted by law, and the decision clock runs
    on while the applicant corrects."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.CORRECTION_NOTICE, at)
        defects = list(case.materials.filter(status=CheckStatus.DEFECTIVE).order_by("sort"))
        if not defects:
            raise RuleViolation(_("没有标为“需补正”的材料，无需发出补正通知。"), code="no_defects")
        previous = list(case.correction_notices.order_by("number"))
        if previous:
            first_ids = {d["material"] for d in previous[0].defects}
            new = [m.name for m in defects if m.pk not in first_ids]
            if new:
                raise RuleViolation(
                    _("依照《行政许可法》第三十二条，补正内容应当一次性告知。以下材料不在首次补正"
                      "通知中，不能再次要求补正：%(names)s。") % {"names": "、".join(new)},
                    code="one_time_notice", materials=new)
        accepted_by_law = _accepted_by_law(case, today)
        late = accepted_by_law is not None
        items = [{"material": m.pk, "name": m.name, "reason": m.reason} for m in defects]
        number = len(previous) + 1
        CorrectionNoticeRecord.objects.create(case=case, number=number, issued_on=today,
                                              issued_by=actor, defects=items, late=late)
        state_from = case.state
        case.state = CaseState.CORRECTING
        _record(case, actor=actor, op=Operation.CORRECTION_NOTICE, now=now, today=today,
                state_from=state_from, data={"number": number, "late": late,
                                             "defects": items})
        documents.issue_document(
            actor=actor, case=case, kind=DocumentKind.CORRECTION_NOTICE, on=today,
            details={"notice_number": number,
                     "defects": [{"name": d["name"], "reason": d["reason"]} for d in items],
                     "late": late, "accepted_by_law_on":
                         accepted_by_law.isoformat() if accepted_by_law else ""})
        return case


def case_spot_correction(*, actor: Any, case: Case | int, items: list[dict[str, Any]],
                         at: dt.datetime | None = None) -> Case:
    """当场更正 (行政许可法 第32条第一款第（三）项): the applicant corrects, at the window, an
    error in the materials that can be corrected on the spot (a slip of the pen, a wrong
    date...). The clerk records what was corrected in which material (`SpotCorrection`, and
    the event); each corrected material is then 合格. It is no correction notice: the
    5-working-day clock of 第32条 keeps running."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.SPOT_CORRECTION, at)
        materials = {m.pk: m for m in case.materials.all()}
        rows: list[dict[str, Any]] = []
        problems: list[str] = []
        for item in items or []:
            material = materials.get(_int(item.get("material")))
            what = str(item.get("what", "") or "").strip()
            if material is None:
                problems.append(_("材料 %(id)s 不属于该办件。") % {"id": item.get("material")})
            elif not what:
                problems.append(_("请写明“%(name)s”当场更正了什么。") % {"name": material.name})
            else:
                rows.append({"material": material.pk, "name": material.name,
                             "what": what[:500]})
        if problems:
            raise RuleViolation(" ".join(problems), code="invalid_spot_correction")
        if not rows:
            raise RuleViolation(_("请登记当场更正的材料和更正内容。"),
                                code="invalid_spot_correction")
        SpotCorrection.objects.create(case=case, corrected_on=today, recorded_by=actor,
                                      items=rows)
        corrected = [materials[r["material"]] for r in rows]
        for material in corrected:
            material.status, material.reason = CheckStatus.OK, ""
            material.checked_by, material.checked_at = actor, now
        CaseMaterial.objects.bulk_update(corrected, ["status", "reason", "checked_by",
                                                     "checked_at"])
        _record(case, actor=actor, op=Operation.SPOT_CORRECTION, now=now, today=today,
                state_from=case.state, recompute=False, data={"items": rows})
        return case


def case_receive_corrections(*, actor: Any, case: Case | int,
                             at: dt.datetime | None = None) -> Case:
    """补正材料收到: the corrected materials are back; they are checked again (待核验) and the
    clerk then accepts, refuses, or repeats a notice for defects already listed (第32条)."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.CORRECTIONS, at)
        notice = case.correction_notices.order_by("-number").first()
        if notice is not None:
            notice.corrected_on = today
            notice.save(update_fields=["corrected_on"])
        case.materials.filter(status=CheckStatus.DEFECTIVE).update(status=CheckStatus.PENDING)
        state_from = case.state
        case.state = CaseState.RECEIVED
        _record(case, actor=actor, op=Operation.CORRECTIONS, now=now, today=today,
                state_from=state_from)
        return case


def case_decide_on_spot(*, actor: Any, case: Case | int, outcome: str, reasons: str = "",
                        at: dt.datetime | None = None) -> Case:
    """即办件当场办结: an on-the-spot item (promised limit 0) accepted and decided at the
    window by a clerk authorised for the item; the steps marked skippable are skipped. The
    transfer rule (第25条) and the refusal rule (第38条) apply as for any decision."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.DECIDE_ON_SPOT, at)
        outcome, reasons = _check_decision(actor, case, outcome, reasons, today)
        _ensure_materials_ready(case)
        completed: list[str] = []
        for step in case.steps.filter(state__in=[StepState.WAITING, StepState.OPEN,
                                                 StepState.CLAIMED]).order_by("order"):
            key = f"{step.order}.{step.round}"
            if step.is_final:
                _finish_step(step, actor=actor, now=now, today=today,
                             opinion=Opinion.GRANT if outcome == Outcome.GRANTED
                             else Opinion.REFUSE, comment=reasons)
            elif step.order == 1 and step.role == Role.CLERK:
                _finish_step(step, actor=actor, now=now, today=today, opinion=Opinion.ACCEPT)
            else:
                step.state = StepState.SKIPPED
                step.save(update_fields=["state"])
            completed.append(key)
        state_from = case.state
        _set_decision(case, actor, outcome, reasons, today)
        _record(case, actor=actor, op=Operation.DECIDE_ON_SPOT, now=now, today=today,
                state_from=state_from, reason=reasons,
                data={"outcome": outcome, "steps_completed": completed[:1]})
        documents.issue_document(actor=actor, case=case, kind=DocumentKind.ACCEPTANCE_NOTICE,
                                 on=today, details={})
        _issue_decision(case, actor, today, reasons)
        case_decided.send(sender=Case, case=case, actor=actor)
        return case
