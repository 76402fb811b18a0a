"""The signing pipeline (签章流水线): from a decision to a sealed, deliverable case.

"一颗印章管审批": the bureau decides under one seal. When a case is decided
(`cases.signals.case_decided`) the licence library issues its licence (`issue_licence`) and
`request_case_seal` arranges the approval seal (行政审批专用章) on the decision document and
the licence: if the decider may use the seal (the bureau head, or a delegate on that day,
`seal.services.may_use`) the uses are authorised at once, in the decision's transaction;
otherwise the case waits in the 用印审批 queue (`views_queue.py`) for someone who may.
Other written documents (受理通知书, 补正材料通知书…, `document_issued`) get the acceptance
seal (受理专用章) the same way.

Signing itself is slow (render + PAdES, tens of milliseconds) and must not hold the
decision's transaction, so it runs after commit as a background task (`sign_seal_use`,
django-tasks, declared here beside what it runs and enqueues, so that this module and
`tasks.py` do not import each other) — `transaction.on_commit` enqueues it only once the
authorisation is committed.
`sign_one` is idempotent: the seal ledger row (`SealUse`, unique key `document:<id>` /
`licence:<id>`) is locked while signing (`seal.services.sign_use`), and a use already signed
is never signed again, so a retried or duplicated job yields one signed file, one ledger row
and one audit event. When every approval use of a decided case is signed, the case becomes
ready for delivery (`cases.services.case_mark_ready`, 已签章，待送达).

A missing seal (not initialised: `oneseal seal init`) never blocks a decision: the case
simply waits in the queue, and a warning is logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from oneseal.cases import documents
from oneseal.cases.domain.states import CaseState
from oneseal.cases.models import Case, CaseDocument
from oneseal.cases.services import case_mark_ready
from oneseal.seal import services as seal_services
from oneseal.seal.errors import SealError, SealForbidden, SealRuleViolation
from oneseal.seal.ledger import document_key, licence_key
from oneseal.seal.models import Seal, SealKind, SealUse, SealUseState

from .models import Licence

log = logging.getLogger(__name__)

#: written documents signed with the approval seal (the rest get the acceptance seal)
APPROVAL_DOCUMENTS = frozenset(documents.DECISIONS)
PENDING_STATES = (SealUseState.AUTHORISED, SealUseState.FAILED)
SEALABLE_STATES = (CaseState.DECIDED, CaseState.READY, CaseState.DELIVERED)
SIGN_REASON = {SealKind.APPROVAL: "行政审批专用章", SealKind.ACCEPTANCE: "受理专用章"}


def seal_or_none(kind: str, on: dt.date | None = None, unit: Any = None) -> Seal | None:
    """The seal of `kind` of `unit` (default the bureau) in force on `on`, or None (logged)
    when none is set up."""
    try:
        return seal_services.seal_for(kind, on, unit)
    except SealRuleViolation:
        log.warning("no active %s seal of %s on %s: documents wait in the seal queue", kind,
                    getattr(unit, "code", "the bureau"), on)
        return None


def case_body(case: Case) -> Any:
    """The body whose seal seals the case's documents and licence: the body exercising its
    item on the day it was received (行政许可法 第25条) — the bureau for a transferred item,
    the department for an item it keeps in the hall."""
    from oneseal.catalog.selectors import implementing_body

    return implementing_body(case.item, case.received_on)


def _document_title(document: CaseDocument) -> str:
    with translation.override("zh-hans"):
        return f"{document.get_kind_display()} {document.number}"[:200]


def _licence_title(licence: Licence) -> str:
    return f"{licence.name} {licence.number}"[:200]


def approval_targets(case: Case) -> list[tuple[str, str, Licence | None]]:
    """(key, title, licence) of everything on `case` the approval seal must sign: its
    decision document(s) and, on a grant, its licence(s)."""
    out: list[tuple[str, str, Licence | None]] = [
        (document_key(d), _document_title(d), None)
        for d in case.documents.filter(kind__in=APPROVAL_DOCUMENTS).order_by("id")]
    out += [(licence_key(lic), _licence_title(lic), lic)
            for lic in Licence.objects.filter(case=case).order_by("id")]
    return out


def _enqueue_after_commit(use_ids: list[int]) -> None:
    """Enqueue one signing job per use once the authorisation is committed (a job started
    before the commit would not see the row, and a rolled-back decision must sign nothing).
    """
    if not use_ids:
        return

    def enqueue() -> None:
        for use_id in use_ids:
            sign_seal_use.enqueue(use_id)

    transaction.on_commit(enqueue)


def _authorise_case(*, actor: Any, case: Case, seal: Seal, on: dt.date,
                    at: dt.datetime | None = None) -> list[SealUse]:
    uses: list[SealUse] = []
    for key, title, licence in approval_targets(case):
        use = seal_services.authorise_use(actor=actor, seal=seal, key=key, case=case,
                                          title=title, require_decided=True, on=on, at=at)
        if licence is not None and licence.seal_use_id != use.pk:
            licence.seal_use = use
            licence.save(update_fields=["seal_use"])
        uses.append(use)
    _enqueue_after_commit([u.pk for u in uses if u.state != SealUseState.SIGNED])
    return uses


def request_case_seal(case: Case, actor: Any, *, on: dt.date | None = None,
                      at: dt.datetime | None = None) -> list[SealUse]:
    """Authorise the approval seal on `case`'s decision and licence if `actor` (the decider)
    may use it on the day of the decision (`at`, default now); otherwise leave the case in
    the 用印审批 queue (returns [])."""
    on = on or (timezone.localdate(at) if at is not None else timezone.localdate())
    seal = seal_or_none(SealKind.APPROVAL, on, case_body(case))
    if seal is None or actor is None or not seal_services.may_use(actor, seal, on):
        return []
    with transaction.atomic():
        return _authorise_case(actor=actor, case=case, seal=seal, on=on, at=at)


def authorise_case(*, actor: Any, case: Case | int,
                   at: dt.datetime | None = None) -> list[SealUse]:
    """From the 用印审批 queue: the head (or a delegate) authorises the approval seal on a
    decided case. Issues the licence first if the grant has none yet (idempotent: e.g. a
    case decided before the licence type existed). Raises the seal's errors: `SealForbidden`
    for someone who may not use the seal, `SealRuleViolation` for an undecided case or when
    no seal is set up. `at` (default now) dates the authorisation (the demo)."""
    from .services import issue_licence

    on = timezone.localdate(at) if at is not None else timezone.localdate()
    pk = case.pk if isinstance(case, Case) else int(case)
    seal = seal_services.seal_for(SealKind.APPROVAL, on,
                                  case_body(Case.objects.select_related("item").get(pk=pk)))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=pk)
        if not seal_services.may_use(actor, seal, on):
            raise SealForbidden(_("只有局长或经授权的用印人可以批准用印。"))
        if locked.state not in SEALABLE_STATES or not locked.outcome:
            raise SealRuleViolation(_("用印只能用于已作出决定的办件。"), code="case_not_decided")
        if locked.outcome == "granted" and locked.state in (CaseState.DECIDED,
                                                            CaseState.READY):
            issue_licence(case=locked, actor=actor)
        return _authorise_case(actor=actor, case=locked, seal=seal, on=on, at=at)


def authorise_document(*, actor: Any, document: CaseDocument | int) -> SealUse:
    """Authorise the acceptance seal on a notice (受理通知书, 补正材料通知书…) left unsigned
    because whoever issued it may not use the seal. Decision documents go through
    `authorise_case`."""
    doc = (document if isinstance(document, CaseDocument)
           else CaseDocument.objects.select_related("case").get(pk=document))
    if doc.kind in APPROVAL_DOCUMENTS:
        return authorise_case(actor=actor, case=doc.case)[0]
    on = timezone.localdate()
    seal = seal_services.seal_for(SealKind.ACCEPTANCE, on, case_body(doc.case))
    with transaction.atomic():
        use = seal_services.authorise_use(actor=actor, seal=seal, key=document_key(doc),
                                          case=doc.case, title=_document_title(doc), on=on)
        if use.state != SealUseState.SIGNED:
            _enqueue_after_commit([use.pk])
        return use


def on_document_issued(document: CaseDocument, actor: Any,
                       at: dt.datetime | None = None) -> SealUse | None:
    """A notice was issued (at `at`, default now): seal it with the acceptance seal if the
    person who issued it may use that seal; otherwise it stays unsigned and listed in the
    queue. Decision documents are covered by `request_case_seal` (the approval seal)."""
    if document.kind in APPROVAL_DOCUMENTS or actor is None:
        return None
    on = timezone.localdate(at) if at is not None else timezone.localdate()
    seal = seal_or_none(SealKind.ACCEPTANCE, on, case_body(document.case))
    if seal is None or not seal_services.may_use(actor, seal, on):
        return None
    use = seal_services.authorise_use(actor=actor, seal=seal, key=document_key(document),
                                      case=document.case, title=_document_title(document),
                                      on=on, at=at)
    if use.state != SealUseState.SIGNED:
        _enqueue_after_commit([use.pk])
    return use


def retry_use(*, actor: Any, use: SealUse | int) -> SealUse:
    """From the queue: try a failed (or stuck) use again, by someone who may use its seal."""
    row = use if isinstance(use, SealUse) else SealUse.objects.select_related("seal").get(
        pk=use)
    if not seal_services.may_use(actor, row.seal, timezone.localdate()):
        raise SealForbidden(_("只有局长或经授权的用印人可以重新签章。"))
    if row.state != SealUseState.SIGNED:
        _enqueue_after_commit([row.pk])
    return row


# --- signing ---------------------------------------------------------------------------

Box = tuple[int, float, float, float]
#: the sealed records of apps above this one (coordination's 转报材料包 and 勘察笔录): the key
#: prefix of their seal uses -> what renders the unsigned PDF and its seal box from the id
#: in the key. Registered from their AppConfig.ready() (`register_source`), so that one
#: signer, one worker task, one queue and one ledger serve them too.
_SOURCES: dict[str, Callable[[int], tuple[bytes, Box]]] = {}


def register_source(kind: str, render: Callable[[int], tuple[bytes, Box]]) -> None:
    """Let the signing worker sign seal uses keyed ``<kind>:<id>``: `render(id)` returns the
    unsigned PDF (deterministic: the same record gives the same bytes) and its seal box."""
    if kind in ("document", "licence"):
        raise ValueError(f"{kind!r} is the pipeline's own key")
    _SOURCES[kind] = render


def _source(use: SealUse) -> tuple[bytes, tuple[int, float, float, float]]:
    """The unsigned PDF the use seals, and where the seal goes on it."""
    kind, _sep, raw = use.key.partition(":")
    if kind == "document":
        rendered = documents.render(CaseDocument.objects.get(pk=int(raw)))
    elif kind == "licence":
        from .render import render_licence

        rendered = render_licence(Licence.objects.get(pk=int(raw)))
    elif kind in _SOURCES:
        return _SOURCES[kind](int(raw))
    else:
        raise SealRuleViolation(f"unknown seal use key {use.key!r}", code="unknown_key")
    box = rendered.seal_box
    return rendered.pdf, (box.page, box.x, box.y, box.size)


def case_is_sealed(case: Case) -> bool:
    """Every approval target of `case` is signed (and there is at least its decision)."""
    keys = [key for key, _title, _lic in approval_targets(case)]
    if not keys:
        return False
    signed = SealUse.objects.filter(key__in=keys, state=SealUseState.SIGNED).count()
    return signed == len(keys)


def mark_ready_if_sealed(case: Case | int | None, *, at: dt.datetime | None = None) -> bool:
    """Move a decided case to 已签章，待送达 once every approval use is signed."""
    if case is None:
        return False
    row = case if isinstance(case, Case) else Case.objects.filter(pk=case).first()
    if row is None or row.state != CaseState.DECIDED or not case_is_sealed(row):
        return False
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=row.pk)
        if locked.state != CaseState.DECIDED:  # someone else got there first
            return False
        case_mark_ready(case=locked, at=at)
    return True


def sign_one(use_id: int, *, at: dt.datetime | None = None) -> SealUse:
    """Sign one authorised use (idempotent), then mark its case ready if it was the last.
    Raises `SealSigningFailed` (the use is left FAILED, to retry) on a signing error.
    `at` (default now) places the signature and the case event in time (the demo)."""
    use = SealUse.objects.select_related("seal").get(pk=use_id)
    if at is not None and use.authorised_at is not None and at < use.authorised_at:
        at = use.authorised_at  # a document is never signed before its use was authorised
    if use.state != SealUseState.SIGNED:
        pdf, box = _source(use)
        use = seal_services.sign_use(use, pdf, box,
                                     reason=(SIGN_REASON.get(use.seal.kind, use.seal.name)
                                             if use.seal.key_label in SIGN_REASON
                                             else use.seal.name),  # a department's seal
                                     signing_time=at)
    mark_ready_if_sealed(use.case_id, at=at)
    return use


@task()
def sign_seal_use(use_id: int) -> str:
    """The background job: sign one authorised seal use (the ledger row `use_id`) and mark
    its case ready for delivery when it was the last. Idempotent: a retried or duplicated
    job finds the use signed and does nothing more (`sign_one`). Enqueued after commit; a
    failure leaves the use FAILED for the 用印审批 queue to retry."""
    use = sign_one(use_id)
    return f"{use.key} {use.state} {use.signed_sha256}"


def sign_pending(case: Case | int | None = None, *,
                 at: dt.datetime | None = None) -> list[SealUse]:
    """Sign, now and in this process, every AUTHORISED or FAILED use (of `case`, or all):
    for tests, the demo and `oneseal manage sign_pending`. A use that fails again is left
    FAILED and logged; the others go on."""
    qs = SealUse.objects.filter(state__in=PENDING_STATES).order_by("id")
    if case is not None:
        qs = qs.filter(case_id=case.pk if isinstance(case, Case) else int(case))
    done: list[SealUse] = []
    for use_id in list(qs.values_list("id", flat=True)):
        try:
            done.append(sign_one(use_id, at=at))
        except SealError as exc:
            log.warning("seal use %s not signed: %s", use_id, exc)
    return done
