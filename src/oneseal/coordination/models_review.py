"""联合审批 (work plan measure 八): departments invited into a case's review, the item's
policy (wait for all or for the required ones; special joint review sign-off), and joint
meetings (联席会议)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WaitPolicy(models.TextChoices):
    ALL = "all", _("等待全部受邀部门意见")
    REQUIRED = "required", _("只等待必须出具意见的部门")


class SpecialArea(models.TextChoices):
    NATIONAL_SECURITY = "national_security", _("国家安全")
    ECOLOGY = "ecology", _("生态环境")
    WORK_SAFETY = "work_safety", _("安全生产")


class ItemCoordination(models.Model):
    """What an item says about coordination. Kept beside the catalogue (one row per item,
    not per version): which departments the case waits for, which departments must sign
    off in a special joint review, the opinion clock."""

    item = models.OneToOneField("catalog.Item", on_delete=models.CASCADE,
                                related_name="coordination")
    wait = models.CharField(_("联合审查等待方式"), max_length=10, choices=WaitPolicy.choices,
                            default=WaitPolicy.ALL)
    opinion_days = models.PositiveSmallIntegerField(_("部门出具意见时限（工作日）"), default=5)
    special_area = models.CharField(_("专项联合审查领域"), max_length=20, blank=True,
                                    choices=SpecialArea.choices)
    sign_off_departments = models.ManyToManyField(
        "org.Unit", verbose_name=_("必须会签的部门"), blank=True, related_name="+")
    upper_authority = models.CharField(_("转报上级机关"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("事项协同设置")
        verbose_name_plural = _("事项协同设置")

    def __str__(self) -> str:
        return str(self.item_id)


class OpinionKind(models.TextChoices):
    AGREE = "agree", _("同意")
    CONDITIONAL = "conditional", _("有条件同意")
    DISAGREE = "disagree", _("不同意")


class ReviewInvitation(models.Model):
    """A department invited into a case's review; owes a written opinion by `due_on`."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE,
                             related_name="review_invitations")
    department = models.ForeignKey("org.Unit", verbose_name=_("受邀部门"),
                                   on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(_("必须出具意见"), default=True)
    sign_off = models.BooleanField(_("专项会签"), default=False)
    question = models.TextField(_("征求意见事项"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    invited_on = models.DateField(_("邀请日期"))
    due_on = models.DateField(_("意见期限"))
    due_provisional = models.BooleanField(default=False)
    opinion = models.CharField(_("意见"), max_length=12, choices=OpinionKind.choices,
                               blank=True)
    opinion_text = models.TextField(_("书面意见"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField(_("出具日期"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("联合审查邀请")
        verbose_name_plural = _("联合审查邀请")
        ordering = ["case_id", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "department"],
                                               name="coord_one_invitation_per_department")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.department_id}"


class JointMeeting(models.Model):
    """联席会议: agenda, participants, minutes and decisions tied to the cases discussed."""

    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=200)
    agenda = models.TextField(_("议程"))
    departments = models.ManyToManyField("org.Unit", verbose_name=_("参会部门"),
                                         related_name="+")
    participants = models.TextField(_("参会人员"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("纪要确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class MeetingCase(models.Model):
    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    decision = models.TextField(_("会议决定"), blank=True)

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"],
                                               name="coord_meeting_case_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.case_id}"
