"""The canvas as an A3 landscape PDF, plus the public blank canvas and guide.

The first page is the canvas itself, a fixed grid of boxes. WeasyPrint clips what
overflows a positioned box, so notes are fitted before rendering: each box gets the
largest font size at which its notes fit, estimated from the box's size, but never
below a readable minimum (core's ``MIN_READABLE_PT``, 7 pt). Notes that do not fit
even then continue on the following pages, under their element's title, in order:
no note is ever dropped. Long words wrap inside their box (core's PDF stylesheet).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import render_template

from core.api import MIN_READABLE_PT, render_pdf, utcnow
from plugins.canvas.elements import Element, framework
from plugins.canvas.queries import ElementView, NoteView

#: Usable box size in mm (width, height below the box title) in the A3 grid of canvas_pdf.css.
BOX_SIZES: dict[str, tuple[float, float]] = {
    "actors": (95, 168),
    "activities": (95, 72),
    "resources": (95, 72),
    "propositions": (95, 168),
    "flows": (95, 168),
    "governance": (195, 41),
    "vision": (195, 41),
}
FONT_SIZES_PT = (9.0, 8.0, 7.5, MIN_READABLE_PT)
PT_MM = 0.3528
#: Average advance of a Latin character in Noto Sans, in em (measured, with a margin).
LATIN_EM = 0.56
#: CJK ideographs and emoji are a full em wide: about twice a Latin character.
WIDE_EM = 1.05
LINE_HEIGHT = 1.25


@dataclass(frozen=True)
class PrintedBox:
    """One element's box on the sheet: the notes printed in it and those continued on later pages."""

    element: Element
    notes: tuple[NoteView, ...]
    continued: tuple[NoteView, ...]
    font_pt: float

    @property
    def font_class(self) -> str:
        return "fs-" + str(self.font_pt).replace(".", "-")


def _width_em(text: str) -> float:
    return sum(WIDE_EM if unicodedata.east_asian_width(c) in "WF" else LATIN_EM for c in text)


def _lines_needed(notes: tuple[NoteView, ...] | list[NoteView], width_mm: float, font_pt: float) -> float:
    """Estimated lines, each note starting on a new line; words may break anywhere (overflow-wrap)."""
    line_em = width_mm / (font_pt * PT_MM) - 2  # less the note's left border and padding
    total = 0.0
    for note in notes:
        paragraphs = (note.text + (f" ({note.author_label})" if note.author_label else "")).split("\n")
        # Wrapping at word boundaries wastes part of each line: count 15% more than the bare width.
        total += sum(max(1, math.ceil(_width_em(p) * 1.15 / line_em)) for p in paragraphs) + 0.35
    return total


def fit_box(element: Element, notes: list[NoteView]) -> PrintedBox:
    """The largest font size at which all notes fit; else the smallest, with the rest continued."""
    width, height = BOX_SIZES.get(element.key, (95, 76))
    for font_pt in FONT_SIZES_PT:
        lines_available = height / (LINE_HEIGHT * font_pt * PT_MM)
        if _lines_needed(notes, width, font_pt) <= lines_available:
            return PrintedBox(element, tuple(notes), (), font_pt)
    smallest = FONT_SIZES_PT[-1]
    lines_available = height / (LINE_HEIGHT * smallest * PT_MM) - 1.5  # room for "continued on page 2"
    shown: list[NoteView] = []
    for note in notes:
        if _lines_needed([*shown, note], width, smallest) > lines_available:
            break
        shown.append(note)
    return PrintedBox(element, tuple(shown), tuple(notes[len(shown):]), smallest)


def canvas_pdf(
    cluster_name: str, canvas_title: str, status_label: str, groups: list[ElementView], when: datetime | None = None
) -> bytes:
    fw = framework()
    boxes = {g.element.key: fit_box(g.element, g.notes) for g in groups}
    html = render_template(
        "canvas/pdf/canvas.html",
        fw=fw,
        boxes=boxes,
        continued=[boxes[e.key] for e in fw.elements if e.key in boxes and boxes[e.key].continued],
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
        boxes = {e.key: PrintedBox(e, (), (), 9.0) for e in fw.elements}
        html = render_template("canvas/pdf/canvas.html", fw=fw, boxes=boxes, continued=[], blank=True, when=None)
    else:
        html = render_template("canvas/pdf/guide.html", fw=fw)
    return render_pdf(html)


def blank_canvas_pdf() -> bytes:
    """Same for everyone and every request until the element file changes: rendered once per process."""
    return _cached_public_pdf("blank", framework().version)


def guide_pdf() -> bytes:
    return _cached_public_pdf("guide", framework().version)
