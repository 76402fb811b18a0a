"""Small PDFs and users for the seal tests."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas

BOX = (0, 380.0, 80.0, 119.0)


def make_pdf(text: str = "Licence 1", pages: int = 1) -> bytes:
    """A plain unsigned PDF (deterministic)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for page in range(pages):
        c.drawString(72, 720, f"{text} page {page + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def append_page_content(pdf: bytes, content: bytes = b"0 0 1 rg 50 50 200 200 re f") -> bytes:
    """An incremental update after signing that changes what page 1 shows (draws a blue
    rectangle over it) — the classic "changed after signing" attack."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = writer.add_object(generic.StreamObject(stream_data=content))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def foreign_signer(tmp_path):
    """A signer whose certificate comes from another CA (not one of our seal makers)."""
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    from oneseal.seal.keys import make_maker, make_seal_certificate

    start = datetime(2024, 1, 1, tzinfo=UTC)
    ca_key, ca = make_maker("冒充的行政审批局", start)
    key, cert = make_seal_certificate(ca_key, ca, common_name="冒充的行政审批专用章",
                                      organisation="冒充的行政审批局", not_before=start)
    path = tmp_path / "foreign.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"x", key, cert, [ca], serialization.BestAvailableEncryption(b"pw")))
    return signers.SimpleSigner.load_pkcs12(str(path), passphrase=b"pw"), ca
