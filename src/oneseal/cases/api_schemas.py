"""Typed input and output of the case API (`api.py`): the contract other departments build
against (docs/openapi.json). String fields are bounded by the columns they land in, so a
too-long value is a 422, never a database error."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import model_validator

from oneseal.core.api_types import Bool, Id, Int

from .domain.states import CaseState

MAX_PAGE_SIZE = 100
QUERY_CODE_HELP = ("办件进度查询码（/progress/），仅申请人、代理人和窗口人员可见，其他角色为 null"
                   " / the query code of /progress/, for the applicant's side and window "
                   "clerks only, null for other roles")
OutcomeCode = Literal["granted", "refused"]
SpecialKindCode = Literal["hearing", "tendering", "auction", "inspection", "testing",
                          "quarantine", "appraisal", "expert_review"]


# ---------------------------------------------------------------------------- input


class ApplicantIn(Schema):
    """Exactly one of the two: a registered natural person or an organisation."""

    person_id: Id | None = Field(None, description="自然人申请人 id / applicant person")
    organisation_id: Id | None = Field(None, description="法人和其他组织申请人 id / organisation")

    @model_validator(mode="after")
    def _exactly_one(self) -> ApplicantIn:
        if (self.person_id is None) == (self.organisation_id is None):
            raise ValueError("person_id 与 organisation_id 须且只须填写一项 / "
                             "give exactly one of person_id and organisation_id")
        return self


class CaseCreateIn(Schema):
    item_id: Id = Field(description="事项 id / item")
    variant_code: str = Field(min_length=1, max_length=20,
                              description="业务办理项编码 / business variant code, e.g. 01")
    applicant: ApplicantIn
    agent_id: Id | None = Field(None, description="代理人（自然人）id / agent person")
    service_point_id: Id | None = Field(
        None, description="收件的街道便民服务中心或社区便民服务站 id / the street or community "
                          "service point that received it")
    deliver_at_point: Bool = Field(False, description="在该服务点领取结果 / collect the result "
                                                      "at that point")


class CaseListQuery(Schema):
    state: CaseState | None = Field(None, description="状态 / state")
    item_id: Id | None = Field(None, description="事项 id / item")
    q: str = Field("", max_length=100,
                   description="完整的办件编号，或申请人名称的开头 / the full case number, "
                               "or the start of the applicant's name")
    department_id: Id | None = Field(None, description="主管部门 id / competent department")
    overdue: bool = Field(False, description="仅超期办件 / overdue cases only")
    cursor: str | None = Field(None, max_length=200,
                               description="上一页返回的 next_cursor / cursor of the next page")
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数 / page size (≤ 100)")


class MaterialCheckIn(Schema):
    material: Id = Field(description="办件材料 id / case material")
    status: Literal["ok", "defective", "shared", "not_needed"] = Field(
        description="合格 / 需补正 / 共享获取 / 不适用")
    reason: str = Field("", max_length=500, description="补正原因（需补正时必填）/ defect")


class CheckMaterialsIn(Schema):
    results: list[MaterialCheckIn] = Field(min_length=1, max_length=200)


class RefuseIn(Schema):
    reason: str = Field(min_length=1, max_length=2000, description="不予受理理由 / reason")
    competent_agency: str = Field("", max_length=200,
                                  description="告知向其申请的有权机关 / competent agency")


class CaseOutcomeIn(Schema):
    outcome: OutcomeCode = Field(description="准予许可 granted / 不予许可 refused")
    reasons: str = Field("", max_length=5000,
                         description="决定理由（不予许可时必填）/ reasons (required if refused)")


class CompleteStepIn(Schema):
    opinion: Literal["agree", "disagree", "return"] = Field(
        description="同意 / 不同意 / 退回")
    comment: str = Field("", max_length=5000, description="意见说明 / comment")
    return_to: Int | None = Field(None, ge=1, le=100,
                                  description="退回至环节序号 / order of the step returned to")
    site_staff: list[Id] | None = Field(None, max_length=20,
                                        description="现场核查人员 id / site visit staff (≥ 2)")


class CaseHearingIn(Schema):
    called_by_bureau: Bool = Field(
        False, description="依职权举行听证（第46条，无需申请）/ called by the bureau itself")
    rights_notified_on: dt.date | None = Field(
        None, description="告知听证权利日期（依申请听证时必填）/ rights notified on")
    requested_on: dt.date | None = Field(
        None, description="申请听证日期（告知后五日内，《民法典》第203条）/ requested on")
    hearing_on: dt.date = Field(description="听证日期 / hearing date")
    place: str = Field(min_length=1, max_length=200, description="听证地点 / place")
    chair_id: Id = Field(description="听证主持人 id / chair (not a reviewer of the case)")
    parties: list[str] = Field(default_factory=list, max_length=50,
                               description="利害关系人（各送听证告知书）/ interested parties")


class SpecialStartIn(Schema):
    kind: SpecialKindCode = Field(description="特别程序种类 / kind of special procedure")
    reason: str = Field(min_length=1, max_length=2000, description="理由 / reason")
    expected_days: Int = Field(ge=1, le=365, description="预计时长（工作日）/ expected days")
    hearing: CaseHearingIn | None = Field(None, description="听证事项（种类为听证时）/ hearing")


class SpecialEndIn(Schema):
    result: str = Field(min_length=1, max_length=5000, description="结果 / result")
    minutes: str = Field("", max_length=50000, description="听证笔录 / hearing minutes")
    minutes_file_id: Id | None = Field(None, description="笔录文件 id / minutes file")


class ExtensionRequestIn(Schema):
    days: Int = Field(ge=1, le=60, description="延长工作日 / working days to extend")
    reason: str = Field(min_length=1, max_length=2000, description="延期理由 / reason")


class ExtensionApproveIn(Schema):
    approve: Bool = Field(True, description="批准 true / 不批准 false")
    note: str = Field("", max_length=2000, description="批示 / note")


class DeliverIn(Schema):
    method: Literal["pickup", "post", "electronic"] = Field(
        description="窗口领取 / 邮寄送达 / 电子送达")
    collector_name: str = Field("", max_length=50, description="领取人 / collector")
    collector_id_number: str = Field("", max_length=18,
                                     description="领取人身份证号码 / collector's ID number")
    carrier: str = Field("", max_length=50, description="寄递企业 / carrier")
    tracking_number: str = Field("", max_length=50, description="邮件号 / tracking number")
    address: str = Field("", max_length=200, description="送达地址 / address")
    note: str = Field("", max_length=200, description="备注 / note")


class CaseReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000, description="理由 / reason")


# --------------------------------------------------------------------------- output


class CaseErrorOut(Schema):
    detail: str
    code: str


class CaseRefOut(Schema):
    id: int
    name: str


class CaseVariantOut(Schema):
    code: str
    name: str


class CaseActionOut(Schema):
    code: str
    label: str


class CaseApplicantOut(Schema):
    kind: str
    name: str
    agent_name: str


class CaseRowOut(Schema):
    id: int
    number: str
    item_name: str
    applicant_name: str
    state: str
    state_label: str
    received_on: dt.date
    promised_due: dt.date | None
    light: str


class CasePage(Schema):
    items: list[CaseRowOut]
    next_cursor: str | None


class CaseClockOut(Schema):
    kind: str
    label: str
    start: dt.date
    due: dt.date
    stopped_on: dt.date | None
    remaining: int | None
    light: str
    explanation: str
    on_time: bool | None
    provisional: bool = Field(
        False, description="截止日期为暂定（跨入尚未公布放假安排的年份）/ due date is provisional")
    provisional_years: list[int] = Field(
        default_factory=list, description="使该期限暂定的年份 / the years that make it provisional")


class CaseFileOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    pages: int | None
    sha256: str
    purpose: str


class CaseMaterialOut(Schema):
    id: int
    name: str
    required: bool
    shareable: bool
    originals: int
    copies: int
    status: str
    status_label: str
    reason: str
    files: list[CaseFileOut]


class CaseStepOut(Schema):
    id: int
    order: int
    round: int
    name: str
    role: str
    role_label: str
    state: str
    state_label: str
    is_final: bool
    site_visit: bool
    assignee_name: str
    opened_on: dt.date | None
    due_on: dt.date | None
    completed_on: dt.date | None
    opinion: str
    opinion_label: str
    comment: str
    returned_to: int | None


class CaseEventOut(Schema):
    seq: int
    kind: str
    label: str
    on: dt.date
    at: dt.datetime
    actor_name: str
    state_from: str
    state_to: str
    reason: str


class CaseDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    issued_on: dt.date
    download_url: str
    seal_status: Literal["signed", "pending", "failed"] = Field(
        description="签章状态：已签章 / 待签章 / 签章失败 / seal status")
    seal_status_label: str
    signed_sha256: str = Field(description="签章后文件的 SHA-256（未签章时为空）/ "
                                           "SHA-256 of the signed PDF, empty until signed")
    signed_url: str = Field(description="签章后的 PDF（未签章时为空）/ the signed PDF, "
                                        "empty until signed")


class CaseLicenceOut(Schema):
    id: int
    identifier: str = Field(description="电子证照标识 / electronic licence identifier")
    number: str
    name: str
    state: str
    seal_status: Literal["signed", "pending", "failed"]
    seal_status_label: str
    signed_sha256: str


class CaseSpecialOut(Schema):
    id: int
    kind: str
    kind_label: str
    reason: str
    expected_days: int
    started_on: dt.date
    ended_on: dt.date | None
    result: str
    hearing_on: dt.date | None
    place: str


class CaseExtensionOut(Schema):
    id: int
    days: int
    reason: str
    requested_on: dt.date
    status: str
    status_label: str
    decided_on: dt.date | None
    external_approver: str = Field(
        "", description="本级人民政府负责人（联合办理延期，第42条第二款）/ approving official")
    external_document: str = Field("", description="批准文号 / document number")
    external_approved_on: dt.date | None = Field(None, description="批准日期 / approved on")


class AcceptIn(Schema):
    results: list[MaterialCheckIn] | None = Field(
        None, max_length=200,
        description="同时登记的材料核验结果（可选）/ the material check made with the acceptance")


class BriefMaterialOut(Schema):
    id: int
    name: str
    required: bool
    status: str


class CaseBriefOut(Schema):
    """The answer to an operation sent with `Prefer: return=minimal` (RFC 7240)."""

    id: int
    number: str
    state: str
    state_label: str
    revision: int
    accepted_on: dt.date | None
    decided_on: dt.date | None
    correction_due: dt.date | None
    statutory_due: dt.date | None
    promised_due: dt.date | None
    delivery_due: dt.date | None
    clock_paused: bool
    clock_error: str
    clock_provisional: bool = Field(
        description="有暂定的期限（law.md §1）/ some due date is provisional: it counts days of a "
                    "year whose official holiday schedule is not entered yet")
    provisional_years: list[int] = Field(
        description="使期限暂定的年份 / the years without an official schedule")
    provisional_dues: dict[str, list[int]] = Field(
        description="暂定的期限字段及其年份 / which due-date fields are provisional, and why")
    materials: list[BriefMaterialOut] | None = None
    query_code: str | None = Field(None, description="仅提交（收件）的应答 / in the answer "
                                   "to a submission only: " + QUERY_CODE_HELP)


class CaseDetailOut(Schema):
    id: int
    number: str
    query_code: str | None = Field(None, description=QUERY_CODE_HELP)
    state: str
    state_label: str
    channel: str
    on_the_spot: bool
    joint: bool
    joint_kind: str = Field("", description="unified 统一办理 / joint 联合办理 / centralised 集中"
                                            "办理 (第26条, 第42条第二款), or empty")
    joint_source: str = Field("", description="item 事项规定 / bureau 本局决定, or empty")
    item: CaseRefOut
    version: int
    variant: CaseVariantOut
    department: CaseRefOut
    applicant: CaseApplicantOut
    received_on: dt.date
    accepted_on: dt.date | None
    deemed_accepted: bool
    decided_on: dt.date | None
    outcome: str
    outcome_label: str
    decision_reasons: str
    delivered_on: dt.date | None
    closed_on: dt.date | None
    close_reason: str
    correction_due: dt.date | None
    statutory_due: dt.date | None
    promised_due: dt.date | None
    delivery_due: dt.date | None
    clock_paused: bool
    clock_error: str
    clock_provisional: bool = Field(
        description="有暂定的期限（law.md §1）/ some due date is provisional: it counts days of a "
                    "year whose official holiday schedule is not entered yet")
    provisional_years: list[int] = Field(
        description="使期限暂定的年份 / the years without an official schedule")
    provisional_dues: dict[str, list[int]] = Field(
        description="暂定的期限字段及其年份 / which due-date fields are provisional, and why")
    clocks: list[CaseClockOut]
    materials: list[CaseMaterialOut]
    steps: list[CaseStepOut]
    special_procedures: list[CaseSpecialOut]
    extensions: list[CaseExtensionOut]
    events: list[CaseEventOut]
    documents: list[CaseDocumentOut]
    licences: list[CaseLicenceOut]
    allowed_actions: list[CaseActionOut]


class CaseFileUploadOut(Schema):
    file: CaseFileOut
    case: CaseDetailOut


class SpotCorrectionItemIn(Schema):
    material: Id = Field(description="办件材料 id / case material")
    what: str = Field(min_length=1, max_length=500,
                      description="当场更正的内容 / what was corrected")


class SpotCorrectionIn(Schema):
    items: list[SpotCorrectionItemIn] = Field(min_length=1, max_length=200)


class MarkJointIn(Schema):
    kind: Literal["unified", "joint", "centralised"] = Field(
        description="统一办理 unified / 联合办理 joint / 集中办理 centralised")
    reason: str = Field(min_length=1, max_length=2000, description="理由 / reason")


class ExtensionGovernmentIn(Schema):
    approver: str = Field(min_length=1, max_length=100,
                          description="批准人（本级人民政府负责人）/ approving official")
    document_number: str = Field(min_length=1, max_length=100,
                                 description="批准文号 / document number")
    approved_on: dt.date = Field(description="批准日期 / approved on")
    approve: Bool = Field(True, description="批准 true / 不批准 false")


class HearingNoticeIn(Schema):
    reason: str = Field(min_length=1, max_length=2000,
                        description="涉及的重大利益 / the major interests concerned")
    parties: list[str] = Field(min_length=1, max_length=50,
                               description="利害关系人 / interested parties")
