"""Applicants' own account pages (portal layout): self-registration of a natural person,
password reset by SMS code, registration of an organisation and its operators.

The "获取验证码" button posts the same form with ``action=send_code``: the code is sent and
the form comes back with what was typed (passwords excepted), with no script needed."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from oneseal.accounts import phone_codes
from oneseal.accounts.models import PhoneCode, User
from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.accounts.services import APPLICANT_ROLES, set_password
from oneseal.core.masking import mask_id_number, mask_phone
from oneseal.core.throttle import throttled

from . import registration
from .forms_portal import (
    AddOperatorForm,
    MobileForm,
    RegisterOrganisationForm,
    RegisterPersonForm,
    ResetPasswordForm,
)
from .models import AgentAuthorisation, Organisation
from .selectors import organisations_for

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Codes asked for from one address: at most this many an hour (a phone gets one a minute).
SEND_TRIES_PER_HOUR = 20
_KEEP = ("name", "id_number", "phone")


def _send_code(request: HttpRequest, purpose: str, *, deliver_if: Any = None) -> str | None:
    """Handle ``action=send_code``; returns the error to show under the phone, or None."""
    if throttled(request, "sms-send", tries=SEND_TRIES_PER_HOUR, window=3600):
        return _("请求过于频繁，请稍后再试。")
    mobile = MobileForm(request.POST)
    if not mobile.is_valid():
        return " ".join(mobile.errors["phone"])
    phone = mobile.cleaned_data["phone"]
    try:
        phone_codes.send_code(phone=phone, purpose=purpose,
                              deliver=True if deliver_if is None else deliver_if(phone))
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _focus_code(form: Any) -> None:
    """After a code was sent, the cursor waits in the code field."""
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    form.fields["code"].widget.attrs["autofocus"] = True


def _kept(request: HttpRequest) -> dict[str, str]:
    return {k: request.POST.get(k, "") for k in _KEEP if k in request.POST}


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """自然人注册 (/accounts/register/)."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    if request.method == "POST" and request.POST.get("action") == "send_code":
        form = RegisterPersonForm(initial=_kept(request))
        error = _send_code(request, PhoneCode.Purpose.REGISTER)
        if error:
            return render(request, "applicants/register.html",
                          {"form": form, "phone_error": error}, status=200)
        messages.info(request, _("验证码已发送到您的手机，10分钟内有效。"))
        _focus_code(form)
        return render(request, "applicants/register.html", {"form": form})
    form = RegisterPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            phone_codes.check_code(phone=data["phone"], purpose=PhoneCode.Purpose.REGISTER,
                                   code=data["code"])
            user = registration.register_natural_person(
                name=data["name"], id_number=data["id_number"], phone=data["phone"],
                password=data["password1"])
        except ValidationError as exc:
            field = "code" if str(exc.code).startswith("code_") else None
            form.add_error(field, exc)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, _("注册成功。您的登录用户名是手机号码 %(phone)s。") % {
                "phone": mask_phone(user.phone)})
            return redirect("accounts:home")
    return render(request, "applicants/register.html", {"form": form})


def _reset_user(phone: str) -> User | None:
    """The one active applicant account with this mobile number, else None (staff reset
    their passwords through the system administrator)."""
    found = list(User.objects.filter(phone=phone, is_active=True,
                                     role_grants__role__in=APPLICANT_ROLES).distinct()[:2])
    return found[0] if len(found) == 1 and not found[0].is_staff_member else None


@never_cache
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    """找回密码 (/accounts/reset/): the same answers whether the number has an account or
    not; wrong codes count as failed logins of that account (django-axes), and a locked
    account cannot be reset until the lock ends."""
    context: dict[str, Any] = {"cooloff_minutes": _cooloff_minutes(request)}
    if request.method == "POST" and request.POST.get("action") == "send_code":
        context["form"] = ResetPasswordForm(initial=_kept(request))
        error = _send_code(request, PhoneCode.Purpose.RESET,
                           deliver_if=lambda phone: _reset_user(phone) is not None)
        if error:
            context["phone_error"] = error
        else:
            messages.info(request, _("如该手机号码已注册账户，验证码已发送，10分钟内有效。"))
            _focus_code(context["form"])
        return render(request, "applicants/reset.html", context)
    form = ResetPasswordForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        user = _reset_user(phone)
        credentials = {settings.AXES_USERNAME_FORM_FIELD: user.username if user else phone}
        if AxesProxyHandler.is_locked(request, credentials):
            form.add_error(None, _("尝试次数过多，账户已锁定，请 %(minutes)s 分钟后再试。") % {
                "minutes": context["cooloff_minutes"]})
            return render(request, "applicants/reset.html", context)
        try:
            phone_codes.check_code(phone=phone, purpose=PhoneCode.Purpose.RESET,
                                   code=form.cleaned_data["code"])
        except ValidationError:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", _("验证码不正确或已失效，请重新获取。"))
            return render(request, "applicants/reset.html", context)
        if user is None:  # a code can only be right for a number with an account
            form.add_error("code", _("验证码不正确或已失效，请重新获取。"))
            return render(request, "applicants/reset.html", context)
        try:
            set_password(actor=user, user=user, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc)
            return render(request, "applicants/reset.html", context)
        AxesProxyHandler.reset_attempts(username=user.username)
        messages.success(request, _("密码已重置，请用新密码登录。"))
        return redirect("accounts:login")
    return render(request, "applicants/reset.html", context)


def _cooloff_minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds() // 60) if cool_off else 0


# --- organisations and their operators -----------------------------------------------------


@require_roles(Role.APPLICANT, Role.AGENT)
@require_http_methods(["GET", "POST"])
def register_organisation(request: HttpRequest) -> HttpResponse:
    """单位注册 (/accounts/register/organisation/): the registering person becomes the
    organisation's first operator."""
    form = RegisterOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = registration.register_organisation_account(
                actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("单位注册成功，您已成为该单位的经办人。"))
            return redirect("applicants_portal:organisation", organisation_id=org.pk)
    return render(request, "applicants/register_organisation.html", {"form": form})


@require_roles(Role.APPLICANT, Role.AGENT)
def organisations(request: HttpRequest) -> HttpResponse:
    """我的单位: the organisations this account acts for."""
    orgs = organisations_for(request.user).order_by("name", "id")  # type: ignore[arg-type]
    return render(request, "applicants/organisations.html", {"organisations": orgs})


def _organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    try:
        return registration.access_organisation(user=request.user,  # type: ignore[arg-type]
                                                organisation_id=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None


def _operator_rows(org: Organisation) -> list[dict[str, Any]]:
    rows = []
    for auth in registration.operators(org):
        phone = auth.agent.user.phone if auth.agent.user else auth.agent.phone
        rows.append({"id": auth.pk, "name": auth.agent.name,
                     "id_number": mask_id_number(auth.agent.id_number),
                     "phone": mask_phone(phone), "since": auth.valid_from})
    return rows


@require_roles(Role.APPLICANT, Role.AGENT)
@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """单位经办人: the organisation, its operators (masked), and adding one."""
    org = _organisation(request, organisation_id)
    form = AddOperatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.add_operator(actor=request.user, organisation=org,  # type: ignore[arg-type]
                                      **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("经办人已添加。"))
            return redirect("applicants_portal:organisation", organisation_id=org.pk)
    return render(request, "applicants/organisation.html", {
        "organisation": org, "operators": _operator_rows(org), "form": form,
    })


@require_roles(Role.APPLICANT, Role.AGENT)
@require_POST
def remove_operator(request: HttpRequest, organisation_id: int, authorisation_id: int
                    ) -> HttpResponse:
    org = _organisation(request, organisation_id)
    try:
        registration.remove_operator(actor=request.user, organisation=org,  # type: ignore[arg-type]
                                     authorisation_id=authorisation_id)
    except AgentAuthorisation.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("经办人已移除。"))
    return redirect("applicants_portal:organisation", organisation_id=org.pk)
