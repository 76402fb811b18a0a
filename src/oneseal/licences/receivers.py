"""The licence library's receivers of the case signals (connected in `LicencesConfig.ready`).

They run inside the case service's transaction (see `oneseal.cases.signals`): what they
write commits or rolls back with the transition; the slow signing runs after commit.

- `case_submitted` → `sharing.on_case_submitted`: back-office verification of materials
  obtainable by sharing (证明材料后台核验, 国务院令第716号 第7条); and a renewal (延续)
  application is linked to the licence it renews, in time or not (第50条,
  `services.record_renewal_application`).
- `case_decided` → issue the licence of a grant (`services.issue_licence`), then arrange the
  approval seal on the decision and the licence (`signing.request_case_seal`); a renewal
  records its outcome (`services.record_renewal_decision`).
- `document_issued` → arrange the acceptance seal on a notice (`signing.on_document_issued`).
"""

from __future__ import annotations

from typing import Any

from oneseal.cases import signals


def _moment(case: Any) -> Any:
    """When the transition that sent the signal happened: its case event's time (now, in
    production; the demo's and the tests' chosen moment otherwise), so that the seal
    ledger's authorisation time is the decision's, never later than the signing."""
    return case.events.order_by("-seq").values_list("at", flat=True).first()


def on_case_decided(sender: Any, *, case: Any, actor: Any, **kwargs: Any) -> None:
    from . import signing
    from .services import issue_licence, record_renewal_decision

    record_renewal_decision(case=case)
    issue_licence(case=case, actor=actor)
    signing.request_case_seal(case, actor, at=_moment(case))


def on_document_issued(sender: Any, *, case: Any, document: Any, actor: Any = None,
                       **kwargs: Any) -> None:
    from . import signing

    signing.on_document_issued(document, actor, at=_moment(case))


def on_case_submitted(sender: Any, *, case: Any, **kwargs: Any) -> None:
    from .services import record_renewal_application
    from .sharing import on_case_submitted as attach

    attach(sender, case=case, **kwargs)
    record_renewal_application(case=case)


def connect() -> None:
    """Connect the receivers (idempotent: each has a dispatch_uid)."""
    signals.case_submitted.connect(on_case_submitted, dispatch_uid="licences.sharing")
    signals.case_decided.connect(on_case_decided, dispatch_uid="licences.issue_and_seal")
    signals.document_issued.connect(on_document_issued, dispatch_uid="licences.seal_notice")
