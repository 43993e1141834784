"""The A3 sheet: notes are fitted so that no box overflows, whatever the canvas holds."""

from datetime import datetime, timezone

import pytest
from flask import render_template
from weasyprint import HTML

from plugins.canvas.elements import framework
from plugins.canvas.printing import fit_box
from plugins.canvas.queries import NoteView


def note(i: int, element: str, length: int) -> NoteView:
    return NoteView(id=i, element=element, text=("many words " * 60)[:length], explanation="", status="proposed",
                    author_label="Research institute", is_mine=False, agree=0, disagree=0, my_vote=None, version=1)


def boxes_fill(html: str) -> dict[str, float]:
    """Share of each box's height its content reaches, from WeasyPrint's own layout."""
    page = HTML(string=html).render().pages[0]._page_box

    def walk(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    fills = {}
    for box in walk(page):
        element = getattr(box, "element", None)
        cls = element.get("class", "") if element is not None else ""
        if cls.startswith("box box-"):
            bottoms = [c.position_y + c.margin_height() for c in walk(box) if c is not box and hasattr(c, "position_y")]
            fills[cls.split("box-")[1]] = (max(bottoms) - box.position_y) / box.margin_height()
    return fills


@pytest.mark.parametrize("count, length", [(45, 90), (10, 480)])
def test_no_box_of_a_crowded_canvas_overflows_and_hidden_notes_are_announced(app, count, length):
    fw = framework()
    boxes = {e.key: fit_box(e, [note(i, e.key, length) for i in range(count)]) for e in fw.elements}
    with app.test_request_context():
        html = render_template("canvas/pdf/canvas.html", fw=fw, boxes=boxes, blank=False, cluster_name="C",
                               canvas_title="T", status_label="Open", when=datetime.now(timezone.utc))
    fills = boxes_fill(html)
    assert set(fills) == set(fw.keys)
    assert max(fills.values()) < 0.98
    assert any(box.hidden for box in boxes.values())
    for box in boxes.values():
        assert len(box.notes) + box.hidden == count
        if box.hidden:
            assert f"and {box.hidden} more note" in html
