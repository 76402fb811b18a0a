"""`oneseal worker`: django-tasks-db's `db_worker`, with a lease, recovery of the tasks of dead
workers and the schedule of periodic jobs (see `oneseal.core.worker`, `oneseal.core.schedule`).
Takes every option of `db_worker`, plus ``--no-schedule``."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from oneseal.core import worker as leases
from oneseal.core.schedule import run_due_jobs


class LeasedWorker(db_worker.Worker):
    """The database worker, holding a lease while it runs (a housekeeping thread renews it,
    recovers orphaned tasks and runs the schedule)."""

    def __init__(self, *, schedule: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schedule = schedule

    def run(self) -> None:
        leases.beat(self.worker_id)
        leases.recover_orphaned_tasks()
        keeper = leases.Housekeeper(self.worker_id,
                                    extra=run_due_jobs if self.schedule else None)
        keeper.start()
        try:
            super().run()
        finally:
            keeper.stop()
            keeper.join(timeout=30)
            leases.release(self.worker_id)


class Command(db_worker.Command):
    help = (
        "运行后台任务处理进程：持有租约，接手已中断进程的任务，按时运行定时任务。"
        " / Run the background worker: holds a lease, takes over the tasks of dead workers, "
        "runs the periodic jobs."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule", action="store_false", dest="schedule",
            help="不运行定时任务（--batch 时总不运行）/ do not run the periodic jobs "
                 "(never with --batch)")

    def handle(self, *args: Any, schedule: bool = True, **options: Any) -> None:
        original = db_worker.Worker
        batch = bool(options.get("batch"))

        def make(**kwargs: Any) -> LeasedWorker:
            return LeasedWorker(schedule=schedule and not batch, **kwargs)

        db_worker.Worker = make  # type: ignore[misc, assignment]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
