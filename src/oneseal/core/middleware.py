"""Two small middlewares every response passes through (settings.MIDDLEWARE):

- `RequestSizeLimitMiddleware` refuses a request whose declared body (Content-Length) is
  larger than settings.ONESEAL_REQUEST_MAX_BYTES with 413 and a Chinese message, before
  anything reads the body (neither granian nor gunicorn limits a body's size);
- `SecurityHeadersMiddleware` adds the Content-Security-Policy (scripts and styles only
  from our own static files: no inline script, no inline style, nothing from outside) and
  the Permissions-Policy (no camera, microphone, location, payment, USB...).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

MB = 1024 * 1024
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.ONESEAL_REQUEST_MAX_BYTES)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return too_large(request, limit)
        return self.get_response(request)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    shown = f"{limit // MB} MB" if limit >= MB else _("%(n)s 字节") % {"n": limit}
    message = _("请求内容过大（超过 %(limit)s），未予处理。") % {"limit": shown}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "request_too_large"}, status=413,
            json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>413</title>'
            f"<p>{escape(message)}</p></html>", status=413,
            content_type="text/html; charset=utf-8")
    return response  # (no Connection header: WSGI leaves hop-by-hop headers to the server)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
