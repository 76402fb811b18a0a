from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "oneseal.core.workcalendar"
    label = "workcalendar"
    verbose_name = _("工作日历")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Reference data, like contenttypes: after every `migrate` (and every test flush) the
        # years `chinesecalendar` knows and the table lacks are added. Never a domain flow.
        from .services import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self,
                             dispatch_uid="workcalendar.seed_after_migrate")
