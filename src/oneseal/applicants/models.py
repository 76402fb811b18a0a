"""Applicants (申请人): natural persons, organisations, and agents authorised to act for an
organisation (代理人)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oneseal.core.identity import validate_credit_code, validate_id_number, validate_phone


class Person(models.Model):
    """A natural person who applies, or acts as an agent (自然人). Identified by the resident
    ID number; may be linked to the account they log in with."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(
        _("身份证号码"), max_length=18, unique=True, validators=[validate_id_number]
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True, validators=[validate_phone])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账户"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("自然人")
        verbose_name_plural = _("自然人")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A legal person or other organisation that applies (法人和其他组织), identified by its
    unified social credit code."""

    name = models.CharField(_("名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("关联账户"), blank=True,
        related_name="organisations",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("法人和其他组织")
        verbose_name_plural = _("法人和其他组织")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class AgentAuthorisation(models.Model):
    """A written authorisation (授权委托书) letting a person (the agent, 代理人) act for an
    applicant — an organisation or another natural person (the principal, 委托人) — for the
    items of its scope (`items`, or every item with `all_items`) from `valid_from` to
    `valid_to`, until revoked; see `domain.authorisation` for when it is in force and
    covers an application."""

    agent = models.ForeignKey(
        Person, verbose_name=_("代理人"), on_delete=models.PROTECT, related_name="authorisations"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("委托单位"), on_delete=models.PROTECT,
        related_name="authorisations", null=True, blank=True,
    )
    person = models.ForeignKey(
        Person, verbose_name=_("委托人（自然人）"), on_delete=models.PROTECT,
        related_name="principal_authorisations", null=True, blank=True,
    )
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    scope = models.TextField(_("委托事项和权限"))
    all_items = models.BooleanField(_("全部事项"), default=False)
    items = models.ManyToManyField(
        "catalog.Item", verbose_name=_("委托事项"), blank=True, related_name="+",
    )
    document_ref = models.CharField(_("授权委托书编号"), max_length=100, blank=True)
    # 帮办代办 (work plan measure 十二): a bureau helper (帮办员) acts for the applicant, free
    assisted = models.BooleanField(_("帮办代办（免费）"), default=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("代理授权")
        verbose_name_plural = _("代理授权")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="agent_auth_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True, person__isnull=False)
                | models.Q(organisation__isnull=False, person__isnull=True),
                name="agent_auth_one_principal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.organisation or self.person}"
