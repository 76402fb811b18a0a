"""Forms of self-registration and of an organisation's operators (portal pages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.forms import AccessibleFormMixin
from oneseal.accounts.models import User
from oneseal.core.identity import normalize_credit_code, normalize_id_number, normalize_phone

from .models import Person

_CODE_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6,
               "pattern": "[0-9]*", "class": "code-input"}


def clean_mobile(raw: str) -> str:
    phone = normalize_phone(raw)
    if len(phone) != 11:
        raise ValidationError(_("请输入11位手机号码。"), code="phone_not_mobile")
    return phone


class MobileForm(AccessibleFormMixin, forms.Form):
    """The mobile number alone: the "获取验证码" button of a longer form."""

    phone = forms.CharField(label=_("手机号码"), max_length=20)

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data["phone"])


class _CodeAndPassword(AccessibleFormMixin, forms.Form):
    phone = forms.CharField(
        label=_("手机号码"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    code = forms.RegexField(
        label=_("短信验证码"), regex=r"^\s*\d{6}\s*$",
        help_text=_("先点“获取验证码”，再输入短信中的 6 位数字（10 分钟内有效）。"),
        error_messages={"invalid": _("请输入 6 位数字。")},
        widget=forms.TextInput(attrs=_CODE_ATTRS))
    password1 = forms.CharField(
        label=_("密码"), strip=False,
        help_text=_("至少 10 位，不能全是数字，不能与姓名、手机号相近。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("再次输入密码"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data["phone"])

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())

    def _check_passwords(self, user: User) -> None:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            try:
                validate_password(first, user)
            except ValidationError as exc:
                self.add_error("password1", exc)


class RegisterPersonForm(_CodeAndPassword):
    """自然人注册: name, ID number, mobile and its code, password twice."""

    name = forms.CharField(label=_("姓名"), max_length=50,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=_("身份证号码"), max_length=30,
                                widget=forms.TextInput(attrs={"autocapitalize": "characters",
                                                              "spellcheck": "false"}))
    field_order = ["name", "id_number", "phone", "code", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True

    def clean_id_number(self) -> str:
        number = normalize_id_number(self.cleaned_data["id_number"])
        if Person.objects.filter(id_number=number, user__isnull=False).exists():
            raise ValidationError(
                _("该身份证号码已注册账户，请直接登录；忘记密码可通过手机验证码重置。"),
                code="person_has_account")
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        phone = data.get("phone")
        if phone and User.objects.filter(username=phone).exists():
            self.add_error("phone", ValidationError(
                _("该手机号码已注册账户，请直接登录或重置密码。"), code="phone_has_account"))
        self._check_passwords(User(username=phone or "", display_name=data.get("name") or "",
                                   phone=phone or ""))
        return data


class ResetPasswordForm(_CodeAndPassword):
    """找回密码: mobile and its code, the new password twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["autofocus"] = True
        self.fields["password1"].label = _("新密码")
        self.fields["password2"].label = _("再次输入新密码")


class RegisterOrganisationForm(AccessibleFormMixin, forms.Form):
    """单位注册: credit code, name, legal representative's name and ID number."""

    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30,
                                  widget=forms.TextInput(attrs={"autofocus": True,
                                                                "autocapitalize": "characters",
                                                                "spellcheck": "false"}))
    name = forms.CharField(label=_("单位名称"), max_length=200)
    legal_representative = forms.CharField(label=_("法定代表人（负责人）姓名"), max_length=50)
    legal_representative_id_number = forms.CharField(
        label=_("法定代表人（负责人）身份证号码"), max_length=30)

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data["credit_code"])

    def clean_legal_representative_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data["legal_representative_id_number"])


class AddOperatorForm(AccessibleFormMixin, forms.Form):
    """添加经办人: a registered person's ID number and the mobile number of their account."""

    id_number = forms.CharField(label=_("经办人身份证号码"), max_length=30)
    phone = forms.CharField(label=_("经办人注册手机号码"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data["phone"])
