"""The outbox (发件箱): one `Notification` per change the applicant must know, and one
`Delivery` per channel and recipient, each delivered at most once (its state moves from
pending to sent exactly once, under a row lock)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RECEIVED = "received", _("已收件")
    CORRECTION = "correction", _("需要补正材料")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    SPECIAL = "special", _("进入特别程序")
    EXTENDED = "extended", _("办理期限延长")
    DECIDED = "decided", _("已作出决定")
    READY = "ready", _("可以领取")
    DELIVERED = "delivered", _("已送达")
    CLOSED = "closed", _("办件已终结")
    DATE_MOVED = "date_moved", _("办理期限变更")


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    INBOX = "inbox", _("站内消息")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")  # gave up after the last attempt


class Notification(models.Model):
    """A message about a case (办件通知), written with the case event that caused it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE,
                             related_name="notifications")
    event = models.OneToOneField("cases.CaseEvent", on_delete=models.CASCADE,
                                 related_name="notification")
    kind = models.CharField(_("通知类型"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("办件通知")
        verbose_name_plural = _("办件通知")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One notification to one recipient through one channel: an SMS to a phone, an e-mail
    to an address, or a message in an account's message box."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=5, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收账户"), null=True,
                             blank=True, on_delete=models.CASCADE,
                             related_name="notification_deliveries")
    # the phone number, the e-mail address, or "user:<id>" for the message box
    address = models.CharField(_("接收地址"), max_length=254)
    state = models.CharField(_("状态"), max_length=8, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)  # the message box

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel", "address"],
                                    name="notifications_one_delivery_per_recipient"),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notif_due"),
            models.Index(fields=["user", "channel", "state"], name="notif_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.notification} → {self.get_channel_display()}"
