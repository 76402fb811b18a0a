"""Forms of the hall's pages: the kiosk, the hall settings, transfer and booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Hall
from .selectors import WEEKDAY_NAMES


class KioskForm(forms.Form):
    category = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    id_number = forms.CharField(label=_("身份证号码（可选）"), required=False, max_length=30)
    appointment_code = forms.CharField(label=_("预约码（可选）"), required=False,
                                       max_length=12)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("category") and not (data.get("appointment_code") or "").strip():
            raise forms.ValidationError(_("请选择办理类别，或输入预约码。"))
        return data


class HallSettingsForm(forms.ModelForm):
    """The hall's fields, the map picture and one row of hours per weekday."""

    map_picture = forms.FileField(label=_("位置图（PNG 或 JPEG）"), required=False)

    class Meta:
        model = Hall
        fields = ["name", "address", "phone", "slot_minutes", "slot_capacity", "noshow_limit",
                  "noshow_window_days", "noshow_block_days"]

    def __init__(self, *args: Any, hours: dict[int, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot_minutes"].validators.append(_positive)
        hours = hours or {}
        for weekday, label in enumerate(WEEKDAY_NAMES):
            row = hours.get(weekday)
            self.fields[f"closed_{weekday}"] = forms.BooleanField(
                label=_("%(day)s不开放") % {"day": _(label)}, required=False,
                initial=row is None)
            for i, part in enumerate(("opens", "lunch_start", "lunch_end", "closes")):
                self.fields[f"{part}_{weekday}"] = forms.TimeField(
                    label=f"{_(label)} {_(PART_LABELS[part])}", required=False,
                    initial=row[i] if row else None,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def main_fields(self) -> list[Any]:
        return [self[name] for name in (*self.Meta.fields, "map_picture")]

    def weekday_rows(self) -> list[list[Any]]:
        return [[self[f"closed_{w}"]] + [self[f"{p}_{w}"] for p in PART_LABELS]
                for w in range(7)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for weekday in range(7):
            if data.get(f"closed_{weekday}"):
                continue
            opens, closes = data.get(f"opens_{weekday}"), data.get(f"closes_{weekday}")
            ls, le = data.get(f"lunch_start_{weekday}"), data.get(f"lunch_end_{weekday}")
            if opens is None or closes is None or opens >= closes:
                self.add_error(f"opens_{weekday}", _("请填写开门和关门时间（开门早于关门）。"))
            elif (ls is None) != (le is None) or (ls and le and not opens < ls < le < closes):
                self.add_error(f"lunch_start_{weekday}", _("午休时间应在开放时间之内。"))
        return data

    def hours(self) -> dict[int, tuple[dt.time | None, ...] | None]:
        data = self.cleaned_data
        return {w: None if data.get(f"closed_{w}") else tuple(
            data.get(f"{p}_{w}") for p in PART_LABELS) for w in range(7)}


PART_LABELS = {"opens": _("开门"), "lunch_start": _("午休开始"), "lunch_end": _("午休结束"),
               "closes": _("关门")}


def _positive(value: int) -> None:
    if value <= 0:
        raise forms.ValidationError(_("应大于 0。"))


class TransferForm(forms.Form):
    to_window = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    to_category = forms.IntegerField(required=False, min_value=1, max_value=2**62)


class BookForm(forms.Form):
    category = forms.IntegerField(min_value=1, max_value=2**62)
    day = forms.DateField()
    slot = forms.TimeField()
