"""Forms of the 部门协同 pages (h16b): labels in Chinese, choices from the models."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oneseal.org.models import Unit, UnitKind

from .claims import PROCEDURES
from .models_claims import ProblemKind, SupervisionAction, SupervisionResult
from .models_review import OpinionKind, SpecialArea, WaitPolicy

PROCEDURE_CHOICES = [("revoke", _("撤销（第六十九条）")), ("withdraw", _("撤回（第八条）")),
                     ("penalise", _("吊销（行政处罚法第九条）")), ("cancel", _("注销（第七十条）"))]


class SupervisionForm(forms.Form):
    measure = forms.ChoiceField(label=_("监管措施"), choices=SupervisionAction.choices)
    result = forms.ChoiceField(label=_("监管结果"), choices=SupervisionResult.choices)
    note = forms.CharField(label=_("情况说明"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ProblemForm(forms.Form):
    kind = forms.ChoiceField(label=_("问题类型"), choices=ProblemKind.choices)
    facts = forms.CharField(label=_("事实和证据"), max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 4}))


class ProcedureForm(forms.Form):
    operation = forms.ChoiceField(label=_("启动的程序"), choices=PROCEDURE_CHOICES)
    reason = forms.CharField(label=_("理由"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, kind: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        allowed = PROCEDURES.get(kind, ())
        self.fields["operation"].choices = [c for c in PROCEDURE_CHOICES if c[0] in allowed]


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("不予启动的理由"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class InviteForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("邀请部门"), queryset=Unit.objects.filter(kind=UnitKind.DEPARTMENT,
                                                       is_active=True))
    question = forms.CharField(label=_("征求意见事项"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label=_("必须出具意见"), required=False, initial=True)
    days = forms.IntegerField(label=_("意见时限（工作日）"), min_value=1, max_value=30,
                              required=False)


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=_("意见"), choices=OpinionKind.choices,
                                widget=forms.RadioSelect)
    text = forms.CharField(label=_("书面意见"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    field = forms.CharField(label=_("专业领域"), max_length=50)
    title = forms.CharField(label=_("职称"), max_length=50)
    unit_name = forms.CharField(label=_("工作单位"), max_length=200)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    relations = forms.CharField(label=_("利害关系单位（每行一个）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


class DrawForm(forms.Form):
    field = forms.CharField(label=_("专业领域"), max_length=50)
    count = forms.IntegerField(label=_("抽取人数"), min_value=1, max_value=15, initial=3)
    case_number = forms.CharField(label=_("办件编号（可选）"), max_length=40, required=False)
    related = forms.CharField(label=_("需回避的关联单位（每行一个）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    recent_days = forms.IntegerField(label=_("近期已抽中回避天数"), min_value=0, max_value=365,
                                     initial=30)


class RecomputeForm(forms.Form):
    seed = forms.CharField(label=_("种子（十六进制）"), max_length=128)
    commitment = forms.CharField(label=_("公布的种子SHA-256"), max_length=64)
    eligible = forms.CharField(label=_("符合条件的专家编号（逗号分隔）"), max_length=4000)
    count = forms.IntegerField(label=_("抽取人数"), min_value=1, max_value=100)

    def clean_eligible(self) -> list[int]:
        raw = self.cleaned_data["eligible"].replace("，", ",")
        try:
            return [int(p) for p in raw.split(",") if p.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("专家编号应为数字，以逗号分隔。")) from exc


class ItemPolicyForm(forms.Form):
    item = forms.ModelChoiceField(label=_("事项"), queryset=None)  # type: ignore[arg-type]
    wait = forms.ChoiceField(label=_("联合审查等待方式"), choices=WaitPolicy.choices)
    opinion_days = forms.IntegerField(label=_("部门出具意见时限（工作日）"), min_value=1,
                                      max_value=30, initial=5)
    special_area = forms.ChoiceField(label=_("专项联合审查领域"), required=False,
                                     choices=[("", _("不需要")), *SpecialArea.choices])
    sign_off = forms.ModelMultipleChoiceField(
        label=_("必须会签的部门"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True))
    upper_authority = forms.CharField(label=_("转报上级机关（审核转报事项）"), max_length=200,
                                      required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from oneseal.catalog.models import Item

        self.fields["item"].queryset = Item.objects.order_by("implementation_code")
        self.fields["item"].label_from_instance = _item_label


def _item_label(item: object) -> str:
    version = item.versions.order_by("-number").first()  # type: ignore[attr-defined]
    return f"{version.name if version else ''} {item}"


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=200)
    agenda = forms.CharField(label=_("议程"), widget=forms.Textarea(attrs={"rows": 3}))
    departments = forms.ModelMultipleChoiceField(
        label=_("参会部门"), widget=forms.CheckboxSelectMultiple,
        queryset=Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True))
    participants = forms.CharField(label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}))
    case_numbers = forms.CharField(label=_("研究的办件编号（每行一个）"),
                                   widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(forms.Form):
    scheduled_on = forms.DateField(label=_("勘察日期"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("勘察地点"), max_length=200)
    staff = forms.ModelMultipleChoiceField(label=_("勘察人员（两名以上）"), queryset=None,  # type: ignore[arg-type]
                                           widget=forms.CheckboxSelectMultiple)
    contracted = forms.BooleanField(label=_("委托第三方勘察"), required=False)
    provider_name = forms.CharField(label=_("受委托机构"), max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from oneseal.accounts.models import User

        self.fields["staff"].queryset = (User.objects.filter(
            is_active=True, role_grants__role__in=["reviewer", "chief", "head"],
            unit__isnull=False).distinct().order_by("id"))
        self.fields["staff"].label_from_instance = lambda u: u.display_name or u.username


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("现场照片（JPEG、PNG）"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class SignForm(forms.Form):
    findings = forms.CharField(label=_("勘察情况"), widget=forms.Textarea(attrs={"rows": 4}))


class ForwardStartForm(forms.Form):
    upper_authority = forms.CharField(label=_("上级机关"), max_length=200, required=False)


class ForwardForm(forms.Form):
    opinion = forms.CharField(label=_("初审意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ReceiptForm(forms.Form):
    receipt_number = forms.CharField(label=_("签收回执号"), max_length=100)
    received_on = forms.DateField(label=_("签收日期"),
                                  widget=forms.DateInput(attrs={"type": "date"}))


class UpperDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("上级决定"), choices=[("granted", _("准予许可")),
                                                           ("refused", _("不予许可"))])
    document = forms.CharField(label=_("上级决定文号"), max_length=100)
    decided_on = forms.DateField(label=_("上级决定日期"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
