"""Background jobs of supervision (django-tasks; `oneseal worker` runs them daily)."""

from __future__ import annotations

from typing import Any

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


@task()
def scan_anomalies() -> dict[str, int]:
    """The daily anomaly scan (异常监察): every rule, each new hit recorded once."""
    from .anomalies import scan

    return scan()


@task()
def audit_check(deep: bool = False) -> dict[str, Any]:
    """The audit chain check started from 审计记录 (and, with `deep`, the reconciliation of
    the chain with the tables it vouches for, `oneseal verify-audit --deep`)."""
    from oneseal.core.audit_deep import run_deep_checks
    from oneseal.core.audit_verify import verify_chain

    result = verify_chain(jobs=1)
    bad = result.first_bad
    out: dict[str, Any] = {
        "ok": result.ok, "rows_checked": result.rows_checked,
        "seconds": round(result.seconds, 2), "head_seq": result.head_seq,
        "head_hash": result.head_hash, "first_bad_seq": bad.seq if bad else None,
        "reason": str(bad.reason) if bad else "", "detail": bad.detail if bad else "",
        "deep": deep, "findings": []}
    if deep:
        findings = run_deep_checks()
        out["findings"] = [{"check": f.check, "subject": f.subject, "detail": f.detail}
                           for f in findings[:200]]
        out["findings_total"] = len(findings)
        out["ok"] = out["ok"] and not findings
    return out
