"""Cases (办件) and everything recorded on them. Only `services.py` writes these rows.

A case is bound at creation to the item version and business variant in force (第25条 and
law.md §13); its review steps, materials and clocks are copied from that variant so a later
catalogue change never alters a running case. Dates the statute counts from are `DateField`s
(`*_on`); moments are `DateTimeField`s (`*_at`). The due dates on the case are recomputed by
the services from the case's events after every transition (行政许可法 第32、42、44、45条),
so lists and supervision can filter on them in SQL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.roles import Role

from .domain.states import CaseState

STATE_CHOICES = [
    (CaseState.RECEIVED, _("已收件，待受理")),
    (CaseState.CORRECTING, _("待补正")),
    (CaseState.NOT_ACCEPTED, _("不予受理")),
    (CaseState.REVIEWING, _("审查中")),
    (CaseState.SPECIAL, _("特别程序中")),
    (CaseState.DECIDED, _("已决定，待签章")),
    (CaseState.READY, _("已签章，待送达")),
    (CaseState.DELIVERED, _("已送达")),
    (CaseState.WITHDRAWN, _("已撤回")),
    (CaseState.TERMINATED, _("已终止")),
]


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口收件")
    ONLINE = "online", _("网上申请")
    API = "api", _("接口提交")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人和其他组织")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("准予许可")
    REFUSED = "refused", _("不予许可")


class JointKind(models.TextChoices):
    """The kinds of joint handling (行政许可法 第26条, 第42条第二款)."""

    UNIFIED = "unified", _("统一办理")
    JOINT = "joint", _("联合办理")
    CENTRALISED = "centralised", _("集中办理")


class JointSource(models.TextChoices):
    ITEM = "item", _("事项规定")
    BUREAU = "bureau", _("本局决定")


class Case(models.Model):
    """An application and its handling (办件)."""

    number = models.CharField(_("办件编号"), max_length=40, unique=True)
    query_code = models.CharField(_("查询码"), max_length=12)
    item = models.ForeignKey("catalog.Item", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="+")
    version = models.ForeignKey("catalog.ItemVersion", verbose_name=_("事项版本"),
                                on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey("catalog.Variant", verbose_name=_("业务办理项"),
                                on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Unit", verbose_name=_("主管部门"),
                                   on_delete=models.PROTECT, related_name="+")
    item_name = models.CharField(_("事项名称"), max_length=200)
    variant_name = models.CharField(_("办理项"), max_length=100)
    applicant_kind = models.CharField(_("申请人类型"), max_length=12,
                                      choices=ApplicantKind.choices)
    person = models.ForeignKey("applicants.Person", verbose_name=_("申请人（自然人）"),
                               null=True, blank=True, on_delete=models.PROTECT,
                               related_name="cases")
    organisation = models.ForeignKey("applicants.Organisation",
                                     verbose_name=_("申请人（法人和其他组织）"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="cases")
    agent = models.ForeignKey("applicants.Person", verbose_name=_("代理人"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="agent_cases")
    applicant_name = models.CharField(_("申请人"), max_length=200)
    channel = models.CharField(_("收件渠道"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("状态"), max_length=15, choices=STATE_CHOICES,
                             default=CaseState.RECEIVED)
    state_before_close = models.CharField(_("终结前状态"), max_length=15, blank=True)
    on_the_spot = models.BooleanField(_("即办件"), default=False)
    joint = models.BooleanField(_("联合办理"), default=False)
    # Which kind of joint handling (第26条, 第42条第二款), and who set it: the item or the bureau.
    joint_kind = models.CharField(_("联合办理方式"), max_length=12, choices=JointKind.choices,
                                  blank=True)
    joint_source = models.CharField(_("联合办理依据"), max_length=8,
                                    choices=JointSource.choices, blank=True)
    received_at = models.DateTimeField(_("收件时间"))
    received_on = models.DateField(_("收件日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("逾期未告知补正视为受理"), default=False)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    outcome = models.CharField(_("决定结果"), max_length=10, choices=Outcome.choices,
                               blank=True)
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    close_reason = models.TextField(_("终结原因"), blank=True)
    competent_agency = models.CharField(_("有权机关"), max_length=200, blank=True)
    # Clocks (recomputed from the events after every transition).
    correction_due = models.DateField(_("补正告知期限"), null=True, blank=True)
    statutory_due = models.DateField(_("法定办结期限"), null=True, blank=True)
    promised_due = models.DateField(_("承诺办结期限"), null=True, blank=True)
    delivery_due = models.DateField(_("送达期限"), null=True, blank=True)
    clock_paused = models.BooleanField(_("计时暂停"), default=False)
    clock_error = models.CharField(_("计时提示"), max_length=300, blank=True)
    calendar_version = models.CharField(_("工作日历版本"), max_length=40, blank=True)
    # 暂定 (law.md §1): a due date that reaches a year without an official holiday schedule is
    # computed provisionally; which dates, and which missing years made them so.
    clock_provisional = models.BooleanField(_("期限暂定"), default=False)
    provisional_years = models.JSONField(_("暂定年份"), default=list, blank=True)
    provisional_dues = models.JSONField(_("暂定的期限"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("收件人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    # What the applicant entered in the item's online form (key -> text, `catalog.FormField`)
    # and how he wants the result delivered (送达方式 chosen when applying).
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True)
    delivery_wanted = models.CharField(_("申请的送达方式"), max_length=12, blank=True)
    delivery_address = models.CharField(_("邮寄地址"), max_length=200, blank=True)
    # 便民服务中心/站 (measure 十二): received at a street or community point, decided by the
    # bureau's back office as usual, delivered back there when the applicant wants
    service_point = models.ForeignKey("org.Unit", verbose_name=_("收件便民服务点"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    deliver_at_point = models.BooleanField(_("在便民服务点领取结果"), default=False)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(applicant_kind="person", person__isnull=False)
                           | models.Q(applicant_kind="organisation",
                                      organisation__isnull=False)),
                name="cases_case_has_applicant"),
        ]
        indexes = [
            models.Index(fields=["state", "id"], name="cases_case_state"),
            models.Index(fields=["department", "id"], name="cases_case_dept"),
            models.Index(fields=["department", "state", "id"], name="cases_case_dept_state"),
            models.Index(fields=["item", "id"], name="cases_case_item"),
            models.Index(fields=["person", "id"], name="cases_case_person"),
            models.Index(fields=["organisation", "id"], name="cases_case_org"),
            models.Index(fields=["state", "promised_due"], name="cases_case_due"),
            models.Index(fields=["applicant_name"], name="cases_case_applicant"),
        ]

    def __str__(self) -> str:
        return self.number

    def prefetched(self, name: str) -> list[Any] | None:
        """The rows of relation `name` prefetched on this instance (in the relation's
        default order), or None when they were not: the case detail prefetches its
        relations once and the helpers it calls read them from here (issue 19)."""
        cache = getattr(self, "_prefetched_objects_cache", None) or {}
        rows = cache.get(name)
        return None if rows is None else list(rows)


class CaseNumberCounter(models.Model):
    """The last case number used in a year (办件编号计数器). Incremented in the same
    transaction as the case it numbers, so numbers never repeat and never skip."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("办件编号计数器")
        verbose_name_plural = _("办件编号计数器")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class StepState(models.TextChoices):
    WAITING = "waiting", _("未开始")
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("办理中")
    DONE = "done", _("已办结")
    SKIPPED = "skipped", _("已省略")
    SUPERSEDED = "superseded", _("已退回重办")


class Opinion(models.TextChoices):
    ACCEPT = "accept", _("受理")
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    RETURN = "return", _("退回")
    GRANT = "grant", _("准予许可")
    REFUSE = "refuse", _("不予许可")


class CaseStep(models.Model):
    """One step of the case's review chain (审批环节), copied from the variant. A step
    returned to is done again as a new row (`round` + 1); the old row is superseded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    department = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"))
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    name = models.CharField(_("环节名称"), max_length=50)
    role = models.CharField(_("办理角色"), max_length=20, choices=Role.choices)
    limit_days = models.PositiveSmallIntegerField(_("环节时限（工作日）"))
    site_visit = models.BooleanField(_("现场核查"), default=False)
    is_final = models.BooleanField(_("决定环节"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=StepState.choices,
                             default=StepState.WAITING)
    opened_on = models.DateField(_("开始日期"), null=True, blank=True)
    due_on = models.DateField(_("环节期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("环节期限暂定"), default=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    opinion = models.CharField(_("意见"), max_length=10, choices=Opinion.choices, blank=True)
    comment = models.TextField(_("意见说明"), blank=True)
    returned_to = models.PositiveSmallIntegerField(_("退回至环节"), null=True, blank=True)
    site_staff = models.JSONField(_("现场核查人员"), default=list, blank=True)

    class Meta:
        verbose_name = _("审批环节")
        verbose_name_plural = _("审批环节")
        ordering = ["case_id", "order", "round"]
        indexes = [
            models.Index(fields=["state", "role", "id"], name="cases_step_queue"),
            models.Index(fields=["state", "role", "department", "id"],
                         name="cases_step_dept_queue"),
            models.Index(fields=["assignee", "state", "id"], name="cases_step_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.order}.{self.round} {self.name}"


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("待核验")
    OK = "ok", _("合格")
    DEFECTIVE = "defective", _("需补正")
    SHARED = "shared", _("共享获取，免提交")
    NOT_NEEDED = "not_needed", _("不适用")


class CaseMaterial(models.Model):
    """A material the variant asks for (申请材料), with the clerk's check (材料核验)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    catalog_material = models.ForeignKey("catalog.Material", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必要材料"), default=True)
    shareable = models.BooleanField(_("共享获取"), default=False)
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=1)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    sort = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(_("核验结果"), max_length=12, choices=CheckStatus.choices,
                              default=CheckStatus.PENDING)
    reason = models.CharField(_("补正原因"), max_length=500, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    # Where a material obtained by sharing came from when an app above cases supplied it
    # (e.g. "中介超市": oneseal.intermediaries.sharing); shown to the applicant beside 免提交.
    supplied_by = models.CharField(_("共享来源"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        ordering = ["case_id", "sort", "id"]

    def __str__(self) -> str:
        return self.name


def _case_file_path(instance: CaseFile, filename: str) -> str:
    return f"cases/{instance.case_id}/{instance.sha256[:2]}/{instance.sha256}-{filename}"


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    OFD = "ofd", "OFD"


class CaseFile(models.Model):
    """An uploaded file of a material (材料文件), checked by content (`uploads.py`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    material = models.ForeignKey(CaseMaterial, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="files")
    file = models.FileField(_("文件"), upload_to=_case_file_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("文件类型"), max_length=5, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    purpose = models.CharField(_("用途"), max_length=20, default="material")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return self.name


class CorrectionNoticeRecord(models.Model):
    """A correction notice (补正材料通知书) with every defect it lists (一次性告知, 第32条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="correction_notices")
    number = models.PositiveSmallIntegerField(_("第几次通知"))
    issued_on = models.DateField(_("告知日期"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    defects = models.JSONField(_("补正内容"))  # [{"material": id, "name": ..., "reason": ...}]
    late = models.BooleanField(_("超过5个工作日告知"), default=False)
    corrected_on = models.DateField(_("补正日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正通知")
        verbose_name_plural = _("补正通知")
        ordering = ["case_id", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"],
                                               name="cases_correction_number")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number}"


class SpecialKind(models.TextChoices):
    HEARING = "hearing", _("听证")
    TENDERING = "tendering", _("招标")
    AUCTION = "auction", _("拍卖")
    INSPECTION = "inspection", _("检验")
    TESTING = "testing", _("检测")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")


class SpecialProcedureRun(models.Model):
    """A special procedure on a case (特别程序, 第45条): the clock stops from start to end.
    Hearings carry the 第47–48条 particulars."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="special_procedures")
    kind = models.CharField(_("种类"), max_length=15, choices=SpecialKind.choices)
    reason = models.TextField(_("理由"))
    expected_days = models.PositiveSmallIntegerField(_("预计时长（工作日）"))
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    result = models.TextField(_("结果"), blank=True)
    # Hearings (听证, 第47–48条)
    rights_notified_on = models.DateField(_("告知听证权利日期"), null=True, blank=True)
    requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    place = models.CharField(_("听证地点"), max_length=200, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("听证主持人"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    minutes = models.TextField(_("听证笔录"), blank=True)
    minutes_file = models.ForeignKey(CaseFile, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    called_by_bureau = models.BooleanField(_("行政机关依职权举行听证"), default=False)  # 第46条

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["case_id", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.started_on}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class ExtensionRequest(models.Model):
    """A request to extend the decision limit (延长办理期限, 第42条), approved by the head."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_on = models.DateField(_("申请日期"))
    status = models.CharField(_("状态"), max_length=10, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("批准日期"), null=True, blank=True)
    decision_note = models.TextField(_("批示"), blank=True)
    # Joint handling (第42条第二款): the approval of 本级人民政府负责人, entered by the bureau.
    external_approver = models.CharField(_("批准人（本级人民政府负责人）"), max_length=100,
                                         blank=True)
    external_document = models.CharField(_("批准文号"), max_length=100, blank=True)
    external_approved_on = models.DateField(_("人民政府批准日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class SpotCorrection(models.Model):
    """当场更正 (行政许可法 第32条第一款第（三）项): the applicant corrected a clerical error in
    the materials at the window; what was corrected, in which material, recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="spot_corrections")
    corrected_on = models.DateField(_("更正日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    items = models.JSONField(_("更正内容"))  # [{"material": id, "name": ..., "what": ...}]

    class Meta:
        verbose_name = _("当场更正")
        verbose_name_plural = _("当场更正")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.corrected_on}"


class HearingNotice(models.Model):
    """听证告知 (行政许可法 第47条): the applicant and the interested parties are told of their
    right to ask for a hearing; they may ask until `request_by` (five days, 民法典 第203条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearing_notices")
    notified_on = models.DateField(_("告知日期"))
    request_by = models.DateField(_("申请听证截止日期"))
    parties = models.JSONField(_("利害关系人"), default=list, blank=True)  # [names]
    reason = models.TextField(_("告知理由"))
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("听证告知")
        verbose_name_plural = _("听证告知")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.notified_on}"


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("窗口领取")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


class Delivery(models.Model):
    """How the result was delivered (统一窗口出件, 第44条)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="delivery")
    method = models.CharField(_("送达方式"), max_length=12, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(_("送达日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    collector_name = models.CharField(_("领取人"), max_length=50, blank=True)
    collector_id_number = models.CharField(_("领取人身份证号码"), max_length=18, blank=True)
    carrier = models.CharField(_("寄递企业"), max_length=50, blank=True)
    tracking_number = models.CharField(_("邮件号"), max_length=50, blank=True)
    address = models.CharField(_("送达地址"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.method}"


class CaseEvent(models.Model):
    """One thing that happened to a case (办件记录): the history shown on the case page and
    the input of its clocks. Each row is written with its audit-chain event, in one
    transaction, by the service that made the change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("操作"), max_length=30)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    state_from = models.CharField(max_length=15, blank=True)
    state_to = models.CharField(max_length=15, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("办件记录")
        verbose_name_plural = _("办件记录")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="cases_event_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind}"


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
    REFUSAL_NOTICE = "refusal_notice", _("不予受理决定书")
    CORRECTION_NOTICE = "correction_notice", _("补正材料通知书")
    SPECIAL_NOTICE = "special_notice", _("特别程序告知书")
    EXTENSION_NOTICE = "extension_notice", _("延期告知书")
    HEARING_NOTICE = "hearing_notice", _("听证告知书")
    GRANT_DECISION = "grant_decision", _("准予行政许可决定书")
    REFUSAL_DECISION = "refusal_decision", _("不予行政许可决定书")
    DELIVERY_RECEIPT = "delivery_receipt", _("送达回证")


class CaseDocument(models.Model):
    """A written document the law requires (法律文书), issued at a transition. `context`
    is the snapshot it is rendered from (`documents.py`), so the PDF is the same each time;
    the seal issue signs it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书种类"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("文书编号"), max_length=60)
    issued_on = models.DateField(_("日期"))
    context = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("法律文书")
        verbose_name_plural = _("法律文书")
        ordering = ["case_id", "id"]
        constraints = [models.UniqueConstraint(fields=["number"], name="cases_document_number")]

    def __str__(self) -> str:
        return self.number


class IdempotencyRecord(models.Model):
    """A submission made with an `Idempotency-Key` header: a retry returns the same case."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("幂等提交记录")
        verbose_name_plural = _("幂等提交记录")
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="cases_idempotency_key")]

    def __str__(self) -> str:
        return self.key


class OnSpotAuthorisation(models.Model):
    """A clerk authorised to decide an on-the-spot item (即办件) at the window."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    item = models.ForeignKey("catalog.Item", on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("即办件授权")
        verbose_name_plural = _("即办件授权")
        constraints = [models.UniqueConstraint(fields=["user", "item"],
                                               name="cases_onspot_user_item")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}"



from .models_online import ApplicationDraft, DraftFile  # noqa: E402, F401  (online drafts)
