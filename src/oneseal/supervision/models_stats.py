"""Statistics rollups (统计汇总): counters per day and per month, kept current by the case
services' events (`stats_rollup.py`), so the statistics pages never scan cases.

A rollup row is keyed by (period, item, department, channel, street): the item and the
department are the case's, the channel its receiving channel, the street the 街道 of the
便民服务点 where it was received (0: received at the bureau or online). Each counter counts
on the day its event happened: received on the day of receipt, accepted on the day of
acceptance, decided on the day of the decision, ratings on the day of the rating.

Keys are plain integers, not foreign keys: a rollup is derived data (rebuilt from the case
history by `rebuild_rollups`), and the bench loads it in bulk."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

COUNTERS = ("received", "online", "accepted", "not_accepted", "decided", "refused",
            "on_time_promise", "on_time_statute", "days_used", "ratings", "satisfied")


class CaseRollupBase(models.Model):
    item_id = models.BigIntegerField(_("事项"))
    department_id = models.BigIntegerField(_("主管部门"))
    channel = models.CharField(_("收件渠道"), max_length=10)
    street_id = models.BigIntegerField(_("街道"), default=0, db_default=0)  # 0: no street
    received = models.PositiveIntegerField(_("收件"), default=0, db_default=0)
    online = models.PositiveIntegerField(_("网上收件"), default=0, db_default=0)
    accepted = models.PositiveIntegerField(_("受理"), default=0, db_default=0)
    not_accepted = models.PositiveIntegerField(_("不予受理"), default=0, db_default=0)
    decided = models.PositiveIntegerField(_("办结（作出决定）"), default=0, db_default=0)
    refused = models.PositiveIntegerField(_("不予许可"), default=0, db_default=0)
    on_time_promise = models.PositiveIntegerField(_("承诺时限内办结"), default=0, db_default=0)
    on_time_statute = models.PositiveIntegerField(_("法定时限内办结"), default=0, db_default=0)
    days_used = models.PositiveBigIntegerField(_("办理用时合计（工作日）"), default=0, db_default=0)
    ratings = models.PositiveIntegerField(_("评价"), default=0, db_default=0)
    satisfied = models.PositiveIntegerField(_("满意评价"), default=0, db_default=0)

    class Meta:
        abstract = True


class CaseDayRollup(CaseRollupBase):
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("办件日统计")
        verbose_name_plural = _("办件日统计")
        constraints = [models.UniqueConstraint(
            fields=["day", "item_id", "department_id", "channel", "street_id"],
            name="supervision_rollup_day_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.item_id}/{self.department_id}/{self.channel}/{self.street_id}"


class CaseMonthRollup(CaseRollupBase):
    month = models.DateField(_("月份"))  # the first day of the month

    class Meta:
        verbose_name = _("办件月统计")
        verbose_name_plural = _("办件月统计")
        constraints = [models.UniqueConstraint(
            fields=["month", "item_id", "department_id", "channel", "street_id"],
            name="supervision_rollup_month_key")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.item_id}/{self.department_id}/{self.channel}"
