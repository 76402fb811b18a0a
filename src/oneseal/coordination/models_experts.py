"""专家库 and the reproducible draw (algorithm in `domain/draw.py`, docs/coordination.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Expert(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    field = models.CharField(_("专业领域"), max_length=50, db_index=True)
    title = models.CharField(_("职称"), max_length=50)
    unit_name = models.CharField(_("工作单位"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    relations = models.JSONField(_("利害关系单位"), default=list, blank=True)
    available = models.BooleanField(_("可抽取"), default=True)
    unavailable_until = models.DateField(_("暂停抽取至"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        ordering = ["field", "id"]

    def __str__(self) -> str:
        return self.name


class DrawState(models.TextChoices):
    COMMITTED = "committed", _("已公布种子摘要")
    DRAWN = "drawn", _("已抽取")


class ExpertDraw(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("专业领域"), max_length=50)
    count = models.PositiveSmallIntegerField(_("抽取人数"))
    recent_days = models.PositiveSmallIntegerField(_("近期已抽中回避天数"), default=30)
    applicant_names = models.JSONField(_("申请人及关联单位"), default=list)
    commitment = models.CharField(_("种子SHA-256"), max_length=64)
    seed = models.CharField(_("种子"), max_length=64)  # hex; shown only once drawn
    state = models.CharField(_("状态"), max_length=10, choices=DrawState.choices,
                             default=DrawState.COMMITTED)
    committed_at = models.DateTimeField(_("公布时间"))
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    drawn_on = models.DateField(null=True, blank=True)
    eligible_ids = models.JSONField(_("符合条件的专家"), default=list)
    recused = models.JSONField(_("回避的专家"), default=dict)
    selected_ids = models.JSONField(_("抽中的专家"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    commit_audit_seq = models.PositiveBigIntegerField(null=True, blank=True)
    draw_audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("专家抽取")
        verbose_name_plural = _("专家抽取")
        ordering = ["-committed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field} {self.commitment[:12]}"
