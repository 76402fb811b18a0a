"""The background worker's leases and recovery (后台任务进程的租约与恢复).

`oneseal worker` runs django-tasks-db's database queue. That queue marks a task RUNNING when a
worker claims it and never looks at it again: a worker killed in the middle (OOM, `kill -9`,
a power cut) leaves the task RUNNING forever, e.g. a signing job whose case then never
becomes ready for delivery. Here:

- every worker holds a lease (`WorkerLease`: its id, host, pid and a heartbeat `beat_at`),
  renewed by a housekeeping thread every quarter of the lease time
  (``ONESEAL_WORKER_LEASE_SECONDS``, default 60);
- `recover_orphaned_tasks`, run when a worker starts and then every lease period, puts back
  in the queue (READY) every RUNNING task whose worker's lease expired, or whose worker
  process is gone from this host (checked at once, without waiting for the lease);
- a task that has lost `MAX_ATTEMPTS` workers is marked FAILED (`WorkerLost`) instead, so a
  task that kills its worker cannot kill every worker for ever.

Tasks must therefore be idempotent (architecture rule 6): a retried signing job finds its
seal use signed, or signs it once (`oneseal.seal.services.sign_use`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerLease

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
WORKER_LOST = "oneseal.core.worker.WorkerLost"


class WorkerLost(RuntimeError):
    """The worker running a task died (recorded as the task's error)."""


def lease_seconds() -> int:
    return max(4, int(getattr(settings, "ONESEAL_WORKER_LEASE_SECONDS", 60)))


def this_host() -> str:
    return socket.gethostname()[:255]


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def beat(worker_id: str, *, now: dt.datetime | None = None) -> WorkerLease:
    """Take or renew the lease of `worker_id` (this process, on this host)."""
    now = now or timezone.now()
    lease, created = WorkerLease.objects.get_or_create(
        worker_id=worker_id,
        defaults={"host": this_host(), "pid": os.getpid(), "started_at": now, "beat_at": now})
    if not created:
        WorkerLease.objects.filter(pk=lease.pk).update(beat_at=now)
        lease.beat_at = now
    return lease


def release(worker_id: str) -> None:
    """Give the lease up (a worker that stops cleanly)."""
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def _worker_gone(lease: WorkerLease | None, *, started_at: dt.datetime | None,
                 now: dt.datetime, host: str) -> bool:
    expired = now - dt.timedelta(seconds=lease_seconds())
    if lease is None:  # a worker without a lease (plain db_worker): trust it one lease long
        return started_at is None or started_at < expired
    if lease.beat_at < expired:
        return True
    return lease.host == host and not pid_alive(lease.pid)


@dataclass(frozen=True)
class Recovery:
    requeued: tuple[str, ...]
    failed: tuple[str, ...]


def recover_orphaned_tasks(*, now: dt.datetime | None = None) -> Recovery:
    """Queue again the RUNNING tasks whose worker is gone (see the module docstring)."""
    now = now or timezone.now()
    host = this_host()
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
                   .values_list("id", "worker_ids", "started_at"))
    if not running:
        return Recovery((), ())
    owners = {ids[-1] for _pk, ids, _at in running if ids}
    leases = {lease.worker_id: lease for lease in WorkerLease.objects.filter(worker_id__in=owners)}
    requeued: list[str] = []
    failed: list[str] = []
    for pk, worker_ids, started_at in running:
        owner = worker_ids[-1] if worker_ids else None
        lease = leases.get(owner) if owner else None
        if not _worker_gone(lease, started_at=started_at, now=now, host=host):
            continue
        # Conditional on the claim we saw: a task claimed again meanwhile is left alone.
        claim = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING,
                                            started_at=started_at)
        if len(worker_ids) >= MAX_ATTEMPTS:
            done = claim.update(
                status=TaskResultStatus.FAILED, finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=f"{WORKER_LOST}: {len(worker_ids)} workers died running this task")
            if done:
                failed.append(str(pk))
        elif claim.update(status=TaskResultStatus.READY, started_at=None):
            requeued.append(str(pk))
    dead = [w for w, lease in leases.items()
            if _worker_gone(lease, started_at=None, now=now, host=host)]
    WorkerLease.objects.filter(worker_id__in=dead).delete()
    if requeued or failed:
        logger.warning("后台任务进程中断，任务已重新排队 / tasks of dead workers re-queued: %s; "
                       "given up after %d workers: %s", requeued, MAX_ATTEMPTS, failed)
    return Recovery(tuple(requeued), tuple(failed))


class Housekeeper(threading.Thread):
    """Beside the worker's loop: renew the lease, recover orphaned tasks every lease period,
    and run `extra` (the schedule) every `extra_every` seconds. A daemon thread with its own
    database connection; errors are logged and the next round tries again."""

    def __init__(self, worker_id: str, *, extra: Callable[[], object] | None = None,
                 extra_every: float = 60.0) -> None:
        super().__init__(name="oneseal-housekeeper", daemon=True)
        self.worker_id = worker_id
        self.extra = extra
        self.extra_every = extra_every
        self.stopping = threading.Event()

    def run(self) -> None:
        every = lease_seconds() / 4
        rounds = 0
        since_extra = self.extra_every  # the schedule runs in the first round
        while not self.stopping.is_set():
            try:
                close_old_connections()
                beat(self.worker_id)
                if rounds % 4 == 3:
                    recover_orphaned_tasks()
                if self.extra is not None and since_extra >= self.extra_every:
                    since_extra = 0.0
                    self.extra()
            except Exception:
                logger.exception("worker housekeeping failed; retrying next round")
            finally:
                connection.close()
            rounds += 1
            since_extra += every
            self.stopping.wait(every)

    def stop(self) -> None:
        self.stopping.set()
