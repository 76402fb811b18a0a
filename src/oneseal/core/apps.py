from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "oneseal.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks

        post_migrate.connect(checks.create_cache_table, sender=self,
                             dispatch_uid="oneseal.core.create_cache_table")
