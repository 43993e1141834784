"""Server-side SVG radar charts: one markup for the page, the PDF and reports.

Colours are SVG presentation attributes (not ``style``), which the content
security policy allows and WeasyPrint renders. Every chart carries a <title>
and <desc>; pages put an accessible table next to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import count
from typing import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1d5c63", "#c2410c", "#6d28d9", "#15803d", "#b45309")
_ids = count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # 0-100, one per axis; None is drawn at the centre


def _point(cx: float, cy: float, radius: float, index: int, total: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / total
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def radar_svg(
    axes: Sequence[str],
    series: Sequence[Series],
    title: str,
    description: str,
    size: int = 420,
    show_labels: bool = True,
) -> Markup:
    """A radar chart of 0-100 scores, one polygon per series."""
    uid = f"radar{next(_ids)}"
    total = max(len(axes), 3)
    margin = 42 if show_labels else 4
    cx = cy = size / 2
    radius = size / 2 - margin
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" class="radar">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(description)}</desc>',
    ]
    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(cx, cy, radius * ring / 100, i, total) for i in range(total)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#cfd8dc" stroke-width="1"/>')
    for i, axis in enumerate(axes):
        x, y = _point(cx, cy, radius, i, total)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#cfd8dc" stroke-width="1"/>')
        if show_labels:
            lx, ly = _point(cx, cy, radius + 16, i, total)
            anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
            parts.append(
                f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" font-size="12" '
                f'font-family="sans-serif" fill="#37474f">{escape(axis)}</text>'
            )
    for n, item in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        pts = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (_point(cx, cy, radius * max(0.0, min(100.0, v or 0.0)) / 100, i, total) for i, v in enumerate(item.values))
        )
        dash = ' stroke-dasharray="5 4"' if n else ""
        opacity = "0.25" if n == 0 else "0.05"
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="{opacity}" stroke="{colour}" stroke-width="2"{dash}>'
            f"<title>{escape(item.label)}</title></polygon>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(series: Sequence[Series]) -> Markup:
    """A small legend that names each polygon (colour swatch plus label)."""
    items = "".join(
        f'<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="{PALETTE[n % len(PALETTE)]}"/></svg> '
        f"{escape(s.label)}</li>"
        for n, s in enumerate(series)
    )
    return Markup(f'<ul class="chart-legend">{items}</ul>')



@dataclass(frozen=True)
class SpreadRow:
    label: str
    q1: float
    median: float
    q3: float
    n: int


def spread_svg(rows: Sequence[SpreadRow], title: str, description: str) -> Markup:
    """One row per group on a 0-100 axis: the middle half of scores as a bar (first to third
    quartile) and the median as a tick, with the median and n printed beside it."""
    label_w, axis_w, row_h = 170, 240, 26
    width, height = label_w + axis_w + 110, row_h * len(rows) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" font-family="sans-serif"><title>{escape(title)}</title><desc>{escape(description)}</desc>'
    ]
    for row, item in enumerate(rows):
        y = 4 + row * row_h

        def x(score: float) -> float:
            return label_w + axis_w * min(100.0, max(0.0, score)) / 100

        parts.append(
            f'<text x="4" y="{y + 16}" font-size="12">{escape(item.label)}</text>'
            f'<line x1="{label_w}" y1="{y + 12}" x2="{label_w + axis_w}" y2="{y + 12}" stroke="#bbbbbb"/>'
            f'<rect x="{x(item.q1):.1f}" y="{y + 5}" width="{max(x(item.q3) - x(item.q1), 1):.1f}" height="14" '
            f'fill="{PALETTE[0]}" fill-opacity="0.35"/>'
            f'<line x1="{x(item.median):.1f}" y1="{y + 3}" x2="{x(item.median):.1f}" y2="{y + 21}" '
            f'stroke="{PALETTE[1]}" stroke-width="3"/>'
            f'<text x="{label_w + axis_w + 6}" y="{y + 16}" font-size="12">{round(item.median)} · n {item.n}</text>'
        )
    base = 4 + len(rows) * row_h + 12
    for tick in (0, 50, 100):
        parts.append(f'<text x="{label_w + axis_w * tick / 100:.0f}" y="{base}" font-size="10" '
                     f'text-anchor="middle">{tick}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
