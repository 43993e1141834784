"""The A3 sheet: notes are fitted so that no box overflows, whatever the canvas holds;
text stays readable (7 pt at least) and what does not fit continues on later pages."""

from datetime import datetime, timezone

import pytest
from flask import render_template
from weasyprint import CSS, HTML

from core.api import PDF_BASE_CSS
from plugins.canvas.elements import framework
from plugins.canvas.printing import fit_box
from plugins.canvas.queries import NoteView
from tests.documents.pdf_support import flat, pdf_text
from tests.factories import add_member, create_cluster, login
from tests.plugins.canvas.helpers import new_canvas, note_by, url


def note(i: int, element: str, length: int, text: str = "many words ") -> NoteView:
    return NoteView(id=i, element=element, text=(text * (1 + length // len(text)))[:length], explanation="",
                    status="proposed", author_label="Research institute", is_mine=False, agree=0, disagree=0,
                    my_vote=None, version=1)


def walk(box):  # type: ignore[no-untyped-def]
    yield box
    for child in getattr(box, "children", None) or []:
        yield from walk(child)


def boxes_fill(html: str) -> dict[str, float]:
    """Share of each box's height its content reaches, from WeasyPrint's own layout (9 if text
    runs past its right edge)."""
    page = HTML(string=html).render(stylesheets=[CSS(string=PDF_BASE_CSS)]).pages[0]._page_box
    fills = {}
    for box in walk(page):
        element = getattr(box, "element", None)
        cls = element.get("class", "") if element is not None else ""
        if cls.startswith("box box-"):
            inner = [c for c in walk(box) if c is not box and hasattr(c, "position_y")]
            bottoms = [c.position_y + c.margin_height() for c in inner]
            # Text itself, not the blocks around it (which always span the box's full width).
            rights = [c.position_x + c.width for c in inner if type(c).__name__ == "TextBox"]
            content_right = box.content_box_x() + box.width
            # Text running past the box's content edge counts as overflowing the box.
            fills[cls.split("box-")[1]] = (
                (max(bottoms) - box.position_y) / box.margin_height() if max(rights) <= content_right + 0.5 else 9.0
            )
    return fills


def render_sheet(app, boxes) -> str:  # type: ignore[no-untyped-def]
    fw = framework()
    with app.test_request_context():
        return render_template(
            "canvas/pdf/canvas.html", fw=fw, boxes=boxes, blank=False, cluster_name="C", canvas_title="T",
            status_label="Open", when=datetime.now(timezone.utc),
            continued=[boxes[e.key] for e in fw.elements if boxes[e.key].continued],
        )


LONG_WORD = "Innovationskooperationsvereinbarung" * 15


@pytest.mark.parametrize("count, length, text", [
    (45, 90, "many words "),
    (10, 480, "many words "),
    (18, 300, "many words "),
    (12, 200, "中国航空产业集群合作伙伴网络"),
    (3, 500, LONG_WORD),
])
def test_no_box_overflows_text_stays_readable_and_nothing_is_dropped(app, count, length, text):
    fw = framework()
    boxes = {e.key: fit_box(e, [note(i, e.key, length, text) for i in range(count)]) for e in fw.elements}
    fills = boxes_fill(render_sheet(app, boxes))
    assert set(fills) == set(fw.keys)
    assert max(fills.values()) < 0.98, sorted(fills.items(), key=lambda kv: -kv[1])[:2]
    for box in boxes.values():
        assert box.font_pt >= 7.0
        assert len(box.notes) + len(box.continued) == count


def test_a_crowded_box_continues_on_the_next_page_with_every_note(client):
    cluster = create_cluster()
    alice = add_member(cluster)
    canvas = new_canvas(cluster, "Crowded")
    texts = [f"Note number {i:02d}: " + "a long explanation of who does what " * 8 for i in range(40)]
    for text in texts:
        note_by(canvas, alice, text, "governance")
    login(client, alice.user)
    text = flat(pdf_text(client.get(url(canvas, "/canvas.pdf")).data))
    for i in range(40):
        assert f"Notenumber{i:02d}:" in text, f"note {i} is missing"
    assert "andmorenote" not in text and "CSVexport" not in text


def test_no_text_of_a_crowded_sheet_prints_below_7_pt(app):
    fw = framework()
    boxes = {e.key: fit_box(e, [note(i, e.key, 200) for i in range(40)]) for e in fw.elements}
    document = HTML(string=render_sheet(app, boxes)).render(stylesheets=[CSS(string=PDF_BASE_CSS)])
    sizes = {round(box.style["font_size"] * 0.75, 2)  # CSS px to pt
             for page in document.pages for box in walk(page._page_box)
             if type(box).__name__ == "TextBox" and box.text.strip()}
    assert min(sizes) >= 7.0, sorted(sizes)[:5]
