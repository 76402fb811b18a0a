"""Background jobs of the licence library (django-tasks; `oneseal worker` runs them).

The signing job, `sign_seal_use`, is declared in `signing.py` beside the pipeline that
enqueues it (it is re-exported here, where every job of the library can be found)."""

from __future__ import annotations

from django_tasks import task

from .signing import sign_seal_use

__all__ = ["expire_and_remind", "sign_seal_use"]


# --- expiry and renewal reminders (owner: the licence library, `services.py`) -------------


@task()
def expire_and_remind() -> dict[str, int]:
    """The daily job of the library: record 失效 for licences past their last day (第70条第
    （一）项) and remind holders to apply for renewal in time (第50条). Both steps are
    idempotent, so running it twice a day, or late, does no harm."""
    from django.utils import timezone

    from .services import expire_licences, remind_renewals

    today = timezone.localdate()
    expired = expire_licences(today)
    reminded = remind_renewals(today)
    return {"expired": expired, "reminded": len(reminded)}
