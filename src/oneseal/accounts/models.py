"""People who log in (账户): staff and applicants, their roles and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import STAFF_ROLES, TWO_FACTOR_ROLES, Role


class User(AbstractUser):
    """A person who logs in. Staff belong to one unit; applicants belong to none."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所属单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = (
                frozenset(self.role_grants.values_list("role", flat=True))
                if self.pk
                else frozenset()
            )
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def is_staff_member(self) -> bool:
        return bool(self.role_codes & STAFF_ROLES)

    @property
    def requires_two_factor(self) -> bool:
        return bool(self.role_codes & TWO_FACTOR_ROLES)


class RoleGrant(models.Model):
    """One role held by one person (授权)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the token itself is shown
    once when created (`oneseal token create`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=80, blank=True)
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class PhoneCode(models.Model):
    """A verification code sent by SMS (短信验证码) to prove a mobile number, for one purpose
    (registration or password reset). Only a keyed hash of the code is stored; see
    `phone_codes` for its life, tries and sending limits."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        RESET = "reset", _("重置密码")

    phone = models.CharField(_("手机号码"), max_length=20)
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    digest = models.CharField(_("摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    tries = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"],
                                name="phone_code_lookup")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
