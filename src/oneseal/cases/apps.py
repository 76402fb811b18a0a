from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "oneseal.cases"
    label = "cases"
    verbose_name = _("办件")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The open cases by state and by clock light on /metrics (oneseal.core.metrics); the
        # services' import registers the recomputation of open cases after a calendar
        # change (law.md §1).
        from . import metrics
        from .services import clock_sync  # noqa: F401

        metrics.register()
