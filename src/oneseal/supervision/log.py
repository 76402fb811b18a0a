"""The supervision log (监管日志) and accountability records (问责记录): what was found, who
was told, what was done. An entry is written once (no edit, no delete) and chained in the
audit log, so the record of supervision is as tamper-evident as what it supervises."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.roles import Role
from oneseal.cases.models import Case
from oneseal.core.audit import append_event

from .errors import SupervisionRefused
from .models import Accountability, Alert, Anomaly, FollowUp, LogEntry


def record(*, actor: Any, found_on: dt.date, finding: str, told: str, action: str,
           accountability: str = Accountability.NONE, responsible: str = "",
           case_number: str = "", anomaly_id: int | None = None, alert_id: int | None = None,
           follow_up_id: int | None = None) -> LogEntry:
    """Write one entry (supervisors only)."""
    if not actor.has_role(Role.SUPERVISOR):
        raise SupervisionRefused(_("监管日志由监督人员记录。"), code="forbidden", status=403)
    finding, told, action = (finding or "").strip(), (told or "").strip(), (action or "").strip()
    if not finding or not told or not action:
        raise SupervisionRefused(_("请填写发现的问题、告知对象和处理情况。"), code="required")
    if accountability not in Accountability.values:
        raise SupervisionRefused(_("问责方式不正确。"), code="bad_accountability")
    if found_on > timezone.localdate():
        raise SupervisionRefused(_("发现日期不能晚于今天。"), code="bad_date")
    case = None
    if case_number.strip():
        case = Case.objects.filter(number=case_number.strip()).first()
        if case is None:
            raise SupervisionRefused(_("办件编号不存在。"), code="no_case")
    anomaly = Anomaly.objects.filter(pk=anomaly_id).first() if anomaly_id else None
    alert = Alert.objects.filter(pk=alert_id).first() if alert_id else None
    follow_up = FollowUp.objects.filter(pk=follow_up_id).first() if follow_up_id else None
    with transaction.atomic():
        entry = LogEntry.objects.create(
            found_on=found_on, finding=finding[:4000], told=told[:300], action=action[:4000],
            accountability=accountability, responsible=responsible.strip()[:150],
            case=case or (anomaly.case if anomaly else None) or (alert.case if alert else None),
            anomaly=anomaly, alert=alert, follow_up=follow_up, author=actor,
            created_at=timezone.now())
        event = append_event(actor=actor, kind="supervision.log", subject=f"log:{entry.pk}",
                             payload={"found_on": found_on.isoformat(), "finding": finding,
                                      "told": told, "action": action,
                                      "accountability": accountability,
                                      "responsible": entry.responsible,
                                      "case": entry.case_id, "anomaly": anomaly_id,
                                      "alert": alert_id, "follow_up": follow_up_id})
        entry.audit_seq = event.seq
        entry.save(update_fields=["audit_seq"])
    return entry
