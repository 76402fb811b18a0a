"""The bureau's electronic seals (电子印章, GB/T 38540-2020; law.md §12), the certificates
allowed to sign with them, the maker that vouches for them, the delegations of the right to
authorise a use (用印授权) and the seal ledger (用印登记).

What is stored here is public: seal pictures, certificates, the maker's certificate. The
private keys live in the key store (a PKCS#12 file under ONESEAL_SEAL_DIR, or a PKCS#11
device) and never enter the database (see keys.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SealKind(models.TextChoices):
    APPROVAL = "approval", _("行政审批专用章")
    ACCEPTANCE = "acceptance", _("受理专用章")


class PictureKind(models.TextChoices):
    VECTOR = "vector", _("矢量绘制")
    IMAGE = "image", _("上传图片")


class SealMaker(models.Model):
    """The seal maker (制章者): the certificate authority whose certificate is the trust
    anchor of every seal certificate. `oneseal seal init` makes a demo one; in production
    the certificate of the authority that issued the bureau's seal certificates."""

    name = models.CharField(_("名称"), max_length=200)
    der = models.BinaryField(_("证书（DER）"))
    fingerprint = models.CharField(_("SHA-256 指纹"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("印章制作机构")
        verbose_name_plural = _("印章制作机构")

    def __str__(self) -> str:
        return self.name


class Seal(models.Model):
    """A seal (印章), modelled on the GB/T 38540 seal structure: header, identifier (esID),
    properties (type, name, certificate list, dates), picture — `seal_data` — signed by the
    maker (`maker_signature`, ECDSA over the canonical JSON of `seal_data`)."""

    code = models.CharField(_("印章编码"), max_length=32, unique=True)
    kind = models.CharField(_("印章类型"), max_length=20, choices=SealKind.choices)
    name = models.CharField(_("印章名称"), max_length=100)
    unit = models.ForeignKey("org.Unit", verbose_name=_("用章单位"), on_delete=models.PROTECT,
                             related_name="+")
    valid_from = models.DateField(_("启用日期"))
    valid_to = models.DateField(_("有效期至"))
    picture_kind = models.CharField(_("印模"), max_length=10, choices=PictureKind.choices,
                                    default=PictureKind.VECTOR)
    picture = models.BinaryField(_("印模图片"), blank=True, default=b"")
    seal_data = models.JSONField(_("印章数据"), default=dict)
    maker = models.ForeignKey(SealMaker, verbose_name=_("制章者"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="seals")
    maker_signature = models.BinaryField(_("制章者签名"), blank=True, default=b"")
    key_label = models.CharField(_("密钥标签"), max_length=64)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("电子印章")
        verbose_name_plural = _("电子印章")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class SealCertificate(models.Model):
    """A certificate allowed to sign with a seal (签章人证书). A document signed with a
    certificate listed here counts as signed with the seal (`verify_pdf`'s `our_seal`)."""

    seal = models.ForeignKey(Seal, on_delete=models.CASCADE, related_name="certificates")
    der = models.BinaryField(_("证书（DER）"))
    fingerprint = models.CharField(_("SHA-256 指纹"), max_length=64, unique=True)
    subject = models.CharField(_("主体"), max_length=300)
    issuer = models.CharField(_("颁发者"), max_length=300)
    serial = models.CharField(_("序列号"), max_length=80)
    not_before = models.DateTimeField(_("生效时间"))
    not_after = models.DateTimeField(_("失效时间"))
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("印章证书")
        verbose_name_plural = _("印章证书")
        ordering = ["seal", "-not_before"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.serial})"


class SealDelegation(models.Model):
    """A delegation (用印授权): someone other than the bureau head may authorise uses of
    the seal from `valid_from` to `valid_to`, both days included, until revoked."""

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="delegations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("被授权人"),
                             on_delete=models.PROTECT, related_name="seal_delegations")
    valid_from = models.DateField(_("授权起始日"))
    valid_to = models.DateField(_("授权截止日"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("授权人"),
                                   on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("授权时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("用印授权")
        verbose_name_plural = _("用印授权")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "seal", "valid_from"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")),
                                   name="seal_delegation_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.seal_id} {self.valid_from}–{self.valid_to}"


class SealUseState(models.TextChoices):
    AUTHORISED = "authorised", _("待签章")
    SIGNED = "signed", _("已签章")
    FAILED = "failed", _("签章失败")


class SealUse(models.Model):
    """One use of a seal (用印登记, the seal ledger): what was sealed, for which case, who
    authorised it and when, and the hash of the signed document. `key` makes authorising
    and signing idempotent (``"document:123"``, ``"licence:45"``)."""

    key = models.CharField(_("用印键"), max_length=80, unique=True)
    seal = models.ForeignKey(Seal, verbose_name=_("印章"), on_delete=models.PROTECT,
                             related_name="uses")
    certificate = models.ForeignKey(SealCertificate, verbose_name=_("签章证书"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="uses")
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="seal_uses")
    title = models.CharField(_("用印文件"), max_length=200)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"),
                                      null=True, on_delete=models.PROTECT, related_name="+")
    authorised_at = models.DateTimeField(_("批准时间"))
    state = models.CharField(_("状态"), max_length=12, choices=SealUseState.choices,
                             default=SealUseState.AUTHORISED)
    attempts = models.PositiveIntegerField(_("失败次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    source_sha256 = models.CharField(_("原文件哈希"), max_length=64, blank=True)
    signed_sha256 = models.CharField(_("签章文件哈希"), max_length=64, blank=True,
                                     db_index=True)
    signed_size = models.PositiveIntegerField(_("签章文件大小"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签章时间"), null=True, blank=True)
    audit_seq = models.BigIntegerField(_("审计序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("用印登记")
        verbose_name_plural = _("用印登记")
        ordering = ["-authorised_at", "-id"]
        indexes = [models.Index(fields=["state", "authorised_at"])]

    def __str__(self) -> str:
        return f"{self.seal_id}:{self.key}"
