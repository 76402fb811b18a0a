"""Background tasks of the core (run by `oneseal worker`). Thin wrappers around services."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from .audit import verify_chain

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
