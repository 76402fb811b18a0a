"""The site's URLs without the catalogue, to check the portal before the catalogue is mounted."""

from oneseal.config.urls import urlpatterns as site_patterns

urlpatterns = [
    p for p in site_patterns if "catalog" not in str(getattr(p, "urlconf_name", ""))
]
assert len(urlpatterns) < len(site_patterns)
