"""Forms of the marketplace pages (labels in Chinese through gettext)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oneseal.applicants.selectors import acting_for
from oneseal.catalog.models import Item

from .models import MethodChoices, Service, StandingChoices


def _services() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("中介服务事项"),
                                  queryset=Service.objects.filter(published=True),
                                  empty_label=_("请选择"))


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("机构名称或统一社会信用代码"), required=False, max_length=50)
    service = forms.ModelChoiceField(label=_("中介服务事项"), required=False,
                                     queryset=Service.objects.filter(published=True),
                                     empty_label=_("全部"))
    standing = forms.ChoiceField(label=_("信用状态"), required=False,
                                 choices=[("", _("全部（不含清退）")), *StandingChoices.choices])
    min_credit = forms.IntegerField(label=_("信用分不低于"), required=False, min_value=0,
                                    max_value=110)


class PostingForm(forms.Form):
    service = _services()
    project = forms.CharField(label=_("项目名称"), max_length=200)
    scope = forms.CharField(label=_("服务范围"), widget=forms.Textarea(attrs={"rows": 3}))
    budget_cap = forms.DecimalField(label=_("预算上限（元）"), min_value=1, max_digits=12,
                                    decimal_places=2)
    method = forms.ChoiceField(label=_("选取方式"), choices=MethodChoices.choices)
    offers_close_at = forms.DateTimeField(
        label=_("报名截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    state_funded = forms.BooleanField(label=_("政府投资项目（至少3家报名）"), required=False)
    case_id = forms.IntegerField(label=_("关联的办件（可选，填写办件编号后的内部编号）"),
                                 required=False, widget=forms.HiddenInput)
    applicant = forms.ChoiceField(
        label=_("项目业主（申请人）"), required=False,
        help_text=_("服务成果经您确认后，将作为该申请人办件的申请材料共享获取，免提交。"))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = acting_for(user) if user is not None else []
        self.fields["applicant"].choices = [(f"{o['kind']}:{o['id']}", o["name"])
                                            for o in options]

    def applicant_ref(self) -> tuple[str, int] | None:
        kind, _sep, pk = str(self.cleaned_data.get("applicant") or "").partition(":")
        return (kind, int(pk)) if pk.isdigit() else None


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50)
    address = forms.CharField(label=_("办公地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    introduction = forms.CharField(label=_("机构简介"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    no_ties_declared = forms.BooleanField(
        label=_("本机构承诺与政府部门无隶属、股权、人员等利益关联"), required=False)
    tie_body = forms.CharField(label=_("有关联的，填写关联的政府部门"), max_length=200,
                               required=False)
    tie_relation = forms.CharField(label=_("关联情形"), max_length=300, required=False)


class QualificationForm(forms.Form):
    service = _services()
    name = forms.CharField(label=_("资质名称"), max_length=100)
    certificate_number = forms.CharField(label=_("资质证书编号"), max_length=60)
    issuer = forms.CharField(label=_("发证机关"), max_length=100)
    valid_from = forms.DateField(label=_("有效期自"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))


class FeeForm(forms.Form):
    service = _services()
    max_fee = forms.DecimalField(label=_("收费上限（元）"), min_value=1, max_digits=12,
                                 decimal_places=2)
    basis = forms.CharField(label=_("收费标准说明"), max_length=300)
    promised_days = forms.IntegerField(label=_("承诺服务时限（工作日）"), min_value=1,
                                       max_value=365)


class StaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职称或执业资格"), max_length=100, required=False)
    certificate_number = forms.CharField(label=_("执业证书编号"), max_length=60, required=False)


class BidForm(forms.Form):
    price = forms.DecimalField(label=_("报价（元）"), min_value=0, max_digits=12,
                               decimal_places=2)
    days = forms.IntegerField(label=_("承诺服务时限（工作日）"), min_value=1, max_value=365)
    proposal = forms.CharField(label=_("服务方案"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(label=_("评分"), coerce=int,
                                   choices=[(5, _("5星 非常满意")), (4, _("4星 满意")),
                                            (3, _("3星 基本满意")), (2, _("2星 不满意")),
                                            (1, _("1星 非常不满意"))])
    text = forms.CharField(label=_("评价内容"), required=False, max_length=500)


class ComplaintForm(forms.Form):
    text = forms.CharField(label=_("投诉内容"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ItemChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        version = obj.versions.filter(status="published").order_by("-number").first()
        return version.name if version else obj.implementation_code


class ServiceForm(forms.Form):
    code = forms.CharField(label=_("事项编码"), max_length=20)
    name = forms.CharField(label=_("中介服务事项名称"), max_length=100)
    legal_basis = forms.CharField(label=_("设定依据"), widget=forms.Textarea(attrs={"rows": 2}))
    compulsory = forms.BooleanField(label=_("法定必须委托中介"), required=False)
    fee_basis = forms.CharField(label=_("收费依据"), max_length=300, required=False)
    items = ItemChoice(label=_("需要该中介服务的审批事项"), required=False,
                       queryset=Item.objects.order_by("implementation_code"),
                       widget=forms.SelectMultiple(attrs={"size": 8}))
    material_names = forms.CharField(
        label=_("对应的申请材料名称"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("中介服务成果作为上述事项的哪一项申请材料，每行一项，与办事指南中的材料名称"
                    "一致；填写后，成果经项目业主确认即共享至其办件，申请人免提交。"))
    published = forms.BooleanField(label=_("公布"), required=False, initial=True)
