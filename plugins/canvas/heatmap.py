"""Alignment heat map as inline SVG (the same markup serves pages, reports and PDFs).

Rows are the canvas elements; the first column is everyone's agreement ratio,
the others the ratio of each actor type's own votes. The colour shows the
ratio (orange = disagreement, purple = agreement, grey = no votes) and each
cell also prints the figure, so nothing depends on colour alone.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from core.api import ORGANISATION_TYPES
from plugins.canvas.alignment import Alignment
from plugins.canvas.elements import framework

CELL_W, CELL_H, LABEL_W, HEAD_H = 70, 34, 190, 96
_LOW, _MID, _HIGH = (230, 97, 1), (247, 247, 247), (94, 60, 153)


def ratio_colour(ratio: float | None) -> str:
    """Diverging orange–white–purple scale, readable with common colour-vision deficiencies."""
    if ratio is None:
        return "#d9d9d9"
    start, end, t = (_LOW, _MID, ratio * 2) if ratio < 0.5 else (_MID, _HIGH, (ratio - 0.5) * 2)
    rgb = tuple(round(a + (b - a) * t) for a, b in zip(start, end))
    return "#%02x%02x%02x" % rgb


def _text_colour(ratio: float | None) -> str:
    return "#ffffff" if ratio is not None and (ratio > 0.8 or ratio < 0.15) else "#1a1a1a"


def percent(ratio: float | None) -> str:
    return "–" if ratio is None else f"{round(ratio * 100)} %"


def heatmap_svg(alignment: Alignment) -> Markup:
    titles = framework().by_key()
    columns: list[tuple[str, dict]] = [("All members", {})]
    columns += [(ORGANISATION_TYPES.get(a.actor_type, a.actor_type), a.cells) for a in alignment.shown_actor_types]
    width = LABEL_W + CELL_W * len(columns) + 40
    height = HEAD_H + CELL_H * len(alignment.elements) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="canvas-heatmap" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="hm-title hm-desc" font-family="sans-serif">',
        '<title id="hm-title">Agreement per element and actor type</title>',
        '<desc id="hm-desc">Share of agree votes among all votes for each canvas element, for all members and for '
        "each actor type; the number under the percentage is how many notes and votes that group gave. "
        "The table below gives the same figures.</desc>",
    ]
    for i, (label, _) in enumerate(columns):
        x, y = LABEL_W + i * CELL_W + CELL_W / 2 - 4, HEAD_H - 8
        parts.append(
            f'<text x="{x:.0f}" y="{y}" font-size="11" transform="rotate(-35 {x:.0f} {y})">{escape(label)}</text>'
        )
    for row, element in enumerate(alignment.elements):
        y = HEAD_H + row * CELL_H
        title = titles[element.element].short if element.element in titles else element.element
        parts.append(f'<text x="4" y="{y + CELL_H / 2 + 4:.0f}" font-size="12">{escape(title)}</text>')
        cells = [(element.agreement_ratio, element.notes + element.votes)]
        for _, by_element in columns[1:]:
            cell = by_element.get(element.element)
            cells.append((cell.agreement_ratio, cell.contributions) if cell else (None, 0))
        for col, (ratio, count) in enumerate(cells):
            x = LABEL_W + col * CELL_W
            tip = f"{title} · {columns[col][0]}: {percent(ratio)} agreement, {count} contributions"
            parts.append(
                f'<g><title>{escape(tip)}</title>'
                f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" rx="3" '
                f'fill="{ratio_colour(ratio)}"/>'
                f'<text x="{x + CELL_W / 2:.0f}" y="{y + 15}" font-size="12" text-anchor="middle" '
                f'fill="{_text_colour(ratio)}">{percent(ratio)}</text>'
                f'<text x="{x + CELL_W / 2:.0f}" y="{y + 28}" font-size="9" text-anchor="middle" '
                f'fill="{_text_colour(ratio)}">{count}</text></g>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
