"""Sealed records of coordination: the forwarding package (转报材料包, 行政许可法 第43条) and
the site-visit record (勘察笔录, 第34条) are PDFs sealed (PAdES) with the bureau's seal, by the
same machinery as the case documents — nothing here signs:

- the seal ledger (`seal.services.authorise_use`): a use keyed ``forwarding:<id>`` or
  ``visit:<id>`` (idempotent), authorised only by whoever may use the seal on that day
  (the head of the body, or a holder of a delegation, 国务院令第716号 第8–9条); when the
  person who forwards or signs the record may not, the record waits for someone who may
  (`authorise_record`, the 批准用印 button of the page);
- the signing worker (`licences.signing.sign_seal_use`, enqueued after commit), which
  renders the unsigned PDF through `register_source` (below) and signs it with
  `seal.services.sign_use` (the seal's certificate, the ledger row, the ``seal.use`` audit
  event with the signed file's SHA-256);
- the public verification page (``/verify/``), which finds the ledger row by the hash of
  the signed revision, so these records verify like any other signed document, and a
  changed byte shows.

The seal is the body's 受理专用章 (the seal of procedural documents): the 行政审批专用章 is
kept for decisions (用印只能用于已作出决定的办件) and its uses mark a decided case as sealed.
The PDFs are laid out like the case documents (`cases.pdf.layout`) and are deterministic:
the worker re-renders the same bytes from the stored record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oneseal.cases.pdf import layout, texts
from oneseal.cases.pdf.texts import Block
from oneseal.core import fonts
from oneseal.licences import signing
from oneseal.seal import services as seal_services
from oneseal.seal.errors import SealError
from oneseal.seal.models import SealKind, SealUse, SealUseState

from .common import Forbidden, NotFound, Refused, actor_name
from .models_forwarding import Forwarding
from .models_visits import SiteVisit

FORWARDING = "forwarding"
VISIT = "visit"
SEAL_KIND = SealKind.ACCEPTANCE


def forwarding_key(pk: int) -> str:
    return f"{FORWARDING}:{pk}"


def visit_key(pk: int) -> str:
    return f"{VISIT}:{pk}"


def _box(rendered: layout.Rendered) -> tuple[bytes, tuple[int, float, float, float]]:
    box = rendered.seal_box
    return rendered.pdf, (box.page, box.x, box.y, box.size)


def _issuer(case: Any) -> str:
    body = signing.case_body(case)
    return body.name if body is not None else ""


def _heading(case: Any, title: str, on: dt.date, addressee: str) -> layout.Heading:
    return layout.Heading(
        issuer=_issuer(case), title=title,
        number_line=_("办件编号：%(number)s") % {"number": case.number},
        addressee=addressee, date_text=texts.cn_date(on), subject=f"{title} {case.number}",
        pdf_date=on.isoformat().replace("-", ""))


def render_forwarding(row: Forwarding) -> layout.Rendered:
    """转报材料包: the cover letter to the upper authority with the review opinion, the
    package's own SHA-256 and every file of the case file with its size and SHA-256 (the
    manifest fixed when the package was made)."""
    case = row.case
    files = (row.manifest or {}).get("files", [])
    with translation.override("zh-hans"):
        title = _("审核转报材料包")
        blocks = [
            Block("para", text=_(
                "依照《中华人民共和国行政许可法》第四十三条，现将%(applicant)s申请的“%(item)s”"
                "（办件编号 %(number)s，%(accepted)s受理）的初步审查意见和全部申请材料直接"
                "报送你机关，请予审查决定。")
                % {"applicant": case.applicant_name, "item": case.item_name,
                   "number": case.number, "accepted": texts.cn_date(case.accepted_on)}),
            Block("plain", text=_("初步审查意见：%(opinion)s") % {"opinion": row.review_opinion}),
            Block("table", rows=[
                (_("材料包文件"), _("%(n)d 个文件（ZIP）") % {"n": len(files)}),
                (_("材料包 SHA-256"), row.package_sha256)]),
            Block("plain", text=_("材料清单（每个文件的大小和 SHA-256）：")),
            Block("table", rows=[
                (f"{n}. {f['path']}", _("%(size)s 字节；SHA-256：%(sha)s")
                 % {"size": f["size"], "sha": f["sha256"]})
                for n, f in enumerate(files, start=1)]),
        ]
        heading = _heading(case, title, row.forwarded_on or timezone.localdate(),
                           f"{row.upper_authority}：")
        notes = [_("本文件经电子签章，可在本局网站“证照核验”页面上传核验；"
                   "材料包中每个文件的 SHA-256 与上表一致即未被改动。")]
        return layout.render(heading, blocks, font=fonts.cjk_font(), notes=notes)


def render_visit(visit: SiteVisit) -> layout.Rendered:
    """勘察笔录: the case, place and day, the staff who verified on site (two or more, 第34条),
    the provider of a contracted visit, the findings, each photo with its SHA-256, and who
    signed it when."""
    case = visit.case
    staff = "、".join(actor_name(u) for u in visit.staff.order_by("id"))
    signed_at = timezone.localtime(visit.signed_at) if visit.signed_at else None
    with translation.override("zh-hans"):
        title = _("现场勘察笔录")
        rows = [(_("事项"), case.item_name), (_("申请人"), case.applicant_name),
                (_("勘察日期"), texts.cn_date(visit.scheduled_on)), (_("勘察地点"), visit.place),
                (_("勘察人员"), staff)]
        if visit.contracted:
            rows.append((_("受委托勘察机构"), visit.provider_name))
        rows.append((_("签署人"), actor_name(visit.signed_by)))
        rows.append((_("签署时间"), f"{signed_at:%Y-%m-%d %H:%M}" if signed_at else ""))
        photos = [(f"{n}. {p.caption or p.file.name}", _("SHA-256：%(sha)s") % {
            "sha": p.file.sha256}) for n, p in enumerate(
                visit.photos.select_related("file").order_by("id"), start=1)]
        blocks = [
            Block("para", text=_("依照《中华人民共和国行政许可法》第三十四条第三款，本机关指派"
                                 "两名以上工作人员对申请材料的实质内容进行现场核查，笔录如下。")),
            Block("table", rows=rows),
            Block("plain", text=_("勘察情况：")),
            Block("para", text=visit.findings),
            Block("plain", text=_("现场照片（%(n)d 张）及其 SHA-256：") % {"n": len(photos)}),
        ]
        if photos:
            blocks.append(Block("table", rows=photos))
        heading = _heading(case, title, (signed_at.date() if signed_at
                                         else visit.scheduled_on), "")
        notes = [_("本笔录经电子签章，可在本局网站“证照核验”页面上传核验。")]
        return layout.render(heading, blocks, font=fonts.cjk_font(), notes=notes)


def _forwarding_source(pk: int) -> tuple[bytes, tuple[int, float, float, float]]:
    return _box(render_forwarding(Forwarding.objects.select_related("case").get(pk=pk)))


def _visit_source(pk: int) -> tuple[bytes, tuple[int, float, float, float]]:
    return _box(render_visit(SiteVisit.objects.select_related("case", "signed_by").get(pk=pk)))


def register() -> None:
    """Let the signing worker render these records (called from `AppConfig.ready()`)."""
    signing.register_source(FORWARDING, _forwarding_source)
    signing.register_source(VISIT, _visit_source)


# --- the seal ----------------------------------------------------------------------------

def _record(key: str) -> tuple[Any, str]:
    """(case, ledger title) of the record a key names."""
    kind, _sep, raw = key.partition(":")
    with translation.override("zh-hans"):
        if kind == FORWARDING:
            row = Forwarding.objects.select_related("case").filter(pk=int(raw)).first()
            if row is not None and row.package_sha256:
                return row.case, f"{_('审核转报材料包')} {row.case.number}"
        elif kind == VISIT:
            visit = SiteVisit.objects.select_related("case").filter(pk=int(raw)).first()
            if visit is not None and visit.signed_at is not None:
                return visit.case, f"{_('现场勘察笔录')} {visit.case.number}-{visit.pk}"
    raise NotFound(_("没有可用印的记录。"))


def _enqueue(use: SealUse) -> None:
    if use.state != SealUseState.SIGNED:
        use_id = use.pk
        transaction.on_commit(lambda: signing.sign_seal_use.enqueue(use_id))


def request_seal(*, actor: Any, key: str, at: dt.datetime | None = None) -> SealUse | None:
    """Authorise the seal on a finished record when `actor` (who forwarded or signed it)
    may use the seal on that day, and have the worker sign it after commit; otherwise (or
    when no seal is set up) the record waits for `authorise_record` (returns None)."""
    case, title = _record(key)
    on = timezone.localdate(at) if at is not None else timezone.localdate()
    seal = signing.seal_or_none(SEAL_KIND, on, signing.case_body(case))
    if seal is None or actor is None or not seal_services.may_use(actor, seal, on):
        return None
    use = seal_services.authorise_use(actor=actor, seal=seal, key=key, case=case, title=title,
                                      on=on, at=at)
    _enqueue(use)
    return use


def may_authorise(user: Any, key: str) -> bool:
    """Whether `user` may authorise the seal on the record `key` today (the page's 批准用印)."""
    try:
        case, _title = _record(key)
    except NotFound:
        return False
    on = timezone.localdate()
    seal = signing.seal_or_none(SEAL_KIND, on, signing.case_body(case))
    return seal is not None and seal_services.may_use(user, seal, on)


def authorise_record(*, actor: Any, key: str) -> SealUse:
    """批准用印 on a finished record by someone who may use the seal today; the signing
    worker signs it after commit. Idempotent by the key (a second call returns the use)."""
    case, title = _record(key)
    on = timezone.localdate()
    try:
        seal = seal_services.seal_for(SEAL_KIND, on, signing.case_body(case))
        with transaction.atomic():
            use = seal_services.authorise_use(actor=actor, seal=seal, key=key, case=case,
                                              title=title, on=on)
            _enqueue(use)
    except SealError as exc:
        raise (Forbidden if exc.status == 403 else Refused)(
            exc.message, code=exc.code) from exc
    return use


def seal_use(key: str) -> SealUse | None:
    """The ledger row of a record (None while nobody authorised the seal)."""
    return SealUse.objects.select_related("seal").filter(key=key).first()


def signed_record(key: str) -> bytes:
    """The signed PDF of a record, checked against the ledger's hash."""
    use = seal_use(key)
    if use is None or use.state != SealUseState.SIGNED:
        raise NotFound(_("该记录尚未签章。"))
    return seal_services.signed_pdf(use)
