"""The written documents the law requires (法律文书) of a case.

`issue_document` is called by the services inside their transaction, at the transition that
requires the document: it numbers the document and saves the snapshot (`context`) it will
always be rendered from. It is cheap: nothing is rendered there. `render_pdf` renders the
snapshot with reportlab (`pdf/`): a formal Chinese A4 document that cites the statute,
addressed to the applicant by name, with the issuer's name and the date at the bottom right
over a blank area left for the seal, which the seal issue applies when it signs.

The snapshot holds the applicant's name but never an identity number (of the applicant or of
a person collecting the result): a document may be shown, printed and archived widely.

Who issues: every document is in the name of the body that exercises the case's item (行政许可
法 第25条): the bureau for the items transferred to it (统一受理、统一送达, 第26条), the
department for an item it keeps in the hall, which accepts and decides it in its own name.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.translation import gettext as _

from oneseal.core import fonts

from .models import Case, CaseDocument, CheckStatus, DocumentKind
from .pdf import layout, texts

SCHEMA = 1
ONLINE_APPLY_DEPTH = 3  # 网办深度 三级: the online hall takes applications and uploads
DEFAULT_ISSUER = "行政审批局"

# Short letter codes of the document number (pinyin initials of the document's name).
CODES: dict[str, str] = {
    DocumentKind.ACCEPTANCE_NOTICE: "SL",  # 受理
    DocumentKind.REFUSAL_NOTICE: "BSL",  # 不受理
    DocumentKind.CORRECTION_NOTICE: "BZ",  # 补正
    DocumentKind.SPECIAL_NOTICE: "TB",  # 特别程序
    DocumentKind.EXTENSION_NOTICE: "YQ",  # 延期
    DocumentKind.HEARING_NOTICE: "TZ",  # 听证
    DocumentKind.GRANT_DECISION: "XK",  # 许可
    DocumentKind.REFUSAL_DECISION: "BXK",  # 不许可
    DocumentKind.DELIVERY_RECEIPT: "SD",  # 送达
}
DECISIONS = {DocumentKind.GRANT_DECISION, DocumentKind.REFUSAL_DECISION}
REFUSALS = {DocumentKind.REFUSAL_NOTICE, DocumentKind.REFUSAL_DECISION}
_SECRET_KEYS = ("id_number", "id_no", "identity")


def _title(kind: str) -> str:
    with translation.override("zh-hans"):
        return str(DocumentKind(kind).label)


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _bureau_name() -> str:
    from oneseal.org.selectors import bureau

    unit = bureau()
    return unit.name if unit is not None else DEFAULT_ISSUER


def _issuer(case: Case, kind: str, bureau_name: str) -> str:
    """The body in whose name the document is issued: the body that exercises the case's item
    on the day it was received (行政许可法 第25条) — the bureau for a transferred item, the
    department for an item it keeps in the hall (its notices and decisions alike)."""
    from oneseal.catalog.selectors import implementing_body

    body = implementing_body(case.item, case.received_on)
    return body.name or bureau_name


def _clean(value: Any) -> Any:
    """`details` as plain JSON, without any identity number."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()
                if not any(secret in str(k).lower() for secret in _SECRET_KEYS)}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _delivered_documents(case: Case) -> list[dict[str, str]]:
    """The decision(s) delivered with a 送达回证 (the latest of each kind)."""
    found: dict[str, dict[str, str]] = {}
    for doc in case.documents.filter(kind__in=DECISIONS).order_by("id"):
        found[doc.kind] = {"title": doc.context.get("title") or _title(doc.kind),
                           "number": doc.number}
    return list(found.values())


def _hand_in(case: Case, actor: Any) -> dict[str, Any]:
    """Where, when and how the applicant hands in the corrections, and whom to ask (补正材料
    通知书, 第32条): the item's window, address, hours and phone (the hall's when the item
    gives none), whether the online hall takes uploads, and the clerk who issued the notice."""
    version = case.version
    name = (getattr(actor, "display_name", "") or actor.get_username()) if actor else ""
    return {
        "window": version.window,
        "address": version.address or settings.ONESEAL_HALL_ADDRESS,
        "hours": version.hours or settings.ONESEAL_HALL_HOURS,
        "phone": version.phone or settings.ONESEAL_HALL_PHONE,
        "online": version.online_depth >= ONLINE_APPLY_DEPTH,
        "contact": name[:50],
    }


def build_context(*, case: Case, kind: str, on: dt.date, number: str,
                  details: dict[str, Any], actor: Any = None) -> dict[str, Any]:
    """The snapshot of everything the document shows (see the module docstring)."""
    bureau_name = _bureau_name()
    version = case.version
    clean = json.loads(json.dumps(_clean(details or {}), cls=DjangoJSONEncoder))
    context: dict[str, Any] = {
        "schema": SCHEMA,
        "kind": kind,
        "title": _title(kind),
        "number": number,
        "issued_on": on.isoformat(),
        "bureau": bureau_name,
        "issuer": _issuer(case, kind, bureau_name),
        "case_number": case.number,
        "item_name": case.item_name,
        "variant_name": case.variant_name,
        "applicant_name": case.applicant_name,
        "applicant_kind": case.applicant_kind,
        "received_on": _iso(case.received_on),
        "accepted_on": _iso(case.accepted_on),
        "deemed_accepted": bool(case.deemed_accepted),
        "decided_on": _iso(case.decided_on),
        "outcome": case.outcome,
        "joint": bool(case.joint),
        "joint_kind": case.joint_kind,  # 统一办理、联合办理、集中办理 (第26条)
        "statutory_limit_days": version.statutory_limit_days,
        # the item's own limit (行政许可法 第42条 "法律、法规另有规定的，依照其规定")
        "statutory_limit_unit": version.statutory_limit_unit,
        "statutory_limit_start": version.statutory_limit_start,
        "statutory_limit_text": version.statutory_limit_text(),
        "statutory_limit_basis": version.statutory_limit_basis,
        "promised_limit_days": version.promised_limit_days,
        "statutory_due": _iso(case.statutory_due),
        "promised_due": _iso(case.promised_due),
        # 暂定 (law.md §1): a legal document never prints a provisional date.
        "provisional_dues": {k: list(v) for k, v in (case.provisional_dues or {}).items()},
        "hall": {"address": settings.ONESEAL_HALL_ADDRESS, "phone": settings.ONESEAL_HALL_PHONE},
        "details": clean,
    }
    if kind == DocumentKind.ACCEPTANCE_NOTICE:
        context["query_code"] = case.query_code
        context["materials"] = [
            m.name + ("（共享获取，免提交）" if m.status == CheckStatus.SHARED else "")
            for m in case.materials.filter(status__in=[CheckStatus.OK, CheckStatus.SHARED])]
    if kind == DocumentKind.CORRECTION_NOTICE:
        context["hand_in"] = _hand_in(case, actor)
        context["query_code"] = case.query_code
    if kind in REFUSALS:
        context["reconsideration_body"] = settings.ONESEAL_RECONSIDERATION_BODY
    if kind == DocumentKind.DELIVERY_RECEIPT and not clean.get("documents"):
        clean["documents"] = _delivered_documents(case)
    return context


def next_number(case: Case, kind: str) -> str:
    """`<case number>-<code><nn>`: nn counts the documents of this kind on the case, so the
    number is unique across the system (case numbers are)."""
    count = case.documents.filter(kind=kind).count()
    while True:
        count += 1
        number = f"{case.number}-{CODES[kind]}{count:02d}"
        if not CaseDocument.objects.filter(number=number).exists():
            return number


def issue_document(*, case: Case, kind: str, on: dt.date, details: dict[str, Any],
                   actor: Any = None) -> CaseDocument:
    """Number and save a document of `kind` for `case`, issued on `on`, with its snapshot.
    `details` per kind are those of the cases spec (e.g. refusal_notice: reason and
    competent_agency; correction_notice: notice_number and every defect).

    Sends `signals.document_issued` (in the caller's transaction) with `actor`, the person
    whose operation issued it: the signing pipeline seals it if that person may use the
    seal, and lists it for authorisation otherwise."""
    from .signals import document_issued

    kind = DocumentKind(kind)
    number = next_number(case, kind)
    context = build_context(case=case, kind=kind, on=on, number=number, details=details,
                            actor=actor)
    document = CaseDocument.objects.create(case=case, kind=kind, number=number, issued_on=on,
                                           context=context)
    document_issued.send(sender=Case, case=case, document=document, actor=actor)
    return document


def render(document: CaseDocument) -> layout.Rendered:
    """The PDF of `document`, with its page count and the seal area (for the signer)."""
    ctx = dict(document.context or {})
    ctx.setdefault("issued_on", _iso(document.issued_on))
    ctx.setdefault("details", {})
    kind = ctx.get("kind") or document.kind
    font = fonts.cjk_font()
    with translation.override("zh-hans"):
        title = ctx.get("title") or _title(kind)
        heading = layout.Heading(
            issuer=ctx.get("issuer") or ctx.get("bureau") or DEFAULT_ISSUER,
            title=title,
            number_line=_("编号：%(number)s") % {"number": ctx.get("number") or document.number},
            addressee="" if kind == DocumentKind.DELIVERY_RECEIPT
            else (ctx["details"].get("addressee") or ctx.get("applicant_name") or "") + "：",
            date_text=texts.cn_date(ctx.get("issued_on")),
            subject=f"{title} {document.number}",
            pdf_date=str(ctx.get("issued_on") or "").replace("-", "")[:8])
        blocks = texts.BUILDERS[kind](ctx)
        notes = [texts.contact_line(ctx)]
        return layout.render(heading, blocks, font=font, notes=notes)


def render_pdf(document: CaseDocument) -> bytes:
    """The PDF bytes of `document`, the same for the same snapshot."""
    return render(document).pdf


def document_filename(document: CaseDocument) -> str:
    """`<number>-<title>.pdf`, e.g. `XS…-SL01-受理通知书.pdf` (no path, no quotes)."""
    title = (document.context or {}).get("title") or _title(document.kind)
    name = f"{document.number}-{title}.pdf"
    return "".join(ch for ch in name if ch not in '<>:"/\\|?*' and ch.isprintable())
