"""The rating form (评价表), the same online and at the window."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.ratings import MAX_TEXT, REASONS
from .models import LevelChoices

REASON_CHOICES = [(code, _(label)) for code, label in REASONS.items()]


class RatingForm(forms.Form):
    level = forms.ChoiceField(label=_("评价等级"), choices=LevelChoices.choices,
                              widget=forms.RadioSelect)
    reasons = forms.MultipleChoiceField(
        label=_("评价理由（可多选）"), choices=REASON_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("选择“不满意”或“非常不满意”时，请勾选理由或写明情况。"))
    text = forms.CharField(label=_("意见和建议"), required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4}))
