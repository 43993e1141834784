"""Who may see and change a canvas: members only, managers for steering, nobody once agreed."""

import pytest

from core.extensions import db
from plugins.canvas import consolidation, lifecycle
from plugins.canvas.models import Canvas, Note
from tests.factories import add_member, create_cluster, login, manager_of
from tests.plugins.canvas.helpers import context_of, manager_membership, new_canvas, note_by, url

MEMBER_PAGES = ("", "/roles", "/alignment", "/history", "/canvas.pdf", "/notes.csv", "/votes.csv", "/canvas.json")


@pytest.fixture()
def setup():
    cluster = create_cluster()
    member = add_member(cluster, organisation_type="sme")
    canvas = new_canvas(cluster)
    note = note_by(canvas, member, "Shared test bench")
    return cluster, member, canvas, note


def test_anonymous_visitors_are_sent_to_the_login_page(client, setup):
    _, _, canvas, _ = setup
    response = client.get(url(canvas))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_a_member_of_another_cluster_gets_404_on_every_canvas_page(client, setup, path):
    _, _, canvas, _ = setup
    outsider_cluster = create_cluster()
    login(client, manager_of(outsider_cluster))
    assert client.get(url(canvas, path)).status_code == 404


def test_a_canvas_id_from_another_cluster_is_404_even_in_the_members_own_cluster_url(client, setup):
    cluster, member, canvas, _ = setup
    other = create_cluster()
    other_canvas = new_canvas(other)
    login(client, member.user)
    assert client.get(f"/clusters/{cluster.id}/canvas/{other_canvas.id}").status_code == 404


def test_a_note_of_another_canvas_is_404(client, setup):
    cluster, member, canvas, note = setup
    second = new_canvas(cluster, "To-be 2030")
    login(client, member.user)
    response = client.post(url(second, f"/notes/{note.id}/edit"), data={"text": "x", "version": note.version})
    assert response.status_code == 404


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_members_see_every_canvas_page(client, setup, path):
    _, member, canvas, _ = setup
    login(client, member.user)
    assert client.get(url(canvas, path)).status_code == 200


@pytest.mark.parametrize(
    "path, data",
    [
        ("/status", {"status": "consolidation", "version": 1}),
        ("/settings", {"title": "Renamed", "version": 1}),
        ("/duplicate", {"title": "Copy"}),
        ("/merge", {"note_ids": ["1", "2"], "text": "merged"}),
    ],
)
def test_plain_members_get_403_on_manager_actions(client, setup, path, data):
    _, member, canvas, _ = setup
    login(client, member.user)
    assert client.post(url(canvas, path), data=data).status_code == 403
    assert db.session.get(Canvas, canvas.id).status == "open"


def test_plain_members_cannot_open_the_consolidation_page_or_create_canvases(client, setup):
    cluster, member, canvas, note = setup
    login(client, member.user)
    assert client.get(url(canvas, "/consolidate")).status_code == 403
    assert client.post(url(canvas, f"/notes/{note.id}/review"), data={"action": "accept", "version": 1}).status_code == 403
    assert client.post(f"/clusters/{cluster.id}/canvas/", data={"title": "Mine"}).status_code == 403


def test_a_member_cannot_edit_or_delete_someone_elses_note(client, setup):
    cluster, _, canvas, note = setup
    other = add_member(cluster, organisation_type="university")
    login(client, other.user)
    assert client.get(url(canvas, f"/notes/{note.id}/edit")).status_code == 403
    edit = client.post(url(canvas, f"/notes/{note.id}/edit"), data={"text": "Hijacked", "version": note.version})
    delete = client.post(url(canvas, f"/notes/{note.id}/delete"))
    assert edit.status_code == 403 and delete.status_code == 403
    db.session.expire_all()
    assert db.session.get(Note, note.id).text == "Shared test bench"


def _agree(cluster, canvas, note):
    manager = context_of(manager_membership(cluster))
    lifecycle.change_status(canvas, manager, "consolidation", canvas.version)
    consolidation.review_note(note, manager, "accept", note.version)
    lifecycle.change_status(canvas, manager, "agreed", canvas.version)


def test_an_agreed_canvas_is_read_only_for_everyone(client, setup):
    cluster, member, canvas, note = setup
    _agree(cluster, canvas, note)
    login(client, member.user)
    add = client.post(url(canvas, "/notes"), data={"element": "actors", "text": "Late idea"})
    vote = client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "agree"})
    edit = client.post(url(canvas, f"/notes/{note.id}/edit"), data={"text": "Changed", "version": note.version})
    assert (add.status_code, vote.status_code, edit.status_code) == (409, 409, 409)
    assert "read-only" in add.get_data(as_text=True)
    client.post("/logout")
    login(client, manager_of(cluster))
    settings = client.post(url(canvas, "/settings"), data={"title": "Renamed", "version": canvas.version})
    reopen = client.post(url(canvas, "/status"), data={"status": "open", "version": canvas.version})
    assert settings.status_code == 409 and reopen.status_code == 409
    db.session.expire_all()
    assert db.session.query(Note).filter_by(canvas_id=canvas.id).count() == 1
    assert db.session.get(Canvas, canvas.id).status == "agreed"


def test_the_agreed_canvas_page_offers_no_forms_to_members(client, setup):
    cluster, member, canvas, note = setup
    _agree(cluster, canvas, note)
    login(client, member.user)
    html = client.get(url(canvas)).get_data(as_text=True)
    assert "Add a note" not in html and "Agree</button>" not in html
    assert "Shared test bench" in html


def test_public_page_and_downloads_need_no_account(client):
    assert client.get("/tools/canvas").status_code == 200
    assert client.get("/tools/canvas/blank-canvas.pdf").status_code == 200


def test_a_disabled_canvas_plugin_answers_404(client, setup):
    from core.plugins.state import set_enabled

    _, member, canvas, _ = setup
    set_enabled("canvas", False)
    try:
        login(client, member.user)
        assert client.get(url(canvas)).status_code == 404
    finally:
        set_enabled("canvas", True)
