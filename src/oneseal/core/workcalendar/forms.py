"""Forms of the calculator page and of the administrators' calendar page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeadlineToolForm(forms.Form):
    """办理时限计算器. Fields are text: the calculator parses them and explains errors."""

    start = forms.CharField(
        label=_("起算日期"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("如收到申请材料或受理的日期；当日不计入，从次日起算。"),
    )
    days = forms.CharField(
        label=_("期限（工作日）"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 999, "inputmode": "numeric"}),
        help_text=_("如补正告知5日、作出决定20日、送达10日。"),
    )
    suspend = forms.CharField(
        label=_("特别程序中止期间（可选）"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-10-12:2026-10-16:听证"}),
        help_text=_("每行一段：开始日期:结束日期，可加程序名称（听证、检验、检测、鉴定、专家评审等）；"
                    "两端日期都不计入。"),
    )
    extend = forms.CharField(
        label=_("经批准延长（工作日，可选）"), required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 15, "inputmode": "numeric"}),
        help_text=_("普通事项最多延长10个工作日（第42条）。"),
    )
    joint = forms.BooleanField(
        label=_("统一办理、联合办理、集中办理的事项（延长最多15个工作日）"), required=False,
    )


class ScheduleForm(forms.Form):
    """One year's schedule in the import format (docs/calendar.md), pasted or uploaded."""

    text = forms.CharField(
        label=_("放假安排"), required=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false",
                                     "class": "monospace"}),
        help_text=_("每行一项：年份,2027 / 来源,国办发明电〔2026〕12号 / "
                    "放假,开始日期,结束日期,节日 / 上班,日期,,节日。"),
    )
    file = forms.FileField(label=_("或上传文件（CSV，UTF-8 或 GB18030）"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("请粘贴放假安排，或上传文件。"))
        return data
