"""Forms of the licence pages: the list's filters and the state change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.states import OP_LABELS, Op, State, allowed_ops
from .models import LicenceState, LicenceType


class LicenceFilterForm(forms.Form):
    q = forms.CharField(label=_("标识、编号或持证主体"), required=False, max_length=100,
                        help_text=_("电子证照标识或证照编号（完整），或持证主体名称的开头"))
    type = forms.ModelChoiceField(label=_("证照类型"), required=False,
                                  queryset=LicenceType.objects.order_by("code"),
                                  empty_label=_("全部"))
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部")), *LicenceState.choices])
    renewal_due = forms.BooleanField(label=_("临近延续"), required=False,
                                     help_text=_("有效期即将届满、应提醒申请延续的证照（第五十条）"))


class StateChangeForm(forms.Form):
    operation = forms.ChoiceField(label=_("操作"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("原因和依据"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000,
                             error_messages={"required": _("请填写状态变更的原因。")})

    def __init__(self, *args: Any, state: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.utils.translation import gettext

        self.fields["operation"].choices = [
            (op.value, gettext(OP_LABELS[op])) for op in allowed_ops(State(state))]
        self.fields["operation"].error_messages["invalid_choice"] = _(
            "该操作不适用于证照的当前状态。")


__all__ = ["LicenceFilterForm", "Op", "StateChangeForm"]
