from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealConfig(AppConfig):
    name = "oneseal.seal"
    label = "seal"
    verbose_name = _("电子印章")
    default_auto_field = "django.db.models.BigAutoField"
