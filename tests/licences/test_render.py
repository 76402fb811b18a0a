"""The licence PDF: one A4 page, deterministic bytes, the catalogue fields and the QR link,
the seal square inside the page, and the CJK font fallback with a logged warning."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader

from oneseal.core import fonts
from oneseal.licences.models import TemplateKind
from oneseal.licences.render import render_licence, verify_url


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_render_is_deterministic_and_one_page(licence):
    first = render_licence(licence)
    second = render_licence(licence)
    assert first.pdf == second.pdf
    assert first.pdf.startswith(b"%PDF-")
    assert first.pages == 1 and len(PdfReader(io.BytesIO(first.pdf)).pages) == 1


def test_render_shows_the_fields_masked_id_and_qr_link(licence, settings):
    settings.ONESEAL_PUBLIC_URL = "https://zw.example.gov.cn"
    rendered = render_licence(licence)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert reader.metadata.subject == licence.identifier
    text = _text(rendered.pdf)
    assert licence.number in text
    assert licence.identifier in text
    assert "5301**********123X" in text and "53011219800101123X" not in text
    assert verify_url(licence.identifier) == \
        f"https://zw.example.gov.cn/verify/l/{licence.identifier}/"


def test_seal_box_lies_on_the_page_over_the_issuer(licence):
    box = render_licence(licence).seal_box
    assert box.page == 0
    assert 0 < box.x and box.x + box.size < 595.3
    assert 0 < box.y and box.y + box.size < 841.9


def test_approval_template_renders_differently(licence):
    certificate = render_licence(licence).pdf
    licence.type.template = TemplateKind.APPROVAL
    approval = render_licence(licence).pdf
    assert approval != certificate
    assert licence.holder_name in _text(approval)


def test_render_falls_back_to_the_cid_font_with_a_warning(licence, settings, caplog):
    settings.ONESEAL_CJK_FONT = "/nonexistent/font-for-test.ttf"
    fonts._chosen.pop(settings.ONESEAL_CJK_FONT, None)
    with caplog.at_level(logging.WARNING, logger="oneseal.core.fonts"):
        rendered = render_licence(licence)
    assert "ONESEAL_CJK_FONT" in caplog.text
    assert rendered.pdf.startswith(b"%PDF-")


