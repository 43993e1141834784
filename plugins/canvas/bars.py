"""A small horizontal bar chart as self-contained inline SVG, for workshop evidence.

Each bar prints its figure and the number of people behind it, so nothing depends on
colour or on reading the bar's length alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

from plugins.canvas.heatmap import ratio_colour

LABEL_W, BAR_W, ROW_H = 170, 220, 26
NEUTRAL = "#5e3c99"


@dataclass(frozen=True)
class Bar:
    label: str
    share: float  # 0..1
    people: int


def bars_svg(title: str, description: str, bars: Sequence[Bar], caption: str = "", neutral: bool = False) -> Markup:
    """``<figure>`` with an SVG bar per row (share as a percentage) and a text caption.

    Bars are coloured on the heat map's agreement scale, or one neutral colour (``neutral``)
    when the share is not an agreement (e.g. the share of a role)."""
    height = ROW_H * len(bars) + 8
    width = LABEL_W + BAR_W + 110
    parts = [
        '<figure class="divergence-evidence">',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" font-family="sans-serif"><title>{escape(title)}</title><desc>{escape(description)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = 4 + row * ROW_H
        share = min(1.0, max(0.0, bar.share))
        parts.append(
            f'<text x="4" y="{y + 16}" font-size="12">{escape(bar.label)}</text>'
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{BAR_W}" height="{ROW_H - 8}" fill="#eeeeee"/>'
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{share * BAR_W:.1f}" height="{ROW_H - 8}" '
            f'fill="{NEUTRAL if neutral else ratio_colour(share)}"/>'
            f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 16}" font-size="12">{round(share * 100)} % · {bar.people}</text>'
        )
    parts.append("</svg>")
    if caption:
        parts.append(f"<figcaption>{escape(caption)}</figcaption>")
    parts.append("</figure>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text above is escaped
