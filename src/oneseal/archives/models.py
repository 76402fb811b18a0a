"""The electronic archives (电子档案, work-plan measure 十三): retention rules per item and
result, one archival package per closed case (归档信息包, a BagIt bag on disk), transfer
lists (移交清单), destruction lists (销毁清单) with their approvals, and the backups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionChoice(models.TextChoices):
    PERMANENT = "permanent", _("永久")
    Y30 = "30y", _("30年")
    Y10 = "10y", _("10年")


class ResultChoice(models.TextChoices):
    GRANTED = "granted", _("准予许可")
    REFUSED = "refused", _("不予许可")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    WITHDRAWN = "withdrawn", _("撤回")
    TERMINATED = "terminated", _("终止")


class RetentionRule(models.Model):
    """保管期限 of an item's files for one result, with its basis (依据)."""

    item = models.ForeignKey("catalog.Item", verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="+")
    result = models.CharField(_("办理结果"), max_length=15, choices=ResultChoice.choices)
    retention = models.CharField(_("保管期限"), max_length=10, choices=RetentionChoice.choices)
    basis = models.CharField(_("依据"), max_length=300)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("保管期限规则")
        verbose_name_plural = _("保管期限规则")
        constraints = [models.UniqueConstraint(fields=["item", "result"],
                                               name="archives_rule_item_result")]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.result}: {self.retention}"


class PackageState(models.TextChoices):
    ARCHIVED = "archived", _("已归档")
    TRANSFERRED = "transferred", _("已移交")
    DESTROYED = "destroyed", _("已销毁")


class ArchivePackage(models.Model):
    """One case's archival package (归档信息包): a BagIt bag written once under
    ``<DATA_DIR>/archives/`` (``path``), fixed by the SHA-256 of its tag manifest. After
    destruction the row stays as the tombstone (state 已销毁, the list that destroyed it)."""

    case = models.OneToOneField("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                                related_name="archive_package")
    archive_number = models.CharField(_("档号"), max_length=80, unique=True)
    fonds_code = models.CharField(_("全宗号"), max_length=10)
    year = models.PositiveSmallIntegerField(_("年度"))
    retention = models.CharField(_("保管期限"), max_length=10, choices=RetentionChoice.choices)
    retention_basis = models.CharField(_("保管期限依据"), max_length=300)
    item_code = models.CharField(_("事项编码"), max_length=31)
    sequence = models.PositiveIntegerField(_("件号"))
    case_number = models.CharField(_("办件编号"), max_length=40)
    title = models.CharField(_("题名"), max_length=300)
    item_name = models.CharField(_("事项名称"), max_length=200)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_kind = models.CharField(_("申请人类型"), max_length=12)
    result = models.CharField(_("办理结果"), max_length=15, choices=ResultChoice.choices)
    closed_on = models.DateField(_("办结日期"))
    path = models.CharField(_("存储位置"), max_length=300)
    bag_sha256 = models.CharField(_("标签清单哈希"), max_length=64)
    file_count = models.PositiveIntegerField(_("文件数"))
    total_bytes = models.PositiveBigIntegerField(_("字节数"))
    built_at = models.DateTimeField(_("归档时间"))
    state = models.CharField(_("状态"), max_length=12, choices=PackageState.choices,
                             default=PackageState.ARCHIVED)
    hold = models.BooleanField(_("冻结（诉讼、复议等）"), default=False)
    hold_reason = models.CharField(_("冻结原因"), max_length=300, blank=True)
    last_verified_at = models.DateTimeField(_("最近检测时间"), null=True, blank=True)
    last_verify_ok = models.BooleanField(_("最近检测结果"), null=True, blank=True)
    audit_seq = models.PositiveBigIntegerField(_("审计序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("归档信息包")
        verbose_name_plural = _("归档信息包")
        ordering = ["-year", "archive_number"]
        constraints = [models.UniqueConstraint(
            fields=["fonds_code", "year", "retention", "item_code", "sequence"],
            name="archives_package_sequence")]
        indexes = [
            models.Index(fields=["year", "retention"], name="archives_pkg_year_ret"),
            models.Index(fields=["case_number"], name="archives_pkg_case_number"),
            models.Index(fields=["applicant_name"], name="archives_pkg_applicant"),
            models.Index(fields=["state", "year"], name="archives_pkg_state_year"),
        ]

    def __str__(self) -> str:
        return self.archive_number


class TransferList(models.Model):
    """移交清单: a year's packages handed to the archives office, with the checksums of
    the exported list, and the receipt (接收) once the office confirms."""

    number = models.CharField(_("清单编号"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    created_at = models.DateTimeField(_("编制时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编制人"),
                                   null=True, on_delete=models.PROTECT, related_name="+")
    packages = models.ManyToManyField(ArchivePackage, verbose_name=_("归档信息包"),
                                      related_name="transfer_lists")
    csv_sha256 = models.CharField(_("CSV 清单哈希"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    received_by_name = models.CharField(_("接收人"), max_length=100, blank=True)
    receiving_office = models.CharField(_("接收单位"), max_length=200, blank=True)
    receipt_note = models.CharField(_("接收说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("移交清单")
        verbose_name_plural = _("移交清单")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class DestructionState(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    EXECUTED = "executed", _("已销毁")
    CANCELLED = "cancelled", _("已撤销")


class DestructionList(models.Model):
    """销毁清单: packages whose retention has ended, proposed after appraisal (鉴定), approved
    by two named people (the head and an archivist / system administrator), executed by the
    system. The list and the packages' rows (tombstones) are kept for good."""

    number = models.CharField(_("清单编号"), max_length=40, unique=True)
    reason = models.TextField(_("鉴定意见"))
    state = models.CharField(_("状态"), max_length=12, choices=DestructionState.choices,
                             default=DestructionState.PROPOSED)
    proposed_at = models.DateTimeField(_("提出时间"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"),
                                    null=True, on_delete=models.PROTECT, related_name="+")
    packages = models.ManyToManyField(ArchivePackage, verbose_name=_("归档信息包"),
                                      related_name="destruction_lists")
    executed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)
    executed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("执行人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    snapshot = models.JSONField(_("清单内容"), default=list, blank=True)

    class Meta:
        verbose_name = _("销毁清单")
        verbose_name_plural = _("销毁清单")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return self.number


class DestructionApproval(models.Model):
    """One named approval of a destruction list (审批人签名)."""

    destruction = models.ForeignKey(DestructionList, on_delete=models.CASCADE,
                                    related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"),
                             on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField(_("审批人姓名"), max_length=150)
    role = models.CharField(_("审批身份"), max_length=20)
    at = models.DateTimeField(_("审批时间"))
    audit_seq = models.PositiveBigIntegerField(_("审计序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("销毁审批")
        verbose_name_plural = _("销毁审批")
        constraints = [
            models.UniqueConstraint(fields=["destruction", "user"], name="archives_approval_user"),
            models.UniqueConstraint(fields=["destruction", "role"], name="archives_approval_role"),
        ]

    def __str__(self) -> str:
        return f"{self.destruction_id}:{self.user_name}"


class BackupRecord(models.Model):
    """One run of `oneseal backup`: where it went, whether it finished, its manifest's hash."""

    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    ok = models.BooleanField(_("成功"), default=False)
    path = models.CharField(_("备份位置"), max_length=500)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    file_count = models.PositiveIntegerField(_("文件数"), default=0)
    manifest_sha256 = models.CharField(_("清单哈希"), max_length=64, blank=True)
    scheduled = models.BooleanField(_("定时备份"), default=False)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("备份记录")
        verbose_name_plural = _("备份记录")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.path
