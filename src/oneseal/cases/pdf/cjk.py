"""Chinese text for the documents: line breaking with the rules of Chinese typesetting
(避头尾: no line starts with a closing mark such as ，。）” and none ends with an opening one
such as （“《), Latin words and numbers (case numbers, dates) kept whole, lines justified
(两端对齐) except the last of a paragraph. ReportLab's own CJK wrapping lets at most one
closing mark hang, so `）。` or `），` at a line's end still starts the next line with a mark.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

CANNOT_START = frozenset("，。、；：？！）》」』】〕］｝〉”’…％·,.;:?!)]}%")
CANNOT_END = frozenset("（《「『【〔［｛〈“‘([{")
_UNITS = re.compile(r"[A-Za-z0-9@_\-./+#]+|\s|.", re.S)
_FUZZ = 0.01


def break_lines(text: str, font: str, size: float, first_width: float,
                width: float) -> list[tuple[str, bool]]:
    """The lines of `text` as (line, wrapped): `wrapped` when the line ended because it was
    full (so it may be justified). The first line has `first_width`, the others `width`;
    `\\n` forces a break."""
    lines: list[tuple[str, bool]] = []
    for hard in text.split("\n"):
        units: list[str] = []
        for unit in _UNITS.findall(hard):
            if len(unit) > 1 and stringWidth(unit, font, size) > width:
                units.extend(unit)  # a Latin run longer than a line breaks anywhere
            else:
                units.append(unit)
        widths = [stringWidth(unit, font, size) for unit in units]
        start = 0
        if not units:
            lines.append(("", False))
        while start < len(units):
            available = first_width if not lines else width
            used, end = 0.0, start
            while end < len(units) and used + widths[end] <= available + _FUZZ:
                used += widths[end]
                end += 1
            if end == len(units):
                lines.append(("".join(units[start:]).rstrip(), False))
                break
            cut = max(end, start + 1)
            while cut > start + 1 and (units[cut] in CANNOT_START
                                       or units[cut - 1] in CANNOT_END):
                cut -= 1
            lines.append(("".join(units[start:cut]).rstrip(), True))
            start = cut
            while start < len(units) and units[start].isspace():
                start += 1
    return lines


class CJKText(Flowable):
    """A paragraph of plain text (no markup) set with `break_lines`. `align` is `justify`,
    `left`, `center` or `right`; `first_indent` and `indent` are the left indents of the
    first and the following lines. Splits between lines across pages, leaving at least two
    lines on each side (no widow or orphan lines)."""

    def __init__(self, text: str, *, font: str, size: float, leading: float,
                 first_indent: float = 0.0, indent: float = 0.0, align: str = "justify",
                 space_after: float = 0.0, lines: list[tuple[str, bool]] | None = None,
                 first: bool = True) -> None:
        super().__init__()
        self.text, self.font, self.size, self.leading = text, font, size, leading
        self.first_indent, self.indent, self.align = first_indent, indent, align
        self.space_after = space_after
        self._lines, self._first, self._for_width = lines, first, None if lines is None else -1.0

    def _layout(self, width: float) -> list[tuple[str, bool]]:
        if self._lines is None or (self._for_width not in (-1.0, width)):
            first = self.first_indent if self._first else self.indent
            self._lines = break_lines(self.text, self.font, self.size, width - first,
                                      width - self.indent)
            self._for_width = width
        return self._lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = len(self._layout(available_width)) * self.leading
        return available_width, self.height

    def getSpaceAfter(self) -> float:  # ReportLab's name
        return self.space_after

    def split(self, available_width: float, available_height: float) -> list[Any]:
        lines = self._layout(available_width)
        fit = int((available_height + _FUZZ) // self.leading)
        if fit >= len(lines):
            return [self]
        fit = min(fit, len(lines) - 2)  # no single line left alone at either end of a page
        if fit < 2:
            return []
        common: dict[str, Any] = {"font": self.font, "size": self.size,
                                  "leading": self.leading, "first_indent": self.first_indent,
                                  "indent": self.indent, "align": self.align}
        return [CJKText(self.text, lines=lines[:fit], first=self._first, **common),
                CJKText(self.text, lines=lines[fit:], first=False,
                        space_after=self.space_after, **common)]

    def draw(self) -> None:
        canvas = self.canv
        lines = self._layout(self.width)
        top = self.height
        for number, (line, wrapped) in enumerate(lines):
            left = (self.first_indent if number == 0 and self._first else self.indent)
            room = self.width - left
            text_width = stringWidth(line, self.font, self.size)
            x, char_space = left, 0.0
            if self.align == "center":
                x = left + (room - text_width) / 2
            elif self.align == "right":
                x = self.width - text_width
            elif self.align == "justify" and wrapped and len(line) > 1:
                char_space = (room - text_width) / (len(line) - 1)
                if char_space > self.size * 0.3:
                    char_space = 0.0  # a gap that wide reads worse than a ragged edge
            baseline = top - (number + 0.5) * self.leading - 0.36 * self.size
            text = canvas.beginText(x, baseline)
            text.setFont(self.font, self.size)
            if char_space:
                text.setCharSpace(char_space)
            text.textOut(line)
            canvas.drawText(text)
