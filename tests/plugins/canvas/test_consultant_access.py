"""A consultant with access reads the canvas like a manager reads it, and changes nothing."""

import csv
import io

import pytest

from core.extensions import db
from plugins.canvas.models import Note, Vote
from tests.factories import add_member, create_cluster, create_user, grant_access, login
from tests.plugins.canvas.helpers import new_canvas, note_by, url, vote_by

READABLE = ("", "/roles", "/alignment", "/history", "/canvas.pdf", "/notes.csv", "/canvas.json")


@pytest.fixture()
def board():
    cluster = create_cluster()
    sme, university = add_member(cluster, organisation_type="sme"), add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster, anonymous=True)
    note = note_by(canvas, sme, "Shared test bench for drones")
    vote_by(note, university, "agree")
    return cluster, canvas, note


@pytest.fixture()
def consultant(client, board):
    user = create_user(is_consultant=True)
    grant_access(board[0], user)
    login(client, user)
    return user


@pytest.mark.parametrize("path", READABLE)
def test_consultant_reads_every_canvas_page_and_export(client, board, consultant, path):
    assert client.get(url(board[1], path)).status_code == 200


def test_consultant_sees_notes_and_tallies_but_no_way_to_contribute(client, board, consultant):
    _, canvas, _note = board
    html = client.get(url(canvas)).get_data(as_text=True)
    assert "Shared test bench for drones" in html and "✓ 1 · ✗ 0" in html
    assert "Add a note" not in html and "Agree</button>" not in html and "Consolidate" not in html


def test_consultant_cannot_vote_add_or_mark_roles(client, board, consultant):
    _, canvas, note = board
    assert client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "disagree"}).status_code == 403
    assert client.post(url(canvas, "/notes"), data={"element": "actors", "text": "Mine"}).status_code == 403
    assert client.post(url(canvas, "/roles"), data={"activity_id": note.id, "actor_type": "sme", "role": "lead"}).status_code == 403
    assert db.session.query(Note).count() == 1 and db.session.query(Vote).count() == 1


def test_an_anonymous_canvas_stays_anonymous_for_the_consultant(client, board, consultant):
    _, canvas, _ = board
    rows = list(csv.DictReader(io.StringIO(client.get(url(canvas, "/notes.csv")).get_data(as_text=True))))
    assert [r["text"] for r in rows] == ["Shared test bench for drones"]
    assert rows[0]["author_organisation_type"] == ""
    assert "SME" not in client.get(url(canvas)).get_data(as_text=True).split("canvas-notes", 1)[1].split("</ul>", 1)[0]


def test_consultant_gets_tallies_but_no_row_per_vote(client, board, consultant):
    _, canvas, _ = board
    assert client.get(url(canvas, "/votes.csv")).status_code == 403
    document = client.get(url(canvas, "/canvas.json")).get_json(force=True)
    assert "votes" not in document
    assert [(n["agree"], n["disagree"]) for n in document["notes"]] == [(1, 0)]
    assert "/votes.csv" not in client.get(url(canvas)).get_data(as_text=True)
    assert "/votes.csv" not in client.get(f"/clusters/{canvas.cluster_id}").get_data(as_text=True)
