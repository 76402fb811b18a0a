"""The service hall (政务服务大厅): its settings and opening hours, queue categories, windows
(窗口) and who is signed in to them, tickets (取号) and their calls, appointments (预约) and
no-shows (爽约). Only `services` writes these rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Hall(models.Model):
    """The hall's public settings (大厅设置), edited by a system administrator: shown on the
    public pages and printed on every ticket. Also the appointment and no-show policy.
    The project runs one hall; `selectors.get_hall()` returns it."""

    name = models.CharField(_("大厅名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    map_image = models.BinaryField(_("位置图"), null=True, blank=True, editable=False)
    map_content_type = models.CharField(max_length=20, blank=True, editable=False)
    slot_minutes = models.PositiveSmallIntegerField(_("预约时段长度（分钟）"), default=30)
    slot_capacity = models.PositiveSmallIntegerField(_("每时段可预约人数"), default=4)
    noshow_limit = models.PositiveSmallIntegerField(_("爽约次数上限"), default=3)
    noshow_window_days = models.PositiveSmallIntegerField(_("爽约统计天数"), default=90)
    noshow_block_days = models.PositiveSmallIntegerField(_("限制预约天数"), default=30)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("大厅设置")
        verbose_name_plural = _("大厅设置")

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """Opening hours of one weekday (0 = Monday), with the lunch break (午休). A weekday
    without a row, or `closed`, is closed; a holiday of the working-day calendar is closed
    whatever its row says, and a weekend day made a working day (调休上班) opens with
    Monday's hours (`domain.hours`)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"))
    closed = models.BooleanField(_("全天不开放"), default=False)
    opens = models.TimeField(_("开门时间"), null=True, blank=True)
    lunch_start = models.TimeField(_("午休开始"), null=True, blank=True)
    lunch_end = models.TimeField(_("午休结束"), null=True, blank=True)
    closes = models.TimeField(_("关门时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("开放时间")
        verbose_name_plural = _("开放时间")
        ordering = ["hall_id", "weekday"]
        constraints = [models.UniqueConstraint(fields=["hall", "weekday"],
                                               name="hall_hours_weekday")]

    def __str__(self) -> str:
        return f"{self.weekday}: {self.opens}-{self.closes}"


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合受理")
    DELIVERY = "delivery", _("出件")
    CONSULTATION = "consultation", _("咨询")
    ASSISTANCE = "assistance", _("帮办")
    DEPARTMENT = "department", _("部门窗口")


class QueueCategory(models.Model):
    """A queue a visitor chooses at the kiosk (取号类别): its ticket letter (A for A001…),
    its kind, and for a department window the unit and the items served there."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("代码"), max_length=30)
    letter = models.CharField(_("号码字母"), max_length=2)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=20, choices=WindowKind.choices)
    unit = models.ForeignKey("org.Unit", verbose_name=_("部门"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField("catalog.Item", verbose_name=_("事项"), blank=True,
                                   related_name="+")
    bookable = models.BooleanField(_("可预约"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("取号类别")
        verbose_name_plural = _("取号类别")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "code"], name="hall_category_code"),
            models.UniqueConstraint(fields=["hall", "letter"], name="hall_category_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class Window(models.Model):
    """A service window (窗口): its number, kind, the queue categories (and so the items) it
    serves, and whether calling is paused (暂停服务)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="windows")
    number = models.CharField(_("窗口号"), max_length=10)
    name = models.CharField(_("名称"), max_length=60, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=WindowKind.choices)
    unit = models.ForeignKey("org.Unit", verbose_name=_("部门"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    categories = models.ManyToManyField(QueueCategory, verbose_name=_("服务类别"),
                                        related_name="windows")
    paused = models.BooleanField(_("暂停服务"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall_id", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "number"],
                                               name="hall_window_number")]

    def __str__(self) -> str:
        return self.number


class WindowSignIn(models.Model):
    """A clerk's shift at a window (签到): open while `ended_at` is empty. A clerk is signed
    in to at most one window at a time; a window may have several clerks."""

    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="sign_ins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    started_at = models.DateTimeField(_("签到时间"))
    ended_at = models.DateTimeField(_("签退时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("窗口签到")
        verbose_name_plural = _("窗口签到")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["user"], condition=Q(ended_at=None),
                                               name="hall_signin_one_open_per_user")]

    def __str__(self) -> str:
        return f"{self.window_id} {self.user_id}"


class TicketCounter(models.Model):
    """The last ticket number given per category and day; locked (select_for_update) while
    a ticket is taken so that two kiosks never print the same number."""

    category = models.ForeignKey(QueueCategory, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "day"],
                                               name="hall_counter_category_day")]

    def __str__(self) -> str:
        return f"{self.category_id} {self.day} {self.last}"


class TicketState(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办结")
    NO_SHOW = "no_show", _("过号")
    TRANSFERRED = "transferred", _("已转移")


OPEN_TICKET_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)


class Ticket(models.Model):
    """A queue ticket (排队号) of one visit. Life: waiting → called → serving → done, or
    called → no_show (过号, skipped), or → transferred: a transfer closes this ticket and
    opens a successor (`transferred_from`) with the same number in the target category or
    for the target window. Appointments checked in at the kiosk and transfers have
    `priority` and are called first; then first in, first out by `queued_at`.

    `token` is the secret of the phone page (/hall/t/<token>/). `case` is the case the
    visit became (受理 from the ticket); `first_responder` is the first staff member the
    visitor met at 咨询 (首问负责), carried over to successors."""

    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="tickets")
    category = models.ForeignKey(QueueCategory, on_delete=models.PROTECT,
                                 related_name="tickets")
    day = models.DateField(_("日期"))
    seq = models.PositiveIntegerField()
    number = models.CharField(_("号码"), max_length=10)
    token = models.CharField(max_length=32, unique=True)
    state = models.CharField(_("状态"), max_length=12, choices=TicketState.choices,
                             default=TicketState.WAITING)
    priority = models.BooleanField(_("优先"), default=False)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    person = models.ForeignKey("applicants.Person", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    appointment = models.OneToOneField("Appointment", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="ticket")
    target_window = models.ForeignKey(Window, verbose_name=_("指定窗口"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, verbose_name=_("办理窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="tickets")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    first_responder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("首问责任人"),
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    transferred_from = models.OneToOneField("self", null=True, blank=True,
                                            on_delete=models.PROTECT,
                                            related_name="transferred_to")
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="hall_tickets")
    call_count = models.PositiveSmallIntegerField(default=0)
    taken_at = models.DateTimeField(_("取号时间"))
    queued_at = models.DateTimeField(_("排队时间"))
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("最近叫号时间"), null=True, blank=True)
    served_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["day", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "day", "seq"],
                                    condition=Q(transferred_from=None),
                                    name="hall_ticket_number_per_day"),
        ]
        indexes = [
            models.Index(fields=["hall", "day", "state"], name="hall_ticket_day_state"),
            models.Index(fields=["category", "state", "queued_at"], name="hall_ticket_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.number}"


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("爽约")


class Appointment(models.Model):
    """A booked slot (预约): category, day and slot start, booked online by an applicant's
    account; `code` is typed at the kiosk to check in (priority in the queue). Cancelled
    until an hour before the slot; not checked in by the slot's end: a no-show (爽约)."""

    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="appointments")
    category = models.ForeignKey(QueueCategory, on_delete=models.PROTECT,
                                 related_name="appointments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    day = models.DateField(_("预约日期"))
    slot_start = models.TimeField(_("时段开始"))
    slot_end = models.TimeField(_("时段结束"))
    code = models.CharField(_("预约码"), max_length=12, unique=True)
    state = models.CharField(_("状态"), max_length=12, choices=AppointmentState.choices,
                             default=AppointmentState.BOOKED)
    created_at = models.DateTimeField(_("预约时间"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["day", "slot_start", "id"]
        indexes = [models.Index(fields=["category", "day", "slot_start", "state"],
                                name="hall_appt_slot")]

    def __str__(self) -> str:
        return f"{self.day} {self.slot_start} {self.code}"


class NoShow(models.Model):
    """One missed appointment (爽约记录) of an account: `limit` of them within
    `window_days` days block booking for `block_days` days (the hall's settings)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT,
                                       related_name="no_show")
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("爽约记录")
        verbose_name_plural = _("爽约记录")
        indexes = [models.Index(fields=["user", "day"], name="hall_noshow_user_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class VisitRating(models.Model):
    """一次一评 at the window's evaluator tablet (评价器): the visitor's rating of one
    service, tied to the ticket, the window, the clerk and the case the visit became. When
    the visit has a case it is also the case's window rating in supervision (`rating`),
    whose 差评 opens the same follow-up record as an online rating."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="visit_rating")
    window = models.ForeignKey(Window, verbose_name=_("窗口"), on_delete=models.PROTECT,
                               related_name="+")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    level = models.CharField(_("评价等级"), max_length=20)
    reasons = models.JSONField(_("评价理由"), default=list, blank=True)
    text = models.TextField(_("评价内容"), blank=True)
    rating = models.OneToOneField("supervision.Rating", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("窗口评价")
        verbose_name_plural = _("窗口评价")
        ordering = ["-rated_at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.level}"
