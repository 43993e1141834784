"""The canvas as a one-page A3 landscape PDF, plus the public blank canvas and guide.

WeasyPrint clips what overflows a box, so notes are fitted before rendering:
each box gets the largest font size at which its notes fit, estimated from
the box's size; if even the smallest size is not enough, the box lists as many
notes as fit and says how many more are in the CSV export.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import render_template

from core.api import render_pdf, utcnow
from plugins.canvas.elements import Element, framework
from plugins.canvas.queries import ElementView, NoteView

#: Usable box size in mm (width, height below the box title) in the A3 grid of canvas_pdf.css.
BOX_SIZES: dict[str, tuple[float, float]] = {
    "actors": (95, 168),
    "activities": (95, 72),
    "resources": (95, 72),
    "propositions": (95, 168),
    "flows": (95, 168),
    "governance": (195, 46),
    "vision": (195, 46),
}
FONT_SIZES_PT = (9.0, 8.0, 7.0, 6.0, 5.0)
PT_MM = 0.3528


@dataclass(frozen=True)
class PrintedBox:
    element: Element
    notes: tuple[NoteView, ...]
    hidden: int
    font_pt: float

    @property
    def font_class(self) -> str:
        return "fs-" + str(self.font_pt).replace(".", "-")


def _lines_needed(notes: tuple[NoteView, ...] | list[NoteView], width_mm: float, font_pt: float) -> float:
    chars_per_line = max(10, int(width_mm / (0.56 * font_pt * PT_MM)) - 3)
    return sum(math.ceil(max(1, len(n.text) + len(n.author_label) + 3) / chars_per_line) + 0.35 for n in notes)


def fit_box(element: Element, notes: list[NoteView]) -> PrintedBox:
    width, height = BOX_SIZES.get(element.key, (95, 76))
    for font_pt in FONT_SIZES_PT:
        lines_available = height / (1.25 * font_pt * PT_MM)
        if _lines_needed(notes, width, font_pt) <= lines_available:
            return PrintedBox(element, tuple(notes), 0, font_pt)
    smallest = FONT_SIZES_PT[-1]
    lines_available = height / (1.25 * smallest * PT_MM) - 1.5
    shown: list[NoteView] = []
    for note in notes:
        if _lines_needed([*shown, note], width, smallest) > lines_available:
            break
        shown.append(note)
    return PrintedBox(element, tuple(shown), len(notes) - len(shown), smallest)


def canvas_pdf(
    cluster_name: str, canvas_title: str, status_label: str, groups: list[ElementView], when: datetime | None = None
) -> bytes:
    boxes = {g.element.key: fit_box(g.element, g.notes) for g in groups}
    html = render_template(
        "canvas/pdf/canvas.html",
        fw=framework(),
        boxes=boxes,
        blank=False,
        cluster_name=cluster_name,
        canvas_title=canvas_title,
        status_label=status_label,
        when=when or utcnow(),
    )
    return render_pdf(html)


@lru_cache(maxsize=4)
def _cached_public_pdf(kind: str, version: str) -> bytes:
    fw = framework()
    if kind == "blank":
        boxes = {e.key: PrintedBox(e, (), 0, 9.0) for e in fw.elements}
        html = render_template("canvas/pdf/canvas.html", fw=fw, boxes=boxes, blank=True, when=None)
    else:
        html = render_template("canvas/pdf/guide.html", fw=fw)
    return render_pdf(html)


def blank_canvas_pdf() -> bytes:
    """Same for everyone and every request until the element file changes: rendered once per process."""
    return _cached_public_pdf("blank", framework().version)


def guide_pdf() -> bytes:
    return _cached_public_pdf("guide", framework().version)
