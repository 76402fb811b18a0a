"""Forms of the login flow: password, TOTP code, password change. Labels and errors in
Chinese; every input is named by its label, hint and error (aria-describedby)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class AccessibleFormMixin:
    """After validation, point each erroneous input at its error message, and mark it
    invalid, so that screen readers announce the message with the field."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: Any = self
        for name in form.errors:
            if name not in form.fields:
                continue
            bound = form[name]
            ids = [f"{bound.auto_id}_error"]
            if form.fields[name].help_text:
                ids.append(f"{bound.auto_id}_helptext")
            attrs = form.fields[name].widget.attrs
            attrs["aria-describedby"] = " ".join(ids)
            attrs["aria-invalid"] = "true"


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确（区分大小写），请重新输入。"),
        "inactive": _("该账户已停用，请联系系统管理员。"),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update(
            {"autofocus": True, "autocomplete": "username", "autocapitalize": "none",
             "spellcheck": "false"}
        )
        self.fields["password"].label = _("密码")
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(AccessibleFormMixin, forms.Form):
    """A six-digit code from the authenticator app (动态验证码)."""

    token = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("打开手机上的身份验证器应用，输入当前显示的 6 位数字。"),
        error_messages={"invalid": _("请输入 6 位数字。"), "required": _("请输入动态验证码。")},
        widget=forms.TextInput(attrs={
            "autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric",
            "pattern": "[0-9 ]*", "maxlength": 8, "class": "code-input",
        }),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class PasswordChangeFormZh(AccessibleFormMixin, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")
        self.fields["old_password"].widget.attrs["autofocus"] = True
