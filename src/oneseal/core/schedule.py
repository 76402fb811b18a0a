"""The worker's schedule of periodic jobs (定时任务).

Licence expiry (第70条第（一）项) and renewal reminders (第50条), the warning that next year's
holiday schedule is missing (law.md §1) and the daily anchor of the audit chain must run
without anyone starting them. `oneseal worker` calls `run_due_jobs` about once a minute
(`oneseal.core.worker.Housekeeper`); each due job is claimed for its period by one
conditional UPDATE of its `PeriodicJob` row and then enqueued as an ordinary background task,
so that however many workers run, a job is enqueued at most once per period.

The table of jobs is the setting ``ONESEAL_PERIODIC_JOBS`` (`oneseal.config.schedule`):
(name, dotted path of a django-tasks task, period) with the period ``"daily"`` or
``"hourly"``, in the bureau's local time (Asia/Shanghai). The tasks are idempotent, so a job
run late, or re-run after a crash, does no harm.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicJob

logger = logging.getLogger(__name__)

PERIODS = ("daily", "hourly")


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    period: str

    def period_key(self, now: dt.datetime) -> str:
        local = timezone.localtime(now)
        if self.period == "hourly":
            return local.strftime("%Y-%m-%dT%H")
        return local.date().isoformat()


def jobs() -> list[Job]:
    """The schedule from the settings (checked: a bad row fails loudly at the first call)."""
    table = getattr(settings, "ONESEAL_PERIODIC_JOBS", ())
    out = []
    for name, task_path, period in table:
        if period not in PERIODS:
            raise ValueError(f"periodic job {name}: period must be one of {PERIODS}")
        out.append(Job(str(name), str(task_path), str(period)))
    return out


def _claim(job: Job, key: str, now: dt.datetime) -> bool:
    """Take `job` for the period `key`: True for exactly one caller per period."""
    try:
        with transaction.atomic():
            PeriodicJob.objects.get_or_create(name=job.name)
    except IntegrityError:  # created by a concurrent worker
        pass
    claimed = (PeriodicJob.objects.filter(name=job.name)
               .filter(~Q(period=key)).update(period=key, started_at=now))
    return claimed == 1


def run_due_jobs(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job not yet run in its current period; the names of those enqueued."""
    now = now or timezone.now()
    enqueued: list[str] = []
    for job in jobs():
        key = job.period_key(now)
        if not _claim(job, key, now):
            continue
        try:
            result = import_string(job.task_path).enqueue()
        except Exception:
            # give the period back, so the next round (or another worker) tries again
            PeriodicJob.objects.filter(name=job.name, period=key).update(period="")
            logger.exception("periodic job %s could not be enqueued", job.name)
            continue
        PeriodicJob.objects.filter(name=job.name).update(task_id=str(result.id))
        logger.info("定时任务已排队 / periodic job enqueued: %s (%s)", job.name, key)
        enqueued.append(job.name)
    return enqueued
