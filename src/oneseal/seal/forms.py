"""The delegation form (用印授权): whom, which seal, from and to which day, why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.models import User
from oneseal.accounts.roles import STAFF_ROLES, Role

from .models import Seal


class DelegationForm(forms.Form):
    seal = forms.ModelChoiceField(label=_("印章"), queryset=Seal.objects.none(),
                                  empty_label=None)
    user = forms.ModelChoiceField(label=_("被授权人"), queryset=User.objects.none(),
                                  help_text=_("本局在职工作人员。"))
    valid_from = forms.DateField(label=_("授权起始日"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("授权截止日"), help_text=_("含当日。"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), max_length=200, required=False,
                           help_text=_("例如：局长出差期间。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seal"].queryset = Seal.objects.filter(active=True)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, role_grants__role__in=STAFF_ROLES)
            .exclude(role_grants__role=Role.HEAD).distinct().order_by("username"))
        self.fields["user"].label_from_instance = (
            lambda u: f"{u.display_name or u.username}（{u.username}）")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("授权截止日不能早于起始日。"))
        return data
