from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "oneseal.supervision"
    label = "supervision"
    verbose_name = _("监督")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .stats_rollup import connect

        connect()
