"""Who may open which page (访问控制), as functions and view decorators.

Order of the checks, the same for every page:
1. not logged in → the login page, coming back here afterwards;
2. holds a role that requires two-factor login (局长、管理员) and has not yet entered a
   TOTP code in this session → the code step (or enrolment), coming back here afterwards;
3. lacks every one of the page's roles → 403 (a page in Chinese, nothing else happens).

The second check comes before the third so that an unverified session of a privileged
person learns nothing about which pages exist for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from .roles import STAFF_ROLES

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])

OTP_VERIFY_URL = "accounts:otp_verify"


def needs_second_factor(user: Any) -> bool:
    """True when ``user`` holds a two-factor role and this session has not been verified
    with a TOTP code yet (django-otp's ``is_verified``, set by OTPMiddleware)."""
    if not user.is_authenticated or not user.requires_two_factor:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def has_any_role(user: Any, roles: Iterable[str]) -> bool:
    return bool(user.is_authenticated and user.has_role(*roles))


def _gate(request: HttpRequest, roles: frozenset[str] | None) -> HttpResponse | None:
    """Return the response that stops the request, or None when it may go on."""
    user = request.user
    path = request.get_full_path()
    if not user.is_authenticated:
        return redirect_to_login(path)
    if needs_second_factor(user):
        return redirect_to_login(path, login_url=resolve_url(OTP_VERIFY_URL))
    if roles is not None and not has_any_role(user, roles):
        raise PermissionDenied(_("您的角色无权访问此页面。"))
    return None


def require_roles(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """View decorator: the person must hold at least one of ``roles`` (see the module
    docstring for the order of the checks)."""
    if not roles:
        raise ValueError("require_roles needs at least one role")
    allowed = frozenset(roles)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            stop = _gate(request, allowed)
            return stop if stop is not None else view(request, *args, **kwargs)

        wrapped.required_roles = allowed  # type: ignore[attr-defined]
        return cast(ViewFunc, wrapped)

    return decorator


def verified_login_required(view: ViewFunc) -> ViewFunc:
    """View decorator for pages of one's own account (我的角色、修改密码): any logged-in
    person, with the second factor when their roles require it; no role needed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stop = _gate(request, None)
        return stop if stop is not None else view(request, *args, **kwargs)

    return cast(ViewFunc, wrapped)


#: Any staff role (工作人员): the workbench.
staff_required = require_roles(*STAFF_ROLES)
