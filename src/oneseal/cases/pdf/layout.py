"""The page of a legal document: A4, the issuer's name and the title at the top, the document
number, the addressee, the body blocks of `texts.py`, and at the bottom right the issuer's
name and the date over a blank area left for the seal (the seal issue signs and stamps the
document there; no seal is drawn here). The seal area is reported in PDF points so that the
signer can place the seal's appearance on it.

The output is deterministic (`invariant`, creation date = the issue day): the same snapshot
gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable, KeepTogether

from .cjk import CJKText
from .texts import Block

BODY_SIZE = 15
BODY_LEADING = 26
SEAL_SIZE = 42 * mm
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 28 * mm, 26 * mm, 25 * mm, 22 * mm
PAGE_WIDTH = A4[0] - MARGIN_LEFT - MARGIN_RIGHT


@dataclass(frozen=True)
class SealBox:
    """Where the seal goes: page (0-based) and the square's lower-left corner and side, in
    PDF points from the page's lower-left corner."""

    page: int
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    seal_box: SealBox


@dataclass(frozen=True)
class Heading:
    issuer: str
    title: str
    number_line: str
    addressee: str
    date_text: str
    subject: str
    pdf_date: str = ""  # YYYYMMDD: the PDF's creation date (the issue day, for determinism)


class SealArea(Flowable):
    """The issuer's name and the date, right-aligned, and the blank square the seal covers
    (骑年盖月: the seal sits over the name and the date)."""

    def __init__(self, issuer: str, date_text: str, font: str, found: list[SealBox]) -> None:
        super().__init__()
        self.issuer, self.date_text, self.font, self.found = issuer, date_text, font, found
        self.height = 34 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        size = BODY_SIZE
        date_width = stringWidth(self.date_text, self.font, size)
        name_width = stringWidth(self.issuer, self.font, size)
        date_x = self.width - 2 * size - date_width  # the date ends two characters in
        centre = date_x + date_width / 2
        name_x = min(centre - name_width / 2, self.width - name_width)
        date_y = 6 * mm
        name_y = date_y + size * 1.7
        canvas.setFont(self.font, size)
        canvas.drawString(name_x, name_y, self.issuer)
        canvas.drawString(date_x, date_y, self.date_text)
        middle_y = (date_y + name_y + size * 0.7) / 2
        x, y = canvas.absolutePosition(centre - SEAL_SIZE / 2, middle_y - SEAL_SIZE / 2)
        self.found.append(SealBox(page=canvas.getPageNumber() - 1, x=round(x, 2),
                                  y=round(y, 2), size=round(SEAL_SIZE, 2)))


class _Text:
    """The text styles of a document, as CJKText factories."""

    def __init__(self, font: str) -> None:
        self.font = font

    def __call__(self, text: str, *, size: float = BODY_SIZE, leading: float = BODY_LEADING,
                 **options: Any) -> CJKText:
        return CJKText(text, font=self.font, size=size, leading=leading, **options)


def _table(rows: list[tuple[str, str]], text: _Text) -> Table:
    cell = {"size": 13, "leading": 20, "align": "left"}
    data = [[text(label, **cell), text(value, **cell)] for label, value in rows]
    table = Table(data, colWidths=[44 * mm, PAGE_WIDTH - 44 * mm])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _body(blocks: list[Block], text: _Text) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        if block.kind == "para":
            story.append(text(block.text, first_indent=2 * BODY_SIZE))
        elif block.kind == "plain":
            story.append(text(block.text))
        elif block.kind == "note":
            story.append(text(block.text, size=11, leading=17, align="left"))
        elif block.kind == "items":
            story.extend(text(f"{n}. {item}", first_indent=2 * BODY_SIZE,
                              indent=3.2 * BODY_SIZE)
                         for n, item in enumerate(block.items, start=1))
        elif block.kind == "table":
            story.append(_table(block.rows, text))
        else:
            raise ValueError(f"unknown block {block.kind}")
    return story


def render(heading: Heading, blocks: list[Block], *, font: str, notes: list[str]) -> Rendered:
    """The PDF of one document (see the module docstring)."""
    text = _Text(font)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=heading.title,
        author=heading.issuer, subject=heading.subject, creator="OneSeal", invariant=1,
        lang="zh-CN")
    found: list[SealBox] = []
    story: list[Flowable] = [
        text(heading.issuer, size=16, leading=24, align="center"),
        text(heading.title, size=22, leading=36, align="center"),
        text(heading.number_line, size=12, leading=18, align="right"),
        HRFlowable(width="100%", thickness=0.8, color=colors.black, spaceBefore=2,
                   spaceAfter=10),
    ]
    if heading.addressee:
        story.append(text(heading.addressee))
    story += _body(blocks, text)
    story.append(Spacer(1, 2 * mm))
    story.append(KeepTogether([SealArea(heading.issuer, heading.date_text, font, found)]))
    footnotes = [text(note, size=11, leading=16, align="left") for note in notes if note]

    def footer(canvas: Any, document: Any) -> None:
        if heading.pdf_date:
            canvas.setDateFormatter(lambda *_parts: f"D:{heading.pdf_date}000000+08'00'")
        canvas.saveState()
        y = 17 * mm
        for note in footnotes:  # small print above the page number, on every page
            _width, height = note.wrap(PAGE_WIDTH, MARGIN_BOTTOM)
            note.drawOn(canvas, MARGIN_LEFT, y)
            y += height
        canvas.setFont(font, 11)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return Rendered(pdf=buffer.getvalue(), pages=doc.page, seal_box=found[-1])
