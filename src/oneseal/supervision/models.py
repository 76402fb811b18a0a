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
    DONE = "done", _("已整改，待回访")
    APPEALED = "appealed", _("申诉复核中")
    CLOSED = "closed", _("已回访办结")
    VOID = "void", _("申诉成立，差评不计")


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", _("申诉不成立，继续整改")
    VOID = "void", _("申诉成立，差评不计")


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
    # 整改: what the owner did about it
    rectification = models.TextField(_("整改情况"), blank=True)
    rectified_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    # 回访: the return visit to the applicant (every named rating, 国办发〔2019〕51号)
    visit_on = models.DateField(_("回访日期"), null=True, blank=True)
    visit_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回访人"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    visit_result = models.TextField(_("回访情况"), blank=True)
    visit_satisfied = models.BooleanField(_("回访是否满意"), null=True, blank=True)
    # 申诉复核: the staff member disputes the rating; the supervisor reviews it
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    review_result = models.CharField(_("复核结论"), max_length=10, blank=True,
                                     choices=ReviewResult.choices)
    review_note = models.TextField(_("复核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["state", "due"], name="supervision_followup_due")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state} {self.due}"


from .models_stats import CaseDayRollup, CaseMonthRollup  # noqa: E402, F401  (statistics)


class AlertClock(models.TextChoices):
    CASE = "case", _("办件时限")
    STEP = "step", _("环节时限")
    FOLLOW_UP = "follow_up", _("差评整改期限")
    # owned by coordination (审管互动), registered through `clock_sources`
    CLAIM = "claim", _("部门认领时限")


class AlertLight(models.TextChoices):
    YELLOW = "yellow", _("黄灯（临近期限）")
    RED = "red", _("红灯（已超期）")


class AlertState(models.TextChoices):
    OPEN = "open", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    CLOSED = "closed", _("已关闭")


class Alert(models.Model):
    """One threshold crossing of one clock (超期预警): raised once per clock, due date and
    colour (the unique constraint), acknowledged by whoever was told and closed with a
    note. The rows are also the sweep's memory of the last light sent for each clock."""

    clock = models.CharField(_("时限类型"), max_length=10, choices=AlertClock.choices)
    clock_key = models.CharField(_("时限标识"), max_length=40)  # case:1, step:2, claim:4
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="+")
    step = models.ForeignKey("cases.CaseStep", verbose_name=_("环节"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    follow_up = models.ForeignKey(FollowUp, verbose_name=_("差评整改"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="alerts")
    light = models.CharField(_("灯色"), max_length=6, choices=AlertLight.choices)
    due = models.DateField(_("期限"))
    provisional = models.BooleanField(_("期限暂定"), default=False)
    label = models.CharField(_("时限名称"), max_length=100)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Unit", verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("预警日期"))
    raised_at = models.DateTimeField(_("预警时间"))
    state = models.CharField(_("状态"), max_length=12, choices=AlertState.choices,
                             default=AlertState.OPEN)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"),
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("关闭人"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    note = models.TextField(_("处理说明"), blank=True)

    class Meta:
        verbose_name = _("超期预警")
        verbose_name_plural = _("超期预警")
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["clock_key", "due", "light"],
                                               name="supervision_alert_once")]
        indexes = [models.Index(fields=["state", "light", "id"], name="supervision_alert_state"),
                   models.Index(fields=["case", "clock_key"], name="supervision_alert_case")]

    def __str__(self) -> str:
        return f"{self.clock_key} {self.light} {self.due}"


class AlertChannel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class AlertDelivery(models.Model):
    """One alert to one member of staff through one channel (the outbox of alerts): the
    message box row is the in-site message; SMS and e-mail are tried by the worker."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"),
                             on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("接收身份"), max_length=20)  # handler | chief | supervisor
    channel = models.CharField(_("渠道"), max_length=5, choices=AlertChannel.choices)
    address = models.CharField(_("接收地址"), max_length=254)
    state = models.CharField(_("状态"), max_length=8, default="pending")  # pending|sent|failed
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预警投递")
        verbose_name_plural = _("预警投递")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["alert", "channel", "address"],
                                               name="supervision_alert_delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"],
                                name="supervision_alert_outbox"),
                   models.Index(fields=["user", "channel", "id"], name="supervision_alert_inbox")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.address}"


class SweepMark(models.Model):
    """When a sweep last ran and up to which due date it looked (one row per sweep)."""

    name = models.CharField(max_length=40, unique=True)
    ran_at = models.DateTimeField()
    as_of = models.DateField()
    raised = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("预警扫描记录")
        verbose_name_plural = _("预警扫描记录")

    def __str__(self) -> str:
        return f"{self.name} {self.as_of}"


class AnomalyState(models.TextChoices):
    OPEN = "open", _("待核查")
    CLOSED = "closed", _("已办结")


class Anomaly(models.Model):
    """One hit of an anomaly rule (异常监察): what was found with its evidence, who owns it
    and how it was closed. `key` makes the daily scan idempotent (one row per rule and
    finding)."""

    rule = models.CharField(_("规则"), max_length=40)
    key = models.CharField(_("发现标识"), max_length=120)
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Unit", verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(_("摘要"), max_length=300)
    evidence = models.JSONField(_("证据"), default=dict)
    found_on = models.DateField(_("发现日期"))
    found_at = models.DateTimeField(_("发现时间"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核查责任人"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=8, choices=AnomalyState.choices,
                             default=AnomalyState.OPEN)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    note = models.TextField(_("核查结论"), blank=True)

    class Meta:
        verbose_name = _("异常")
        verbose_name_plural = _("异常")
        ordering = ["-found_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "key"],
                                               name="supervision_anomaly_once")]
        indexes = [models.Index(fields=["state", "rule", "id"], name="supervision_anomaly_open")]

    def __str__(self) -> str:
        return f"{self.rule} {self.key}"


class Accountability(models.TextChoices):
    NONE = "none", _("不予追责")
    REMIND = "remind", _("提醒谈话")
    CRITICISE = "criticise", _("批评教育")
    NOTICE = "notice", _("通报批评")
    ADMONISH = "admonish", _("诫勉")
    TRANSFER = "transfer", _("移送纪检监察机关")


class LogEntry(models.Model):
    """The supervision log (监管日志) and accountability records (问责记录): what was found,
    who was told, what was done and with what accountability. Written once; each entry is
    an audit-chain event too."""

    found_on = models.DateField(_("发现日期"))
    finding = models.TextField(_("发现的问题"))
    told = models.CharField(_("告知对象"), max_length=300)
    action = models.TextField(_("处理情况"))
    accountability = models.CharField(_("问责"), max_length=10, choices=Accountability.choices,
                                      default=Accountability.NONE)
    responsible = models.CharField(_("责任人"), max_length=150, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    anomaly = models.ForeignKey(Anomaly, verbose_name=_("异常"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="log_entries")
    alert = models.ForeignKey(Alert, verbose_name=_("预警"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="log_entries")
    follow_up = models.ForeignKey(FollowUp, verbose_name=_("差评整改"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="log_entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"),
                               on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"))
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("监管日志")
        verbose_name_plural = _("监管日志")
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return f"{self.found_on} {self.finding[:20]}"
