"""审核转报 (行政许可法 第43条): for items the district only reviews and forwards (item type
审核转报), the lower agency reviews within **20 working days** of accepting the application
and then forwards **all the materials directly** to the upper agency, which does not ask the
applicant for them again. The file package is a zip of the case's materials and documents
with a manifest (each file's name, size and SHA-256) whose own SHA-256 is recorded in the
audit chain; its cover (转报材料包, the opinion and every file's SHA-256) is a PDF sealed with
the bureau's seal (`sealing`), verifiable on the public page; the upper agency's receipt and
its decision are then recorded."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.cases.models import Case
from oneseal.core.audit import append_event

from . import sealing
from .common import Forbidden, NotFound, Refused, calendar, is_bureau, is_provisional, moment
from .domain.clocks import clock_light, forward_due
from .models_forwarding import Forwarding, ForwardState
from .review import policy_of

FORWARD_ITEM_TYPE = "review_forward"
ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed entry times: the same files give the same zip


def _check(actor: Any) -> None:
    if not is_bureau(actor):
        raise Forbidden(_("只有审批局的科长或局长可以办理审核转报。"))


def start(*, actor: Any, case_id: int, upper_authority: str = "") -> Forwarding:
    """Open the forwarding of an accepted case of a 审核转报 item; the review clock runs 20
    working days from acceptance (第43条)."""
    _check(actor)
    case = Case.objects.select_related("version").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("办件不存在。"))
    if case.version.item_type != FORWARD_ITEM_TYPE:
        raise Refused(_("该事项不是审核转报事项。"), code="not_forwarded_item")
    if case.accepted_on is None:
        raise Refused(_("办件尚未受理。"), code="not_accepted")
    policy = policy_of(case.item_id)
    upper = (upper_authority or (policy.upper_authority if policy else "")).strip()
    if not upper:
        raise Refused(_("请填写上级机关。"), code="upper_required")
    if Forwarding.objects.filter(case=case).exists():
        raise Refused(_("该办件已登记转报。"), code="already_started", status=409)
    due = forward_due(calendar(), case.accepted_on)
    with transaction.atomic():
        row = Forwarding.objects.create(case=case, upper_authority=upper, review_due=due,
                                        due_provisional=is_provisional(due), created_by=actor)
        append_event(actor=actor, kind="coordination.forward_start", subject=f"case:{case.pk}",
                     payload={"upper": upper, "review_due": due.isoformat()})
        return row


def light(row: Forwarding, today: dt.date) -> str:
    return clock_light(calendar(), row.review_due, today, row.forwarded_on)


def build_package(case: Case, opinion: str) -> tuple[bytes, dict[str, Any]]:
    """The zip and its manifest: every material file of the case, the fixed content of each
    legal document issued on it (as JSON), and a summary with the review opinion."""
    files: list[tuple[str, bytes]] = []
    for f in case.files.order_by("id"):
        with f.file.open("rb") as fh:
            files.append((f"materials/{f.pk}-{f.name}", fh.read()))
    for d in case.documents.order_by("id"):  # each legal document's fixed content
        files.append((f"documents/{d.pk}-{d.kind}.json", json.dumps(
            {"kind": d.kind, "number": d.number, "issued_on": d.issued_on.isoformat(),
             "context": d.context}, ensure_ascii=False, sort_keys=True, indent=1,
            default=str).encode()))
    summary = {"number": case.number, "item": case.item_name, "applicant": case.applicant_name,
               "accepted_on": case.accepted_on.isoformat() if case.accepted_on else "",
               "review_opinion": opinion}
    files.append(("case.json", json.dumps(summary, ensure_ascii=False, sort_keys=True,
                                          indent=1).encode()))
    manifest = {"case": case.number, "files": [
        {"path": p, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()} for p, b in files]}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in [*files, ("manifest.json", json.dumps(
                manifest, ensure_ascii=False, sort_keys=True, indent=1).encode())]:
            z.writestr(zipfile.ZipInfo(path, date_time=ZIP_DATE), data)
    return buf.getvalue(), manifest


def forward(*, actor: Any, forwarding_id: int, opinion: str,
            at: dt.datetime | None = None) -> Forwarding:
    """转报: the package goes up with the review opinion; late forwarding is recorded red."""
    _check(actor)
    with transaction.atomic():
        row = Forwarding.objects.select_for_update().filter(pk=forwarding_id).first()
        if row is None:
            raise NotFound(_("转报记录不存在。"))
        if row.state != ForwardState.REVIEWING:
            raise Refused(_("该办件已转报。"), code="already_forwarded", status=409)
        opinion = (opinion or "").strip()
        if not opinion:
            raise Refused(_("请填写初审意见。"), code="opinion_required")
        now, today = moment(at)
        data, manifest = build_package(row.case, opinion)
        digest = hashlib.sha256(data).hexdigest()
        row.package.save(f"forward-{row.case.number}-{digest[:12]}.zip", ContentFile(data),
                         save=False)
        row.package_sha256, row.manifest, row.review_opinion = digest, manifest, opinion
        row.state, row.forwarded_on, row.forwarded_by = ForwardState.FORWARDED, today, actor
        row.save()
        append_event(actor=actor, kind="coordination.forward", subject=f"case:{row.case_id}",
                     payload={"upper": row.upper_authority, "sha256": digest,
                              "files": len(manifest["files"]),
                              "late": today > row.review_due})
        sealing.request_seal(actor=actor, key=sealing.forwarding_key(row.pk), at=now)
        return row


def record_receipt(*, actor: Any, forwarding_id: int, receipt_number: str,
                   received_on: dt.date) -> Forwarding:
    _check(actor)
    with transaction.atomic():
        row = Forwarding.objects.select_for_update().filter(pk=forwarding_id).first()
        if row is None:
            raise NotFound(_("转报记录不存在。"))
        if row.state != ForwardState.FORWARDED:
            raise Refused(_("尚未转报或已登记签收。"), code="wrong_state", status=409)
        receipt_number = (receipt_number or "").strip()
        if not receipt_number:
            raise Refused(_("请填写签收回执号。"), code="receipt_required")
        if row.forwarded_on and received_on < row.forwarded_on:
            raise Refused(_("签收日期不能早于转报日期。"), code="invalid_date")
        row.receipt_number, row.received_on = receipt_number, received_on
        row.state = ForwardState.RECEIVED
        row.save()
        append_event(actor=actor, kind="coordination.forward_receipt",
                     subject=f"case:{row.case_id}",
                     payload={"receipt": receipt_number, "on": received_on.isoformat()})
        return row


def record_upper_decision(*, actor: Any, forwarding_id: int, outcome: str, document: str,
                          decided_on: dt.date) -> Forwarding:
    _check(actor)
    with transaction.atomic():
        row = Forwarding.objects.select_for_update().filter(pk=forwarding_id).first()
        if row is None:
            raise NotFound(_("转报记录不存在。"))
        if row.state != ForwardState.RECEIVED:
            raise Refused(_("上级机关签收后才能登记其决定。"), code="wrong_state", status=409)
        if outcome not in ("granted", "refused"):
            raise Refused(_("上级决定只能是准予许可或不予许可。"), code="invalid_outcome")
        document = (document or "").strip()
        if not document:
            raise Refused(_("请填写上级决定文号。"), code="document_required")
        if row.received_on and decided_on < row.received_on:
            raise Refused(_("决定日期不能早于签收日期。"), code="invalid_date")
        row.upper_outcome, row.upper_document, row.upper_decided_on = outcome, document, decided_on
        row.state = ForwardState.DECIDED
        row.save()
        append_event(actor=actor, kind="coordination.forward_decision",
                     subject=f"case:{row.case_id}",
                     payload={"outcome": outcome, "document": document,
                              "on": decided_on.isoformat(),
                              "at": timezone.now().isoformat()})
        return row
