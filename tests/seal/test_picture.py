"""The seal picture (印模): the drawn vector seal, uploaded pictures checked by content,
and the picture as the visible appearance of the signature."""

from __future__ import annotations

import base64
import io

import pytest
from reportlab.pdfgen import canvas

from oneseal.core.models import AuditEvent
from oneseal.seal import services
from oneseal.seal.certs import maker_signature_ok
from oneseal.seal.errors import SealForbidden, SealRuleViolation
from oneseal.seal.picture import SEAL_SIZE_PT, check_picture, draw_seal, seal_svg, stamp_pdf
from oneseal.seal.sign import verify_pdf
from tests.login_helpers import log_in

from .helpers import BOX, make_pdf

# A 1×1 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def test_stamp_pdf_is_a_deterministic_square_page(seals):
    from pypdf import PdfReader

    data = stamp_pdf(seals["approval"])
    assert data == stamp_pdf(seals["approval"])
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert float(box.width) == pytest.approx(SEAL_SIZE_PT)
    assert float(box.height) == pytest.approx(SEAL_SIZE_PT)
    assert stamp_pdf(seals["approval"]) != stamp_pdf(seals["acceptance"])


def test_draw_seal_on_any_canvas_never_fails_on_short_or_long_names(db):
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for unit in ("局", "西山区行政审批局", "云南省昆明市西山区行政审批局政务服务中心"):
        draw_seal(c, 100, 100, 119, unit_name=unit, seal_name="行政审批专用章", code="1")
    c.save()
    assert buf.getvalue().startswith(b"%PDF")


def test_seal_svg_has_no_outside_reference(seals):
    svg = seal_svg(seals["approval"])
    assert svg.startswith("<svg") and "西山区行政审批局" in svg and "行政审批专用章" in svg
    assert "http" not in svg


def test_check_picture_accepts_png_and_refuses_other_content():
    assert check_picture(PNG) == "png"
    for bad, code in ((b"GIF89a....", "picture_type"), (b"%PDF-1.7", "picture_type"),
                      (b"\x89PNG\r\n\x1a\nbroken", "picture_unreadable")):
        with pytest.raises(SealRuleViolation) as err:
            check_picture(bad)
        assert err.value.code == code
    with pytest.raises(SealRuleViolation) as err:
        check_picture(PNG + b"\0" * (2 * 1024 * 1024))
    assert err.value.code == "picture_too_large"


def test_uploaded_picture_is_recorded_signed_and_used(cast, seals):
    seal = services.set_seal_picture(actor=cast["head"], seal=seals["approval"], data=PNG)
    assert seal.picture_kind == "image" and bytes(seal.picture) == PNG
    import hashlib

    assert seal.seal_data["picture"] == {"type": "png", "sha256": hashlib.sha256(PNG).hexdigest(),
                                         "width_mm": 42, "height_mm": 42}
    assert maker_signature_ok(bytes(seal.maker.der), seal.seal_data, bytes(seal.maker_signature))
    assert seal_svg(seal).startswith("<img src=\"data:image/png;base64,")
    assert AuditEvent.objects.filter(kind="seal.picture").count() == 1
    use = services.authorise_use(actor=cast["head"], seal=seal, key="document:1", title="t")
    use = services.sign_use(use, make_pdf(), BOX, reason="r")
    assert verify_pdf(services.signed_pdf(use)).valid_overall
    back = services.set_seal_picture(actor=cast["head"], seal=seal, data=None)
    assert back.picture_kind == "vector" and back.seal_data["picture"]["type"] == "svg"


@pytest.mark.parametrize("name", ["chief", "sysadmin", "supervisor", "outsider"])
def test_only_the_head_changes_the_picture(cast, seals, name):
    with pytest.raises(SealForbidden):
        services.set_seal_picture(actor=cast[name], seal=seals["approval"], data=PNG)
    seals["approval"].refresh_from_db()
    assert seals["approval"].picture_kind == "vector"


@pytest.mark.parametrize("name", ["head", "supervisor", "sysadmin", "clerk", "applicant"])
def test_picture_page_for_the_cast(client, cast, seals, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    log_in(client, cast[name])
    response = client.post(f"/workbench/seal/{seals['approval'].pk}/picture/",
                           {"picture": SimpleUploadedFile("seal.png", PNG, "image/png")})
    seals["approval"].refresh_from_db()
    if name == "head":
        assert response.status_code == 302 and seals["approval"].picture_kind == "image"
    else:
        assert response.status_code == 403 and seals["approval"].picture_kind == "vector"


def test_picture_page_refuses_a_non_image_in_chinese(client, cast, seals):
    from django.core.files.uploadedfile import SimpleUploadedFile

    log_in(client, cast["head"])
    response = client.post(f"/workbench/seal/{seals['approval'].pk}/picture/",
                           {"picture": SimpleUploadedFile("x.png", b"GIF89a", "image/png")},
                           follow=True)
    assert "只能是 PNG 或 JPEG" in response.content.decode()
    seals["approval"].refresh_from_db()
    assert seals["approval"].picture_kind == "vector"


def test_the_seal_and_the_documents_it_sits_on_share_one_cjk_font():
    from oneseal.core import fonts
    from oneseal.seal.picture import seal_font

    assert seal_font() == fonts.cjk_font()
