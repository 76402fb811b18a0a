"""The keys of the seal ledger (用印登记): what a `SealUse` seals, as one string that makes
authorising and signing it idempotent (`SealUse.key` is unique).

- ``document:<id>``: a written legal document of a case (`cases.CaseDocument`);
- ``licence:<id>``: an electronic licence (`licences.Licence`).

Everyone who writes or looks up a use builds its key here: the signing pipeline, the case
page and API (the signed PDF, the seal status of each document) and the 用印审批 queue,
which builds the same key in SQL."""

from __future__ import annotations

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat

DOCUMENT = "document:"
LICENCE = "licence:"


def _pk(thing: object) -> int:
    return thing if isinstance(thing, int) else int(thing.pk)  # type: ignore[attr-defined]


def document_key(document: object) -> str:
    """The key of a case document (a `CaseDocument` or its id)."""
    return f"{DOCUMENT}{_pk(document)}"


def licence_key(licence: object) -> str:
    """The key of a licence (a `Licence` or its id)."""
    return f"{LICENCE}{_pk(licence)}"


def document_key_sql(field: str = "id") -> Concat:
    """`document_key` of the document id in `field`, as a query expression (to join the
    ledger in SQL: ``SealUse.objects.filter(key=OuterRef(...))``)."""
    return Concat(Value(DOCUMENT), Cast(F(field), CharField()), output_field=CharField())
