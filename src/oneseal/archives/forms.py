"""Forms of the archive pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PackageState, ResultChoice, RetentionChoice


class IndexFilterForm(forms.Form):
    q = forms.CharField(label=_("办件编号、档号或申请人"), required=False, max_length=100)
    item = forms.CharField(label=_("事项"), required=False, max_length=100)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1900, max_value=9999)
    retention = forms.ChoiceField(label=_("保管期限"), required=False,
                                  choices=[("", _("全部")), *RetentionChoice.choices])
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部")), *PackageState.choices])


class HoldForm(forms.Form):
    reason = forms.CharField(label=_("冻结原因"), max_length=300, required=False,
                             help_text=_("如：行政诉讼、行政复议、纪检审查。冻结期间不能销毁。"))


class TransferForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=9999)


class ReceiptForm(forms.Form):
    office = forms.CharField(label=_("接收单位"), max_length=200)
    received_by = forms.CharField(label=_("接收人"), max_length=100)
    note = forms.CharField(label=_("接收说明"), max_length=300, required=False)


class ProposeForm(forms.Form):
    reason = forms.CharField(label=_("鉴定意见"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)
    packages = forms.MultipleChoiceField(label=_("保管期限已满的档案"),
                                         widget=forms.CheckboxSelectMultiple, choices=[])

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["packages"].choices = choices  # type: ignore[attr-defined]


class ApproveForm(forms.Form):
    as_role = forms.ChoiceField(label=_("审批身份"), choices=[
        ("head", _("局长")), ("sysadmin", _("档案管理员（系统管理员）"))])


class RetentionRuleForm(forms.Form):
    item = forms.TypedChoiceField(label=_("事项"), coerce=int, choices=[])
    result = forms.ChoiceField(label=_("办理结果"), choices=ResultChoice.choices)
    retention = forms.ChoiceField(label=_("保管期限"), choices=RetentionChoice.choices)
    basis = forms.CharField(label=_("依据"), max_length=300,
                            help_text=_("如：本局档案分类方案第3条；国家档案局令第8号第八条。"))

    def __init__(self, *args: object, items: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["item"].choices = items  # type: ignore[attr-defined]
