"""审管互动 (work plan measure 六): every decision and licence change is pushed to the
competent department's inbox (认领), which claims it within 2 working days, records its
supervision (事中事后监管) against the licence, and may report a problem back, from which the
bureau opens a 撤销 / 注销 / 吊销 procedure (行政许可法 第69–70条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimKind(models.TextChoices):
    DECISION = "decision", _("审批决定")
    LICENCE_CHANGE = "licence_change", _("证照变更")


class ClaimTicket(models.Model):
    """One decision or licence change in a department's inbox (待认领)."""

    department = models.ForeignKey("org.Unit", verbose_name=_("主管部门"),
                                   on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=ClaimKind.choices)
    source = models.CharField(_("来源"), max_length=60, unique=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    licence = models.ForeignKey("licences.Licence", verbose_name=_("电子证照"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("事由"), max_length=300)
    detail = models.TextField(_("内容"), blank=True)
    received_on = models.DateField(_("推送日期"))
    received_at = models.DateTimeField(_("推送时间"))
    claim_due = models.DateField(_("认领期限"))
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    claimed_on = models.DateField(_("认领日期"), null=True, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认领人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("推送认领")
        verbose_name_plural = _("推送认领")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["department", "claimed_at", "claim_due"],
                                name="coord_claim_inbox")]

    def __str__(self) -> str:
        return self.title


class SupervisionAction(models.TextChoices):
    INSPECTION = "inspection", _("现场检查")
    DOCUMENT_CHECK = "document_check", _("书面核查")
    RANDOM_CHECK = "random_check", _("双随机抽查")
    INTERVIEW = "interview", _("约谈")
    OTHER = "other", _("其他")


class SupervisionResult(models.TextChoices):
    COMPLIANT = "compliant", _("未发现问题")
    RECTIFY = "rectify", _("责令整改")
    PROBLEM = "problem", _("发现问题")


class SupervisionRecord(models.Model):
    """事中事后监管记录: what the department did and found, against the licence."""

    ticket = models.ForeignKey(ClaimTicket, on_delete=models.CASCADE, related_name="records")
    licence = models.ForeignKey("licences.Licence", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("监管措施"), max_length=16, choices=SupervisionAction.choices)
    result = models.CharField(_("监管结果"), max_length=10, choices=SupervisionResult.choices)
    note = models.TextField(_("情况说明"))
    on = models.DateField(_("监管日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监管记录")
        verbose_name_plural = _("监管记录")
        ordering = ["ticket_id", "on", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.on}"


class ProblemKind(models.TextChoices):
    FRAUD = "fraud", _("以欺骗、贿赂等不正当手段取得许可")
    UNLAWFUL = "unlawful", _("违法作出许可决定")
    CONDITIONS_LOST = "conditions_lost", _("不再具备许可条件")
    VIOLATION = "violation", _("违法经营，应予吊销")
    TERMINATED = "terminated", _("主体终止或许可依法应当注销")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    STARTED = "started", _("已启动程序")
    DISMISSED = "dismissed", _("不予启动")


class ProblemReport(models.Model):
    """问题反馈: the department reports a licence back to the bureau."""

    ticket = models.ForeignKey(ClaimTicket, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="problems")
    licence = models.ForeignKey("licences.Licence", on_delete=models.PROTECT,
                                related_name="+")
    department = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("问题类型"), max_length=16, choices=ProblemKind.choices)
    facts = models.TextField(_("事实和证据"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField(_("反馈时间"))
    status = models.CharField(_("处理状态"), max_length=10, choices=ProblemStatus.choices,
                              default=ProblemStatus.OPEN)
    operation = models.CharField(_("启动的程序"), max_length=12, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handling_note = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("问题反馈")
        verbose_name_plural = _("问题反馈")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.kind}"


class ProblemStep(models.Model):
    """One step either side took on a problem report: both sides see the same list."""

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="steps")
    side = models.CharField(_("一方"), max_length=10,
                            choices=[("dept", _("主管部门")), ("bureau", _("审批局"))])
    text = models.TextField(_("内容"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"))
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["report_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.side}"
