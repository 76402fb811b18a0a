"""Sealed records of coordination: the forwarding package (转报材料包, 行政许可法 第43条) and
the site-visit record (勘察笔录, 第34条) are PDFs sealed (PAdES) with the bureau's seal by the
seal's own pipeline — authorised by whoever may use the seal (国务院令第716号 第8–9条), signed
by the signing worker, in the seal ledger and the audit chain — and verify on the public
page like every signed document; a changed byte is detected."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from oneseal.catalog.models import ItemVersion
from oneseal.coordination import forwarding, sealing, visits
from oneseal.coordination.common import Forbidden
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.licences.signing import sign_pending
from oneseal.licences.verification import verify_document
from oneseal.seal.models import SealUse
from oneseal.seal.sign import verify_pdf
from tests.cases.conftest import at
from tests.cases.helpers import accepted
from tests.cases.test_uploads import make_png
from tests.login_helpers import log_in

D = dt.date.fromisoformat


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def _flip(data: bytes) -> bytes:
    out = bytearray(data)
    out[len(out) // 2] ^= 0x01
    return bytes(out)


@pytest.fixture
def case(cast, catalogue, person):
    return accepted(cast, catalogue.bureau_item, person)


@pytest.fixture
def forwarded(cast, catalogue, case, seals):
    ItemVersion.objects.filter(item=catalogue.bureau_item).update(item_type="review_forward")
    row = forwarding.start(actor=cast["head"], case_id=case.pk, upper_authority="昆明市生态环境局")
    return forwarding.forward(actor=cast["head"], forwarding_id=row.pk,
                              opinion="经初审，材料齐全，符合法定条件。", at=at("2026-09-15", 10))


def test_forwarding_package_is_sealed_lists_every_file_hash_and_verifies_art_43(
        client, cast, forwarded, seals):
    key = sealing.forwarding_key(forwarded.pk)
    use = SealUse.objects.get(key=key)  # the head forwarded: authorised at once
    assert use.state == "authorised" and use.seal == seals["acceptance"]
    assert use.case_id == forwarded.case_id and use.authorised_by == cast["head"]
    sign_pending(at=at("2026-09-15", 11))
    use.refresh_from_db()
    assert use.state == "signed"
    data = sealing.signed_record(key)
    check = verify_pdf(data)  # pyHanko: intact, our seal, nothing after the signature
    assert check.valid_overall and check.seal_code == seals["acceptance"].code
    text = _text(data)
    assert forwarded.manifest["files"] and forwarded.package_sha256 in text
    for entry in forwarded.manifest["files"]:
        assert entry["sha256"] in text, entry["path"]
    assert "第四十三条" in text and "昆明市生态环境局" in text
    assert AuditEvent.objects.get(kind="seal.use", subject=f"seal_use:{use.pk}") \
        .payload["signed_sha256"] == use.signed_sha256
    answer = verify_document(data)  # the public verification page's answer
    assert answer["valid"] and answer["ledger"]["title"].startswith("审核转报材料包")
    page = client.post("/verify/", {"file": SimpleUploadedFile("f.pdf", data,
                                                               "application/pdf")})
    assert "审核转报材料包" in page.content.decode()
    tampered = verify_document(_flip(data))
    assert not tampered["valid"] and tampered["problems"]
    assert verify_chain().ok


def test_forwarding_by_a_chief_waits_for_the_head_to_authorise_the_seal(cast, catalogue,
                                                                          case, seals):
    ItemVersion.objects.filter(item=catalogue.bureau_item).update(item_type="review_forward")
    row = forwarding.start(actor=cast["chief"], case_id=case.pk, upper_authority="市局")
    row = forwarding.forward(actor=cast["chief"], forwarding_id=row.pk, opinion="同意转报。")
    key = sealing.forwarding_key(row.pk)
    assert sealing.seal_use(key) is None  # the chief may not use the seal
    assert not sealing.may_authorise(cast["chief"], key)
    with pytest.raises(Forbidden):
        sealing.authorise_record(actor=cast["chief"], key=key)
    assert sealing.may_authorise(cast["head"], key)
    use = sealing.authorise_record(actor=cast["head"], key=key)
    assert sealing.authorise_record(actor=cast["head"], key=key).pk == use.pk  # idempotent
    sign_pending()
    assert verify_pdf(sealing.signed_record(key)).valid_overall


def test_site_visit_record_sealed_lists_staff_findings_and_photo_hashes_art_34(
        client, cast, case, seals):
    visit = visits.schedule_visit(actor=cast["chief"], case_id=case.pk,
                                  scheduled_on=D("2026-09-03"), place="西山区某厂区",
                                  staff_ids=[cast["reviewer"].pk, cast["chief"].pk])
    photo = visits.add_photo(actor=cast["reviewer"], visit_id=visit.pk,
                             upload=SimpleUploadedFile("治污设施.png", make_png()),
                             caption="治污设施")
    visit = visits.sign_record(actor=cast["reviewer"], visit_id=visit.pk,
                               findings="治污设施与申报材料一致。", at=at("2026-09-03", 16))
    key = sealing.visit_key(visit.pk)
    assert sealing.seal_use(key) is None  # the reviewer may not use the seal: it waits
    url = reverse("coordination_workbench:case_visits", args=[case.pk])
    log_in(client, cast["head"])
    assert "批准用印" in client.get(url).content.decode()
    assert client.post(url, {"action": "seal", "visit": visit.pk}).status_code == 302
    sign_pending(at=at("2026-09-04", 9))
    # the worker re-rendered the very record that was signed (deterministic PDF)
    assert sealing.seal_use(key).source_sha256 == visit.record_sha256
    download = reverse("coordination_workbench:sealed_record", args=["visit", visit.pk])
    assert download in client.get(url).content.decode()
    data = client.get(download).content
    check = verify_pdf(data)
    assert check.valid_overall and check.seal_code == seals["acceptance"].code
    text = _text(data)
    for name in (cast["reviewer"], cast["chief"]):
        assert (name.display_name or name.username) in text
    assert "治污设施与申报材料一致" in text and photo.file.sha256 in text
    assert "第三十四条" in text
    answer = verify_document(data)
    assert answer["valid"] and answer["ledger"]["title"].startswith("现场勘察笔录")
    assert not verify_document(_flip(data))["valid"]
    assert verify_chain().ok


def test_sealing_is_refused_before_the_record_is_finished(cast, case, seals):
    visit = visits.schedule_visit(actor=cast["chief"], case_id=case.pk,
                                  scheduled_on=D("2026-09-03"), place="厂区",
                                  staff_ids=[cast["reviewer"].pk, cast["chief"].pk])
    assert not sealing.may_authorise(cast["head"], sealing.visit_key(visit.pk))
    with pytest.raises(sealing.NotFound):
        sealing.authorise_record(actor=cast["head"], key=sealing.visit_key(visit.pk))


@pytest.mark.parametrize("name", ["dept", "clerk", "applicant", "outsider", "helper",
                                  "sysadmin", "catalog_admin"])
def test_sealed_record_download_refused_roles(client, cast, forwarded, name):
    sign_pending()
    url = reverse("coordination_workbench:sealed_record",
                  args=["forwarding", forwarded.pk])
    log_in(client, cast[name])
    assert client.get(url).status_code in (302, 403), name


def test_sealed_record_download_for_bureau_staff(client, cast, forwarded):
    url = reverse("coordination_workbench:sealed_record", args=["forwarding", forwarded.pk])
    log_in(client, cast["supervisor"])
    assert client.get(url).status_code == 404  # not signed yet
    sign_pending()
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert client.get(reverse("coordination_workbench:sealed_record",
                              args=["other", forwarded.pk])).status_code == 404
