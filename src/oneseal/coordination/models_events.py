"""Events and data exchange with the departments and other systems (work-plan measure 九,
信息共享): the event outbox (CloudEvents 1.0), webhook subscriptions and their deliveries,
the alerts of a final failure, and the API keys of departments and systems with the log of
every call. Only `events.py`, `webhooks.py` and `apikeys.py` write these rows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStream(models.Model):
    """The last sequence number used in one stream (a case, or a licence issued without a
    case), incremented under its row lock in the transaction that emits the event."""

    key = models.CharField(max_length=40, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("事件序列")
        verbose_name_plural = _("事件序列")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class Event(models.Model):
    """One CloudEvents 1.0 event of the outbox (事件发件箱), written in the transaction of the
    change it reports. `stream` + `seq` order the events of one case."""

    event_id = models.UUIDField(_("事件标识"), default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("事件类型"), max_length=60, db_index=True)
    source = models.CharField(_("事件来源"), max_length=200)
    subject = models.CharField(_("事件主体"), max_length=100, blank=True)
    time = models.DateTimeField(_("发生时间"))
    stream = models.CharField(_("事件序列"), max_length=40)
    seq = models.PositiveBigIntegerField(_("序号"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    item = models.ForeignKey("catalog.Item", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    department = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"],
                                               name="coordination_event_stream_seq")]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"


class Subscription(models.Model):
    """A department's or an external system's subscription (事件订阅): which events (types,
    items, departments; empty means all) go to which URL, signed with which secret."""

    name = models.CharField(_("订阅名称"), max_length=100)
    owner = models.ForeignKey("org.Unit", verbose_name=_("订阅单位"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="event_subscriptions")
    system = models.CharField(_("接收系统"), max_length=100, blank=True)
    url = models.URLField(_("接收地址"), max_length=300)
    secret = models.CharField(_("签名密钥"), max_length=100)
    types = models.JSONField(_("事件类型"), default=list, blank=True)
    items = models.ManyToManyField("catalog.Item", verbose_name=_("事项"), blank=True,
                                   related_name="+")
    departments = models.ManyToManyField("org.Unit", verbose_name=_("主管部门"), blank=True,
                                         related_name="+")
    active = models.BooleanField(_("启用"), default=True)
    # the receiver's backoff: after a failure nothing is sent to it before `retry_at`
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    retry_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待投递")
    DELIVERED = "delivered", _("已投递")
    DEAD = "dead", _("投递失败（死信）")


class WebhookDelivery(models.Model):
    """One event to one subscription, at most one row (a unique constraint): delivered once,
    in the order of its stream (`seq`)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    stream = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    state = models.CharField(_("状态"), max_length=10, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    leased_by = models.CharField(max_length=64, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)
    dead_at = models.DateTimeField(_("转入死信时间"), null=True, blank=True)
    replays = models.PositiveSmallIntegerField(_("重放次数"), default=0)

    class Meta:
        verbose_name = _("事件投递")
        verbose_name_plural = _("事件投递")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "event"],
                                               name="coordination_delivery_once")]
        indexes = [
            models.Index(fields=["subscription", "stream", "seq"], name="coord_dlv_stream"),
            models.Index(fields=["state", "next_attempt_at"], name="coord_dlv_due"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} ← {self.event_id}"


class EventAlert(models.Model):
    """A message to the administrators and supervisors (告警): a delivery given up."""

    at = models.DateTimeField(_("时间"), auto_now_add=True)
    delivery = models.ForeignKey(WebhookDelivery, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="alerts")
    subscription = models.ForeignKey(Subscription, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(_("内容"), max_length=500)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        verbose_name = _("投递告警")
        verbose_name_plural = _("投递告警")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.text


class Operation(models.TextChoices):
    LICENCE_LOOKUP = "licence_lookup", _("证照查询")
    CASE_STATUS = "case_status", _("办件状态查询")
    EVENTS_PULL = "events_pull", _("事件拉取")


class ApiKey(models.Model):
    """A key of a department or system (接口密钥), scoped to its department, items and
    operations; stored as a SHA-256 hash (the key is shown once); expiring and revocable."""

    name = models.CharField(_("名称"), max_length=100)
    department = models.ForeignKey("org.Unit", verbose_name=_("所属部门"),
                                   on_delete=models.PROTECT, related_name="api_keys")
    system = models.CharField(_("调用系统"), max_length=100, blank=True)
    prefix = models.CharField(_("公开前缀"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    operations = models.JSONField(_("允许的操作"), default=list)
    items = models.ManyToManyField("catalog.Item", verbose_name=_("限定事项"), blank=True,
                                   related_name="+")
    rate_per_minute = models.PositiveIntegerField(_("每分钟调用上限"), default=60)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(_("最近调用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class ApiCall(models.Model):
    """One call made with an API key (调用日志): who, what, when, and the answer."""

    key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="calls")
    prefix = models.CharField(_("密钥前缀"), max_length=16, blank=True)
    at = models.DateTimeField(_("时间"))
    operation = models.CharField(_("操作"), max_length=20)
    path = models.CharField(_("路径"), max_length=200)
    query = models.CharField(_("查询条件"), max_length=200, blank=True)
    status = models.PositiveSmallIntegerField(_("响应码"))
    result_count = models.PositiveIntegerField(_("结果数"), default=0)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口调用记录")
        verbose_name_plural = _("接口调用记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["key", "at"], name="coord_call_key_at")]

    def __str__(self) -> str:
        return f"{self.at} {self.operation} {self.status}"
