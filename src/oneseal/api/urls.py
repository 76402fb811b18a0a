"""The HTTP API at /api/v1/: each app's router is mounted here.

Every route needs a credential unless it says `auth=None`: a bearer token, or a login
session that has passed the second factor (`accounts.api_auth`). Every error is
`{"detail", "code"}` in Chinese and documented in the OpenAPI document (`errors`)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from oneseal.accounts.api_auth import token_or_session
from oneseal.applicants.api import router as me_router
from oneseal.cases.api import router as cases_router
from oneseal.cases.api_staff import router as case_staff_router
from oneseal.cases.errors import CaseError
from oneseal.catalog.api import router as catalog_router
from oneseal.coordination.api_exchange import router as exchange_router
from oneseal.core.workcalendar.api import router as calendar_router
from oneseal.licences.api import router as licences_router
from oneseal.licences.api_verify import router as verify_router
from oneseal.supervision.api import router as ratings_router

from . import errors


class OneSealAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the errors every operation may answer."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return errors.document(super().get_openapi_schema(*args, **kwargs))


api = OneSealAPI(
    title="OneSeal API",
    version="1",
    description="一颗印章管审批 — 行政审批局开放接口 / OneSeal administrative approval API",
    urls_namespace="api",
    auth=token_or_session,
)
errors.install(api)
api.add_router("/", me_router)
api.add_router("/", calendar_router)
api.add_router("/", catalog_router)
api.add_router("/", cases_router)
api.add_router("/", case_staff_router)
api.add_router("/", licences_router)
api.add_router("/", verify_router)
api.add_router("/", ratings_router)
api.add_router("/", exchange_router)


def _field(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    return ".".join(loc[1:]) or ".".join(loc) or "?"


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Every endpoint answers bad input the same way: 422 with a machine code, a Chinese
    message naming the fields, and pydantic's details for integrators."""
    fields = "、".join(sorted({_field(e) for e in exc.errors}))
    return api.create_response(
        request,
        {"detail": _("请求参数不正确：%(fields)s。请检查后重试。") % {"fields": fields},
         "code": "invalid_input", "errors": exc.errors},
        status=422,
    )


@api.exception_handler(CaseError)
def case_refused(request: HttpRequest, exc: CaseError) -> HttpResponse:
    """A refusal by the case services: its status (404 / 403 / 409 / 422), its machine code,
    its Chinese message, and the details it names (e.g. the current state)."""
    return api.create_response(
        request, {**exc.detail, "detail": str(exc.message), "code": exc.code},
        status=exc.status)


@api.get("/health", auth=None, tags=["system"], summary="健康检查 / health")
def health(request):  # type: ignore[no-untyped-def]
    return {"status": "ok"}
