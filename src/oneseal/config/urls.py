"""Top-level URL map: portal (public), workbench (staff), accounts, API, admin."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve
from django_otp.admin import OTPAdminSite

from oneseal.accounts.views import admin_login
from oneseal.api.urls import api
from oneseal.core.metrics import metrics_view

# Two-factor login covers the admin site too: only an OTP-verified session gets in (for
# superusers without a two-factor role as well), and it logs in through the project's own
# pages (password with lockout, then the TOTP step), not a second login form.
admin.site.__class__ = OTPAdminSite
admin.site.login = admin_login  # type: ignore[method-assign]


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe, and the framework floor of the HTTP benchmark: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("metrics", metrics_view),  # Prometheus; token or this machine only (core.metrics)
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("oneseal.accounts.urls")),
    path("accounts/", include("oneseal.applicants.urls_portal")),
    path("oidc/", include("oneseal.applicants.oidc")),  # 404 unless ONESEAL_OIDC_*
    path("workbench/catalog/", include("oneseal.catalog.urls_workbench")),
    path("workbench/cases/", include("oneseal.cases.urls_workbench")),
    path("workbench/seal/", include("oneseal.seal.urls_workbench")),
    path("workbench/licences/", include("oneseal.licences.urls_workbench")),
    path("workbench/ratings/", include("oneseal.supervision.urls_workbench")),
    path("workbench/assist/", include("oneseal.supervision.urls_assist")),
    path("workbench/hall/stats/", include("oneseal.hall.urls_stats")),
    path("workbench/stats/", include("oneseal.supervision.urls_stats")),
    path("workbench/supervision/", include("oneseal.supervision.urls_supervision")),
    path("workbench/hall/", include("oneseal.hall.urls_workbench")),
    path("workbench/coordination/", include("oneseal.coordination.urls_workbench")),
    path("workbench/intermediaries/", include("oneseal.intermediaries.urls_workbench")),
    path("workbench/archives/", include("oneseal.archives.urls_workbench")),
    path("workbench/", include("oneseal.workbench.urls")),
    path("hall/screen/", include("oneseal.hall.urls_display")),
    path("hall/evaluator/", include("oneseal.hall.urls_evaluator")),
    path("items/", include("oneseal.catalog.urls_portal")),
    path("progress/", include("oneseal.cases.urls_portal")),
    path("apply/", include("oneseal.cases.urls_apply")),
    path("licences/", include("oneseal.licences.urls_portal")),
    path("ratings/", include("oneseal.supervision.urls_portal")),
    path("figures/", include("oneseal.supervision.urls_stats_portal")),
    path("my/authorisations/", include("oneseal.supervision.urls_assist_portal")),
    path("my/appointments/", include("oneseal.hall.urls_portal")),
    path("hall/", include("oneseal.hall.urls")),
    path("coordination/", include("oneseal.coordination.urls_portal")),
    path("intermediaries/", include("oneseal.intermediaries.urls_portal")),
    path("archives/", include("oneseal.archives.urls_portal")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("", include("oneseal.core.workcalendar.urls")),
    path("", include("oneseal.portal.urls")),
]

if settings.ONESEAL_SERVE_STATIC and not settings.DEBUG:
    # Closed intranets have no CDN and often no separate web server: serve collected assets.
    urlpatterns += [
        re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT}),
    ]
