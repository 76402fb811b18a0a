from importlib import import_module

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
        import_module(f"{self.name}.demo_exchange")  # registers the exchange demo loader

        from . import receivers_claims

        receivers_claims.connect()  # 审管互动 inbox and the joint-review check (h16b)
        import_module(f"{self.name}.demo_depts")  # registers the 部门协同 demo loader (h16b)

        from . import claim_alerts

        claim_alerts.register()  # the claim clock in supervision's alert sweep

        from . import sealing

        sealing.register()  # 转报材料包 and 勘察笔录 signed by the seal's worker
