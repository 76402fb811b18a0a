from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "oneseal.coordination"
    label = "coordination"
    verbose_name = _("部门协同")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers_events

        receivers_events.connect()  # the event outbox (h16a)
