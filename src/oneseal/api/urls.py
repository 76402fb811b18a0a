"""The HTTP API at /api/v1/: each app's router is mounted here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="OneSeal API",
    version="1",
    description="一颗印章管审批 — 行政审批局开放接口 / OneSeal administrative approval API",
    urls_namespace="api",
)


@api.get("/health", auth=None, tags=["system"], summary="健康检查 / health")
def health(request):  # type: ignore[no-untyped-def]
    return {"status": "ok"}
