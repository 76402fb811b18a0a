"""Login flow (登录): password, then for privileged roles a TOTP code (or enrolment), logout,
password change and the "my roles" page."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import two_factor
from .forms import LoginForm, PasswordChangeFormZh, TokenForm
from .models import User
from .permissions import needs_second_factor, verified_login_required
from .roles import Role


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` parameter when it points inside this site, else ''."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _with_next(url: str, target: str) -> str:
    if not target:
        return url
    from urllib.parse import urlencode

    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: target})}"


def landing_url(user: Any) -> str:
    """Where a person goes after logging in when no ``next`` is given."""
    if user.is_staff_member:
        return reverse("workbench:home")
    if user.has_role(Role.APPLICANT, Role.AGENT):
        return reverse("portal:my_cases")
    return reverse("accounts:profile")


def _layout(user: Any) -> str:
    return "workbench/base.html" if user.is_staff_member else "portal/base.html"


class LoginView(auth_views.LoginView):
    """Password step. Privileged people continue to the TOTP step; failures are counted by
    django-axes, which locks the account after ``AXES_FAILURE_LIMIT`` failures."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = False

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        response = super().form_valid(form)
        if user.requires_two_factor:
            # The session is open but half-way: every staff page sends it to the code step.
            return redirect(_with_next(reverse("accounts:otp_verify"), _safe_next(self.request)))
        return response

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        username = (form.data.get("username") or "").strip()
        context_extra: dict[str, Any] = {}
        if username:
            request = self.request
            credentials = {settings.AXES_USERNAME_FORM_FIELD: username}
            limit = get_failure_limit(request, credentials)
            failures = AxesProxyHandler.get_failures(request, credentials)
            locked = bool(getattr(request, "axes_locked_out", False)) or failures >= limit
            context_extra["attempts_left"] = max(limit - failures, 0)
            person = User.objects.filter(username=username).first()
            if person is not None:
                two_factor.record_auth_event(
                    actor=None, user=person, kind="auth.login_failed", request=request,
                    stage="password", locked=locked,
                )
        return self.render_to_response(self.get_context_data(form=form, **context_extra))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["oidc_enabled"] = settings.ONESEAL_OIDC_ENABLED
        context["oidc_label"] = settings.ONESEAL_OIDC_BUTTON_LABEL
        context["oidc_failed"] = self.request.GET.get("oidc") == "failed"
        cool_off = get_cool_off(self.request)
        context["cooloff_minutes"] = int(cool_off.total_seconds() // 60) if cool_off else 0
        return context


@method_decorator(never_cache, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Logout (POST only). A privileged person's logout is audited."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            two_factor.record_auth_event(actor=user, user=user, kind="auth.logout",
                                         request=request)
        return super().post(request, *args, **kwargs)


def _otp_precheck(request: HttpRequest) -> HttpResponse | None:
    """Both OTP steps: only for a logged-in person who needs the second factor now."""
    if not request.user.is_authenticated:
        return redirect(_with_next(resolve_url(settings.LOGIN_URL), _safe_next(request)))
    if not needs_second_factor(request.user):
        return redirect(_safe_next(request) or landing_url(request.user))
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step: the six-digit code from the confirmed authenticator device."""
    stop = _otp_precheck(request)
    if stop is not None:
        return stop
    user: User = request.user  # type: ignore[assignment]
    if two_factor.confirmed_device(user) is None:
        return redirect(_with_next(reverse("accounts:otp_enrol"), _safe_next(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(actor=user, token=form.cleaned_data["token"],
                                        request=request)
        if device is not None:
            otp_login(request, device)
            two_factor.record_auth_event(actor=user, user=user, kind="auth.login",
                                         request=request, method="password+totp")
            return redirect(_safe_next(request) or landing_url(user))
        form.add_error("token", _("动态验证码不正确或已过期，请等待下一个验证码后重试。"))
    return render(request, "accounts/otp_verify.html", {
        "form": form, "next": _safe_next(request),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """First login of a privileged person: bind an authenticator app (绑定身份验证器)."""
    stop = _otp_precheck(request)
    if stop is not None:
        return stop
    user: User = request.user  # type: ignore[assignment]
    if two_factor.confirmed_device(user) is not None:
        return redirect(_with_next(reverse("accounts:otp_verify"), _safe_next(request)))
    device = two_factor.pending_device(actor=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_enrolment(actor=user, device=device,
                                        token=form.cleaned_data["token"], request=request):
            otp_login(request, device)
            two_factor.record_auth_event(actor=user, user=user, kind="auth.login",
                                         request=request, method="password+totp")
            messages.success(request, _("身份验证器已绑定。今后登录时请输入其显示的动态验证码。"))
            return redirect(_safe_next(request) or landing_url(user))
        form.add_error("token", _("动态验证码不正确，请确认手机时间准确后重试。"))
    return render(request, "accounts/otp_enrol.html", {
        "form": form,
        "next": _safe_next(request),
        "qr_svg": two_factor.qr_svg(device.config_url),
        "secret": two_factor.secret_base32(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    })


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin site's login: the project's own login flow, coming back to the admin."""
    target = _safe_next(request) or reverse("admin:index")
    if request.user.is_authenticated and needs_second_factor(request.user):
        return redirect(_with_next(reverse("accounts:otp_verify"), target))
    return redirect(_with_next(resolve_url(settings.LOGIN_URL), target))


def home(request: HttpRequest) -> HttpResponse:
    """``LOGIN_REDIRECT_URL``: each person's own starting page."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if needs_second_factor(request.user):
        return redirect("accounts:otp_verify")
    return HttpResponseRedirect(landing_url(request.user))


@verified_login_required
def profile(request: HttpRequest) -> HttpResponse:
    """我的角色: name, unit, roles, masked phone, and where the person was transferred from."""
    user: User = request.user  # type: ignore[assignment]
    grants = user.role_grants.order_by("granted_at", "id")
    transfers = user.transfers.select_related("from_unit", "to_unit").all()
    return render(request, "accounts/profile.html", {
        "layout": _layout(user),
        "grants": grants,
        "transfers": transfers,
        "has_device": two_factor.confirmed_device(user) is not None,
    })


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码: the current password, then the new one twice (validators from settings)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeFormZh
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["layout"] = _layout(self.request.user)
        return context


password_change = verified_login_required(PasswordChangeView.as_view())


@verified_login_required
def password_change_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_change_done.html", {"layout": _layout(request.user)})
