"""Background jobs of the licence library (django-tasks; `oneseal worker` runs them)."""

from __future__ import annotations

from django_tasks import task

# --- signing (owner: the signing pipeline, `signing.py`) -----------------------------------


@task()
def sign_seal_use(use_id: int) -> str:
    """Sign one authorised seal use (the ledger row `use_id`) and mark its case ready for
    delivery when it was the last. Idempotent: a retried or duplicated job finds the use
    signed and does nothing more (see `signing.sign_one`). Enqueued after commit by the
    pipeline; a failure leaves the use FAILED for the 用印审批 queue to retry."""
    from .signing import sign_one

    use = sign_one(use_id)
    return f"{use.key} {use.state} {use.signed_sha256}"


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
