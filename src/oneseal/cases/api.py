"""Cases over HTTP (办件接口), bearer token only: `POST /api/v1/cases` (submit, idempotent
with an `Idempotency-Key` header), `GET /api/v1/cases` (filters, keyset pagination),
`GET /api/v1/cases/{id}` (the whole case), the PDF of each legal document, and one `POST`
per operation under `/api/v1/cases/{id}/`.

Each operation parses its body, finds the case through `access_case` (a case the caller may
not see is "not found", the same as one that does not exist), calls the one service the web
pages call too (architecture rule 3) and answers with the refreshed case. Refusals are
`CaseError`s, turned into `{"detail", "code", ...}` with their status by the handler in
`oneseal.api.urls`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, Literal

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import File, Form, Header, Query, Router, Status
from ninja.files import UploadedFile

from oneseal.accounts.api_auth import bearer_auth
from oneseal.accounts.roles import Role
from oneseal.core.workcalendar.domain import ClockError
from oneseal.core.workcalendar.selectors import calendar_read_once, get_work_calendar

from . import clocks, documents, seal_status, selectors, services
from .api_schemas import (
    AcceptIn,
    CaseBriefOut,
    CaseCreateIn,
    CaseDetailOut,
    CaseErrorOut,
    CaseFileUploadOut,
    CaseListQuery,
    CaseOutcomeIn,
    CasePage,
    CaseReasonIn,
    CheckMaterialsIn,
    CompleteStepIn,
    DeliverIn,
    ExtensionApproveIn,
    ExtensionGovernmentIn,
    ExtensionRequestIn,
    HearingNoticeIn,
    MarkJointIn,
    RefuseIn,
    SpecialEndIn,
    SpecialStartIn,
    SpotCorrectionIn,
)
from .errors import CaseNotFound, operation_label, state_label
from .models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseFile,
    CaseStep,
    CheckStatus,
    DocumentKind,
    ExtensionStatus,
    Opinion,
    Outcome,
    SpecialKind,
    StepState,
)
from .permissions import access_case, allowed_actions, is_owner

router = Router(tags=["cases"], auth=bearer_auth)

ERRORS: dict[int, Any] = dict.fromkeys((403, 404, 409, 422), CaseErrorOut)
DETAIL = {200: CaseDetailOut | CaseBriefOut, **ERRORS}
EVENT_LABELS = {"submit": gettext_lazy("收件"),
                "clocks_recomputed": gettext_lazy("工作日历变更，期限重新计算")}


# ------------------------------------------------------------------ serialisation


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _file(f: CaseFile) -> dict[str, Any]:
    return {"id": f.pk, "name": f.name, "kind": f.kind, "size": f.size, "pages": f.pages,
            "sha256": f.sha256, "purpose": f.purpose}


def _step(s: CaseStep) -> dict[str, Any]:
    return {
        "id": s.pk, "order": s.order, "round": s.round, "name": s.name, "role": s.role,
        "role_label": _label(Role, s.role), "state": s.state,
        "state_label": _label(StepState, s.state), "is_final": s.is_final,
        "site_visit": s.site_visit, "assignee_name": str(s.assignee) if s.assignee else "",
        "opened_on": s.opened_on, "due_on": s.due_on, "completed_on": s.completed_on,
        "opinion": s.opinion, "opinion_label": _label(Opinion, s.opinion) if s.opinion else "",
        "comment": s.comment, "returned_to": s.returned_to,
    }


def _document_url(request: HttpRequest, doc: CaseDocument) -> str:
    return request.build_absolute_uri(
        reverse("api:case_document_pdf", kwargs={"case_id": doc.case_id, "doc_id": doc.pk}))


def _document(request: HttpRequest, doc: CaseDocument,
              seal: seal_status.SealStatus | None) -> dict[str, Any]:
    seal = seal or seal_status.SealStatus(seal_status.PENDING, str(gettext_lazy("待签章")))
    signed_url = request.build_absolute_uri(reverse(
        "api:case_document_signed_pdf", kwargs={"case_id": doc.case_id, "doc_id": doc.pk})
    ) if seal.signed else ""
    return {"id": doc.pk, "kind": doc.kind, "kind_label": _label(DocumentKind, doc.kind),
            "number": doc.number, "issued_on": doc.issued_on,
            "download_url": _document_url(request, doc), "seal_status": seal.state,
            "seal_status_label": seal.label, "signed_sha256": seal.signed_sha256,
            "signed_url": signed_url}


def case_detail(request: HttpRequest, user: Any, case: Case) -> dict[str, Any]:
    """Everything the caller may know about `case`; never an ID number or a phone.

    Each relation is read once (issue 19): prefetched here, then the clocks, the open step
    and the offered actions read the prefetched rows (`Case.prefetched`)."""
    prefetch_related_objects(
        [case], Prefetch("steps", queryset=CaseStep.objects.select_related("assignee")),
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        "special_procedures", "extensions", "documents")
    uses = seal_status.seal_uses(case)
    docs = list(case.documents.all())
    seals = seal_status.document_statuses(case, uses, [d.pk for d in docs])
    applicant_kind = case.applicant_kind
    materials = case.materials.prefetch_related("files").order_by("sort", "id")
    return {
        "id": case.pk, "number": case.number, "state": case.state,
        "query_code": query_code_for(user, case),
        "state_label": state_label(case.state), "channel": case.channel,
        "on_the_spot": case.on_the_spot, "joint": case.joint,
        "joint_kind": case.joint_kind, "joint_source": case.joint_source,
        "item": {"id": case.item_id, "name": case.item_name},
        "version": case.version.number,
        "variant": {"code": case.variant.code, "name": case.variant_name},
        "department": {"id": case.department_id, "name": case.department.name},
        "applicant": {"kind": applicant_kind, "name": case.applicant_name,
                      "agent_name": case.agent.name if case.agent_id else ""},
        "received_on": case.received_on, "accepted_on": case.accepted_on,
        "deemed_accepted": case.deemed_accepted, "decided_on": case.decided_on,
        "outcome": case.outcome,
        "outcome_label": _label(Outcome, case.outcome) if case.outcome else "",
        "decision_reasons": case.decision_reasons, "delivered_on": case.delivered_on,
        "closed_on": case.closed_on, "close_reason": case.close_reason,
        "correction_due": case.correction_due, "statutory_due": case.statutory_due,
        "promised_due": case.promised_due, "delivery_due": case.delivery_due,
        "clock_paused": case.clock_paused, "clock_error": case.clock_error,
        **provisional_fields(case),
        "clocks": [{"kind": c.kind, "label": c.label, "start": c.start, "due": c.due,
                    "stopped_on": c.stopped_on, "remaining": c.remaining, "light": c.light,
                    "explanation": c.explanation, "on_time": c.on_time,
                    "provisional": c.provisional,
                    "provisional_years": list(c.provisional_years)}
                   for c in clocks.clock_views(case)],
        "materials": [{
            "id": m.pk, "name": m.name, "required": m.required, "shareable": m.shareable,
            "originals": m.originals, "copies": m.copies, "status": m.status,
            "status_label": _label(CheckStatus, m.status), "reason": m.reason,
            "files": [_file(f) for f in m.files.all()]} for m in materials],
        "steps": [_step(s) for s in case.steps.all()],  # in (order, round)
        "special_procedures": [{
            "id": p.pk, "kind": p.kind, "kind_label": _label(SpecialKind, p.kind),
            "reason": p.reason, "expected_days": p.expected_days, "started_on": p.started_on,
            "ended_on": p.ended_on, "result": p.result, "hearing_on": p.hearing_on,
            "place": p.place} for p in case.special_procedures.all()],
        "extensions": [{
            "id": e.pk, "days": e.days, "reason": e.reason, "requested_on": e.requested_on,
            "status": e.status, "status_label": _label(ExtensionStatus, e.status),
            "decided_on": e.decided_on, "external_approver": e.external_approver,
            "external_document": e.external_document,
            "external_approved_on": e.external_approved_on} for e in case.extensions.all()],
        "events": [{
            "seq": e.seq, "kind": e.kind,
            "label": str(EVENT_LABELS[e.kind]) if e.kind in EVENT_LABELS
            else operation_label(e.kind),
            "on": e.on, "at": e.at, "actor_name": e.actor_name, "state_from": e.state_from,
            "state_to": e.state_to, "reason": e.reason} for e in case.events.all()],  # in seq
        "documents": [_document(request, d, seals.get(d.pk)) for d in docs],
        "licences": [{
            "id": lic.id, "identifier": lic.identifier, "number": lic.number,
            "name": lic.name, "state": lic.state, "seal_status": lic.seal.state,
            "seal_status_label": lic.seal.label, "signed_sha256": lic.seal.signed_sha256}
            for lic in seal_status.licences(case, uses)],
        "allowed_actions": [{"code": str(op), "label": operation_label(op)}
                            for op in allowed_actions(user, case)],
    }


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _operate(request: HttpRequest, case_id: int, service: Callable[..., Case],
             **kwargs: Any) -> dict[str, Any]:
    """parse (done by ninja) -> access -> service -> the refreshed case. The work calendar
    is read once for the operation and its answer (issue 19)."""
    user = _user(request)
    with calendar_read_once():
        # The service locks the row and checks visibility itself (CaseNotFound, the same 404).
        case = service(actor=user, case=case_id, **kwargs)
        if wants_minimal(request):
            return case_brief(case)
        return case_detail(request, user, access_case(user=user, case_id=case.pk))


def wants_minimal(request: HttpRequest) -> bool:
    """`Prefer: return=minimal` (RFC 7240): answer an operation with the case's state and
    due dates only (a submission also lists the materials to check), for clients that do
    not need the whole case back."""
    prefer = request.headers.get("Prefer", "")
    return any(p.strip().lower() == "return=minimal" for p in prefer.split(","))


def case_brief(case: Case) -> dict[str, Any]:
    return {"id": case.pk, "number": case.number, "state": case.state,
            "state_label": state_label(case.state), "revision": case.revision,
            "accepted_on": case.accepted_on, "decided_on": case.decided_on,
            "correction_due": case.correction_due, "statutory_due": case.statutory_due,
            "promised_due": case.promised_due, "delivery_due": case.delivery_due,
            "clock_paused": case.clock_paused, "clock_error": case.clock_error,
            **provisional_fields(case)}


def provisional_fields(case: Case) -> dict[str, Any]:
    """Whether any stored due date is provisional (暂定, law.md §1), the years that made it
    so, and which due dates they are."""
    return {"clock_provisional": case.clock_provisional,
            "provisional_years": list(case.provisional_years or []),
            "provisional_dues": {k: list(v) for k, v in (case.provisional_dues or {}).items()}}


def request_hash(payload: CaseCreateIn) -> str:
    """SHA-256 of the canonical JSON of a submission (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------- reads


@router.post("/cases", response={200: CaseDetailOut | CaseBriefOut,
                                 201: CaseDetailOut | CaseBriefOut, **ERRORS},
             summary="提交申请（收件）/ submit an application")
def create_case(
    request: HttpRequest, payload: CaseCreateIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", min_length=1, max_length=200,
        description="幂等键：同一键重试只生成一件 / retries with the same key create one case"),
) -> Any:
    """收件：按事项、业务办理项和申请人生成办件（渠道“接口提交”）。带 `Idempotency-Key`
    的重试返回同一办件（首次 201，重试 200）；同一键、不同请求体返回 422
    `idempotency_key_reused`。"""
    with calendar_read_once():
        return _create_case(request, payload, idempotency_key)


def _create_case(request: HttpRequest, payload: CaseCreateIn,
                 idempotency_key: str | None) -> Any:
    user = _user(request)
    applicant = services.ApplicantRef(person_id=payload.applicant.person_id,
                                      organisation_id=payload.applicant.organisation_id)
    case, created = services.case_submit(
        actor=user, item_id=payload.item_id, variant_code=payload.variant_code,
        applicant=applicant, agent_id=payload.agent_id, channel="api",
        idempotency_key=idempotency_key, request_hash=request_hash(payload),
        service_point_id=payload.service_point_id, deliver_at_point=payload.deliver_at_point)
    if wants_minimal(request):
        body = case_brief(case)
        body["materials"] = [
            {"id": m.pk, "name": m.name, "required": m.required, "status": m.status}
            for m in case.materials.order_by("sort", "id")]
        body["query_code"] = query_code_for(user, case)
    else:
        body = case_detail(request, user, access_case(user=user, case_id=case.pk))
    return Status(201 if created else 200, body)


def query_code_for(user: Any, case: Case) -> str | None:
    """The query code of the public progress page (查询码, `/progress/`) for the applicant's
    side (the applicant, the agent, a linked account) and the window clerks, who hand it
    over; None for every other role."""
    if user.has_role(Role.CLERK) or is_owner(user, case):
        return case.query_code
    return None


@router.get("/cases", response={200: CasePage, **ERRORS},
            summary="办件列表 / list the cases the caller may see")
def list_cases(request: HttpRequest, query: Query[CaseListQuery]) -> dict[str, Any]:
    """按状态、事项、关键字、主管部门、是否超期筛选；按办件倒序的游标分页（`cursor` 取上一页
    的 `next_cursor`，`limit` ≤ 100）。列表不含证件号码和电话。"""
    filters = selectors.CaseFilters(
        state=query.state.value if query.state else "", item_id=query.item_id, q=query.q,
        department_id=query.department_id, overdue=query.overdue)
    page = selectors.case_list(_user(request), filters, cursor=query.cursor,
                               limit=query.limit)
    today = timezone.localdate()
    try:
        calendar = get_work_calendar()
    except ClockError:
        calendar = None
    return {
        "items": [{
            "id": c.pk, "number": c.number, "item_name": c.item_name,
            "applicant_name": c.applicant_name, "state": c.state,
            "state_label": state_label(c.state), "received_on": c.received_on,
            "promised_due": c.promised_due,
            "light": clocks.case_light(c, today, calendar)} for c in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/cases/{case_id}", response=DETAIL, summary="办件详情 / a case in full")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """状态、事项、计时（含计算说明）、材料及文件、审批环节、办理记录、法律文书及下载地址、
    当前用户可执行的操作。"""
    user = _user(request)
    with calendar_read_once():
        return case_detail(request, user, access_case(user=user, case_id=case_id))


@router.get("/cases/{case_id}/documents/{doc_id}.pdf", url_name="case_document_pdf",
            response={200: None, **ERRORS}, summary="下载法律文书 PDF / a legal document")
def document_pdf(request: HttpRequest, case_id: int, doc_id: int) -> HttpResponse:
    """法律文书（受理通知书、补正材料通知书、决定书、送达回证等）的 PDF。"""
    case = access_case(user=_user(request), case_id=case_id)
    document = CaseDocument.objects.filter(pk=doc_id, case=case).first()
    if document is None:
        raise CaseNotFound()
    response = HttpResponse(documents.render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number or document.pk}.pdf"'
    return response


@router.get("/cases/{case_id}/documents/{doc_id}/signed.pdf",
            url_name="case_document_signed_pdf", response={200: None, **ERRORS},
            summary="下载签章后的法律文书 / a signed legal document")
def document_signed_pdf(request: HttpRequest, case_id: int, doc_id: int) -> HttpResponse:
    """加盖电子印章（PAdES 签名）后的法律文书 PDF；尚未签章的返回 404。"""
    case = access_case(user=_user(request), case_id=case_id)
    found = seal_status.signed_document(case, doc_id)
    if found is None:
        raise CaseNotFound()
    document, data = found
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{document.number or document.pk}-signed.pdf"')
    return response


# -------------------------------------------------------------------- operations


@router.post("/cases/{case_id}/check-materials", response=DETAIL,
             summary="核验材料 / check the materials")
def check_materials(request: HttpRequest, case_id: int, payload: CheckMaterialsIn) -> Any:
    """窗口人员逐项核验材料：合格、需补正（写明原因）、共享获取、不适用。"""
    return _operate(request, case_id, services.case_check_materials,
                    results=[r.model_dump() for r in payload.results])


@router.post("/cases/{case_id}/files", response={201: CaseFileUploadOut, **ERRORS},
             summary="上传材料文件 / upload a material file")
def upload_file(
    request: HttpRequest, case_id: int, file: File[UploadedFile],
    material_id: int | None = Form(None, ge=1, le=2**63 - 1,
                                   description="办件材料 id / case material"),
    purpose: Literal["material", "minutes"] = Form(
        "material", description="用途：material 申请材料 / minutes 听证笔录"),
) -> Any:
    """multipart 上传（material_id + file）。按内容核验文件类型、大小与页数（PDF、JPEG、PNG、
    OFD）；不合格的文件不保存，返回 422 `upload_rejected`。"""
    user = _user(request)
    case = access_case(user=user, case_id=case_id, for_write=True)
    stored = services.case_attach_file(actor=user, case=case, material_id=material_id,
                                       upload=file, purpose=purpose)
    detail = case_detail(request, user, access_case(user=user, case_id=case.pk))
    return Status(201, {"file": _file(stored), "case": detail})


@router.post("/cases/{case_id}/accept", response=DETAIL, summary="受理 / accept")
def accept(request: HttpRequest, case_id: int, payload: AcceptIn | None = None) -> Any:
    """材料齐全、符合法定形式的，予以受理，出具受理通知书（第32条）。可在请求体 `results`
    中同时提交材料核验结果（同一事务：不予受理时核验结果也不保存）。"""
    results = ([r.model_dump() for r in payload.results]
               if payload is not None and payload.results else None)
    return _operate(request, case_id, services.case_accept, results=results)


@router.post("/cases/{case_id}/correction-notice", response=DETAIL,
             summary="一次性告知补正 / notify every defect at once")
def correction_notice(request: HttpRequest, case_id: int) -> Any:
    """一次性告知申请人需要补正的全部内容，出具补正材料通知书（第32条）。"""
    return _operate(request, case_id, services.case_correction_notice)


@router.post("/cases/{case_id}/corrections", response=DETAIL,
             summary="登记补正材料 / record the corrections")
def corrections(request: HttpRequest, case_id: int) -> Any:
    """申请人提交补正材料后登记收到，办件回到待受理。"""
    return _operate(request, case_id, services.case_receive_corrections)


@router.post("/cases/{case_id}/refuse", response=DETAIL, summary="不予受理 / refuse")
def refuse(request: HttpRequest, case_id: int, payload: RefuseIn) -> Any:
    """不予受理并说明理由；不属于本机关职权的，告知向有关行政机关申请（第32条）。"""
    return _operate(request, case_id, services.case_refuse, reason=payload.reason,
                    competent_agency=payload.competent_agency)


@router.post("/cases/{case_id}/decide-on-spot", response=DETAIL,
             summary="即办件当场办结 / decide an on-the-spot case")
def decide_on_spot(request: HttpRequest, case_id: int, payload: CaseOutcomeIn) -> Any:
    """经授权的窗口人员对即办件当场作出决定。"""
    return _operate(request, case_id, services.case_decide_on_spot, outcome=payload.outcome,
                    reasons=payload.reasons)


@router.post("/cases/{case_id}/claim", response=DETAIL, summary="认领环节 / claim the step")
def claim(request: HttpRequest, case_id: int) -> Any:
    """认领当前待办的审批环节（须具有该环节的办理角色）。"""
    return _operate(request, case_id, services.case_claim)


@router.post("/cases/{case_id}/complete-step", response=DETAIL,
             summary="办结环节 / complete the step")
def complete_step(request: HttpRequest, case_id: int, payload: CompleteStepIn) -> Any:
    """签署意见：同意、不同意或退回（退回须写明理由）；现场核查须两名以上人员（第34条）。"""
    return _operate(request, case_id, services.case_complete_step, opinion=payload.opinion,
                    comment=payload.comment, return_to=payload.return_to,
                    site_staff=payload.site_staff)


@router.post("/cases/{case_id}/special-procedures/start", response=DETAIL,
             summary="启动特别程序 / start a special procedure")
def special_start(request: HttpRequest, case_id: int, payload: SpecialStartIn) -> Any:
    """听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审，期间不计入办理期限（第45条）；
    听证须符合第47–48条。"""
    hearing = payload.hearing.model_dump() if payload.hearing else None
    return _operate(request, case_id, services.case_special_start, kind=payload.kind,
                    reason=payload.reason, expected_days=payload.expected_days,
                    hearing=hearing)


@router.post("/cases/{case_id}/special-procedures/end", response=DETAIL,
             summary="结束特别程序 / end the special procedure")
def special_end(request: HttpRequest, case_id: int, payload: SpecialEndIn) -> Any:
    """登记特别程序结果，恢复计时；听证须有笔录（第48条）。"""
    return _operate(request, case_id, services.case_special_end, result=payload.result,
                    minutes=payload.minutes, minutes_file_id=payload.minutes_file_id)


@router.post("/cases/{case_id}/extension/request", response=DETAIL,
             summary="申请延期 / request an extension")
def extension_request(request: HttpRequest, case_id: int, payload: ExtensionRequestIn) -> Any:
    """申请延长办理期限（第42条：经本机关负责人批准，可延长十日）。"""
    return _operate(request, case_id, services.case_extension_request, days=payload.days,
                    reason=payload.reason)


@router.post("/cases/{case_id}/extension/approve", response=DETAIL,
             summary="审批延期 / approve or reject the extension")
def extension_approve(request: HttpRequest, case_id: int, payload: ExtensionApproveIn) -> Any:
    """局长批准或不批准延期申请（第42条），批准后出具延期告知书。"""
    return _operate(request, case_id, services.case_extension_approve,
                    approve=payload.approve, note=payload.note)


@router.post("/cases/{case_id}/decide", response=DETAIL,
             summary="作出许可决定 / decide")
def decide(request: HttpRequest, case_id: int, payload: CaseOutcomeIn) -> Any:
    """决定环节的办理人作出准予或不予许可的决定；不予许可须说明理由（第37–38条）。"""
    return _operate(request, case_id, services.case_decide, outcome=payload.outcome,
                    reasons=payload.reasons)


@router.post("/cases/{case_id}/deliver", response=DETAIL, summary="送达 / deliver")
def deliver(request: HttpRequest, case_id: int, payload: DeliverIn) -> Any:
    """窗口领取、邮寄或电子送达决定文书（第44条）。"""
    return _operate(request, case_id, services.case_deliver, **payload.model_dump())


@router.post("/cases/{case_id}/withdraw", response=DETAIL,
             summary="撤回申请 / withdraw the application")
def withdraw(request: HttpRequest, case_id: int, payload: CaseReasonIn) -> Any:
    """申请人撤回申请（或窗口人员登记申请人的撤回请求）。"""
    return _operate(request, case_id, services.case_withdraw, reason=payload.reason)


@router.post("/cases/{case_id}/terminate", response=DETAIL, summary="终止办理 / terminate")
def terminate(request: HttpRequest, case_id: int, payload: CaseReasonIn) -> Any:
    """科室负责人或局长终止办理并说明理由。"""
    return _operate(request, case_id, services.case_terminate, reason=payload.reason)


@router.post("/cases/{case_id}/reopen", response=DETAIL, summary="恢复办理 / reopen")
def reopen(request: HttpRequest, case_id: int, payload: CaseReasonIn) -> Any:
    """局长恢复办理已不予受理、撤回或终止的办件，回到终结前的状态。"""
    return _operate(request, case_id, services.case_reopen, reason=payload.reason)


@router.post("/cases/{case_id}/spot-correction", response=DETAIL,
             summary="当场更正 / record an on-the-spot correction")
def spot_correction(request: HttpRequest, case_id: int, payload: SpotCorrectionIn) -> Any:
    """申请材料存在可以当场更正的错误的，申请人当场更正，窗口人员逐项登记更正内容（第32条）。"""
    return _operate(request, case_id, services.case_spot_correction,
                    items=[i.model_dump() for i in payload.items])


@router.post("/cases/{case_id}/joint", response=DETAIL,
             summary="标记联合办理 / mark joint handling")
def mark_joint(request: HttpRequest, case_id: int, payload: MarkJointIn) -> Any:
    """科室负责人或局长将办件标记为统一办理、联合办理或集中办理：办理期限为四十五个工作日
    （第42条第二款、第26条）。"""
    return _operate(request, case_id, services.case_mark_joint, kind=payload.kind,
                    reason=payload.reason)


@router.post("/cases/{case_id}/extension/government", response=DETAIL,
             summary="登记人民政府批准延期 / enter the government's approval")
def extension_government(request: HttpRequest, case_id: int,
                         payload: ExtensionGovernmentIn) -> Any:
    """联合办理的办件延期须经本级人民政府负责人批准（第42条第二款，最多十五个工作日）：由本局
    登记批准人、批准文号和批准日期，批准后出具延期告知书。"""
    return _operate(request, case_id, services.case_extension_government,
                    approver=payload.approver, document_number=payload.document_number,
                    approved_on=payload.approved_on, approve=payload.approve)


@router.post("/cases/{case_id}/hearing-notice", response=DETAIL,
             summary="告知听证权利 / tell of the right to a hearing")
def hearing_notice(request: HttpRequest, case_id: int, payload: HearingNoticeIn) -> Any:
    """向申请人和利害关系人各出具听证告知书（第36条、第47条）：五日内可申请听证（《民法典》
    第203条），期满前不能作出决定。"""
    return _operate(request, case_id, services.case_hearing_notice, reason=payload.reason,
                    parties=payload.parties)
