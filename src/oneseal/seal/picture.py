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
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.utils import ImageReader
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


def draw_seal(c: Any, x: float, y: float, size: float, *, unit_name: str, seal_name: str,
              code: str = "") -> None:
    """Draw the round seal in the square (x, y, size) of a reportlab canvas."""
    font = seal_font()
    cx, cy, radius = x + size / 2, y + size / 2, size / 2
    ring = size * 0.035
    c.saveState()
    c.setStrokeColorRGB(*SEAL_RED)
    c.setFillColorRGB(*SEAL_RED)
    c.setLineWidth(ring)
    c.circle(cx, cy, radius - ring / 2, stroke=1, fill=0)
    _star(c, cx, cy, size * 0.16)
    # The unit's name along the upper arc, clockwise from lower left to lower right.
    chars = list(unit_name) or [" "]
    font_size = size * (0.13 if len(chars) <= 10 else 0.11 if len(chars) <= 14 else 0.09)
    text_radius = radius - ring * 1.6 - font_size * 0.85
    span = min(250.0, 22.0 * len(chars)) if len(chars) > 1 else 0.0
    for i, ch in enumerate(chars):
        angle = 90 + span / 2 - (span * i / (len(chars) - 1) if len(chars) > 1 else 0)
        rad = math.radians(angle)
        c.saveState()
        c.translate(cx + text_radius * math.cos(rad), cy + text_radius * math.sin(rad))
        c.rotate(angle - 90)
        c.setFont(font, font_size)
        c.drawCentredString(0, 0, ch)
        c.restoreState()
    if seal_name:
        name_size = min(size * 0.085, size * 0.62 / max(len(seal_name), 1))
        c.setFont(font, name_size)
        c.drawCentredString(cx, cy - size * 0.27, seal_name)
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
    ring = s * 0.035
    pts = []
    for i in range(10):
        r = s * 0.16 * (1 if i % 2 == 0 else 0.382)
        a = math.pi / 2 + i * math.pi / 5
        pts.append(f"{cx + r * math.cos(a):.2f},{cy - r * math.sin(a):.2f}")
    arc_r = s / 2 - ring * 1.6 - s * 0.11 * 0.85
    unit = html.escape(seal.unit.name)
    name = html.escape(_display_name(seal))
    return (
        f'<svg width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="{label}">'
        f'<defs><path id="arc-{seal.pk}" d="M {cx - arc_r:.2f},{cy:.2f} '
        f'A {arc_r:.2f},{arc_r:.2f} 0 1,1 {cx + arc_r:.2f},{cy:.2f}"/></defs>'
        f'<circle cx="{cx}" cy="{cy}" r="{s / 2 - ring / 2:.2f}" fill="none" '
        f'stroke="{red}" stroke-width="{ring:.2f}"/>'
        f'<polygon points="{" ".join(pts)}" fill="{red}"/>'
        f'<text fill="{red}" font-size="{s * 0.11:.1f}"><textPath href="#arc-{seal.pk}" '
        f'startOffset="50%" text-anchor="middle">{unit}</textPath></text>'
        f'<text x="{cx}" y="{cy + s * 0.30:.2f}" fill="{red}" font-size="{s * 0.075:.1f}" '
        f'text-anchor="middle">{name}</text>'
        f'<text x="{cx}" y="{cy + s * 0.41:.2f}" fill="{red}" font-size="{s * 0.045:.1f}" '
        f'text-anchor="middle">{html.escape(seal.code)}</text></svg>'
    )
