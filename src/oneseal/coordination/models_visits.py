"""现场勘察 (行政许可法 第34条: two or more staff verify on site)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteVisit(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    scheduled_on = models.DateField(_("勘察日期"))
    place = models.CharField(_("勘察地点"), max_length=200)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("勘察人员"),
                                   related_name="+")
    contracted = models.BooleanField(_("委托第三方勘察"), default=False)
    provider_name = models.CharField(_("受委托机构"), max_length=200, blank=True)
    findings = models.TextField(_("勘察情况"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("签署时间"), null=True, blank=True)
    record_sha256 = models.CharField(_("笔录摘要"), max_length=64, blank=True)
    record_pdf = models.FileField(_("勘察笔录"), upload_to="coordination/visits/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("现场勘察")
        verbose_name_plural = _("现场勘察")
        ordering = ["-scheduled_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.scheduled_on}"


class SiteVisitPhoto(models.Model):
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey("cases.CaseFile", on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.file_id}"
