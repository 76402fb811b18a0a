"""Background tasks of the core (run by `oneseal worker`). Thin wrappers around services."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from .audit_verify import verify_chain

logger = logging.getLogger(__name__)


@task()
def verify_audit_chain() -> dict[str, Any]:
    """Re-compute the audit chain in the background (e.g. nightly) and log a break loudly.

    Returns what a supervisor needs to record the head elsewhere (seq and hash), so that a
    later rewrite of the whole tail can be caught with `oneseal verify-audit --anchor`."""
    result = verify_chain(jobs=1)
    bad = result.first_bad
    if bad is not None:
        logger.error("审计链校验失败 / audit chain broken at seq %s: %s", bad.seq, bad.detail)
    return {
        "ok": result.ok,
        "rows_checked": result.rows_checked,
        "head_seq": result.head_seq,
        "head_hash": result.head_hash,
        "first_bad_seq": bad.seq if bad else None,
        "reason": str(bad.reason) if bad else None,
    }


@task()
def warn_missing_calendar() -> dict[str, Any]:
    """Log, from November on, that next year's holiday schedule is not entered yet (every
    deadline reaching into that year is only provisional, law.md §1): a daily job of the
    worker's schedule, so that the operators' logs say it as well as the staff pages."""
    from .workcalendar.selectors import missing_next_year_warning

    text = missing_next_year_warning()
    if text is not None:
        logger.warning("工作日历 / working calendar: %s", text)
    return {"warning": None if text is None else str(text)}


@task()
def anchor_audit_chain() -> dict[str, Any]:
    """The daily anchor of the audit chain: verify it, then write its head to a signed file
    outside the database (`oneseal.core.audit_anchor`). A broken chain is not anchored."""
    from .audit_anchor import anchor_head

    result = verify_chain(jobs=1)
    if not result.ok:
        bad = result.first_bad
        logger.error("审计链校验失败，未写入锚点 / audit chain broken, not anchored: %s",
                     bad.detail if bad else "")
        return {"ok": False, "anchored": None}
    anchor = anchor_head()
    return {"ok": True, "anchored": None if anchor is None else anchor.file_name}
