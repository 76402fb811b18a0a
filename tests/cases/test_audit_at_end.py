"""The case services append their audit events at the end of their transaction (issue 19):
each case event's `audit_seq` names its own chain event, filled in by the final section,
and the deep audit (`check_case_events`) finds nothing."""

from __future__ import annotations

import pytest

from oneseal.cases import services as svc
from oneseal.cases.audit_hooks import check_case_events
from oneseal.cases.errors import RuleViolation
from oneseal.cases.models import CaseEvent
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent

from .helpers import accepted, at, claim, complete

pytestmark = pytest.mark.django_db


def test_every_case_event_names_its_chain_event(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    claim(case, cast["reviewer"], "2026-09-02")
    complete(case, cast["reviewer"], "2026-09-03")
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert [e.kind for e in events][:2] == ["submit", "check_materials"]
    for event in events:
        chain = AuditEvent.objects.get(seq=event.audit_seq)
        assert (chain.kind, chain.subject) == (f"case.{event.kind}", f"case:{case.pk}")
        assert chain.payload["to"] == event.state_to
    assert list(check_case_events()) == []
    assert verify_chain().ok


def test_a_refused_operation_appends_nothing(cast, catalogue, person):
    """An opinion the service refuses rolls back the whole operation: its audit event was
    only queued, so nothing reaches the chain and the head does not move."""
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    claim(case, cast["reviewer"], "2026-09-02")
    chain = list(AuditEvent.objects.values_list("seq", "hash"))
    with pytest.raises(RuleViolation):
        svc.case_complete_step(actor=cast["reviewer"], case=case, opinion="bogus",
                               at=at("2026-09-03"))
    assert list(AuditEvent.objects.values_list("seq", "hash")) == chain
    assert verify_chain().ok

