"""Builders shared by the case service tests: drive a case through the services at fixed
days, snapshot what a refused operation must leave untouched, and check that a transition
wrote exactly one case event and one audit-chain event.

Dates are chosen against the real 2026 schedule (chinese_calendar):
- 09-05/06, 09-12/13, 09-19 weekends; **Sunday 09-20 is a make-up working day**;
- 09-25..09-27 Mid-autumn holiday; 10-01..10-07 National Day holiday;
- **Saturday 10-10 is a make-up working day**; 10-11 Sunday is a rest day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from oneseal.cases import services as svc
from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseStep,
    CheckStatus,
    StepState,
)
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent

from .conftest import at

__all__ = ["at", "day"]

VALID_ID = "11010519491231002X"  # a valid resident ID number (GB 11643 check digit)
BAD_ID = "110105194912310021"  # wrong check digit


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _pk(case: Case | int) -> int:
    return case if isinstance(case, int) else case.pk


def fresh(case: Case | int) -> Case:
    return Case.objects.get(pk=case if isinstance(case, int) else case.pk)


# --- snapshots ---------------------------------------------------------------------------

def snapshot(case: Case) -> dict[str, Any]:
    """What a refused operation must not change: the case row, its steps, its events and
    the audit chain."""
    row = fresh(case)
    return {
        "state": row.state,
        "revision": row.revision,
        "accepted_on": row.accepted_on,
        "statutory_due": row.statutory_due,
        "decided_on": row.decided_on,
        "outcome": row.outcome,
        "events": CaseEvent.objects.filter(case=row).count(),
        "audit": AuditEvent.objects.count(),
        "steps": sorted(CaseStep.objects.filter(case=row).values_list(
            "order", "round", "state", "assignee_id")),
        "notices": row.correction_notices.count(),
        "specials": row.special_procedures.count(),
        "extensions": sorted(row.extensions.values_list("id", "status")),
    }


@contextmanager
def unchanged(case: Case) -> Iterator[None]:
    """Assert that the block (expected to raise inside `pytest.raises`) changed nothing."""
    before = snapshot(case)
    try:
        yield
    finally:
        assert snapshot(case) == before


@contextmanager
def violates(code: str) -> Iterator[pytest.ExceptionInfo[RuleViolation]]:
    """`pytest.raises(RuleViolation)` that also checks which rule fired: its `code`."""
    with pytest.raises(RuleViolation) as info:
        yield info
    assert info.value.code == code, (
        f"rule {info.value.code!r} fired, expected {code!r}: {info.value.message}")


def one_event(op: str, fn: Callable[..., Any], case: Case, **kwargs: Any) -> Any:
    """Run a transition service and check it wrote exactly one CaseEvent (kind `op`) and
    one audit event (`case.<op>`, subject `case:<id>`)."""
    events = CaseEvent.objects.filter(case_id=case.pk).count()
    audit = AuditEvent.objects.count()
    result = fn(case=case, **kwargs)
    assert CaseEvent.objects.filter(case_id=case.pk).count() == events + 1
    assert AuditEvent.objects.count() == audit + 1
    last = CaseEvent.objects.filter(case_id=case.pk).order_by("-seq").first()
    assert last.kind == op
    audit_row = AuditEvent.objects.order_by("-seq").first()
    assert audit_row.kind == f"case.{op}"
    assert audit_row.subject == f"case:{case.pk}"
    return result


def chain_ok() -> bool:
    return verify_chain().ok


# --- builders ----------------------------------------------------------------------------

def submit(cast: dict, item: Any, person: Any = None, *, on: str = "2026-09-01",
           organisation: Any = None, actor: Any = None, variant: str = "01") -> Case:
    ref = svc.ApplicantRef(person_id=person.pk if person else None,
                           organisation_id=organisation.pk if organisation else None)
    case, created = svc.case_submit(actor=actor or cast["clerk"], item_id=item.pk,
                                    variant_code=variant, applicant=ref, at=at(on))
    assert created
    return case


def material(case: Case, name: str) -> CaseMaterial:
    return CaseMaterial.objects.get(case=case, name=name)


def check(case: Case, clerk: Any, *, defective: dict[str, str] | None = None,
          on: str | None = None) -> Case:
    """Check every material: required ones ok (shared when shareable), the optional one not
    needed, and those named in `defective` defective with their reason. On day `on`, by
    default the day of the case's last event."""
    defective = defective or {}
    results = []
    for m in CaseMaterial.objects.filter(case=case):
        if m.name in defective:
            results.append({"material": m.pk, "status": CheckStatus.DEFECTIVE,
                            "reason": defective[m.name]})
        elif not m.required:
            results.append({"material": m.pk, "status": CheckStatus.NOT_NEEDED, "reason": ""})
        elif m.shareable:
            results.append({"material": m.pk, "status": CheckStatus.SHARED, "reason": ""})
        else:
            results.append({"material": m.pk, "status": CheckStatus.OK, "reason": ""})
    if on is None:
        last = CaseEvent.objects.filter(case_id=case.pk).order_by("-seq").first()
        on = last.on.isoformat()
    return svc.case_check_materials(actor=clerk, case=case, results=results, at=at(on))


def document_text(document: Any) -> str:
    """The paragraphs of a legal document as the PDF prints them (without rendering)."""
    from django.utils import translation

    from oneseal.cases.pdf import texts

    ctx = dict(document.context or {})
    ctx.setdefault("details", {})
    with translation.override("zh-hans"):
        blocks = texts.BUILDERS[document.kind](ctx)
    return "\n".join(str(getattr(b, "text", b)) for b in blocks)


def accepted(cast: dict, item: Any, person: Any, *, on: str = "2026-09-01") -> Case:
    """A case submitted, checked and accepted on day `on` (now in review, step 2 open)."""
    case = submit(cast, item, person, on=on)
    check(case, cast["clerk"])
    return svc.case_accept(actor=cast["clerk"], case=case, at=at(on))


def current_step(case: Case) -> CaseStep | None:
    return (CaseStep.objects.filter(case_id=case.pk,
                                    state__in=[StepState.OPEN, StepState.CLAIMED])
            .order_by("order", "-round").first())


def claim(case: Case, user: Any, on: str) -> Case:
    return svc.case_claim(actor=user, case=case, at=at(on))


def complete(case: Case, user: Any, on: str, opinion: str = "agree", **kwargs: Any) -> Case:
    return svc.case_complete_step(actor=user, case=case, opinion=opinion, at=at(on), **kwargs)


def pass_step(case: Case, user: Any, on: str) -> Case:
    claim(case, user, on)
    return complete(case, user, on, comment="符合条件。")


def bureau_to_final(cast: dict, case: Case, *, days: tuple[str, str, str] =
                    ("2026-09-02", "2026-09-03", "2026-09-04")) -> Case:
    """Bureau chain 受理 → 审查 (reviewer) → 审核 (chief) → 批准 (head): pass 审查 and 审核,
    and let the head claim the final step."""
    pass_step(case, cast["reviewer"], days[0])
    pass_step(case, cast["chief"], days[1])
    return claim(case, cast["head"], days[2])


def hall_to_final(cast: dict, case: Case, *, days: tuple[str, str] =
                  ("2026-09-02", "2026-09-03")) -> Case:
    """Hall chain 受理 → 审查 (dept_officer) → 决定 (dept_officer): pass 审查 and claim 决定."""
    pass_step(case, cast["dept"], days[0])
    return claim(case, cast["dept"], days[1])


def decided(cast: dict, catalogue: Any, person: Any, *, on: str = "2026-09-07",
            outcome: str = "granted") -> Case:
    case = accepted(cast, catalogue.bureau_item, person)
    bureau_to_final(cast, case)
    reasons = "" if outcome == "granted" else "不符合法定条件。"
    return svc.case_decide(actor=cast["head"], case=case, outcome=outcome, reasons=reasons,
                           at=at(on))


# --- the seal (issue 6): a decision is delivered only once it is signed -------------------

def seal_case(cast: dict, case: Case | int, *, on: str | None = None) -> Case:
    """Sign a decided case as the signing worker would and return it ready for delivery
    (已签章，待送达). The head authorises the approval seal from the 用印审批 queue (a no-op
    when the decider was the head: the uses exist already), then every pending use of the
    case is signed in this process — on day `on` (by default the day of the case's last
    event), so that later operations placed in time stay in order. Needs the `seals`
    fixture (tests/conftest.py)."""
    import time_machine

    from oneseal.licences.signing import authorise_case, sign_pending

    if on is None:
        last = CaseEvent.objects.filter(case_id=_pk(case)).order_by("-seq").first()
        on = last.on.isoformat()
    with time_machine.travel(at(on, 11), tick=False):
        authorise_case(actor=cast["head"], case=case)
        sign_pending(case)
    row = fresh(case)
    assert row.state == "ready", row.state
    return row


def decide_and_seal(cast: dict, catalogue: Any, person: Any, *, on: str = "2026-09-07",
                    outcome: str = "granted") -> Case:
    """`decided`, then `seal_case`: a case the window may deliver."""
    return seal_case(cast, decided(cast, catalogue, person, on=on, outcome=outcome))
