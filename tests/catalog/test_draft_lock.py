"""Editing a draft locks the draft's row only, not its item (issue 19): the item row is
shared by every version and every case of the item, and locking it with the draft is the
pattern that deadlocked the case services under 4 writers (a joined row locked by accident,
waited on at COMMIT by deferred foreign-key checks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from oneseal.catalog import services
from oneseal.catalog.models import Item

from .helpers import build_draft


@pytest.mark.django_db(transaction=True)
def test_editing_a_draft_leaves_its_item_row_free(org):
    draft = build_draft(None, org["dept-env"])
    with transaction.atomic(), CaptureQueriesContext(connection) as seen:
        locked = services._lock_draft(draft)
        assert locked.item.pk == draft.item_id  # the item comes with it, unlocked
        lock_sql = [q["sql"] for q in seen.captured_queries if "FOR UPDATE" in q["sql"]]
        if connection.vendor != "postgresql":  # SQLite: BEGIN IMMEDIATE, no row locks
            assert lock_sql == []
            return
        assert len(lock_sql) == 1
        assert lock_sql[0].endswith('FOR UPDATE OF "catalog_itemversion"')
        free: list[bool] = []

        def other() -> None:  # another transaction locks the item at once (NOWAIT)
            try:
                with transaction.atomic():
                    free.append(Item.objects.select_for_update(nowait=True)
                                .filter(pk=draft.item_id).exists())
            finally:
                connections.close_all()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=60)
        assert free == [True]
