"""The licence PDF (许可证 / 批准文书), drawn on one A4 page with reportlab.

Two templates, chosen by the licence type:

* ``certificate`` — a bordered certificate: the licence name as title, a table of the
  catalogue fields (证照编号, 持证主体, 统一社会信用代码 or 身份证号 — masked for persons, the
  licence being shown and printed widely —, 许可事项, the type's scope label, 有效期, 发证机关,
  发证日期, 电子证照标识);
* ``approval`` — a letter-style approval (批准文书): the issuer, the title, the number line,
  the holder as addressee, one paragraph granting the item (第38条第一款), then the same table.

Both carry, bottom left, a QR code (vector squares) that opens the public
verification page ``{ONESEAL_PUBLIC_URL}/verify/l/<identifier>/`` with the identifier
printed under it, and bottom right the issuer's name and the issue date under a blank square
left for the seal (`SealBox`, in PDF points), which the signer stamps and signs there.

Chinese text uses the CJK font of the legal documents (`oneseal.core.fonts`: an
embedded TrueType font when one is installed, else the built-in STSong-Light CID font with a
logged warning). The bytes are deterministic: `invariant` mode and the issue day as the PDF's
creation date, so the same licence renders to the same file.
"""

from __future__ import annotations

import io
from typing import Any

import qrcode
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from oneseal.cases.pdf.cjk import break_lines
from oneseal.cases.pdf.layout import SEAL_SIZE, Rendered, SealBox
from oneseal.cases.pdf.texts import cn_date
from oneseal.core import fonts

from .models import HolderIdType, Licence, TemplateKind

PAGE_W, PAGE_H = A4
MARGIN = 22 * mm
LABEL_W = 40 * mm
CELL_SIZE, CELL_LEADING, CELL_PAD = 12.5, 19.0, 5.0
QR_SIZE = 30 * mm
RED = colors.Color(0.72, 0.07, 0.07)


def verify_url(identifier: str) -> str:
    """The public verification page of a licence (the QR code's target)."""
    return f"{settings.ONESEAL_PUBLIC_URL.rstrip('/')}/verify/l/{identifier}/"


def validity_text(licence: Licence) -> str:
    if licence.valid_to is None:
        return _("自%(start)s起长期有效") % {"start": cn_date(licence.valid_from)}
    return _("%(start)s至%(end)s") % {"start": cn_date(licence.valid_from),
                                     "end": cn_date(licence.valid_to)}


def field_rows(licence: Licence) -> list[tuple[str, str]]:
    id_label = (_("身份证号") if licence.holder_id_type == HolderIdType.RESIDENT_ID
                else _("统一社会信用代码"))
    scope_label = licence.type.scope_label or _("许可范围")
    rows = [
        (_("证照编号"), licence.number),
        (_("持证主体"), licence.holder_name),
        (id_label, licence.holder_id_masked),
        (_("许可事项"), licence.item_name),
        (scope_label, licence.scope),  # left out below when nothing was applied for
        (_("有效期"), validity_text(licence)),
        (_("发证机关"), licence.issuer_name),
        (_("发证日期"), cn_date(licence.issued_on)),
        (_("电子证照标识"), licence.identifier),
    ]
    return [(label, value) for label, value in rows
            if value or label != scope_label]


QR_MASK = 2  # a fixed mask pattern (see `qr`)


class _Page:
    def __init__(self, canvas: Canvas, font: str) -> None:
        self.c, self.font = canvas, font

    def centred(self, text: str, y: float, size: float) -> None:
        self.c.setFont(self.font, size)
        self.c.drawCentredString(PAGE_W / 2, y, text)

    def lines(self, text: str, x: float, top: float, width: float, size: float,
              leading: float, first_indent: float = 0.0) -> float:
        """Draw wrapped text from baseline `top` down; return the y below the last line."""
        self.c.setFont(self.font, size)
        y = top
        for number, (line, _wrapped) in enumerate(
                break_lines(text, self.font, size, width - first_indent, width)):
            self.c.drawString(x + (first_indent if number == 0 else 0), y, line)
            y -= leading
        return y

    def table(self, rows: list[tuple[str, str]], top: float) -> float:
        """The field table from `top` down; returns its bottom."""
        c, left, width = self.c, MARGIN, PAGE_W - 2 * MARGIN
        value_w = width - LABEL_W - 2 * CELL_PAD
        y = top
        c.setLineWidth(0.6)
        c.setStrokeColor(colors.black)
        for label, value in rows:
            wrapped = break_lines(value or "—", self.font, CELL_SIZE, value_w, value_w)
            height = max(1, len(wrapped)) * CELL_LEADING + 2 * CELL_PAD
            c.rect(left, y - height, width, height)
            c.line(left + LABEL_W, y, left + LABEL_W, y - height)
            c.setFont(self.font, CELL_SIZE)
            c.drawCentredString(left + LABEL_W / 2,
                                y - height / 2 - CELL_SIZE * 0.35, label)
            base = y - CELL_PAD - CELL_LEADING / 2 - CELL_SIZE * 0.35
            for line, _wrapped in wrapped:
                c.drawString(left + LABEL_W + CELL_PAD, base, line)
                base -= CELL_LEADING
            y -= height
        return y

    def qr(self, identifier: str) -> None:
        """The QR code as vector squares: the module matrix of `qrcode` (error correction M),
        each run of dark modules in a row one filled rectangle. (reportlab's QrCodeWidget
        draws the same vectors but takes ~25 ms per code, most of a licence's budget.) The
        mask pattern is fixed: any of the 8 masks makes a valid code (ISO/IEC 18004), and
        scoring all 8 to pick the "best" cost 8 ms of the ~12 ms the code took."""
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                             mask_pattern=QR_MASK)
        code.add_data(verify_url(identifier))
        code.make(fit=True)
        matrix = code.get_matrix()
        x, y = MARGIN, MARGIN + 16
        quiet = 2  # modules of white border
        module = QR_SIZE / (len(matrix) + 2 * quiet)
        c = self.c
        c.setFillColor(colors.black)
        path = c.beginPath()
        for row, cells in enumerate(matrix):
            top = y + QR_SIZE - (row + quiet + 1) * module
            col = 0
            while col < len(cells):
                if not cells[col]:
                    col += 1
                    continue
                start = col
                while col < len(cells) and cells[col]:
                    col += 1
                path.rect(x + (start + quiet) * module, top, (col - start) * module, module)
        c.drawPath(path, stroke=0, fill=1)
        self.c.setFont(self.font, 7)
        self.c.drawString(x, y - 2, _("扫码核验"))
        self.c.setFont("Helvetica", 6.5)
        self.c.drawString(x, y - 11, identifier)

    def issuer_block(self, issuer: str, day_text: str) -> SealBox:
        """The issuer's name and the date, right-aligned, with the seal square over them
        (骑年盖月)."""
        size = 14
        c = self.c
        date_w = stringWidth(day_text, self.font, size)
        name_w = stringWidth(issuer, self.font, size)
        right = PAGE_W - MARGIN - 6 * mm
        centre = right - max(date_w, name_w) / 2
        date_y = MARGIN + 24
        name_y = date_y + size * 1.8
        c.setFont(self.font, size)
        c.drawCentredString(centre, name_y, issuer)
        c.drawCentredString(centre, date_y, day_text)
        middle = (date_y + name_y + size * 0.7) / 2
        return SealBox(page=0, x=round(centre - SEAL_SIZE / 2, 2),
                       y=round(middle - SEAL_SIZE / 2, 2), size=round(SEAL_SIZE, 2))


def _certificate(page: _Page, licence: Licence) -> float:
    c = page.c
    c.setStrokeColor(RED)
    c.setLineWidth(2.4)
    c.rect(10 * mm, 10 * mm, PAGE_W - 20 * mm, PAGE_H - 20 * mm)
    c.setLineWidth(0.8)
    c.rect(13 * mm, 13 * mm, PAGE_W - 26 * mm, PAGE_H - 26 * mm)
    c.setFillColor(colors.black)
    page.centred(_("中华人民共和国"), PAGE_H - 38 * mm, 16)
    page.centred(licence.name, PAGE_H - 56 * mm, 30)
    page.centred(_("（电子证照）"), PAGE_H - 67 * mm, 12)
    return page.table(field_rows(licence), PAGE_H - 78 * mm)


def _approval(page: _Page, licence: Licence) -> float:
    c = page.c
    page.centred(licence.issuer_name, PAGE_H - 30 * mm, 16)
    page.centred(licence.name, PAGE_H - 44 * mm, 24)
    c.setFont(page.font, 12)
    c.drawRightString(PAGE_W - MARGIN, PAGE_H - 54 * mm, licence.number)
    c.setLineWidth(0.8)
    c.line(MARGIN, PAGE_H - 57 * mm, PAGE_W - MARGIN, PAGE_H - 57 * mm)
    width = PAGE_W - 2 * MARGIN
    y = page.lines(licence.holder_name + "：", MARGIN, PAGE_H - 67 * mm, width, 15, 26)
    body = _("你（单位）申请的“%(item)s”经审查符合法定条件、标准。根据《中华人民共和国行政许可法》"
             "第三十八条第一款的规定，准予行政许可，特发此文书。") % {"item": licence.item_name}
    y = page.lines(body, MARGIN, y, width, 15, 26, first_indent=30)
    return page.table(field_rows(licence), y - 4 * mm)


def render_licence(licence: Licence) -> Rendered:
    """The PDF of a licence (see the module docstring); always one page."""
    font = fonts.cjk_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    day = licence.issued_on
    canvas.setDateFormatter(lambda *_parts: f"D:{day:%Y%m%d}000000+08'00'")
    with translation.override("zh-hans"):
        canvas.setTitle(f"{licence.name} {licence.number}")
        canvas.setAuthor(licence.issuer_name)
        canvas.setSubject(licence.identifier)
        canvas.setCreator("OneSeal")
        page = _Page(canvas, font)
        draw: Any = _approval if licence.type.template == TemplateKind.APPROVAL else _certificate
        draw(page, licence)
        page.qr(licence.identifier)
        box = page.issuer_block(licence.issuer_name, cn_date(licence.issued_on))
    canvas.showPage()
    canvas.save()
    return Rendered(pdf=buffer.getvalue(), pages=1, seal_box=box)
