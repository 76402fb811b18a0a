"""Every error of the API in one shape: `{"detail": <Chinese message>, "code": <machine
code>}` (422 adds pydantic's `errors`), and every such answer documented in the OpenAPI
document, so a client programmer meets no undocumented status and no English message.

django-ninja answers some errors by itself, in English and undocumented: a body that is not
JSON (400 "Cannot parse request body"), no or a bad credential (401 "Unauthorized"), a
failed CSRF check (403), a missing object (404 "Not Found"), throttling (429). The handlers
here answer them in Chinese with a code; `document()` adds the answers every operation may
give (400, 401, 403, 422) to the generated schema, so a new route is documented without
anyone remembering to.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled

ERROR_SCHEMA = "ApiError"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}

#: Machine codes of the errors django-ninja raises itself, with their Chinese messages.
CODES: dict[str, Any] = {
    "malformed_body": gettext_lazy("请求体不是有效的 JSON，无法解析。"),
    "not_authenticated": gettext_lazy(
        "未认证：请在 Authorization 头中提供有效的接口令牌（Bearer），或先登录。"),
    "csrf_failed": gettext_lazy("CSRF 校验失败：以登录会话调用写操作时须带 X-CSRFToken 头。"),
    "forbidden": gettext_lazy("您无权执行此操作。"),
    "not_found": gettext_lazy("请求的资源不存在。"),
    "throttled": gettext_lazy("请求过于频繁，请稍后再试。"),
    "http_error": gettext_lazy("请求无法处理。"),
}

#: What each documented status means, for the OpenAPI descriptions (Chinese / English).
DESCRIPTIONS = {
    "400": "请求体不是有效的 JSON（malformed_body） / the body is not valid JSON",
    "401": "未认证：无令牌、令牌无效，或登录会话尚未完成双因素认证（not_authenticated、"
           "second_factor_required） / not authenticated, or the session lacks the second "
           "factor",
    "403": "无权操作，或登录会话的 CSRF 校验失败（forbidden、csrf_failed） / forbidden, or "
           "the session's CSRF check failed",
    "422": "请求参数不正确（invalid_input，errors 列出每个字段） / invalid input, `errors` "
           "names each field",
}


def _code_of(exc: HttpError) -> str:
    code = getattr(exc, "code", None)
    if isinstance(code, str):
        return code
    if isinstance(exc, AuthenticationError):
        return "not_authenticated"
    if isinstance(exc, Throttled):
        return "throttled"
    if exc.status_code == 403 and "csrf" in exc.message.lower():
        return "csrf_failed"
    if isinstance(exc, AuthorizationError) or exc.status_code == 403:
        return "forbidden"
    if exc.status_code == 400:
        return "malformed_body"
    if exc.status_code == 404:
        return "not_found"
    return "http_error"


def install(api: NinjaAPI) -> None:
    """Register the handlers that answer ninja's own errors in Chinese with a code."""

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = _code_of(exc)
        # A raiser that carries its own code also carries its own (translated) message.
        message = exc.message if getattr(exc, "code", None) else str(CODES[code])
        response = api.create_response(request, {"detail": message, "code": code},
                                       status=exc.status_code)
        if isinstance(exc, AuthenticationError):
            response["WWW-Authenticate"] = "Bearer"
        return response

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, {"detail": _("请求的资源不存在。"), "code": "not_found"}, status=404)

    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)


def error_schema() -> dict[str, Any]:
    return {
        "title": ERROR_SCHEMA,
        "type": "object",
        "description": "错误：中文说明与机器可读代码 / an error: a Chinese message and a code",
        "properties": {
            "detail": {"title": "Detail", "type": "string",
                       "description": "中文说明 / message in Chinese"},
            "code": {"title": "Code", "type": "string",
                     "description": "机器可读代码 / machine code, e.g. invalid_input"},
            "errors": {"title": "Errors", "type": "array", "items": {"type": "object"},
                       "description": "仅 422：逐字段的错误 / 422 only: pydantic's details"},
        },
        "required": ["detail", "code"],
    }


def _answer(status: str) -> dict[str, Any]:
    return {"description": DESCRIPTIONS[status],
            "content": {"application/json": {"schema": ERROR_REF}}}


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers every operation may give to a generated OpenAPI `schema`:
    400 where it reads a JSON body, 401 where it needs a credential, 403 where a session
    may call it (CSRF), 422 where it reads any input. Answers an operation documents
    itself are kept."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA] = (
        error_schema())
    cookie_schemes = {name for name, scheme in
                      schema["components"].get("securitySchemes", {}).items()
                      if scheme.get("in") == "cookie"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            body = operation.get("requestBody", {}).get("content", {})
            security = operation.get("security") or []
            wanted = []
            if "application/json" in body:
                wanted.append("400")
            if security:
                wanted.append("401")
            if method != "get" and any(set(s) & cookie_schemes for s in security):
                wanted.append("403")
            if body or operation.get("parameters"):
                wanted.append("422")
            for status in wanted:
                responses.setdefault(status, _answer(status))
            operation["responses"] = dict(sorted(responses.items()))
    return schema
