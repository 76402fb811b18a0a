"""现场勘察 (行政许可法 第34条第三款: where the substantive content of the materials must be
verified on site, the agency assigns **two or more** staff to verify it).

A visit is scheduled with at least two of the bureau's staff (a visit done by a contracted
provider is marked as such and names the provider; the bureau still assigns two staff who
answer for it); photos of the findings are content-checked uploads (JPEG/PNG only, by
`cases.uploads`); the record (勘察笔录) is signed by one of the assigned staff: its PDF (the
staff, the findings, each photo's SHA-256) is written once, its SHA-256 goes into the audit
chain, and it is sealed with the bureau's seal (PAdES, `sealing`: at once when the signer may
use the seal, else once someone who may authorises it), verifiable on the public page."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.models import User
from oneseal.cases.models import Case
from oneseal.cases.uploads import UploadRejected, inspect_upload, store_upload
from oneseal.core.audit import append_event

from . import sealing
from .common import Forbidden, NotFound, Refused, is_bureau
from .models_visits import SiteVisit, SiteVisitPhoto

VISIT_ROLES = ("reviewer", "chief", "head")
PHOTO_KINDS = frozenset({"jpeg", "png"})


def _check(actor: Any) -> None:
    if not is_bureau(actor, VISIT_ROLES):
        raise Forbidden(_("只有审批局的审查人员、科长或局长可以安排现场勘察。"))


def schedule_visit(*, actor: Any, case_id: int, scheduled_on: dt.date, place: str,
                   staff_ids: list[int], contracted: bool = False,
                   provider_name: str = "") -> SiteVisit:
    """Schedule a site visit: two or more staff (第34条)."""
    _check(actor)
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("办件不存在。"))
    place = (place or "").strip()
    if not place:
        raise Refused(_("请填写勘察地点。"), code="place_required")
    staff = [u for u in User.objects.filter(pk__in=set(staff_ids), is_active=True)
             if u.is_staff_member and is_bureau(u, VISIT_ROLES)]
    if len(staff) < 2:
        raise Refused(_("依照《行政许可法》第三十四条，现场核查应当指派两名以上工作人员。"),
                      code="site_staff_required")
    provider_name = (provider_name or "").strip()
    if contracted and not provider_name:
        raise Refused(_("委托第三方勘察须写明受委托机构。"), code="provider_required")
    with transaction.atomic():
        visit = SiteVisit.objects.create(case=case, scheduled_on=scheduled_on, place=place,
                                         contracted=bool(contracted),
                                         provider_name=provider_name if contracted else "",
                                         created_by=actor)
        visit.staff.set(staff)
        append_event(actor=actor, kind="coordination.visit", subject=f"case:{case.pk}",
                     payload={"visit": visit.pk, "on": scheduled_on.isoformat(),
                              "staff": sorted(u.pk for u in staff),
                              "contracted": bool(contracted), "provider": provider_name})
        return visit


def _open_visit(actor: Any, visit_id: int) -> SiteVisit:
    _check(actor)
    visit = SiteVisit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None:
        raise NotFound(_("现场勘察不存在。"))
    if visit.signed_at is not None:
        raise Refused(_("勘察笔录已签署，不能再修改。"), code="visit_signed", status=409)
    return visit


def add_photo(*, actor: Any, visit_id: int, upload: Any, caption: str = "") -> SiteVisitPhoto:
    """A photo of the findings, checked by its content (JPEG or PNG)."""
    with transaction.atomic():
        visit = _open_visit(actor, visit_id)
        try:
            info = inspect_upload(upload, name=getattr(upload, "name", "photo"))
        except UploadRejected as exc:
            raise Refused(exc.message, code="upload_rejected", status=422) from exc
        if info.kind not in PHOTO_KINDS:
            raise Refused(_("现场照片只接受 JPEG、PNG 图片。"), code="not_a_photo", status=422)
        stored = store_upload(case=visit.case, material=None, upload=upload, info=info,
                              user=actor, purpose="site_visit")
        photo = SiteVisitPhoto.objects.create(visit=visit, file=stored,
                                              caption=(caption or "").strip()[:200])
        append_event(actor=actor, kind="coordination.visit_photo",
                     subject=f"case:{visit.case_id}",
                     payload={"visit": visit.pk, "sha256": info.sha256})
        return photo


def sign_record(*, actor: Any, visit_id: int, findings: str,
                at: dt.datetime | None = None) -> SiteVisit:
    """签署勘察笔录: by one of the assigned staff; the PDF and its SHA-256 are fixed."""
    with transaction.atomic():
        visit = _open_visit(actor, visit_id)
        if not visit.staff.filter(pk=actor.pk).exists():
            raise Forbidden(_("只有参加勘察的工作人员可以签署勘察笔录。"))
        findings = (findings or "").strip()
        if not findings:
            raise Refused(_("请填写勘察情况。"), code="findings_required")
        now = at or timezone.now()
        if timezone.localdate(now) < visit.scheduled_on:
            raise Refused(_("勘察尚未进行，不能签署笔录。"), code="not_yet")
        visit.findings, visit.signed_by, visit.signed_at = findings, actor, now
        pdf = sealing.render_visit(visit).pdf  # the unsigned record the seal is put on
        digest = hashlib.sha256(pdf).hexdigest()
        visit.record_sha256 = digest
        visit.record_pdf.save(f"visit-{visit.pk}-{digest[:12]}.pdf", ContentFile(pdf),
                              save=False)
        visit.save()
        append_event(actor=actor, kind="coordination.visit_signed",
                     subject=f"case:{visit.case_id}",
                     payload={"visit": visit.pk, "sha256": digest,
                              "photos": visit.photos.count(), "contracted": visit.contracted})
        sealing.request_seal(actor=actor, key=sealing.visit_key(visit.pk), at=now)
        return visit
