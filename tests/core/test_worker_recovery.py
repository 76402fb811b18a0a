"""Recovery of the tasks of dead workers (`oneseal.core.worker`): a RUNNING task whose worker's
lease expired, or whose worker process is gone from this host, is queued again; a live
worker's task is left alone; a task that lost five workers is given up (FAILED)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from oneseal.core import worker
from oneseal.core.models import WorkerLease
from oneseal.core.tasks import verify_audit_chain

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def _running(*worker_ids: str) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=verify_audit_chain.enqueue().id)
    for worker_id in worker_ids:
        result.claim(worker_id)
    return result


def _lease(worker_id: str, *, host: str, pid: int, beat: dt.datetime) -> None:
    WorkerLease.objects.create(worker_id=worker_id, host=host, pid=pid, started_at=beat,
                               beat_at=beat)


def _snapshot():
    return list(DBTaskResult.objects.values_list("id", "status", "started_at", "worker_ids"))


@pytest.mark.django_db
def test_task_of_a_worker_whose_lease_expired_is_queued_again(settings):
    settings.ONESEAL_WORKER_LEASE_SECONDS = 60
    task = _running("far-away")
    _lease("far-away", host="another-host", pid=1, beat=NOW - dt.timedelta(seconds=61))
    assert worker.recover_orphaned_tasks(now=NOW).requeued == (str(task.pk),)
    task.refresh_from_db()
    assert task.status == "READY" and task.started_at is None
    assert not WorkerLease.objects.exists()  # the dead worker's lease is dropped


@pytest.mark.django_db
def test_task_of_a_live_worker_elsewhere_is_left_alone(settings):
    settings.ONESEAL_WORKER_LEASE_SECONDS = 60
    _running("far-away")
    _lease("far-away", host="another-host", pid=1, beat=NOW - dt.timedelta(seconds=59))
    before = _snapshot()
    assert worker.recover_orphaned_tasks(now=NOW) == worker.Recovery((), ())
    assert _snapshot() == before and WorkerLease.objects.count() == 1


@pytest.mark.django_db
def test_task_of_a_dead_process_on_this_host_is_queued_at_once():
    task = _running("here")
    dead_pid = 2**22 + 12345  # above Linux's pid_max: no such process
    _lease("here", host=worker.this_host(), pid=dead_pid, beat=timezone.now())
    assert worker.recover_orphaned_tasks().requeued == (str(task.pk),)


@pytest.mark.django_db
def test_task_that_lost_five_workers_is_given_up():
    task = _running("a", "b", "c", "d", "e")  # no lease: trusted for one lease period
    later = timezone.now() + dt.timedelta(seconds=worker.lease_seconds() + 1)
    assert worker.recover_orphaned_tasks(now=later).failed == (str(task.pk),)
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == worker.WORKER_LOST
