"""Demo loader `supervision_alerts` (order 520, after the cases and the ratings): what the
supervisor (`supervisor`) sees on 电子监察 — the alert sweep run on the demo day (the demo
cases' yellow and red lights raised once), the anomaly scan over the demo records, a 差评
follow-up rectified and waiting for its return visit, and one entry of the supervision log.
Idempotent: the sweep and the scan record nothing twice; the rest is looked up first.
Supervision never changes a case: nothing here writes to one."""

from __future__ import annotations

from oneseal.accounts.models import User
from oneseal.cases.demo import demo_today
from oneseal.core import demo

from . import alerts, anomalies, followups
from . import log as supervision_log
from .models import Accountability, Alert, Anomaly, FollowUp, FollowUpState, LogEntry

LOG_FINDING = "演示：综合受理窗口一件办件临近承诺期限未认领审查环节。"


def _follow_up(supervisor: User) -> None:
    follow_up = FollowUp.objects.filter(state=FollowUpState.OPEN).order_by("id").first()
    if follow_up is None or FollowUp.objects.exclude(state=FollowUpState.OPEN).exists():
        return
    actor = follow_up.owner or supervisor
    if follow_up.owner_id is not None and follow_up.owner_id != supervisor.pk:
        actor = follow_up.owner
    followups.rectify(actor=actor if actor.is_active else supervisor,
                      follow_up_id=follow_up.pk,
                      text="已将窗口材料清单与办事指南逐项核对更新，并对窗口人员进行培训。")


def _log(supervisor: User) -> None:
    if LogEntry.objects.filter(finding=LOG_FINDING).exists():
        return
    alert = Alert.objects.order_by("id").first()
    supervision_log.record(
        actor=supervisor, found_on=demo_today(), finding=LOG_FINDING,
        told="审批一科科长（站内消息、电话）", action="督促当日认领并办理，已在期限内办结。",
        accountability=Accountability.REMIND, responsible="审批一科审查人员",
        alert_id=alert.pk if alert else None)


@demo.register("supervision_alerts", order=930)  # after every loader that makes cases
def load(ctx: demo.DemoContext) -> None:
    supervisor = User.objects.filter(username="supervisor").first()
    if supervisor is None:
        return
    result = alerts.sweep(today=demo_today())
    found = anomalies.scan(today=demo_today())
    _follow_up(supervisor)
    _log(supervisor)
    ctx.log(f"电子监察 / supervision: 本次预警 {result.raised} 条（共 {Alert.objects.count()} "
            f"条）；新发现异常 {sum(found.values())} 条（共 {Anomaly.objects.count()} 条）")
