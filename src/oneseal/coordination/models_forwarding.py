"""审核转报 (行政许可法 第43条): the district reviews and forwards to the upper authority."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForwardState(models.TextChoices):
    REVIEWING = "reviewing", _("初审中")
    FORWARDED = "forwarded", _("已转报")
    RECEIVED = "received", _("上级已签收")
    DECIDED = "decided", _("上级已决定")


class Forwarding(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    upper_authority = models.CharField(_("上级机关"), max_length=200)
    review_due = models.DateField(_("初审期限"))
    due_provisional = models.BooleanField(default=False)
    state = models.CharField(_("状态"), max_length=10, choices=ForwardState.choices,
                             default=ForwardState.REVIEWING)
    review_opinion = models.TextField(_("初审意见"), blank=True)
    forwarded_on = models.DateField(_("转报日期"), null=True, blank=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    package = models.FileField(_("转报材料包"), upload_to="coordination/forwarding/",
                               blank=True)
    package_sha256 = models.CharField(_("材料包SHA-256"), max_length=64, blank=True)
    manifest = models.JSONField(_("材料清单"), default=dict, blank=True)
    receipt_number = models.CharField(_("签收回执号"), max_length=100, blank=True)
    received_on = models.DateField(_("签收日期"), null=True, blank=True)
    upper_outcome = models.CharField(_("上级决定"), max_length=10, blank=True,
                                     choices=[("granted", _("准予许可")),
                                              ("refused", _("不予许可"))])
    upper_document = models.CharField(_("上级决定文号"), max_length=100, blank=True)
    upper_decided_on = models.DateField(_("上级决定日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审核转报")
        verbose_name_plural = _("审核转报")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.upper_authority}"
