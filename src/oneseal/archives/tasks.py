"""Worker jobs of the archives (django-tasks): build one package when a case closes
(enqueued after commit by `receivers`), the daily catch-up of every closed case without a
package, and the scheduled backup with rotation (`config/schedule.py`)."""

from __future__ import annotations

import logging

from django_tasks import task

from .errors import ArchiveError

logger = logging.getLogger("oneseal.archives")


@task()
def build_package(case_id: int) -> str:
    from .services import build_package as build

    try:
        return build(case_id).archive_number
    except ArchiveError as exc:  # reopened meanwhile: the catch-up job takes it later
        logger.info("case %s not archived: %s", case_id, exc.code)
        return ""


@task()
def archive_closed_cases() -> dict[str, int]:
    """Periodic catch-up: a package for every closed case that has none (idempotent)."""
    from .services import build_package as build
    from .services import closed_without_package

    built = failed = 0
    for case_id in closed_without_package():
        try:
            build(case_id)
            built += 1
        except Exception:
            failed += 1
            logger.exception("could not archive case %s", case_id)
    return {"built": built, "failed": failed}


@task()
def scheduled_backup() -> dict[str, object]:
    """Daily backup with rotation (keeps ONESEAL_BACKUP_KEEP, default 7)."""
    from .backup import backup, rotate

    result = backup(scheduled=True)
    removed = rotate()
    return {"path": str(result.path), "ok": result.ok, "removed": removed}
