"""The intermediary marketplace (中介超市, work-plan measure 十一): the list of intermediary
services (中介服务事项清单), the intermediaries with their qualifications, staff, fees and
declared ties, the needs owners post and the offers, the contracts on the clock, ratings,
complaints and the published credit measures (警示、暂停、清退)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oneseal.core.identity import validate_credit_code

from .domain.credit import Standing
from .domain.selection import Method


class Service(models.Model):
    """中介服务事项: a service some licensing items require (an environmental impact report,
    a survey, a drawing review ...), with its legal basis; `compulsory` when the law makes
    the report a condition of the licence (otherwise the applicant may provide it himself)."""

    code = models.CharField(_("事项编码"), max_length=20, unique=True)
    name = models.CharField(_("中介服务事项名称"), max_length=100)
    legal_basis = models.TextField(_("设定依据"))
    compulsory = models.BooleanField(_("法定必须委托中介"), default=True)
    fee_basis = models.CharField(_("收费依据"), max_length=300, blank=True)
    items = models.ManyToManyField("catalog.Item", verbose_name=_("需要该中介服务的审批事项"),
                                   related_name="+", blank=True)
    # The application materials of those items that the report is, one name a line (one
    # service may serve several items whose guides name the report differently: 环境影响
    # 报告书 / 报告表), matched by name as the licence library's SharingRule matches: a
    # catalogue material belongs to one item version and a new version copies the name.
    material_names = models.TextField(_("对应的申请材料名称"), blank=True,
                                      help_text=_("中介服务成果作为上述事项的哪一项申请材料，每行一项，"
                                                  "与办事指南中的材料名称一致；填写后，成果经项目业主"
                                                  "确认即共享至其办件，申请人免提交。"))
    published = models.BooleanField(_("已公布"), default=True)

    class Meta:
        verbose_name = _("中介服务事项")
        verbose_name_plural = _("中介服务事项清单")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def material_name_list(self) -> list[str]:
        return [n.strip() for n in self.material_names.splitlines() if n.strip()]


class StandingChoices(models.TextChoices):
    GOOD = Standing.GOOD.value, _("正常")
    WARNING = Standing.WARNING.value, _("警示")
    SUSPENDED = Standing.SUSPENDED.value, _("暂停")
    EXITED = Standing.EXITED.value, _("清退")


class Intermediary(models.Model):
    """中介服务机构: a legal entity that entered the market (进场)."""

    name = models.CharField(_("机构名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    introduction = models.TextField(_("机构简介"), blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("操作员"),
                                   related_name="intermediaries", blank=True)
    no_ties_declared = models.BooleanField(_("承诺与政府部门无隶属、利益关联"), default=False)
    standing = models.CharField(_("信用状态"), max_length=10, choices=StandingChoices.choices,
                                default=StandingChoices.GOOD)
    suspended_until = models.DateField(_("暂停至"), null=True, blank=True)
    credit_score = models.PositiveSmallIntegerField(_("信用分"), default=100)
    entered_on = models.DateField(_("进场日期"))

    class Meta:
        verbose_name = _("中介服务机构")
        verbose_name_plural = _("中介服务机构")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["standing", "credit_score"],
                                name="intermediary_standing_credit")]

    def __str__(self) -> str:
        return self.name

    @property
    def may_bid(self) -> bool:
        return self.standing in (StandingChoices.GOOD, StandingChoices.WARNING)


class GovernmentTie(models.Model):
    """A declared link to a government body (与政府部门的关联): shareholding, staff on
    secondment, a former subordinate unit (脱钩改制) ... published beside the intermediary."""

    intermediary = models.ForeignKey(Intermediary, on_delete=models.CASCADE, related_name="ties")
    body = models.CharField(_("关联的政府部门"), max_length=200)
    relation = models.CharField(_("关联情形"), max_length=300)
    declared_on = models.DateField(_("申报日期"))

    class Meta:
        verbose_name = _("政府部门关联申报")
        verbose_name_plural = _("政府部门关联申报")
        ordering = ["intermediary_id", "id"]

    def __str__(self) -> str:
        return f"{self.intermediary_id} {self.body}"


class QualificationState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class Qualification(models.Model):
    """资质: the certificate that allows an intermediary to provide one service; checked by
    bureau staff, who approve it or reject it with reasons."""

    intermediary = models.ForeignKey(Intermediary, on_delete=models.CASCADE,
                                     related_name="qualifications")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="qualifications")
    name = models.CharField(_("资质名称"), max_length=100)
    certificate_number = models.CharField(_("资质证书编号"), max_length=60)
    issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    state = models.CharField(_("审核状态"), max_length=10, choices=QualificationState.choices,
                             default=QualificationState.PENDING)
    reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("资质")
        verbose_name_plural = _("资质")
        ordering = ["intermediary_id", "service_id", "id"]
        indexes = [models.Index(fields=["service", "state", "valid_to"],
                                name="qualification_service_state")]

    def __str__(self) -> str:
        return f"{self.certificate_number} {self.state}"


class StaffMember(models.Model):
    """从业人员 of an intermediary, with the practising certificate where the service needs
    one; the phone is masked on public pages."""

    intermediary = models.ForeignKey(Intermediary, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职称或执业资格"), max_length=100, blank=True)
    certificate_number = models.CharField(_("执业证书编号"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["intermediary_id", "id"]

    def __str__(self) -> str:
        return self.name


class FeeSchedule(models.Model):
    """收费公示: the published maximum fee and promised service time of one intermediary for
    one service. An offer above `max_fee` is refused."""

    intermediary = models.ForeignKey(Intermediary, on_delete=models.CASCADE, related_name="fees")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="fees")
    max_fee = models.DecimalField(_("收费上限（元）"), max_digits=12, decimal_places=2)
    basis = models.CharField(_("收费标准说明"), max_length=300)
    promised_days = models.PositiveSmallIntegerField(_("承诺服务时限（工作日）"))
    published_on = models.DateField(_("公示日期"))

    class Meta:
        verbose_name = _("收费公示")
        verbose_name_plural = _("收费公示")
        ordering = ["service_id", "max_fee"]
        constraints = [models.UniqueConstraint(fields=["intermediary", "service"],
                                               name="intermediaries_fee_one_per_service")]

    def __str__(self) -> str:
        return f"{self.intermediary_id} {self.service_id} {self.max_fee}"


class MethodChoices(models.TextChoices):
    DIRECT = Method.DIRECT.value, _("直接选取")
    DRAW = Method.DRAW.value, _("随机抽取")
    LOWEST_PRICE = Method.LOWEST_PRICE.value, _("最低价中选")
    COMPREHENSIVE = Method.COMPREHENSIVE.value, _("综合评价")
    WEIGHTED_DRAW = Method.WEIGHTED_DRAW.value, _("信用加权随机抽取")


class PostingState(models.TextChoices):
    OPEN = "open", _("报名中")
    EVALUATING = "evaluating", _("待选定")
    AWARDED = "awarded", _("已选定")
    FAILED = "failed", _("流标")


class Posting(models.Model):
    """采购公告: a need posted by a project owner (项目业主), an applicant's account or a
    public body's account for state-funded work (政府投资项目)."""

    number = models.CharField(_("公告编号"), max_length=20, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("项目业主账号"),
                              on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(_("项目业主"), max_length=200)
    state_funded = models.BooleanField(_("政府投资项目"), default=False)
    service = models.ForeignKey(Service, verbose_name=_("中介服务事项"), on_delete=models.PROTECT,
                                related_name="postings")
    project = models.CharField(_("项目名称"), max_length=200)
    scope = models.TextField(_("服务范围"))
    budget_cap = models.DecimalField(_("预算上限（元）"), max_digits=12, decimal_places=2)
    method = models.CharField(_("选取方式"), max_length=15, choices=MethodChoices.choices)
    offers_close_at = models.DateTimeField(_("报名截止时间"))
    case = models.ForeignKey("cases.Case", verbose_name=_("关联办件"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    # Whose project it is (the applicant the report belongs to): the same person or
    # organisation as a case's applicant receives the report as a material (sharing.py).
    applicant_person = models.ForeignKey("applicants.Person", verbose_name=_("项目业主（自然人）"),
                                         null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    applicant_organisation = models.ForeignKey(
        "applicants.Organisation", verbose_name=_("项目业主（单位）"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=12, choices=PostingState.choices,
                             default=PostingState.OPEN)
    seed = models.CharField(max_length=64)  # secret until revealed (domain/draw.py)
    commitment = models.CharField(_("随机种子承诺值（SHA-256）"), max_length=64)
    seed_revealed = models.BooleanField(default=False)
    draw = models.JSONField(_("抽取过程"), null=True, blank=True)
    winner = models.ForeignKey("Bid", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    reposted_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="reposts")
    failure_reason = models.CharField(_("流标原因"), max_length=200, blank=True)
    posted_at = models.DateTimeField(_("发布时间"))
    closed_at = models.DateTimeField(_("截止处理时间"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("选定时间"), null=True, blank=True)
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("中介服务采购公告")
        verbose_name_plural = _("中介服务采购公告")
        ordering = ["-posted_at", "-id"]
        indexes = [models.Index(fields=["state", "offers_close_at"], name="posting_state_close")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_draw(self) -> bool:
        return self.method in (MethodChoices.DRAW, MethodChoices.WEIGHTED_DRAW)


class Bid(models.Model):
    """报名（报价）: an intermediary's offer on a posting."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="bids")
    intermediary = models.ForeignKey(Intermediary, on_delete=models.PROTECT, related_name="bids")
    price = models.DecimalField(_("报价（元）"), max_digits=12, decimal_places=2)
    days = models.PositiveSmallIntegerField(_("承诺服务时限（工作日）"))
    proposal = models.TextField(_("服务方案"), blank=True)
    tech_score = models.DecimalField(_("方案评分（满分70）"), max_digits=5, decimal_places=2,
                                     null=True, blank=True)
    credit_at_close = models.PositiveSmallIntegerField(_("截止时信用分"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报名时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["posting_id", "submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["posting", "intermediary"],
                                               name="intermediaries_bid_once")]

    def __str__(self) -> str:
        return f"{self.posting_id} {self.intermediary_id} {self.price}"


class ContractState(models.TextChoices):
    RUNNING = "running", _("服务中")
    REPORTED = "reported", _("已提交成果")
    FINISHED = "finished", _("已完成")


def _report_path(instance: Contract, filename: str) -> str:
    return f"intermediaries/{instance.pk}/{filename}"


class Contract(models.Model):
    """服务合同: the chosen intermediary's service, with the promised working days and its
    clock (行政许可法 第82条 working days), the report and its link to the applicant's case."""

    posting = models.OneToOneField(Posting, on_delete=models.PROTECT, related_name="contract")
    intermediary = models.ForeignKey(Intermediary, on_delete=models.PROTECT,
                                     related_name="contracts")
    price = models.DecimalField(_("合同金额（元）"), max_digits=12, decimal_places=2)
    promised_days = models.PositiveSmallIntegerField(_("承诺服务时限（工作日）"))
    started_on = models.DateField(_("服务开始日期"))
    due_on = models.DateField(_("服务期限"))
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=ContractState.choices,
                             default=ContractState.RUNNING)
    report = models.FileField(_("中介服务成果"), upload_to=_report_path, max_length=300,
                              blank=True)
    report_name = models.CharField(_("成果文件名"), max_length=200, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    reported_on = models.DateField(_("成果提交日期"), null=True, blank=True)
    days_late = models.PositiveSmallIntegerField(_("超期工作日"), default=0)
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    case_linked = models.BooleanField(_("已关联办件材料（免提交）"), default=False)

    class Meta:
        verbose_name = _("中介服务合同")
        verbose_name_plural = _("中介服务合同")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.posting_id} {self.state}"


class ServiceRating(models.Model):
    """The owner's rating of a finished service (服务评价), 1–5 stars."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="rating")
    stars = models.PositiveSmallIntegerField(_("评分（1–5星）"))
    text = models.CharField(_("评价内容"), max_length=500, blank=True)
    rated_on = models.DateField(_("评价日期"))

    class Meta:
        verbose_name = _("中介服务评价")
        verbose_name_plural = _("中介服务评价")

    def __str__(self) -> str:
        return f"{self.contract_id} {self.stars}"


class ComplaintState(models.TextChoices):
    OPEN = "open", _("处理中")
    UPHELD = "upheld", _("投诉属实")
    DISMISSED = "dismissed", _("投诉不属实")


class Complaint(models.Model):
    """投诉 against an intermediary, handled by a supervisor within its handling clock."""

    intermediary = models.ForeignKey(Intermediary, on_delete=models.PROTECT,
                                     related_name="complaints")
    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="complaints")
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    text = models.TextField(_("投诉内容"))
    filed_on = models.DateField(_("投诉日期"))
    due_on = models.DateField(_("办理期限"))
    due_provisional = models.BooleanField(default=False)
    state = models.CharField(_("状态"), max_length=10, choices=ComplaintState.choices,
                             default=ComplaintState.OPEN)
    result = models.TextField(_("处理结果"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    handled_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("中介服务投诉")
        verbose_name_plural = _("中介服务投诉")
        ordering = ["state", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.intermediary_id} {self.state}"


class MeasureKind(models.TextChoices):
    WARNING = "warning", _("警示")
    SUSPENSION = "suspension", _("暂停")
    EXIT = "exit", _("清退")
    RESTORED = "restored", _("恢复正常")


class CreditMeasure(models.Model):
    """A published credit measure (信用处理公示): warning, suspension, exit, by rule."""

    intermediary = models.ForeignKey(Intermediary, on_delete=models.PROTECT,
                                     related_name="measures")
    kind = models.CharField(_("处理类型"), max_length=10, choices=MeasureKind.choices)
    score = models.PositiveSmallIntegerField(_("信用分"))
    rule = models.CharField(_("依据规则"), max_length=200)
    taken_on = models.DateField(_("处理日期"))
    until = models.DateField(_("期限至"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用处理")
        verbose_name_plural = _("信用处理公示")
        ordering = ["-taken_on", "-id"]

    def __str__(self) -> str:
        return f"{self.intermediary_id} {self.kind} {self.taken_on}"


class SuppliedReport(models.Model):
    """A case material supplied by the marketplace (中介超市共享获取, 国务院令第716号 第7条):
    the finished report of one contract recorded against the applicant's case material, with
    what identifies it at the time (file name and SHA-256, intermediary, service, date), so
    that the clerk can open it and see that it is the report the intermediary delivered."""

    material = models.OneToOneField("cases.CaseMaterial", on_delete=models.CASCADE,
                                    related_name="intermediary_report")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="supplied")
    report_name = models.CharField(_("成果文件名"), max_length=200)
    report_sha256 = models.CharField(_("SHA-256"), max_length=64)
    intermediary_name = models.CharField(_("中介服务机构"), max_length=200)
    service_name = models.CharField(_("中介服务事项"), max_length=100)
    reported_on = models.DateField(_("成果提交日期"))
    attached_at = models.DateTimeField(_("共享时间"))

    class Meta:
        verbose_name = _("中介成果共享记录")
        verbose_name_plural = _("中介成果共享记录")
        ordering = ["-attached_at", "-id"]

    def __str__(self) -> str:
        return f"{self.material_id} {self.report_sha256[:12]}"
