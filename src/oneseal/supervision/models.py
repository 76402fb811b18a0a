"""Ratings (好差评) of cases and the follow-up ledger of bad ratings (差评整改)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .domain.ratings import Level, RatingChannel


class LevelChoices(models.TextChoices):
    VERY_SATISFIED = Level.VERY_SATISFIED.value, _("非常满意")
    SATISFIED = Level.SATISFIED.value, _("满意")
    BASIC = Level.BASIC.value, _("基本满意")
    DISSATISFIED = Level.DISSATISFIED.value, _("不满意")
    VERY_DISSATISFIED = Level.VERY_DISSATISFIED.value, _("非常不满意")


class ChannelChoices(models.TextChoices):
    ONLINE = RatingChannel.ONLINE.value, _("网上评价（一事一评）")
    WINDOW = RatingChannel.WINDOW.value, _("窗口评价（一次一评）")


class Rating(models.Model):
    """One rating of a case on one channel (一事一评 online, 一次一评 at the window)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="ratings")
    channel = models.CharField(_("评价渠道"), max_length=10, choices=ChannelChoices.choices)
    level = models.CharField(_("评价等级"), max_length=20, choices=LevelChoices.choices)
    reasons = models.JSONField(_("评价理由"), default=list, blank=True)
    text = models.TextField(_("评价内容"), blank=True)
    deemed = models.BooleanField(_("逾期未评价默认"), default=False)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    rated_on = models.DateField(_("评价日期"))
    rated_at = models.DateTimeField(_("评价时间"))
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["case_id", "rated_at"]
        constraints = [models.UniqueConstraint(fields=["case", "channel"],
                                               name="supervision_rating_case_channel")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.level}"


class FollowUpState(models.TextChoices):
    OPEN = "open", _("待整改")
    DONE = "done", _("已整改")
    APPEALED = "appealed", _("申诉复核中")


class FollowUp(models.Model):
    """The follow-up record of a 差评 (差评整改台账): owned by whoever handled the case
    (谁办理、谁负责), with its deadline (国办发〔2019〕51号)."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="follow_up")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(_("责任人姓名"), max_length=150, blank=True)
    due = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=10, choices=FollowUpState.choices,
                             default=FollowUpState.OPEN)
    opened_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["state", "due"], name="supervision_followup_due")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state} {self.due}"


from .models_stats import CaseDayRollup, CaseMonthRollup  # noqa: E402, F401  (statistics)
