"""Forms of the data-exchange pages (sysadmin): a subscription and an API key."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneseal.catalog.models import Item
from oneseal.org.models import Unit, UnitKind

from .events import EVENT_TYPES
from .models_events import Operation


def _departments():  # type: ignore[no-untyped-def]
    return Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True).order_by(
        "sort_order", "id")


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("订阅名称"), max_length=100)
    owner = forms.ModelChoiceField(label=_("订阅单位"), queryset=Unit.objects.none(),
                                   required=False, empty_label=_("（外部系统，无所属部门）"))
    system = forms.CharField(label=_("接收系统"), max_length=100, required=False)
    url = forms.URLField(label=_("接收地址"), max_length=300, assume_scheme="https",
                         help_text=_("以 http:// 或 https:// 开头，接收 POST 请求。"))
    types = forms.MultipleChoiceField(
        label=_("事件类型"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(key, f"{label}（{key}）") for key, label in EVENT_TYPES.items()],
        help_text=_("不选表示全部类型。"))
    items = forms.ModelMultipleChoiceField(label=_("事项"), queryset=Item.objects.none(),
                                           required=False,
                                           help_text=_("不选表示全部事项。"))
    departments = forms.ModelMultipleChoiceField(
        label=_("主管部门"), queryset=Unit.objects.none(), required=False,
        help_text=_("只推送这些部门主管的办件事件；不选表示全部。"))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _departments()
        self.fields["departments"].queryset = _departments()
        self.fields["items"].queryset = Item.objects.order_by("implementation_code")


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("密钥名称"), max_length=100)
    department = forms.ModelChoiceField(label=_("所属部门"), queryset=Unit.objects.none())
    system = forms.CharField(label=_("调用系统"), max_length=100, required=False)
    operations = forms.MultipleChoiceField(label=_("允许的操作"), choices=Operation.choices,
                                           widget=forms.CheckboxSelectMultiple)
    items = forms.ModelMultipleChoiceField(label=_("限定事项"), queryset=Item.objects.none(),
                                           required=False,
                                           help_text=_("不选表示本部门主管的全部事项。"))
    expires_on = forms.DateField(label=_("到期日"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    rate_per_minute = forms.IntegerField(label=_("每分钟调用上限"), min_value=1,
                                         max_value=6000, initial=60)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments()
        self.fields["items"].queryset = Item.objects.order_by("implementation_code")
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(days=365)
