"""Exports of a canvas and the public downloads."""

import csv
import io
import json

import pytest
from pypdf import PdfReader

from plugins.canvas.elements import framework
from plugins.canvas.printing import fit_box
from plugins.canvas.queries import NoteView
from tests.factories import add_member, create_cluster, login
from tests.plugins.canvas.helpers import new_canvas, note_by, url, vote_by


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture()
def setup():
    cluster = create_cluster(name="Aero Valley")
    alice = add_member(cluster, organisation_type="sme")
    bob = add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster, "As-is 2026")
    note = note_by(canvas, alice, "=SUM(A1) <i>shared</i> test bench", "resources")
    vote_by(note, bob, "disagree")
    return cluster, alice, bob, canvas, note


def test_the_canvas_pdf_is_one_a3_landscape_page_with_notes_cluster_and_licence(client, setup):
    cluster, alice, _, canvas, _ = setup
    note_by(canvas, alice, "Joint applications to research calls", "activities")
    login(client, alice.user)
    response = client.get(url(canvas, "/canvas.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader, text = pdf_text(response.data)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)
    text = flat(text)
    for expected in ("Aero Valley", "As-is 2026", "Joint applications to research calls",
                     "<i>shared</i> test bench", "CC BY-NC 2.0", "CC BY 4.0", "Changes made:", "10.1163/21971927-bja10012", "Actors and their roles"):
        assert expected in text


def test_a_canvas_of_300_notes_keeps_readable_text_and_continues_what_does_not_fit(app, setup):
    notes = [NoteView(id=i, element="actors", text="A fairly long note about who leads what " * 3, explanation="",
                      status="proposed", author_label="SME", is_mine=False, agree=0, disagree=0, my_vote=None,
                      version=1) for i in range(300)]
    box = fit_box(framework().get("actors"), notes)
    assert box.font_pt == 7.0 and 0 < len(box.notes) < 300
    assert box.notes + box.continued == tuple(notes)
    few = fit_box(framework().get("actors"), notes[:3])
    assert few.font_pt == 9.0 and few.continued == ()


def test_notes_csv_lists_notes_with_tallies_and_neutralises_formulas(client, setup):
    _, alice, _, canvas, note = setup
    login(client, alice.user)
    response = client.get(url(canvas, "/notes.csv"))
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["text"] == "'=SUM(A1) <i>shared</i> test bench"
    assert (row["element"], row["author_organisation_type"], row["agree"], row["disagree"]) == ("resources", "SME", "0", "1")


def test_votes_csv_names_organisation_types_not_people(client, setup):
    _, alice, bob, canvas, note = setup
    login(client, alice.user)
    body = client.get(url(canvas, "/votes.csv")).data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["note_id"], r["value"], r["voter_organisation_type"]) for r in rows] == [(str(note.id), "disagree", "University")]
    assert bob.user.email not in body


def test_json_export_holds_canvas_notes_votes_and_citation(client, setup):
    _, alice, _, canvas, _ = setup
    login(client, alice.user)
    document = json.loads(client.get(url(canvas, "/canvas.json")).data)
    assert document["canvas"]["title"] == "As-is 2026"
    assert document["framework"]["doi"] == "10.1163/21971927-bja10012"
    assert document["framework"]["licence"] == "CC BY-NC 2.0"
    assert document["framework"]["source_licence"] == "CC BY 4.0"
    assert document["framework"]["changes"].startswith("Changes made:")
    assert [n["text"] for n in document["notes"]] == ["=SUM(A1) <i>shared</i> test bench"]
    assert [v["value"] for v in document["votes"]] == ["disagree"]
    assert len(document["elements"]) == 7


def test_exports_of_an_anonymous_canvas_drop_the_authors_organisation_type(client, setup):
    cluster, alice, _, _, _ = setup
    canvas = new_canvas(cluster, "Anonymous", anonymous=True)
    note_by(canvas, alice, "Quiet note")
    login(client, alice.user)
    document = json.loads(client.get(url(canvas, "/canvas.json")).data)
    assert document["notes"][0]["author_organisation_type"] is None


def test_the_public_page_offers_both_downloads_and_cites_the_source(client):
    html = client.get("/tools/canvas").get_data(as_text=True)
    assert "/tools/canvas/blank-canvas.pdf" in html and "/tools/canvas/guide.pdf" in html
    assert "CC BY-NC 2.0" in html and "doi:10.1163/21971927-bja10012" in html
    assert "CC BY 4.0" in html and "Changes made:" in html
    for element in framework().elements:
        assert element.title in html


def test_the_blank_canvas_is_an_a3_landscape_pdf_with_licence_and_attribution(client):
    response = client.get("/tools/canvas/blank-canvas.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    reader, text = pdf_text(response.data)
    box = reader.pages[0].mediabox
    assert len(reader.pages) == 1 and float(box.width) > float(box.height)
    text = flat(text)
    assert "CC BY-NC 2.0" in text and "Creative Commons Attribution-NonCommercial 2.0" in text
    assert "CC BY 4.0" in text and "Changes made:" in text
    assert "Lupova-Henry" in text and "Designing Clusters" in text
    assert framework().elements[0].questions[0] in text


def test_the_guide_is_a_multi_page_pdf_with_every_element_and_the_licence(client):
    response = client.get("/tools/canvas/guide.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    reader, text = pdf_text(response.data)
    assert len(reader.pages) >= 4
    text = flat(text)
    assert "CC BY-NC 2.0" in text and "Lupova-Henry" in text
    assert "CC BY 4.0" in text and "Changes made:" in text
    for element in framework().elements:
        assert element.title in text
    assert "How to read alignment" in text and "How to run a canvas session" in text
