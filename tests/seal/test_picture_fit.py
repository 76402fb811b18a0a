"""The seal picture fits its unit's name (issue 12, "Pages that mislead": 昆 and 局 were cut
off on the page and in PDFs). For names of 1 to 20 characters, every character of the ring
— read back from the drawn PDF and from the page's SVG, not from the layout code — lies
inside the ring's inner edge, no two characters overlap, and none runs into the seal's
name under the star."""

from __future__ import annotations

import io
import itertools
import math
import re

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from oneseal.seal.picture import RING_WIDTH, SEAL_SIZE_PT, draw_seal, seal_font, seal_svg

LONGEST = "云南省昆明市西山区行政审批局政务服务中心"  # 20 characters
NAMES = ["局", "审批局", "西山区行政审批局", "昆明市西山区行政审批局",
         "昆明市西山区行政审批局政务服务", LONGEST[:18], LONGEST]
SEAL_NAME = "行政审批专用章"

Box = list[tuple[float, float]]


def _drawn_glyphs(unit_name: str, size: float = SEAL_SIZE_PT) -> tuple[list[Box], list[Box]]:
    """Draw the seal alone on a page `size` square and read back, from the PDF's content,
    the box of each character shown: (the ring's boxes, the boxes of the seal's name)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(size, size))
    draw_seal(c, 0, 0, size, unit_name=unit_name, seal_name=SEAL_NAME, code="1")
    c.showPage()
    c.save()
    font = seal_font()
    ring: list[Box] = []
    name: list[Box] = []

    def visit(text, cm, tm, _font_dict, font_size):
        text = text.strip()
        if not text or not all("\u4e00" <= ch <= "\u9fff" for ch in text):
            return
        ascent, descent = pdfmetrics.getAscentDescent(font, font_size)
        width = pdfmetrics.stringWidth(text, font, font_size)
        x0, y0 = tm[4], tm[5]
        corners = [(x0, y0 + descent), (x0 + width, y0 + descent),
                   (x0 + width, y0 + ascent), (x0, y0 + ascent)]
        a, b, c_, d, e, f = cm
        box = [(a * x + c_ * y + e, b * x + d * y + f) for x, y in corners]
        (name if text == SEAL_NAME else ring).append(box)

    PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text(visitor_text=visit)
    return ring, name


def _overlap(p: Box, q: Box) -> bool:
    """Two convex quadrilaterals overlap (separating axis theorem)."""
    for poly in (p, q):
        for i in range(len(poly)):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % len(poly)]
            nx, ny = y2 - y1, x1 - x2
            ps = [nx * x + ny * y for x, y in p]
            qs = [nx * x + ny * y for x, y in q]
            if max(ps) <= min(qs) or max(qs) <= min(ps):
                return False
    return True


def _inside_ring(box: Box, size: float) -> bool:
    centre, inner = size / 2, size / 2 - size * RING_WIDTH
    return all(math.hypot(x - centre, y - centre) <= inner and 0 <= x <= size
               and 0 <= y <= size for x, y in box)


@pytest.mark.parametrize("unit_name", NAMES, ids=lambda n: f"{len(n)}chars")
def test_every_ring_character_lies_inside_the_ring_in_the_pdf(db, unit_name):
    ring, name = _drawn_glyphs(unit_name)
    assert len(ring) == len(unit_name)  # no character lost
    assert len(name) == 1
    for box in ring:
        assert _inside_ring(box, SEAL_SIZE_PT), box
    for first, second in itertools.pairwise(ring):
        assert not _overlap(first, second)
    for box in ring:
        assert not _overlap(box, name[0])


def test_every_name_of_1_to_20_characters_fits(db):
    for length in range(1, 21):
        ring, name = _drawn_glyphs(LONGEST[:length])
        assert len(ring) == length
        assert all(_inside_ring(box, SEAL_SIZE_PT) for box in ring), length
        assert not any(_overlap(p, q) for p, q in itertools.pairwise(ring)), length
        assert not any(_overlap(box, name[0]) for box in ring), length


def test_short_names_keep_the_large_characters(db):
    ring, _name = _drawn_glyphs("西山区行政审批局")
    heights = [math.dist(box[0], box[3]) for box in ring]
    assert min(heights) >= SEAL_SIZE_PT * 0.12  # the usual 13 % of the seal


class _Unit:
    def __init__(self, name: str) -> None:
        self.name = name


class _Seal:
    """What seal_svg reads of a seal."""

    def __init__(self, unit: str) -> None:
        self.pk, self.code, self.picture_kind, self.picture = 1, "5301120000001", "vector", b""
        self.unit = _Unit(unit)
        self.name = unit + SEAL_NAME


TRANSFORM = re.compile(r'<text transform="translate\(([-\d.]+),([-\d.]+)\) rotate\(([-\d.]+)\)" '
                       r'font-size="([\d.]+)" text-anchor="middle">(.)</text>')


@pytest.mark.parametrize("unit_name", [NAMES[3], LONGEST], ids=["11chars", "20chars"])
def test_the_page_preview_shows_every_character_inside_the_ring(db, unit_name):
    size = 160
    svg = seal_svg(_Seal(unit_name), size=size)
    found = TRANSFORM.findall(svg)
    assert "".join(ch for *_rest, ch in found) == unit_name  # 昆 and 局 included
    assert "textPath" not in svg  # a path of fixed length cut long names
    for x, y, rotate, font_size, _ch in found:
        x, y, rotate, fs = float(x), float(y), math.radians(float(rotate)), float(font_size)
        # the character's square, standing on its baseline, turned clockwise by `rotate`
        corners = [(-fs / 2, fs * 0.2), (fs / 2, fs * 0.2), (fs / 2, -fs * 0.8),
                   (-fs / 2, -fs * 0.8)]
        box = [(x + cx * math.cos(rotate) - cy * math.sin(rotate),
                size - (y + cx * math.sin(rotate) + cy * math.cos(rotate)))
               for cx, cy in corners]
        assert _inside_ring(box, size), (unit_name, box)
