"""Background jobs of supervision (django-tasks; `oneseal worker` runs them daily)."""

from __future__ import annotations

from django_tasks import task


@task()
def deem_unrated_ratings() -> dict[str, int]:
    """The daily job: a case unrated 5 working days after delivery counts as 基本满意
    (云政办发〔2020〕6号). Idempotent: running it twice a day, or late, does no harm."""
    from .services import deem_unrated

    return {"deemed": deem_unrated()}


@task()
def sweep_alerts() -> dict[str, int]:
    """The hourly alert sweep (电子监察): raise each clock's yellow and red once, then send
    what the outbox of alerts holds. Idempotent."""
    from .alerts import deliver_alerts, sweep

    result = sweep()
    sent = deliver_alerts()
    return {"raised": result.raised, **{f"delivery_{k}": v for k, v in sent.items()}}
