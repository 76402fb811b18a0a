"""The seal picture (印模): a red round seal drawn as vectors — outer ring, five-pointed
star, the unit's name along the upper arc, the seal's name below the star, the seal code
small at the bottom — or an uploaded PNG/JPEG.

`stamp_pdf(seal)` wraps the picture in a one-page PDF, the appearance pyHanko puts in the
visible signature; `seal_svg(seal)` previews it on pages. Both are cached per process.

Chinese text uses the bureau's CJK font (`oneseal.core.fonts`: `settings.ONESEAL_CJK_FONT`,
else the first installed candidate reportlab can embed, else the reader-supplied CID font
STSong-Light, not embedded, with a warning logged).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import logging
import math
import threading
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from oneseal.core import fonts

from .errors import SealRuleViolation

logger = logging.getLogger(__name__)

SEAL_RED = (0.86, 0.08, 0.06)
SEAL_SIZE_PT = 42 / 25.4 * 72  # 42 mm, the usual diameter of an official round seal
MAX_PICTURE_BYTES = 2 * 1024 * 1024

_lock = threading.Lock()
_stamps: dict[tuple[Any, ...], bytes] = {}


def seal_font() -> str:
    """The registered font for the seal's Chinese text: the bureau's CJK font
    (`oneseal.core.fonts`), the one of the documents the seal sits on."""
    return fonts.cjk_font()


def _star(c: Any, cx: float, cy: float, radius: float) -> None:
    path = c.beginPath()
    inner = radius * 0.382
    for i in range(10):
        r = radius if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        path.moveTo(x, y) if i == 0 else path.lineTo(x, y)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


RING_WIDTH = 0.035  # of the seal's size
RING_SPAN_MAX = 230.0  # degrees of the circle the unit's name may take, centred on the top
RING_STEP = 22.0  # degrees between characters of a short name
RING_FONT_MAX = 0.13  # of the seal's size
RING_FONT_MIN = 0.04
RING_GAP = 1.06  # room between neighbouring characters, as a factor of their width
NAME_WIDTH = 0.52  # the widest the seal's name under the star may be, of the seal's size
NAME_DROP = 0.30  # its baseline below the centre, of the seal's size (clear of the ring's ends)


@dataclass(frozen=True)
class RingGlyph:
    """One character of the unit's name on the ring: its baseline centre (x, y) from the
    seal's centre, its place on the circle (`angle`, degrees, 90 = top; the character is
    turned by angle − 90 so that it stands on the circle), and its font size."""

    char: str
    x: float
    y: float
    angle: float
    font_size: float


def ring_layout(unit_name: str, size: float, font: str) -> list[RingGlyph]:
    """Fit the unit's name inside the ring: the largest font size (at most 13 % of the seal)
    at which every character's box stays inside the ring's inner edge and no two
    neighbouring boxes touch, within RING_SPAN_MAX degrees; any name of up to 20 characters
    fits (at about 8 % for 20)."""
    chars = list(unit_name) or [" "]
    count = len(chars)
    inner = size / 2 - size * RING_WIDTH * 1.5  # the ring's inner edge, with a hair to spare
    font_size = size * RING_FONT_MAX
    while True:
        ascent, descent = pdfmetrics.getAscentDescent(font, font_size)
        widest = max(pdfmetrics.stringWidth(ch, font, font_size) for ch in chars) or font_size
        # the highest baseline at which a character's outer corners touch the inner edge
        baseline = math.sqrt(inner ** 2 - (widest / 2) ** 2) - ascent
        bottom = baseline + descent  # a box is widest, seen from the centre, at its bottom
        step_min = 2 * math.degrees(math.atan(widest * RING_GAP / 2 / bottom))
        if (count - 1) * step_min <= RING_SPAN_MAX or font_size <= size * RING_FONT_MIN:
            break
        font_size *= 0.97
    step = min(max(step_min, RING_STEP), RING_SPAN_MAX / (count - 1)) if count > 1 else 0.0
    span = step * (count - 1)
    glyphs = []
    for i, ch in enumerate(chars):
        angle = 90 + span / 2 - step * i
        rad = math.radians(angle)
        glyphs.append(RingGlyph(ch, baseline * math.cos(rad), baseline * math.sin(rad), angle,
                                font_size))
    return glyphs


def draw_seal(c: Any, x: float, y: float, size: float, *, unit_name: str, seal_name: str,
              code: str = "") -> None:
    """Draw the round seal in the square (x, y, size) of a reportlab canvas."""
    font = seal_font()
    cx, cy, radius = x + size / 2, y + size / 2, size / 2
    ring = size * RING_WIDTH
    c.saveState()
    c.setStrokeColorRGB(*SEAL_RED)
    c.setFillColorRGB(*SEAL_RED)
    c.setLineWidth(ring)
    c.circle(cx, cy, radius - ring / 2, stroke=1, fill=0)
    _star(c, cx, cy, size * 0.16)
    # The unit's name along the upper arc, clockwise from lower left to lower right.
    for glyph in ring_layout(unit_name, size, font):
        c.saveState()
        c.translate(cx + glyph.x, cy + glyph.y)
        c.rotate(glyph.angle - 90)
        c.setFont(font, glyph.font_size)
        c.drawCentredString(0, 0, glyph.char)
        c.restoreState()
    if seal_name:
        name_size = min(size * 0.085, size * NAME_WIDTH / max(len(seal_name), 1))
        c.setFont(font, name_size)
        c.drawCentredString(cx, cy - size * NAME_DROP, seal_name)
    if code:
        c.setFont("Helvetica", size * 0.045)
        c.drawCentredString(cx, cy - size * 0.39, code)
    c.restoreState()


def _display_name(seal: Any) -> str:
    """The name printed under the star: the seal's name without the unit's name."""
    name = str(seal.name)
    unit = str(seal.unit.name)
    return name[len(unit):] if name.startswith(unit) and len(name) > len(unit) else name


def check_picture(data: bytes) -> str:
    """Check an uploaded seal picture by content: PNG or JPEG (magic bytes) that reportlab
    can read, at most 2 MB. Returns "png" or "jpeg"; raises SealRuleViolation."""
    if len(data) > MAX_PICTURE_BYTES:
        raise SealRuleViolation(_("印模图片不能超过 2 MB。"), code="picture_too_large")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    else:
        raise SealRuleViolation(_("印模图片只能是 PNG 或 JPEG 格式。"), code="picture_type")
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception as exc:
        raise SealRuleViolation(_("印模图片无法读取。"), code="picture_unreadable") from exc
    if width <= 0 or height <= 0:
        raise SealRuleViolation(_("印模图片无法读取。"), code="picture_unreadable")
    return kind


def picture_sha256(seal: Any) -> str:
    """Hash of the picture as the seal data records it: the uploaded bytes, or the vector
    stamp PDF (deterministic)."""
    if seal.picture_kind == "image" and seal.picture:
        return hashlib.sha256(bytes(seal.picture)).hexdigest()
    return hashlib.sha256(stamp_pdf(seal)).hexdigest()


def stamp_pdf(seal: Any, size: float = SEAL_SIZE_PT) -> bytes:
    """A one-page PDF exactly `size` points square holding the seal picture; cached per
    seal, picture and size. Deterministic bytes (reportlab's invariant mode)."""
    picture = bytes(seal.picture or b"") if seal.picture_kind == "image" else b""
    key = (seal.pk, seal.code, seal.name, seal.unit_id, hashlib.sha256(picture).hexdigest(),
           round(size, 3), seal_font())
    with _lock:
        cached = _stamps.get(key)
    if cached is not None:
        return cached
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(size, size), invariant=1, pageCompression=1)
    if picture:
        c.drawImage(ImageReader(io.BytesIO(picture)), 0, 0, size, size,
                    preserveAspectRatio=True, anchor="c", mask="auto")
    else:
        draw_seal(c, 0, 0, size, unit_name=seal.unit.name, seal_name=_display_name(seal),
                  code=seal.code)
    c.showPage()
    c.save()
    data = buf.getvalue()
    with _lock:
        _stamps[key] = data
    return data


def seal_svg(seal: Any, size: int = 160) -> str:
    """An SVG preview of the seal for pages (no outside reference: an uploaded picture is
    inlined as a data: URL)."""
    label = html.escape(seal.name)
    if seal.picture_kind == "image" and seal.picture:
        data = bytes(seal.picture)
        mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        src = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        return (f'<img src="{src}" width="{size}" height="{size}" alt="{label}">')
    s = float(size)
    cx = cy = s / 2
    red = "#db140f"
    ring = s * RING_WIDTH
    pts = []
    for i in range(10):
        r = s * 0.16 * (1 if i % 2 == 0 else 0.382)
        a = math.pi / 2 + i * math.pi / 5
        pts.append(f"{cx + r * math.cos(a):.2f},{cy - r * math.sin(a):.2f}")
    # the unit's name character by character, placed as in the PDF (SVG's y points down)
    unit = "".join(
        f'<text transform="translate({cx + g.x:.2f},{cy - g.y:.2f}) '
        f'rotate({90 - g.angle:.2f})" font-size="{g.font_size:.2f}" '
        f'text-anchor="middle">{html.escape(g.char)}</text>'
        for g in ring_layout(str(seal.unit.name), s, seal_font()))
    name = html.escape(_display_name(seal))
    return (
        f'<svg width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="{label}">'
        f'<circle cx="{cx}" cy="{cy}" r="{s / 2 - ring / 2:.2f}" fill="none" '
        f'stroke="{red}" stroke-width="{ring:.2f}"/>'
        f'<polygon points="{" ".join(pts)}" fill="{red}"/>'
        f'<g class="seal-unit" fill="{red}">{unit}</g>'
        f'<text x="{cx}" y="{cy + s * NAME_DROP:.2f}" fill="{red}" font-size="{s * 0.075:.1f}" '
        f'text-anchor="middle">{name}</text>'
        f'<text x="{cx}" y="{cy + s * 0.41:.2f}" fill="{red}" font-size="{s * 0.045:.1f}" '
        f'text-anchor="middle">{html.escape(seal.code)}</text></svg>'
    )
