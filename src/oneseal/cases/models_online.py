"""Drafts of online applications (网上申请草稿): what an applicant has answered, typed,
uploaded and chosen so far, saved at every step and resumable, until submitted as a case.

A draft is private to the account that started it; a draft for an organisation is shared by
the organisation's operators (`permissions_online.access_draft`). Only
`services/online.py` writes these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftStep(models.TextChoices):
    QUESTIONS = "questions", _("情形引导")
    FORM = "form", _("填写申请表")
    MATERIALS = "materials", _("上传材料")
    DELIVERY = "delivery", _("送达方式")
    SUMMARY = "summary", _("确认提交")


class ApplicationDraft(models.Model):
    """An online application being prepared (申请草稿)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"),
                              on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("applicants.Person", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("applicants.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("catalog.Item", verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="+")
    version = models.ForeignKey("catalog.ItemVersion", on_delete=models.CASCADE,
                                related_name="+")
    item_name = models.CharField(_("事项名称"), max_length=200)
    step = models.CharField(_("进行到"), max_length=10, choices=DraftStep.choices,
                            default=DraftStep.QUESTIONS)
    answers = models.JSONField(_("情形引导答案"), default=list, blank=True)
    variant_code = models.CharField(_("办理项编码"), max_length=20, blank=True)
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True)
    confirmed_shared = models.JSONField(_("已确认的共享材料"), default=list, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=12, blank=True)
    delivery_address = models.CharField(_("邮寄地址"), max_length=200, blank=True)
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="draft")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("申请草稿")
        verbose_name_plural = _("申请草稿")
        ordering = ["-updated_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(person__isnull=True) | models.Q(organisation__isnull=True),
            name="cases_draft_one_applicant")]

    def __str__(self) -> str:
        return f"{self.item_name} ({self.pk})"


def _draft_file_path(instance: DraftFile, filename: str) -> str:
    return f"drafts/{instance.draft_id}/{instance.sha256[:2]}/{instance.sha256}-{filename}"


class DraftFile(models.Model):
    """A material's file uploaded to a draft, checked by content like the window's
    (`uploads.inspect_upload`); attached to the case on submission."""

    draft = models.ForeignKey(ApplicationDraft, on_delete=models.CASCADE, related_name="files")
    material = models.ForeignKey("catalog.Material", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("文件"), upload_to=_draft_file_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("文件类型"), max_length=5)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("草稿材料文件")
        verbose_name_plural = _("草稿材料文件")
        ordering = ["draft_id", "id"]

    def __str__(self) -> str:
        return self.name
