"""The deep audit (深度核对, ``oneseal verify-audit --deep``): beyond the chain's own hashes,
do the application's tables agree with the chain?

The chain proves what was appended; the tables (case events, the seal ledger, the case rows)
are what the pages show. Each app that writes chain events next to its own rows provides the
checks that reconcile them in its ``audit_hooks`` module (found with
`autodiscover_modules`, so that the core imports nothing above it), calling
`register_check`. Today: every case event against its chain event and every chain event of
a case against a case event, every case row against its events (`oneseal.cases.audit_hooks`),
every signed document against the seal ledger and the chain (`oneseal.seal.audit_hooks`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

from .models import AuditEvent


@dataclass(frozen=True)
class Finding:
    """One disagreement: which check found it, about what, and what is wrong."""

    check: str
    subject: str
    detail: str


Check = Callable[[], Iterable[Finding]]
_checks: dict[str, Check] = {}
_discovered = False


def register_check(name: str, check: Check) -> None:
    _checks[name] = check


def checks() -> dict[str, Check]:
    global _discovered
    if not _discovered:
        autodiscover_modules("audit_hooks")
        _discovered = True
    return dict(_checks)


def run_deep_checks() -> list[Finding]:
    findings: list[Finding] = []
    for _name, check in sorted(checks().items()):
        findings.extend(check())
    return findings


def chain_events(*, kind_prefix: str, batch: int = 5_000
                 ) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    """(seq, kind, subject, payload) of the chain events whose kind starts with
    `kind_prefix`, in seq order, read in batches."""
    after = 0
    while True:
        rows = list(AuditEvent.objects.filter(kind__startswith=kind_prefix, seq__gt=after)
                    .order_by("seq").values_list("seq", "kind", "subject", "payload_json")
                    [:batch])
        if not rows:
            return
        for seq, kind, subject, payload in rows:
            try:
                data = json.loads(payload)
            except ValueError:
                data = {}
            yield seq, kind, subject, data if isinstance(data, dict) else {}
        after = rows[-1][0]
