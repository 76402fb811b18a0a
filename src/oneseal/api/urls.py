"""The HTTP API at /api/v1/: each app's router is mounted here."""

from ninja import NinjaAPI

from oneseal.accounts.api import router as accounts_router
from oneseal.catalog.api import router as catalog_router
from oneseal.core.workcalendar.api import router as calendar_router

api = NinjaAPI(
    title="OneSeal API",
    version="1",
    description="一颗印章管审批 — 行政审批局开放接口 / OneSeal administrative approval API",
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/", calendar_router)
api.add_router("/", catalog_router)


@api.get("/health", auth=None, tags=["system"], summary="健康检查 / health")
def health(request):  # type: ignore[no-untyped-def]
    return {"status": "ok"}
