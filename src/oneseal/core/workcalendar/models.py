"""The calendar table (工作日历表): each year's statutory holidays and make-up working days
(调休), versioned. A correction never edits a year: it adds a new version and keeps the old
ones, so every deadline computed earlier can say which schedule it used (行政许可法 第82条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EntryChannel(models.TextChoices):
    PACKAGE = "package", _("随软件提供（chinesecalendar）")
    WEB = "web", _("工作台录入")
    COMMAND = "command", _("命令行导入")


class CalendarYear(models.Model):
    """One version of one year's schedule (某年放假调休安排的一个版本)."""

    year = models.PositiveSmallIntegerField(_("年份"))
    version = models.PositiveIntegerField(_("版本"))
    source = models.CharField(_("依据"), max_length=200,
                              help_text=_("例如：国办发明电〔2025〕7号"))
    note = models.TextField(_("说明"), blank=True)
    digest = models.CharField(_("内容摘要"), max_length=64)
    is_current = models.BooleanField(_("现行版本"), default=True)
    entered_via = models.CharField(_("录入方式"), max_length=10, choices=EntryChannel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    entered_by_name = models.CharField(_("录入人姓名"), max_length=80, blank=True)
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="wc_year_version_uniq"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(is_current=True),
                                    name="wc_one_current_version_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    """One day of a year's schedule: a holiday rest day, or a weekend day worked (调休)."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE,
                                      related_name="days", verbose_name=_("年度放假安排"))
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("放假调休日")
        verbose_name_plural = _("放假调休日")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar_year", "date"], name="wc_day_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
