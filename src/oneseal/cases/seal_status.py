"""What the seal has done to a case's documents and licence, for the case page and the API.

The case workflow knows nothing of the seal; these pages read what the seal did. The
licence library builds on cases, so its rows are read through the reverse relations it
declares on `Case` — `case.licences` (licences.Licence) — as are the seal ledger's
(`case.seal_uses`, seal.SealUse, 用印登记). A use is keyed by `oneseal.seal.ledger`:
`document:<id>` for a written document, `licence:<id>` for a licence.

Status of a document: 已签章 (signed, with a link to the signed PDF), 签章失败 (failed; the
用印审批 queue retries it), or 待签章 (authorised and waiting for the worker, or waiting for
someone allowed to use the seal to authorise it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from oneseal.seal.ledger import document_key, licence_key
from oneseal.seal.services import signed_pdf

from .models import Case, CaseDocument

SIGNED, FAILED, PENDING = "signed", "failed", "pending"


@dataclass(frozen=True)
class SealStatus:
    state: str  # signed | failed | pending
    label: str
    signed_sha256: str = ""
    seal_use_id: int | None = None

    @property
    def signed(self) -> bool:
        return self.state == SIGNED


def _status(use: dict[str, Any] | None) -> SealStatus:
    if use is None:
        return SealStatus(PENDING, _("待签章"))
    if use["state"] == SIGNED:
        return SealStatus(SIGNED, _("已签章"), use["signed_sha256"], use["id"])
    if use["state"] == FAILED:
        return SealStatus(FAILED, _("签章失败"), "", use["id"])
    return SealStatus(PENDING, _("待签章"), "", use["id"])


def seal_uses(case: Case) -> dict[str, dict[str, Any]]:
    """The seal ledger's rows of `case` by key (read once, for `document_statuses` and
    `licences` alike)."""
    manager = getattr(case, "seal_uses", None)
    if manager is None:  # the seal app is not installed
        return {}
    return {row["key"]: row for row in manager.values("id", "key", "state", "signed_sha256")}


def document_statuses(case: Case, uses: dict[str, dict[str, Any]] | None = None,
                      document_ids: list[int] | None = None) -> dict[int, SealStatus]:
    """The seal status of each written document of `case`, by document id (`uses` and
    `document_ids` when the caller has read them already)."""
    uses = seal_uses(case) if uses is None else uses
    if document_ids is None:
        document_ids = list(case.documents.values_list("id", flat=True))
    return {doc_id: _status(uses.get(document_key(doc_id))) for doc_id in document_ids}


def signed_document(case: Case, document_id: int) -> tuple[CaseDocument, bytes] | None:
    """Document `document_id` of `case` and its signed PDF (the bytes the seal ledger
    recorded), or None while it is not signed — for the page and the API alike."""
    document = CaseDocument.objects.filter(pk=document_id, case=case).first()
    use = (case.seal_uses.filter(key=document_key(document_id), state=SIGNED).first()
           if document is not None else None)
    if document is None or use is None:
        return None
    return document, signed_pdf(use)


@dataclass(frozen=True)
class LicenceInfo:
    id: int
    identifier: str
    number: str
    name: str
    state: str
    seal: SealStatus


def licences(case: Case, uses: dict[str, dict[str, Any]] | None = None) -> list[LicenceInfo]:
    """The licences issued on `case` (电子证照), with the seal status of each."""
    manager = getattr(case, "licences", None)
    if manager is None:  # the licence library is not installed
        return []
    uses = seal_uses(case) if uses is None else uses
    return [LicenceInfo(row["id"], row["identifier"], row["number"], row["name"], row["state"],
                        _status(uses.get(licence_key(row["id"]))))
            for row in manager.order_by("id").values("id", "identifier", "number", "name",
                                                     "state")]
