"""What goes into a case's archival package (归档信息包的内容), read from the apps that hold
it; nothing here writes.

Layout of the payload (``data/``), after GB/T 42727-2023 《政务服务事项电子文件归档规范》's
split of a package into content (内容), structure and metadata (元数据):

``data/metadata.json``      archival metadata (归档元数据) with the elements' Chinese names
``data/documents/``         every legal document: the signed PDF byte for byte when sealed,
                            else the PDF rendered from its snapshot (file name says 未签章)
``data/licences/``          the signed licence PDFs issued on the case
``data/materials/``         the uploaded materials, under ``<sort>-<material name>/``
``data/records/case.json``  the case row (applicant with full ID data: the package is the
                            record; lists mask it)
``data/records/events.json``        the case history (办理记录)
``data/records/clocks.json``        every clock with its Chinese explanation (办理时限说明)
``data/records/seal-ledger.json``   the seal-ledger entries (用印登记)
``data/records/audit-events.json``  the audit-chain rows of the case (seq, hashes, payload)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from oneseal.cases.clocks import clock_views
from oneseal.cases.documents import document_filename, render_pdf
from oneseal.cases.models import Case, CaseEvent
from oneseal.core.models import AuditEvent
from oneseal.seal.ledger import document_key
from oneseal.seal.models import SealUse, SealUseState
from oneseal.seal.services import ledger_payload
from oneseal.seal.storage import read_signed

from .domain.bagit import BagFile


def as_json(value: Any) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2,
                      sort_keys=True).encode("utf-8")


def _safe_name(text: str) -> str:
    cleaned = "".join(ch for ch in text if ch not in '<>:"/\\|?*' and ch.isprintable())
    return cleaned.strip(". ") or "file"


def _case_record(case: Case) -> dict[str, Any]:
    applicant: dict[str, Any] = {"kind": case.applicant_kind, "name": case.applicant_name}
    if case.person_id:
        applicant.update(id_number=case.person.id_number, person_name=case.person.name)
    if case.organisation_id:
        applicant.update(credit_code=case.organisation.credit_code,
                         organisation_name=case.organisation.name)
    if case.agent_id:
        applicant["agent"] = {"name": case.agent.name, "id_number": case.agent.id_number}
    fields = ["number", "item_name", "variant_name", "channel", "state", "state_before_close",
              "on_the_spot", "received_at", "received_on", "accepted_on", "deemed_accepted",
              "decided_on", "outcome", "decision_reasons", "delivered_on", "closed_on",
              "close_reason", "competent_agency", "statutory_due", "promised_due",
              "delivery_due", "calendar_version", "form_data", "delivery_wanted",
              "delivery_address"]
    record = {name: getattr(case, name) for name in fields}
    record.update(applicant=applicant, item_code=case.item.implementation_code,
                  department=case.department.name)
    return record


def _events(case: Case) -> list[dict[str, Any]]:
    return list(CaseEvent.objects.filter(case=case).order_by("seq").values(
        "seq", "kind", "on", "at", "actor_name", "state_from", "state_to", "reason", "data",
        "audit_seq"))


def _clocks(case: Case) -> list[dict[str, Any]]:
    as_of = case.closed_on or case.delivered_on or dt.date.today()
    return [{"kind": v.kind, "label": v.label, "start": v.start, "due": v.due,
             "stopped_on": v.stopped_on, "on_time": v.on_time, "step": v.step,
             "provisional_years": list(v.provisional_years), "explanation": v.explanation}
            for v in clock_views(case, as_of=as_of)]


def _audit(case: Case) -> list[dict[str, Any]]:
    return [{"seq": e.seq, "prev_hash": e.prev_hash, "hash": e.hash, "at": e.at,
             "actor_id": e.actor_id, "actor_name": e.actor_name, "kind": e.kind,
             "subject": e.subject, "payload": e.payload_json}
            for e in AuditEvent.objects.filter(subject=f"case:{case.pk}").order_by("seq")]


def collect(case: Case, metadata: dict[str, Any]) -> list[BagFile]:
    """Every payload file of the package of `case` (see the module docstring)."""
    uses = {u.key: u for u in SealUse.objects.filter(case=case).select_related(
        "seal", "case", "certificate", "authorised_by").order_by("id")}
    files: list[BagFile] = [BagFile("metadata.json", as_json(metadata))]
    names: set[str] = set()

    def add(path: str, data: bytes) -> None:
        stem, dot, ext = path.rpartition(".")
        candidate, n = path, 1
        while candidate in names:
            n += 1
            candidate = f"{stem}-{n}{dot}{ext}" if dot else f"{path}-{n}"
        names.add(candidate)
        files.append(BagFile(candidate, data))

    for document in case.documents.order_by("id"):
        use = uses.get(document_key(document.pk))
        signed = (read_signed(use.signed_sha256)
                  if use is not None and use.state == SealUseState.SIGNED else None)
        name = _safe_name(document_filename(document))
        if signed is None:
            add("documents/" + name.replace(".pdf", "-" + _("未签章") + ".pdf"),
                render_pdf(document))
        else:
            add("documents/" + name, signed)
    for key, use in uses.items():
        if key.startswith("licence:") and use.state == SealUseState.SIGNED:
            data = read_signed(use.signed_sha256)
            if data is not None:
                add(f"licences/{_safe_name(use.title)}-{key.split(':')[1]}.pdf", data)
    for upload in case.files.select_related("material").order_by("id"):
        folder = (f"{upload.material.sort:02d}-{_safe_name(upload.material.name)}"
                  if upload.material_id else _safe_name(upload.purpose))
        with upload.file.open("rb") as handle:
            add(f"materials/{folder}/{_safe_name(upload.name)}", handle.read())
    add("records/case.json", as_json(_case_record(case)))
    add("records/events.json", as_json(_events(case)))
    add("records/clocks.json", as_json(_clocks(case)))
    add("records/seal-ledger.json", as_json(
        [{"key": key, "state": use.state, **ledger_payload(use)} for key, use in uses.items()]))
    add("records/audit-events.json", as_json(_audit(case)))
    return files
