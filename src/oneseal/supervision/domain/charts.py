"""Charts of the statistics pages, drawn on the server as inline SVG (no script, nothing from
another host; the page's Content-Security-Policy allows no inline style, so colours come
from classes in ``supervision/stats.css``).

Each chart is an accessible image: ``role="img"`` named by its ``<title>`` and described by
its ``<desc>`` (which states every value), and the page shows the same numbers in a table
beside it. All text is escaped here; the caller marks the result safe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 40


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    css: str  # the class that colours it (chart-a, chart-b, ...)


def _nice_max(value: int) -> int:
    """The top of the axis: the smallest 1, 2 or 5 × 10^n not below `value` (at least 1)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series]
              ) -> str:
    """Grouped vertical bars: one group per label (e.g. per month), one bar per series, a
    value axis with five gridlines and a legend."""
    maximum = _nice_max(max((v for s in series for v in s.values), default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    groups = max(1, len(labels))
    group_w = plot_w / groups
    bar_w = max(1.0, group_w * 0.8 / max(1, len(series)))
    lines = [
        f"{label}：" + "，".join(f"{s.name} {s.values[i]}" for s in series)
        for i, label in enumerate(labels)]
    out = _open(chart_id, title, "；".join(lines) or title, WIDTH, HEIGHT)
    for step in range(6):
        value = maximum * step // 5
        y = TOP + plot_h - plot_h * step / 5
        out.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                   f'y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="chart-axis" x="{LEFT - 6}" y="{y + 4:.1f}" '
                   f'text-anchor="end">{value}</text>')
    every = max(1, (groups + 11) // 12)  # at most 12 labels under the axis
    for i, label in enumerate(labels):
        x0 = LEFT + group_w * i + group_w * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / maximum
            x = x0 + bar_w * j
            y = TOP + plot_h - h
            out.append(f'<rect class="{escape(s.css)}" x="{x:.1f}" y="{y:.1f}" '
                       f'width="{bar_w:.1f}" height="{h:.1f}"><title>{escape(label)} '
                       f'{escape(s.name)}：{value}</title></rect>')
        if i % every == 0:
            out.append(f'<text class="chart-axis" x="{LEFT + group_w * (i + 0.5):.1f}" '
                       f'y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>')
    x = LEFT
    for s in series:
        out.append(f'<rect class="{escape(s.css)}" x="{x}" y="{HEIGHT - 14}" width="10" '
                   'height="10"/>')
        out.append(f'<text class="chart-legend" x="{x + 14}" y="{HEIGHT - 5}">'
                   f'{escape(s.name)}</text>')
        x += 16 + 14 * len(s.name) + 24
    out.append("</svg>")
    return "\n".join(out)


def share_bars(chart_id: str, title: str, shares: Sequence[tuple[str, float | None]]) -> str:
    """Horizontal bars of shares (0–1), one per measure, each with its percentage; a share
    that cannot be computed (nothing counted) shows as —."""
    row_h = 34
    label_w = 150
    width = WIDTH
    height = TOP + row_h * max(1, len(shares)) + 8
    bar_max = width - label_w - RIGHT - 60
    desc = "；".join(f"{name}：{'—' if v is None else f'{v * 100:.1f}%'}"
                     for name, v in shares)
    out = _open(chart_id, title, desc or title, width, height)
    for i, (name, value) in enumerate(shares):
        y = TOP + row_h * i
        out.append(f'<text class="chart-label" x="{label_w - 8}" y="{y + 17}" '
                   f'text-anchor="end">{escape(name)}</text>')
        out.append(f'<rect class="chart-track" x="{label_w}" y="{y + 4}" width="{bar_max}" '
                   'height="18"/>')
        if value is not None:
            w = bar_max * min(1.0, max(0.0, value))
            out.append(f'<rect class="chart-a" x="{label_w}" y="{y + 4}" width="{w:.1f}" '
                       f'height="18"><title>{escape(name)}：{value * 100:.1f}%</title></rect>')
        text = "—" if value is None else f"{value * 100:.1f}%"
        out.append(f'<text class="chart-value" x="{label_w + bar_max + 6}" y="{y + 17}">'
                   f"{text}</text>")
    out.append("</svg>")
    return "\n".join(out)
