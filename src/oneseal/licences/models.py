"""The electronic licence library (电子证照库). Only `services.py` and `sharing.py` write
these rows.

A `Licence` carries the catalogue fields of GB/T 36902 listed in law.md §11 as a snapshot
taken when it is issued (holder name, item name and code, issuer ...), so that a later change
of the applicant's record or of the catalogue never alters an issued licence. Its state
changes only through the services, each with a reason, a `LicenceEvent` and an audit-chain
event (law.md §7: 撤回 第8条, 撤销 第69条, 注销 第70条).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oneseal.core.masking import mask_id_number

from .domain.states import State


class TemplateKind(models.TextChoices):
    CERTIFICATE = "certificate", _("许可证（证书式）")
    APPROVAL = "approval", _("批准文书（公文式）")


class LicenceType(models.Model):
    """A kind of licence (证照类型) and the item whose grant issues it."""

    code = models.CharField(_("证照类型代码"), max_length=20, unique=True)
    name = models.CharField(_("证照类型名称"), max_length=100)
    item = models.ForeignKey("catalog.Item", verbose_name=_("对应事项"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    defining_authority = models.CharField(_("证照定义机构"), max_length=200)
    validity_months = models.PositiveSmallIntegerField(_("有效期（月，0为长期）"), default=0)
    jurisdiction = models.CharField(_("管辖区域"), max_length=100, default="云南省昆明市西山区")
    template = models.CharField(_("版式"), max_length=12, choices=TemplateKind.choices,
                                default=TemplateKind.CERTIFICATE)
    scope_label = models.CharField(_("范围栏名称"), max_length=20, default="许可范围")
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class LicenceState(models.TextChoices):
    VALID = State.VALID.value, _("有效")
    SUSPENDED = State.SUSPENDED.value, _("暂扣")
    REVOKED = State.REVOKED.value, _("撤销")
    CANCELLED = State.CANCELLED.value, _("注销")
    EXPIRED = State.EXPIRED.value, _("失效")
    WITHDRAWN_PENALTY = State.PENALTY.value, _("吊销")


class HolderIdType(models.TextChoices):
    RESIDENT_ID = "111", _("居民身份证")
    CREDIT_CODE = "001", _("统一社会信用代码")


_RESIDENT_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def masked_holder_id(holder_id: str, id_type: str = "") -> str:
    """A holder's number as it is shown to anyone but the library's readers, printed on the
    licence and kept in logs: a resident ID number masked (personal information, 个人信息保护法
    第28条), a credit code in full (public by law). Its type (`HolderIdType`) decides when
    known; a number typed into a query is judged by its shape."""
    text = (holder_id or "").strip().upper()
    if id_type:
        resident = id_type == HolderIdType.RESIDENT_ID
    else:
        resident = bool(_RESIDENT_ID_SHAPE.fullmatch(text))
    return mask_id_number(text) if resident else text


class Licence(models.Model):
    """One electronic licence (电子证照) with the catalogue fields of law.md §11."""

    identifier = models.CharField(_("电子证照标识"), max_length=100, unique=True)
    type = models.ForeignKey(LicenceType, verbose_name=_("证照类型"), on_delete=models.PROTECT,
                             related_name="licences")
    number = models.CharField(_("证照编号"), max_length=40)
    name = models.CharField(_("证照名称"), max_length=100)
    version = models.PositiveSmallIntegerField(_("版本号"), default=1)
    issuer_name = models.CharField(_("颁发机构"), max_length=200)
    issuer_code = models.CharField(_("颁发机构代码"), max_length=18)
    issued_on = models.DateField(_("颁发日期"))
    defining_authority = models.CharField(_("证照定义机构"), max_length=200)
    valid_from = models.DateField(_("有效期起始"))
    valid_to = models.DateField(_("有效期截止"), null=True, blank=True)  # None: 长期
    jurisdiction = models.CharField(_("管辖区域"), max_length=100)
    holder_name = models.CharField(_("持证主体"), max_length=200)
    holder_id = models.CharField(_("持证主体代码"), max_length=18, db_index=True)
    holder_id_type = models.CharField(_("持证主体代码类型"), max_length=3,
                                      choices=HolderIdType.choices)
    holder_person = models.ForeignKey("applicants.Person", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="licences")
    holder_organisation = models.ForeignKey("applicants.Organisation", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="licences")
    item_name = models.CharField(_("关联事项名称"), max_length=200)
    item_code = models.CharField(_("关联事项编码"), max_length=40)
    scope = models.TextField(_("许可范围"), blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="licences")
    decision_document = models.ForeignKey("cases.CaseDocument", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("证照状态"), max_length=10, choices=LicenceState.choices,
                             default=LicenceState.VALID)
    state_reason = models.TextField(_("状态变更原因"), blank=True)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    seal_use = models.ForeignKey("seal.SealUse", verbose_name=_("用印登记"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "type"], name="licences_one_per_case_type"),
            # numbers never repeat, across types too (证照编号 = type code + year + serial)
            models.UniqueConstraint(fields=["number"], name="licences_number_unique"),
        ]
        indexes = [
            models.Index(fields=["holder_id", "type"], name="licences_holder_type"),
            models.Index(fields=["state", "valid_to"], name="licences_state_valid_to"),
            models.Index(fields=["holder_name"], name="licences_holder_name"),
            models.Index(fields=["number"], name="licences_number"),
        ]

    def __str__(self) -> str:
        return self.identifier

    @property
    def holder_id_masked(self) -> str:
        """`masked_holder_id` of this licence's holder."""
        return masked_holder_id(self.holder_id, self.holder_id_type)


class LicenceEvent(models.Model):
    """One change of a licence's state (证照状态变更记录)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=10, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10)
    operation = models.CharField(_("操作"), max_length=12)
    reason = models.TextField(_("原因"), blank=True)
    legal_basis = models.CharField(_("法律依据"), max_length=100, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("证照状态变更记录")
        verbose_name_plural = _("证照状态变更记录")
        ordering = ["licence_id", "id"]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.from_state}->{self.to_state}"


class LicenceSerial(models.Model):
    """The last serial used for a licence type in a year (证照流水号计数器), incremented in
    the issuing transaction: serials never repeat."""

    type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证照流水号计数器")
        verbose_name_plural = _("证照流水号计数器")
        constraints = [models.UniqueConstraint(fields=["type", "year"],
                                               name="licences_serial_type_year")]

    def __str__(self) -> str:
        return f"{self.type_id}/{self.year}: {self.last}"


class LicenceAccess(models.Model):
    """One call of the licence API (调用登记): every lookup is recorded, found or not."""

    at = models.DateTimeField(_("时间"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    token_label = models.CharField(_("令牌"), max_length=100, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    query_kind = models.CharField(_("查询方式"), max_length=12)  # "identifier" | "holder"
    query = models.CharField(_("查询条件"), max_length=200)  # holder id masked
    result_count = models.PositiveIntegerField(_("结果数"), default=0)
    identifiers = models.JSONField(_("返回的证照标识"), default=list, blank=True)

    class Meta:
        verbose_name = _("证照调用记录")
        verbose_name_plural = _("证照调用记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at} {self.query_kind} {self.query}"


class RenewalReminder(models.Model):
    """A reminder to the holder to apply for renewal (延续) in time (第50条)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="reminders")
    apply_by = models.DateField(_("申请延续截止日"))
    remind_on = models.DateField(_("提醒日期"))
    sent_at = models.DateTimeField(_("提醒时间"))

    class Meta:
        verbose_name = _("延续提醒")
        verbose_name_plural = _("延续提醒")
        ordering = ["apply_by", "id"]
        constraints = [models.UniqueConstraint(fields=["licence", "apply_by"],
                                               name="licences_reminder_once")]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.apply_by}"


class MaterialProvenance(models.Model):
    """Where a material obtained by sharing came from (证明材料后台核验, 国务院令第716号
    第7条): the licence, its version, and when the system checked it. A system check, so no
    user."""

    material = models.OneToOneField("cases.CaseMaterial", on_delete=models.CASCADE,
                                    related_name="provenance")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="+")
    identifier = models.CharField(_("电子证照标识"), max_length=100)
    version = models.PositiveSmallIntegerField(_("版本号"))
    checked_at = models.DateTimeField(_("核验时间"))

    class Meta:
        verbose_name = _("共享材料来源")
        verbose_name_plural = _("共享材料来源")

    def __str__(self) -> str:
        return f"{self.material_id} <- {self.identifier}"


class SharingRule(models.Model):
    """Which licence type satisfies a shareable material of a given name (共享规则)."""

    material_name = models.CharField(_("材料名称"), max_length=200)
    licence_type = models.ForeignKey(LicenceType, verbose_name=_("证照类型"),
                                     on_delete=models.CASCADE, related_name="sharing_rules")

    class Meta:
        verbose_name = _("材料共享规则")
        verbose_name_plural = _("材料共享规则")
        ordering = ["material_name", "id"]
        constraints = [models.UniqueConstraint(fields=["material_name", "licence_type"],
                                               name="licences_sharing_rule_once")]

    def __str__(self) -> str:
        return f"{self.material_name} <- {self.licence_type_id}"


class RenewalOutcome(models.TextChoices):
    PENDING = "pending", _("待决定")
    GRANTED = "granted", _("准予延续")
    REFUSED = "refused", _("不予延续")
    DEEMED = "deemed", _("视为准予延续")  # 第50条第二款


class LicenceRenewal(models.Model):
    """An application to renew a licence (延续申请, 第50条): the case that applies, when, the
    last day to apply, and how it ended. A renewal applied for in time and still pending when
    the licence's validity ends is deemed granted (第50条第二款): the expiry job extends the
    licence instead of recording 失效."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="renewals")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT,
                                related_name="licence_renewal")
    applied_on = models.DateField(_("申请日期"))
    apply_by = models.DateField(_("申请延续截止日"))
    in_time = models.BooleanField(_("按期申请"))
    outcome = models.CharField(_("结果"), max_length=10, choices=RenewalOutcome.choices,
                               default=RenewalOutcome.PENDING)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("延续申请")
        verbose_name_plural = _("延续申请")
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"{self.licence_id} ← {self.case_id} ({self.outcome})"
