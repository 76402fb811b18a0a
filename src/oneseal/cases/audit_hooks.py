"""What the cases add to the deep audit (``oneseal verify-audit --deep``, `core.audit_deep`):

- ``case_events``: every case event (办件记录) has its chain event — at its ``audit_seq``,
  of kind ``case.<kind>``, about ``case:<id>``, with the same case number, states, reason and
  data — and every chain event about a case has its case event (none deleted);
- ``case_rows``: every case row agrees with its events: its state is the state its last event
  left it in, and its revision counts its events.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, OuterRef, Subquery

from oneseal.core.audit_deep import Finding, chain_events, register_check

from .models import Case, CaseEvent

BATCH = 5_000


def _plain(data: Any) -> Any:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _events() -> Iterator[tuple[Any, ...]]:
    after = 0
    while True:
        rows = list(CaseEvent.objects.filter(pk__gt=after).order_by("pk").values_list(
            "pk", "case_id", "case__number", "seq", "kind", "state_from", "state_to", "reason",
            "data", "audit_seq")[:BATCH])
        if not rows:
            return
        yield from rows
        after = rows[-1][0]


def check_case_events() -> Iterator[Finding]:
    chain = {seq: (kind, subject, payload) for seq, kind, subject, payload
             in chain_events(kind_prefix="case.") if subject.startswith("case:")}
    seen: set[int] = set()
    for _pk, case_id, number, seq, kind, s_from, s_to, reason, data, audit_seq in _events():
        where = f"case:{case_id}#{seq}"
        if audit_seq is None or audit_seq not in chain:
            yield Finding("case_events", where, f"{number} {kind}: no chain event "
                          f"(audit_seq {audit_seq})")
            continue
        seen.add(audit_seq)
        c_kind, c_subject, payload = chain[audit_seq]
        wrong = [name for name, ours, theirs in (
            ("kind", f"case.{kind}", c_kind), ("subject", f"case:{case_id}", c_subject),
            ("number", number, payload.get("number")), ("from", s_from, payload.get("from")),
            ("to", s_to, payload.get("to")), ("reason", reason, payload.get("reason")),
            ("data", _plain(data), payload.get("data"))) if ours != theirs]
        if wrong:
            yield Finding("case_events", where, f"{number} {kind}: differs from chain event "
                          f"{audit_seq} in {', '.join(wrong)}")
    for seq in sorted(chain.keys() - seen):
        kind, subject, payload = chain[seq]
        yield Finding("case_events", subject, f"chain event {seq} ({kind}, "
                      f"{payload.get('number', '')}) has no case event: deleted")


def check_case_rows() -> Iterator[Finding]:
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-seq")
    rows = (Case.objects.annotate(n=Count("events"), top=Max("events__seq"),
                                  last_to=Subquery(last.values("state_to")[:1]))
            .values_list("pk", "number", "state", "revision", "n", "top", "last_to")
            .order_by("pk"))
    for pk, number, state, revision, n, top, last_to in rows.iterator(chunk_size=BATCH):
        if n and state != last_to:
            yield Finding("case_rows", f"case:{pk}", f"{number}: state {state}, but its last "
                          f"event left it {last_to}")
        if revision != n or (n and revision != top):
            yield Finding("case_rows", f"case:{pk}", f"{number}: revision {revision}, but "
                          f"{n} events (last seq {top})")


register_check("case_events", check_case_events)
register_check("case_rows", check_case_rows)
