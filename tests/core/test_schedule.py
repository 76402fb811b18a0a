"""The worker's schedule (定时任务): licence expiry and renewal reminders, the missing-calendar
warning, the audit anchor, deemed ratings (daily), the notification retries and the hall's
appointment jobs (hourly) are enqueued by the worker itself, at most once per period
however many workers run, and each runs once."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from oneseal.config.schedule import PERIODIC_JOBS
from oneseal.core.management.commands.worker import LeasedWorker
from oneseal.core.models import PeriodicJob
from oneseal.core.schedule import run_due_jobs
from tests.core.audit_helpers import fill

NAMES = [name for name, _path, _period in PERIODIC_JOBS]
# 2026-12-04 23:30 in Beijing is still 4 December there (15:30 UTC); 16:30 UTC is the 5th.
LATE_ON_THE_4TH = dt.datetime(2026, 12, 4, 15, 30, tzinfo=dt.UTC)
EARLY_ON_THE_5TH = dt.datetime(2026, 12, 4, 16, 30, tzinfo=dt.UTC)


def _run_queue() -> None:
    LeasedWorker(schedule=False, queue_names=["default"], interval=0, batch=True,
                 backend_name="default", startup_delay=False, max_tasks=None,
                 worker_id="test-worker", excluded_queue_names=[]).run()


def test_the_schedule_names_every_periodic_job_with_its_period():
    assert {path: period for _name, path, period in PERIODIC_JOBS} == {
        "oneseal.licences.tasks.expire_and_remind": "daily",
        "oneseal.core.tasks.warn_missing_calendar": "daily",
        "oneseal.core.tasks.anchor_audit_chain": "daily",
        "oneseal.supervision.tasks.deem_unrated_ratings": "daily",
        "oneseal.supervision.tasks.sweep_alerts": "hourly",
        "oneseal.supervision.tasks.scan_anomalies": "daily",
        "oneseal.notifications.tasks.retry_deliveries": "hourly",
        "oneseal.hall.tasks.mark_appointment_no_shows": "hourly",
        "oneseal.hall.tasks.remind_appointments": "hourly",
        "oneseal.coordination.tasks_events.deliver_events": "hourly",
        "oneseal.intermediaries.tasks.close_due_postings": "hourly",
        "oneseal.intermediaries.tasks.apply_credit_rules": "daily",
        "oneseal.archives.tasks.archive_closed_cases": "daily",
        "oneseal.archives.tasks.scheduled_backup": "daily",
    }


@pytest.mark.django_db(transaction=True)
def test_each_job_runs_once_a_day_even_with_two_workers(settings):
    fill(3)  # something for the anchor
    assert run_due_jobs(now=LATE_ON_THE_4TH) == NAMES
    assert run_due_jobs(now=LATE_ON_THE_4TH + dt.timedelta(minutes=1)) == []  # a 2nd worker
    # Beijing time: the day for the daily jobs, the hour (23:00) for the hourly ones
    assert set(PeriodicJob.objects.values_list("period", flat=True)) == {
        "2026-12-04", "2026-12-04T23"}
    _run_queue()

    for _name, path, _period in PERIODIC_JOBS:
        results = DBTaskResult.objects.filter(task_path=path)
        assert [r.status for r in results] == ["SUCCESSFUL"], path
    anchor = DBTaskResult.objects.get(task_path__endswith="anchor_audit_chain").return_value
    assert anchor["ok"] is True and anchor["anchored"] == "anchor-000000000003.json"
    assert (settings.DATA_DIR / "audit-anchors" / anchor["anchored"]).is_file()

    # The next day in Beijing (still the 4th in UTC): every job is due again, once.
    assert run_due_jobs(now=EARLY_ON_THE_5TH) == NAMES
    assert run_due_jobs(now=EARLY_ON_THE_5TH) == []
    assert DBTaskResult.objects.filter(status="READY").count() == len(NAMES)
