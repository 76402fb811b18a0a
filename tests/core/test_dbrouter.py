"""The replica router (oneseal.core.dbrouter), tested with two aliases pointing at the same
database: `replica` is a second connection to the test database, so every query can be
traced to the alias that ran it."""

from __future__ import annotations

import pytest
from django.db import connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oneseal.accounts.models import User
from oneseal.accounts.services import create_token
from oneseal.cases.models import Case
from oneseal.core.dbrouter import REPLICA, ReplicaRouter, replica_reads

# `replica`: the test database again, as a mirror (set up with the test databases; harmless
# to the other tests, which never route to it)
connections.settings.setdefault(REPLICA, {**connections.settings["default"],
                                          "TEST": {"MIRROR": "default"}})

# no test transaction: the router keeps every read inside an open transaction on the primary
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture
def replica(settings):
    """The router on, and the replica's connection."""
    settings.DATABASE_ROUTERS = ["oneseal.core.dbrouter.ReplicaRouter"]
    return connections[REPLICA]


def _tables(captured: CaptureQueriesContext) -> str:
    return " ".join(q["sql"] for q in captured.captured_queries)


def test_no_replica_configured_everything_on_the_primary(monkeypatch):
    monkeypatch.setattr("oneseal.core.dbrouter.replica_configured", lambda: False)
    with replica_reads():
        assert ReplicaRouter().db_for_read(Case) is None


def test_reads_in_replica_block_go_to_the_replica(replica):
    with replica_reads():
        assert router.db_for_read(Case) == REPLICA
        assert Case.objects.all()._db is None  # chosen when it runs
        with CaptureQueriesContext(replica) as on_replica:
            list(Case.objects.all()[:5])
    assert "cases_case" in _tables(on_replica)
    assert router.db_for_read(Case) == "default"  # outside the block


def test_pinned_apps_and_open_transactions_stay_on_the_primary(replica):
    with replica_reads():
        assert router.db_for_read(User) == "default"  # accounts: a login just written
        with transaction.atomic():  # a service's reads before its writes
            assert router.db_for_read(Case) == "default"
        assert router.db_for_write(Case) == "default"
    assert not ReplicaRouter().allow_migrate(REPLICA, "cases")
    assert ReplicaRouter().allow_migrate("default", "cases")


def test_case_list_get_reads_cases_on_the_replica_token_on_the_primary(replica, cast):
    token = create_token(actor=None, user=cast["clerk"], name="t")[0]
    client = Client()
    with CaptureQueriesContext(replica) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert "cases_case" in _tables(on_replica)
    assert "accounts_apitoken" not in _tables(on_replica)
    assert "accounts_apitoken" in _tables(on_primary)
    assert "cases_case" not in _tables(on_primary)


def test_post_and_views_not_listed_read_on_the_primary(replica, cast):
    token = create_token(actor=None, user=cast["clerk"], name="t")[0]
    client = Client()
    with CaptureQueriesContext(replica) as on_replica:
        client.post("/api/v1/cases", data="{}", content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}")
        client.get("/api/v1/cases/1", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert on_replica.captured_queries == []
