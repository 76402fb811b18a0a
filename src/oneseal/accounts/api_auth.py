"""Bearer-token authentication for the HTTP API (接口令牌认证).

Clients send `Authorization: Bearer os_…`; a token is created with `oneseal token create`.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .models import User
from .services import authenticate_token


class BearerTokenAuth(HttpBearer):
    """Resolves the token to its active user; `request.auth` and `request.user` are set to
    that user. Unknown, revoked and malformed tokens get 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_token(token.strip())
        if user is not None:
            request.user = user
        return user


bearer_auth = BearerTokenAuth()
