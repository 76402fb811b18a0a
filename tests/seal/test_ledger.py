"""The seal ledger's keys (用印登记, `oneseal.seal.ledger`): one home, the same in Python and
in SQL."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oneseal.accounts.models import User
from oneseal.seal.ledger import document_key, document_key_sql, licence_key


def test_keys_of_a_document_and_a_licence_by_id_or_object():
    assert document_key(12) == document_key(SimpleNamespace(pk=12)) == "document:12"
    assert licence_key(7) == licence_key(SimpleNamespace(pk=7)) == "licence:7"


@pytest.mark.django_db
def test_the_sql_key_equals_the_python_key(cast):
    clerk = cast["clerk"]
    key = (User.objects.filter(pk=clerk.pk).annotate(key=document_key_sql("pk"))
           .values_list("key", flat=True).get())
    assert key == document_key(clerk.pk)
