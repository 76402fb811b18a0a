from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "oneseal.catalog"
    label = "catalog"
    verbose_name = _("事项目录")
    default_auto_field = "django.db.models.BigAutoField"
