"""Top-level URL map: portal (public), workbench (staff), accounts, API, admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from oneseal.api.urls import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("oneseal.accounts.urls")),
    path("workbench/", include("oneseal.workbench.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("", include("oneseal.portal.urls")),
]

if settings.ONESEAL_SERVE_STATIC and not settings.DEBUG:
    # Closed intranets have no CDN and often no separate web server: serve collected assets.
    urlpatterns += [
        re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT}),
    ]
