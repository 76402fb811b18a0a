"""Public verification (证照核验, issue 6): the /verify page, the QR link and
`POST /api/v1/verify`, with good, tampered, extended, foreign-signed, unsigned and
non-PDF files, and licences in force and revoked (撤销, 行政许可法 第69条).

Electronic seals have the same force as physical ones (国务院令第716号 第8–9条), so anyone
must be able to check one: no login, and nothing leaves the machine."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from oneseal.licences import services
from oneseal.licences.models import LicenceState, LicenceType
from oneseal.licences.signing import sign_pending
from oneseal.seal.services import signed_pdf
from tests.seal.helpers import append_page_content, foreign_signer, make_pdf

from .conftest import granted

PDFSIG = "/usr/bin/pdfsig"


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def long_type(catalogue) -> LicenceType:
    """A three-year licence type for the bureau item, so the licence is 有效 today."""
    return LicenceType.objects.create(
        code="11100000000000042", name="排污许可证", item=catalogue.bureau_item,
        defining_authority="生态环境部", validity_months=36, scope_label="许可范围")


@pytest.fixture
def signed(cast, catalogue, person, long_type, seals):
    """A granted case whose licence the head's decision authorised and the pipeline
    signed: (licence, signed PDF bytes)."""
    case = granted(cast, catalogue, person)
    sign_pending(case)
    licence = case.licences.get()
    licence.refresh_from_db()
    assert licence.seal_use is not None and licence.seal_use.state == "signed"
    return licence, signed_pdf(licence.seal_use)


def _post_page(client, data: bytes, name: str = "licence.pdf"):
    return client.post("/verify/", {"file": SimpleUploadedFile(name, data,
                                                               "application/pdf")})


def _post_api(client, data: bytes | None = None, identifier: str | None = None):
    payload: dict = {}
    if data is not None:
        payload["file"] = SimpleUploadedFile("licence.pdf", data, "application/pdf")
    if identifier is not None:
        payload["identifier"] = identifier
    return client.post("/api/v1/verify", payload)


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


# ------------------------------------------------------------------ the page


def test_verify_page_needs_no_login_and_offers_both_ways(client, db):
    html = client.get("/verify/").content.decode()
    assert 'type="file"' in html and 'name="identifier"' in html
    assert "http://" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_verify_page_good_licence_is_valid_with_seal_certificate_and_state(client, signed):
    licence, pdf = signed
    response = _post_page(client, pdf)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-valid="true"' in html
    assert "核验通过" in html
    assert licence.seal_use.seal.name in html
    assert licence.seal_use.certificate.fingerprint in html
    assert licence.identifier in html and "有效" in html


def test_verify_page_flipped_byte_in_signed_range_is_not_intact(client, signed):
    _licence, pdf = signed
    html = _post_page(client, _flip(pdf, len(pdf) // 3)).content.decode()
    assert 'data-valid="false"' in html
    assert "核验未通过" in html


def test_verify_page_content_appended_after_signing_is_reported_as_changed(client, signed):
    licence, pdf = signed
    html = _post_page(client, append_page_content(pdf)).content.decode()
    assert 'data-valid="false"' in html
    # the signed revision is still ours: the ledger finds it and shows the licence
    assert licence.identifier in html
    assert "签署后未被改动或追加内容" in html


def test_verify_page_refuses_non_pdf_and_unsigned_pdf(client, db, seals):
    html = _post_page(client, b"GIF89a not a pdf at all", "x.pdf").content.decode()
    assert 'data-valid="false"' in html and "✘ 文件为 PDF 格式" in html
    html = _post_page(client, make_pdf("无签章")).content.decode()
    assert 'data-valid="false"' in html and "✘ 文件带有电子签章" in html


def test_verify_page_empty_form_gets_a_chinese_error(client, db):
    response = client.post("/verify/", {})
    assert response.status_code == 422
    assert "请上传 PDF 文件或填写电子证照标识" in response.content.decode()


def test_verify_page_foreign_signature_is_not_ours(client, seals, tmp_path):
    signer, _ca = foreign_signer(tmp_path)
    out = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="Sig", subfilter=fields.SigSeedSubFilter.PADES),
        signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(make_pdf("假证"))),
                                output=out)
    html = _post_page(client, out.getvalue()).content.decode()
    assert 'data-valid="false"' in html
    assert "不是由本局的电子印章签署" in html


# ------------------------------------------------------------------ the QR link


def test_qr_link_shows_the_licence_state_today(client, signed):
    licence, _pdf = signed
    response = client.get(f"/verify/l/{licence.identifier}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert licence.number in html and "有效" in html
    assert licence.holder_id not in html  # the holder's ID number is masked


def test_qr_link_of_a_revoked_licence_art69_says_it_is_no_longer_valid(client, cast, signed):
    licence, pdf = signed
    services.revoke_licence(actor=cast["head"], licence=licence, reason="以欺骗手段取得")
    html = client.get(f"/verify/l/{licence.identifier}/").content.decode()
    assert "撤销" in html and "不再有效" in html
    # the signature itself is still intact: the document answer says so, with the state
    body = _post_api(client, pdf).json()
    assert body["valid"] is True
    assert body["details"]["ledger"]["licence"]["state"] == LicenceState.REVOKED


def test_qr_link_unknown_or_malformed_identifier_is_404(client, db):
    assert client.get("/verify/l/1.2.156.3005.2.X.Y.Z.001.0/").status_code == 404


# ------------------------------------------------------------------ the API


def test_api_verify_good_document(client, signed):
    licence, pdf = signed
    response = _post_api(client, pdf)
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["kind"] == "document"
    details = body["details"]
    assert details["intact"] and details["our_seal"] and details["unmodified"]
    assert details["certificate"]["fingerprint"] == licence.seal_use.certificate.fingerprint
    assert details["ledger"]["licence"]["identifier"] == licence.identifier
    assert body["problems"] == []


@pytest.mark.parametrize("tamper", ["flip", "append"])
def test_api_verify_tampered_document_is_not_valid(client, signed, tamper):
    _licence, pdf = signed
    data = _flip(pdf, len(pdf) // 2) if tamper == "flip" else append_page_content(pdf)
    body = _post_api(client, data).json()
    assert body["valid"] is False
    assert body["problems"]
    if tamper == "append":
        assert body["details"]["intact"] is True and body["details"]["unmodified"] is False


def test_api_verify_by_identifier(client, signed):
    licence, _pdf = signed
    body = _post_api(client, identifier=licence.identifier).json()
    assert body["valid"] is True and body["kind"] == "identifier"
    assert body["details"]["licence"]["number"] == licence.number
    wrong_check = licence.identifier[:-1] + ("0" if licence.identifier[-1] != "0" else "1")
    body = _post_api(client, identifier=wrong_check).json()
    assert body["valid"] is False and body["problems"]


def test_api_verify_without_file_or_identifier_is_422(client, db):
    response = _post_api(client)
    assert response.status_code == 422
    assert response.json()["code"] == "nothing_to_verify"


def test_api_verify_is_throttled_per_address(client, db, seals):
    data = make_pdf("x")
    for _ in range(120):
        assert _post_api(client, data).status_code == 200
    response = _post_api(client, data)
    assert response.status_code == 429 and response.json()["code"] == "throttled"


# ------------------------------------------------------------------ independent tool


def test_pipeline_licence_validates_with_pdfsig_and_a_flip_does_not(signed, tmp_path):
    _licence, pdf = signed
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_flip(pdf, len(pdf) // 3))
    out = subprocess.run([PDFSIG, str(good)], capture_output=True, text=True, check=False)
    assert "Signature is Valid" in out.stdout
    assert "行政审批专用章" in out.stdout or "OneSeal" in out.stdout or "CN=" in out.stdout
    out = subprocess.run([PDFSIG, str(bad)], capture_output=True, text=True, check=False)
    assert "Signature is Valid" not in out.stdout
