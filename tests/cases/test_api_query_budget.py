"""The statements of each write operation through the API are pinned (issue 19): a
receiver, a repeated read or a lazy relation added later fails here instead of silently
slowing every case down. The budgets are today's counts (the same on SQLite and
PostgreSQL); lower them when a cut lands, raise them only with a reason in the commit."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oneseal.licences.signing import sign_pending

from .conftest import at
from .test_api import Caller, all_good, create_body, ok

pytestmark = pytest.mark.django_db

# operation: (statements at most with the full answer, with `Prefer: return=minimal`); the
# claim grows by one per claim of the same case (the answer lists more steps and events)
BUDGET: dict[str, tuple[int, int]] = {
    "submit": (56, 46),
    "check-materials": (27, 15),
    "accept": (58, 48),
    "claim": (39, 25),
    "complete-step": (34, 21),
    "decide": (74, 61),
    "sign": (49, 49),
    "deliver": (51, 41),
}


@pytest.fixture
def api(client, cast) -> Caller:
    return Caller(client)


@pytest.mark.parametrize("minimal", [False, True], ids=["full", "minimal"])
def test_each_operation_of_a_lifecycle_stays_within_its_statement_budget(
        api, cast, catalogue, person, seals, minimal):
    headers = {"Prefer": "return=minimal"} if minimal else None
    counts: dict[str, list[int]] = {}

    def run(op: str, call: Any) -> Any:
        with CaptureQueriesContext(connection) as seen:
            result = call()
        counts.setdefault(op, []).append(len(seen))
        return result

    with time_machine.travel(at("2026-09-01"), tick=False):
        # warm-up: a first submission fills the per-process caches, whichever test ran before
        ok(api.post("clerk", "/cases", create_body(catalogue.bureau_item, person), headers), 201)
        created = run("submit", lambda: ok(api.post(
            "clerk", "/cases", create_body(catalogue.bureau_item, person), headers), 201))
        cid = created["id"]
        run("check-materials", lambda: ok(api.post(
            "clerk", f"/cases/{cid}/check-materials", {"results": all_good(created)},
            headers)))
        run("accept", lambda: ok(api.post("clerk", f"/cases/{cid}/accept", None, headers)))
        for who in ("reviewer", "chief"):
            run("claim", lambda who=who: ok(api.post(who, f"/cases/{cid}/claim", None,
                                                     headers)))
            run("complete-step", lambda who=who: ok(api.post(
                who, f"/cases/{cid}/complete-step", {"opinion": "agree", "comment": "符合。"},
                headers)))
        run("claim", lambda: ok(api.post("head", f"/cases/{cid}/claim", None, headers)))
        run("decide", lambda: ok(api.post("head", f"/cases/{cid}/decide",
                                          {"outcome": "granted"}, headers)))
        run("sign", lambda: sign_pending(cid))
        delivered = run("deliver", lambda: ok(api.post(
            "clerk", f"/cases/{cid}/deliver",
            {"method": "electronic", "address": "a@example.org"}, headers)))
    assert delivered["state"] == "delivered"
    over = {op: (max(c), BUDGET[op][minimal]) for op, c in counts.items()
            if max(c) > BUDGET[op][minimal]}
    assert not over, f"statements over budget (found, budget): {over}"


def test_the_case_detail_reads_each_relation_once(api, cast, catalogue, person, seals):
    """The detail after an operation (and GET) prefetches the steps, events, documents,
    extensions and the seal ledger, and the clocks, the open step, the offered actions and
    the licences read those rows (issue 19: the steps were read 3 times, the events, the
    documents and the ledger twice)."""
    with time_machine.travel(at("2026-09-01"), tick=False):
        created = ok(api.post("clerk", "/cases", create_body(catalogue.bureau_item, person)),
                     201)
        cid = created["id"]
        ok(api.post("clerk", f"/cases/{cid}/check-materials", {"results": all_good(created)}))
        ok(api.post("clerk", f"/cases/{cid}/accept", None))
        ok(api.post("reviewer", f"/cases/{cid}/claim", None))
        with CaptureQueriesContext(connection) as seen:
            detail = ok(api.get("reviewer", f"/cases/{cid}"))
    tables = ["cases_casestep", "cases_caseevent", "cases_casedocument",
              "cases_extensionrequest", "seal_sealuse", "workcalendar_calendaryear"]
    reads = {t: sum(f'FROM "{t}"' in q["sql"] for q in seen.captured_queries) for t in tables}
    assert reads == dict.fromkeys(tables, 1)
    # what the prefetched rows answer is what the table holds
    assert [s["state"] for s in detail["steps"]].count("claimed") == 1
    assert [e["seq"] for e in detail["events"]] == sorted(e["seq"] for e in detail["events"])
    assert len(detail["documents"]) >= 1 and detail["clocks"]
    assert "complete_step" in {a["code"] for a in detail["allowed_actions"]}
