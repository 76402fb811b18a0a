"""Authentication for the HTTP API (接口认证): bearer tokens and the logged-in session.

Clients send `Authorization: Bearer os_…`; a token is created with `oneseal token create`.
A browser that is logged in to the site may call the API with its session cookie (and the
`X-CSRFToken` header on writes) — but only once the login is complete: a person whose roles
need a second factor (局长、管理员) and who has not yet entered the TOTP code in this session
is refused (401 `second_factor_required`), on every route, exactly as the pages send him to
the code step (`permissions.needs_second_factor`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from .models import User
from .permissions import needs_second_factor
from .services import authenticate_token


class SecondFactorRequired(AuthenticationError):
    """A session that passed the password step but not the TOTP step (半登录会话)."""

    code = "second_factor_required"

    def __init__(self) -> None:
        super().__init__(401, str(_("请先完成双因素认证（输入动态验证码）后再调用接口。")))


class BearerTokenAuth(HttpBearer):
    """Resolves the token to its active user; `request.auth` and `request.user` are set to
    that user. Unknown, revoked and malformed tokens get 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_token(token.strip())
        if user is not None:
            request.user = user
        return user


class VerifiedSessionAuth(APIKeyCookie):
    """Django's login session, refused while the second factor is missing. The one session
    authentication of the API (ninja's `django_auth` checks `is_authenticated` only, so a
    half-logged-in session would pass it: do not use it). CSRF is checked as ninja's
    session authentication does."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if needs_second_factor(user):
            raise SecondFactorRequired()
        return user


bearer_auth = BearerTokenAuth()
session_auth = VerifiedSessionAuth()
#: The API's default: a bearer token, or a complete login session.
token_or_session = [bearer_auth, session_auth]
