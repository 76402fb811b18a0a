from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntermediariesConfig(AppConfig):
    name = "oneseal.intermediaries"
    label = "intermediaries"
    verbose_name = _("中介超市")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oneseal.cases import signals

        from .services.sharing import on_case_submitted, on_materials_supplied

        signals.case_submitted.connect(on_case_submitted,
                                       dispatch_uid="intermediaries.sharing")
        signals.materials_supplied.connect(on_materials_supplied,
                                           dispatch_uid="intermediaries.draft_sharing")
