"""Login through the provincial unified identity platform (统一身份认证平台), OpenID Connect
with mozilla-django-oidc, switched on by settings alone (docs/settings.md, "Unified identity
platform"): with ``ONESEAL_OIDC_CLIENT_ID`` set, the login page shows the platform's button,
``/oidc/authenticate/`` sends the browser there (authorization code flow with state and
nonce) and ``/oidc/callback/`` finishes the login.

The account is found by the verified resident ID number in the user-info claims (claim name
``ONESEAL_OIDC_ID_NUMBER_CLAIM``; with ``ONESEAL_OIDC_VERIFIED_CLAIM`` set, that claim must be
true too). The first login creates an applicant account and its person
(`registration.account_from_identity_platform`). Staff accounts never log in this way: they
keep their password and second factor. With the client id empty, both URLs answer 404 and
the backend authenticates nobody.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from oneseal.accounts.models import User
from oneseal.core.identity import normalize_id_number

from .registration import account_from_identity_platform

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "ONESEAL_OIDC_ENABLED", False))


def _claim(claims: dict[str, Any], setting: str, default: str) -> Any:
    return claims.get(getattr(settings, setting, default) or default)


class IdentityPlatformBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Authentication backend: the platform's code flow, accounts by ID number. Django
    makes one for every login; while the platform is off it reads none of its settings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if enabled():
            super().__init__(*args, **kwargs)
        else:  # sessions that logged in through the platform still resolve their user
            self.UserModel = User

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not enabled():
            return None
        return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        issuer = getattr(settings, "ONESEAL_OIDC_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            logger.warning("OIDC: ID token from issuer %r refused", payload.get("iss"))
            return {}  # no payload: no login
        return payload

    def _id_number(self, claims: dict[str, Any]) -> str | None:
        raw = _claim(claims, "ONESEAL_OIDC_ID_NUMBER_CLAIM", "id_number")
        verified_claim = getattr(settings, "ONESEAL_OIDC_VERIFIED_CLAIM", "")
        if verified_claim and claims.get(verified_claim) is not True:
            return None
        try:
            return normalize_id_number(raw) if raw else None
        except ValidationError:
            return None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return self._id_number(claims) is not None

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]
                           ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        id_number = self._id_number(claims)
        if id_number is None:
            raise SuspiciousOperation("no verified ID number in the claims")
        return account_from_identity_platform(
            name=str(_claim(claims, "ONESEAL_OIDC_NAME_CLAIM", "name") or ""),
            id_number=id_number,
            phone=str(_claim(claims, "ONESEAL_OIDC_PHONE_CLAIM", "phone_number") or ""))


class _Enabled:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]


class AuthenticateView(_Enabled, OIDCAuthenticationRequestView):  # type: ignore[misc]
    pass


class CallbackView(_Enabled, OIDCAuthenticationCallbackView):  # type: ignore[misc]
    pass


# The names mozilla-django-oidc reverses (no namespace).
urlpatterns = [
    path("authenticate/", AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
]
