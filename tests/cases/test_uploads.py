"""Uploaded material files: checked by content, never by name; a refused file leaves nothing
behind; a stored file is where its SHA-256 says."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import IntegrityError
from PIL import Image  # reportlab's own dependency
from pypdf import PdfWriter
from reportlab.pdfgen import canvas as rl_canvas

from oneseal.cases import uploads
from oneseal.cases.models import CaseFile
from oneseal.cases.uploads import UploadRejected, inspect_upload, safe_filename, store_upload

from .conftest import at
from .test_documents import make_case

OFD_XML = (b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"'
           b' Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml'
           b'</ofd:DocRoot></ofd:DocBody></ofd:OFD>')


# --- files made on the spot ---------------------------------------------------------------


def make_pdf(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    pdf = rl_canvas.Canvas(buffer)
    for number in range(pages):
        pdf.drawString(72, 720, f"page {number + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_png() -> bytes:
    """A 2x2 RGB PNG, written by hand (signature, IHDR, IDAT, IEND with CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (uploads.PNG_MAGIC + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def make_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_ofd() -> bytes:
    return make_zip({"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"})


def upload(data: bytes, name: str = "file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def rejected(data: bytes, name: str = "file.pdf") -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload(data, name), name=name)
    assert caught.value.code == "upload_rejected" and caught.value.status == 422
    return caught.value


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Every test writes its files under its own MEDIA_ROOT, to see what was kept."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- accepted files -----------------------------------------------------------------------


def test_pdf_is_accepted_with_its_page_count_and_hash():
    data = make_pdf(pages=3)
    info = inspect_upload(upload(data, "营业执照.pdf"), name="营业执照.pdf")
    assert info.kind == "pdf" and info.pages == 3 and info.size == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.safe_name == "营业执照.pdf"


def test_png_jpeg_and_ofd_are_accepted_by_content():
    assert inspect_upload(upload(make_png()), name="平面图.PNG").kind == "png"
    jpeg = inspect_upload(upload(make_jpeg()), name="现场照片.jpeg")
    assert (jpeg.kind, jpeg.pages, jpeg.safe_name) == ("jpeg", 1, "现场照片.jpeg")
    ofd = inspect_upload(upload(make_ofd()), name="电子证照.ofd")
    assert (ofd.kind, ofd.pages, ofd.safe_name) == ("ofd", None, "电子证照.ofd")


def test_bytes_and_temporary_files_are_accepted(settings):
    data = make_pdf()
    assert inspect_upload(data, name="a.pdf").pages == 1
    temp = TemporaryUploadedFile("big.pdf", "application/pdf", len(data), None)
    temp.write(data)
    temp.seek(0)
    try:
        assert inspect_upload(temp, name="big.pdf").sha256 == hashlib.sha256(data).hexdigest()
    finally:
        temp.close()


def test_wrong_extension_is_replaced_by_the_detected_kind():
    assert inspect_upload(upload(make_png()), name="evil.pdf.exe").safe_name == "evil.pdf.png"
    assert inspect_upload(upload(make_pdf()), name="扫描件").safe_name == "扫描件.pdf"
    assert inspect_upload(upload(make_jpeg()), name="photo.png").safe_name == "photo.jpg"


# --- refused files ------------------------------------------------------------------------


def test_executable_renamed_pdf_is_refused_with_the_accepted_formats():
    error = rejected(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "申请表.pdf")
    assert error.detail["reason"] == "unsupported_type"
    assert "仅接受 PDF、JPEG、PNG、OFD 格式的文件" in error.message
    assert "20 MB" in error.message


def test_html_renamed_png_is_refused():
    error = rejected(b"<!DOCTYPE html><html><script>alert(1)</script></html>", "x.png")
    assert error.detail["reason"] == "unsupported_type"


def test_truncated_pdf_is_refused():
    data = make_pdf(pages=2)
    error = rejected(data[: len(data) // 2])
    assert error.detail["reason"] == "damaged" and "PDF" in error.message


def test_pdf_with_broken_structure_is_refused():
    error = rejected(b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n")
    assert error.detail["reason"] == "damaged"


def test_encrypted_pdf_is_refused():
    error = rejected(encrypted_pdf())
    assert error.detail["reason"] == "encrypted" and "密码" in error.message


def test_empty_file_is_refused():
    error = rejected(b"")
    assert error.detail["reason"] == "empty" and "为空" in error.message


def test_too_large_file_is_refused_with_the_limit_in_mb(settings):
    settings.ONESEAL_UPLOAD_MAX_BYTES = 1024 * 1024
    error = rejected(make_pdf() + b"\n%" + b"x" * (1024 * 1024))
    assert error.detail["reason"] == "too_large" and "1 MB" in error.message


def test_too_large_stream_without_declared_size_is_refused(settings):
    settings.ONESEAL_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(io.BytesIO(b"%PDF-" + b"0" * 5000), name="a.pdf")
    assert caught.value.detail["reason"] == "too_large"


def test_too_many_pages_is_refused(settings):
    settings.ONESEAL_UPLOAD_MAX_PAGES = 3
    assert inspect_upload(upload(make_pdf(pages=3)), name="a.pdf").pages == 3
    error = rejected(make_pdf(pages=4))
    assert error.detail["reason"] == "too_many_pages"
    assert "4 页" in error.message and "3 页" in error.message


def test_pdf_without_pages_is_refused():
    writer = PdfWriter()
    buffer = io.BytesIO()
    writer.write(buffer)
    assert rejected(buffer.getvalue()).detail["reason"] == "no_pages"


def test_zip_without_ofd_xml_is_refused():
    docx_like = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    error = rejected(docx_like, "合同.ofd")
    assert error.detail["reason"] == "not_ofd" and "OFD.xml" in error.message
    nested = make_zip({"sub/OFD.xml": OFD_XML})  # OFD.xml must be at the root
    assert rejected(nested, "a.ofd").detail["reason"] == "not_ofd"


def test_zip_bomb_is_refused_without_expanding_it(settings):
    settings.ONESEAL_UPLOAD_MAX_BYTES = 200 * 1024
    bomb = make_zip({"OFD.xml": OFD_XML, "Doc_0/Res/blob.bin": b"\x00" * (5 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    assert rejected(bomb, "a.ofd").detail["reason"] == "zip_bomb"


def test_truncated_zip_is_refused():
    data = make_ofd()
    assert rejected(data[:-30], "a.ofd").detail["reason"] == "damaged"


def test_truncated_png_is_refused():
    data = make_png()
    assert rejected(data[:-12], "a.png").detail["reason"] == "damaged"  # IEND cut off


def test_png_with_bad_crc_is_refused():
    data = bytearray(make_png())
    data[20] ^= 0xFF  # inside IHDR
    assert rejected(bytes(data), "a.png").detail["reason"] == "damaged"


def test_truncated_jpeg_is_refused():
    data = make_jpeg()
    assert rejected(data[:-2], "a.jpg").detail["reason"] == "damaged"  # no FF D9
    assert rejected(data[:40], "a.jpg").detail["reason"] == "damaged"  # headers cut off


def test_refused_files_leave_nothing_behind(media):
    for data in (b"", b"MZ\x90\x00", make_pdf()[:300], encrypted_pdf(), make_png()[:-12],
                 make_zip({"a.txt": b"a"})):
        with pytest.raises(UploadRejected):
            inspect_upload(upload(data), name="x.pdf")
    assert stored_files(media) == []


# --- the name -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\Windows\\system32\\cmd.exe", "cmd.pdf"),
    ("/abs/path/申请表（签字版）.PDF", "申请表（签字版）.pdf"),
    ("合同\u202egnp.pdf", "合同gnp.pdf"),  # the right-to-left override is dropped
    ("a\x00b\x1fc\n.pdf", "abc.pdf"),
    ('what<>:"|?*.pdf', "what_______.pdf"),
    ("..", "材料.pdf"),
    ("", "材料.pdf"),
    ("CON.pdf", "_CON.pdf"),
    ("  -rf .pdf", "rf.pdf"),
    ("2024.01.05 会议纪要", "2024.01.05 会议纪要.pdf"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name, "pdf") == expected


def test_safe_filename_is_limited_in_characters_and_bytes():
    latin = safe_filename("a" * 300 + ".pdf", "pdf")
    assert len(latin) == 100 and latin.endswith(".pdf")
    chinese = safe_filename("许" * 300 + ".pdf", "pdf")
    assert len(chinese.encode()) <= uploads.MAX_NAME_BYTES and chinese.endswith(".pdf")
    assert chinese.startswith("许许许")


# --- storing ------------------------------------------------------------------------------


@pytest.fixture
def case(catalogue, person):
    return make_case(catalogue, person)


def test_store_upload_saves_the_file_under_its_sha256(case, cast, media):
    data = make_pdf(pages=2)
    file = upload(data, "../场所平面图.pdf")
    info = inspect_upload(file, name=file.name)
    material = case.materials.get(name="场所平面图")
    row = store_upload(case=case, material=material, upload=file, info=info,
                       user=cast["clerk"], purpose="material")
    row.refresh_from_db()
    assert (row.kind, row.pages, row.size, row.sha256) == ("pdf", 2, len(data), info.sha256)
    assert row.name == "场所平面图.pdf" and row.material == material
    assert row.file.name.startswith(f"cases/{case.pk}/{info.sha256[:2]}/{info.sha256}-")
    with default_storage.open(row.file.name) as handle:
        assert handle.read() == data
    assert stored_files(media) == [media / row.file.name]


def test_store_upload_deletes_the_file_when_the_row_cannot_be_saved(case, cast, media,
                                                                  monkeypatch):
    data = make_png()
    info = inspect_upload(upload(data), name="a.png")

    def fail(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(CaseFile, "save", fail)
    with pytest.raises(IntegrityError):
        store_upload(case=case, material=None, upload=upload(data), info=info,
                     user=cast["clerk"], purpose="material")
    assert stored_files(media) == []
    assert not CaseFile.objects.exists()


def test_store_upload_refuses_content_other_than_inspected(case, cast, media):
    info = inspect_upload(upload(make_png()), name="a.png")
    with pytest.raises(ValueError):
        store_upload(case=case, material=None, upload=upload(make_jpeg()), info=info,
                     user=cast["clerk"], purpose="material")
    assert stored_files(media) == [] and not CaseFile.objects.exists()


def _attach(case, actor, data, name):
    from oneseal.cases import services

    try:
        return services.case_attach_file(actor=actor, case=case, material_id=None,
                                         upload=upload(data, name), at=at("2026-09-01"))
    except ImportError as exc:  # services/intake.py must import `..uploads`
        pytest.skip(f"case_attach_file cannot import uploads: {exc}")


def test_service_attach_keeps_a_good_file_and_nothing_of_a_bad_one(catalogue, person, cast,
                                                                   media):
    from oneseal.cases import services

    case, _created = services.case_submit(
        actor=cast["clerk"], item_id=catalogue.bureau_item.pk, variant_code="01",
        applicant=services.ApplicantRef(person_id=person.pk), at=at("2026-09-01"))
    events = case.events.count()
    with pytest.raises(UploadRejected):
        _attach(case, cast["clerk"], b"MZ\x90\x00" * 10, "申请表.pdf")
    assert stored_files(media) == [] and not CaseFile.objects.exists()
    assert case.events.count() == events
    stored = _attach(case, cast["clerk"], make_pdf(), "申请表.pdf")
    assert stored.name == "申请表.pdf" and len(stored_files(media)) == 1
