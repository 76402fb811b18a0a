"""The periodic jobs `oneseal worker` runs (setting ``ONESEAL_PERIODIC_JOBS``; see
`oneseal.core.schedule` and docs/operations.md): (name, task, period)."""

from __future__ import annotations

PERIODIC_JOBS: tuple[tuple[str, str, str], ...] = (
    # 失效 past the last day (第70条第（一）项) and renewal reminders (第50条)
    ("licences.expire_and_remind", "oneseal.licences.tasks.expire_and_remind", "daily"),
    # next year's holiday schedule missing (law.md §1): logged from November on
    ("calendar.missing_year_warning", "oneseal.core.tasks.warn_missing_calendar", "daily"),
    # verify the audit chain and anchor its head in a signed file outside the database
    ("audit.anchor", "oneseal.core.tasks.anchor_audit_chain", "daily"),
    # unrated 5 working days after delivery -> 基本满意 (云政办发〔2020〕6号)
    ("ratings.deem_unrated", "oneseal.supervision.tasks.deem_unrated_ratings", "daily"),
    # 电子监察: each clock's yellow and red alert raised once, to handler, chief, supervisor
    ("supervision.alerts", "oneseal.supervision.tasks.sweep_alerts", "hourly"),
    # 异常监察: the anomaly rules, each new hit recorded once with its evidence
    ("supervision.anomalies", "oneseal.supervision.tasks.scan_anomalies", "daily"),
    # the notification outbox: deliveries whose channel was down, once their backoff is over
    ("notifications.retry", "oneseal.notifications.tasks.retry_deliveries", "hourly"),
    # appointments (预约) not checked in by the end of their slot -> 爽约; tomorrow's reminders
    ("hall.appointment_no_shows", "oneseal.hall.tasks.mark_appointment_no_shows", "hourly"),
    ("hall.appointment_reminders", "oneseal.hall.tasks.remind_appointments", "hourly"),
    # webhook deliveries to departments and systems left over (each commit and each backoff
    # enqueues its own run; this catches anything missed)
    ("coordination.deliver_events", "oneseal.coordination.tasks_events.deliver_events",
     "hourly"),
    # 中介超市: offers closed at their deadline (draw, lowest price, or 流标); suspensions
    # whose 90 days ended decided again (restored, warned or cleared out)
    ("intermediaries.close_postings", "oneseal.intermediaries.tasks.close_due_postings",
     "hourly"),
    ("intermediaries.credit_rules", "oneseal.intermediaries.tasks.apply_credit_rules", "daily"),
    # an archival package for every closed case the after-commit job missed (国务院令第716号
    # 第12条), then one backup of the database and file stores, keeping ONESEAL_BACKUP_KEEP
    ("archives.catch_up", "oneseal.archives.tasks.archive_closed_cases", "daily"),
    ("archives.backup", "oneseal.archives.tasks.scheduled_backup", "daily"),
)
