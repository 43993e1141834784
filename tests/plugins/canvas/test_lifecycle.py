"""A canvas's life: open, consolidation, agreed, duplicated; snapshots; the roles matrix."""

import json

import pytest

from core.extensions import db
from plugins.canvas.models import Canvas, Note, RoleMark, Snapshot, Vote
from tests.factories import add_member, create_cluster, login, manager_of
from tests.plugins.canvas.helpers import new_canvas, note_by, url, vote_by

HTMX = {"HX-Request": "true"}


@pytest.fixture()
def setup():
    cluster = create_cluster()
    alice = add_member(cluster, organisation_type="sme")
    bob = add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster)
    return cluster, alice, bob, canvas


def _status(client, canvas, status):
    db.session.refresh(canvas)
    return client.post(url(canvas, "/status"), data={"status": status, "version": canvas.version, "confirm": "yes"})


def test_a_manager_creates_a_canvas_from_the_index_page(client):
    cluster = create_cluster()
    login(client, manager_of(cluster))
    response = client.post(f"/clusters/{cluster.id}/canvas/", data={"title": "To-be 2030", "anonymous": "y"})
    assert response.status_code == 302
    canvas = db.session.query(Canvas).one()
    assert (canvas.title, canvas.status, canvas.anonymous) == ("To-be 2030", "open", True)
    assert db.session.query(Snapshot).filter_by(canvas_id=canvas.id).count() == 1


def test_a_canvas_without_a_title_is_refused_with_a_message(client):
    cluster = create_cluster()
    login(client, manager_of(cluster))
    response = client.post(f"/clusters/{cluster.id}/canvas/", data={"title": " "})
    assert response.status_code == 400
    assert "Give the canvas a title." in response.get_data(as_text=True)


def test_the_full_round_snapshots_each_status_change(client, setup):
    cluster, alice, bob, canvas = setup
    keep = note_by(canvas, alice, "Keep me")
    park = note_by(canvas, bob, "Park me", "governance")
    login(client, manager_of(cluster))
    assert _status(client, canvas, "agreed").status_code == 409  # open cannot jump to agreed
    assert _status(client, canvas, "consolidation").status_code == 302
    db.session.refresh(keep)
    db.session.refresh(park)
    accept = client.post(url(canvas, f"/notes/{keep.id}/review"), data={"action": "accept", "version": keep.version},
                         headers=HTMX)
    assert accept.status_code == 200 and f'id="review-{keep.id}"' in accept.get_data(as_text=True)
    client.post(url(canvas, f"/notes/{park.id}/review"), data={"action": "park", "version": park.version})
    assert _status(client, canvas, "agreed").status_code == 302
    db.session.expire_all()
    assert db.session.get(Canvas, canvas.id).status == "agreed"
    assert [s.status for s in db.session.query(Snapshot).order_by(Snapshot.id)] == ["open", "consolidation", "agreed"]
    last = json.loads(db.session.query(Snapshot).order_by(Snapshot.id.desc()).first().data)
    assert {n["text"]: n["status"] for n in last["notes"]} == {"Keep me": "accepted", "Park me": "parked"}
    board = client.get(url(canvas)).get_data(as_text=True)
    assert "Keep me" in board and "Park me" not in board


def test_agreeing_needs_at_least_one_accepted_note(client, setup):
    cluster, alice, _, canvas = setup
    note_by(canvas, alice, "Not yet accepted")
    login(client, manager_of(cluster))
    _status(client, canvas, "consolidation")
    response = _status(client, canvas, "agreed")
    assert response.status_code == 409 and "Accept at least one note" in response.get_data(as_text=True)


def test_a_stale_status_change_is_refused(client, setup):
    cluster, _, _, canvas = setup
    login(client, manager_of(cluster))
    response = client.post(url(canvas, "/status"), data={"status": "consolidation", "version": canvas.version - 1 or 99, "confirm": "yes"})
    assert response.status_code == 409
    assert db.session.get(Canvas, canvas.id).status == "open"


def test_contributions_close_during_consolidation(client, setup):
    cluster, alice, _, canvas = setup
    login(client, manager_of(cluster))
    _status(client, canvas, "consolidation")
    client.post("/logout")
    login(client, alice.user)
    response = client.post(url(canvas, "/notes"), data={"element": "actors", "text": "Too late"})
    assert response.status_code == 409 and "contributions are closed" in response.get_data(as_text=True)


def test_the_manager_merges_notes_of_one_element_into_one_accepted_note(client, setup):
    cluster, alice, bob, canvas = setup
    first = note_by(canvas, alice, "Partners for projects", "propositions")
    second = note_by(canvas, bob, "Access to project consortia", "propositions")
    vote_by(first, bob, "agree")
    other = note_by(canvas, bob, "Elsewhere", "vision")
    login(client, manager_of(cluster))
    _status(client, canvas, "consolidation")
    mixed = client.post(url(canvas, "/merge"), data={"note_ids": [first.id, other.id], "text": "Mixed"})
    assert mixed.status_code == 400 and "same element" in mixed.get_data(as_text=True)
    response = client.post(url(canvas, "/merge"), data={"note_ids": [first.id, second.id],
                                                         "text": "Partners for joint projects"})
    assert response.status_code == 302
    db.session.expire_all()
    merged = db.session.query(Note).filter_by(text="Partners for joint projects").one()
    assert (merged.status, merged.element) == ("accepted", "propositions")
    assert {db.session.get(Note, i).merged_into_id for i in (first.id, second.id)} == {merged.id}
    assert db.session.query(Vote).count() == 1  # the vote moved to the merged note


def test_a_merged_note_keeps_its_authors_actor_types_and_votes_not_the_managers(client, setup):
    from plugins.canvas import queries

    cluster, alice, bob, canvas = setup
    carol = add_member(cluster, organisation_type="investor")
    first = note_by(canvas, alice, "Partners for projects", "propositions")
    second = note_by(canvas, bob, "Access to project consortia", "propositions")
    vote_by(first, bob, "agree")
    vote_by(first, carol, "disagree")
    vote_by(second, carol, "agree")  # carol's latest vote wins on the merged note
    login(client, manager_of(cluster))
    _status(client, canvas, "consolidation")
    client.post(url(canvas, "/merge"), data={"note_ids": [first.id, second.id], "text": "Partners for joint projects"})
    db.session.expire_all()
    merged = db.session.query(Note).filter_by(text="Partners for joint projects").one()
    assert merged.author_id is None and merged.author_org_type in ("sme", "university")
    view = next(n for n in queries.note_views(canvas, carol.user_id) if n.id == merged.id)
    assert view.author_label == "SME, University"
    assert (view.agree, view.disagree, view.my_vote) == (2, 0, "agree")
    notes, votes = queries.alignment_facts(canvas.id)
    from plugins.canvas.alignment import compute_alignment

    result = compute_alignment(("propositions",), notes, votes)
    assert "intermediary" not in {a.actor_type for a in result.actor_types}  # the manager's type
    assert result.element("propositions").votes == 2


def test_merging_needs_two_notes_and_a_text(client, setup):
    cluster, alice, _, canvas = setup
    note = note_by(canvas, alice, "Alone")
    login(client, manager_of(cluster))
    _status(client, canvas, "consolidation")
    assert client.post(url(canvas, "/merge"), data={"note_ids": [note.id], "text": "x"}).status_code == 400
    assert client.post(url(canvas, "/merge"), data={"note_ids": [note.id], "text": ""}).status_code == 400


def test_an_agreed_canvas_is_duplicated_with_its_accepted_notes_only(client, setup):
    cluster, alice, bob, canvas = setup
    accepted = note_by(canvas, alice, "Accepted idea")
    parked = note_by(canvas, bob, "Parked idea")
    vote_by(accepted, bob)
    login(client, manager_of(cluster))
    assert client.post(url(canvas, "/duplicate"), data={"title": "Too early"}).status_code == 409
    _status(client, canvas, "consolidation")
    for note, action in ((accepted, "accept"), (parked, "park")):
        db.session.refresh(note)
        client.post(url(canvas, f"/notes/{note.id}/review"), data={"action": action, "version": note.version})
    _status(client, canvas, "agreed")
    response = client.post(url(canvas, "/duplicate"), data={"title": "To-be 2030"})
    assert response.status_code == 302
    copy = db.session.query(Canvas).filter_by(title="To-be 2030").one()
    assert (copy.status, copy.source_canvas_id) == ("open", canvas.id)
    notes = db.session.query(Note).filter_by(canvas_id=copy.id).all()
    assert [(n.text, n.status, n.author_org_type) for n in notes] == [("Accepted idea", "proposed", "sme")]
    assert db.session.query(Vote).filter_by(canvas_id=copy.id).count() == 0


def test_a_stale_settings_form_keeps_the_users_input_and_says_why(client, setup):
    cluster, _, _, canvas = setup
    login(client, manager_of(cluster))
    seen = canvas.version
    client.post(url(canvas, "/settings"), data={"title": "First rename", "version": seen})
    response = client.post(url(canvas, "/settings"), data={"title": "Second rename", "version": seen})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved a change" in html and "Second rename" in html
    db.session.expire_all()
    assert db.session.get(Canvas, canvas.id).title == "First rename"


def test_members_mark_roles_and_the_matrix_shows_consensus_and_dispute(client, setup):
    cluster, alice, bob, canvas = setup
    carol = add_member(cluster, organisation_type="sme")
    activity = note_by(canvas, alice, "Matchmaking days", "activities")
    marks = {alice: ("sme", "benefit"), bob: ("sme", "benefit"), carol: ("sme", "benefit")}
    for member, (actor_type, role) in marks.items():
        login(client, member.user)
        client.post(url(canvas, "/roles"), data={"activity_id": activity.id, "actor_type": actor_type, "role": role})
        client.post(url(canvas, "/roles"), data={"activity_id": activity.id, "actor_type": "university",
                                                  "role": "lead" if member is alice else "benefit" if member is bob else "contribute"})
        client.post("/logout")
    assert db.session.query(RoleMark).count() == 6
    login(client, bob.user)
    html = client.get(url(canvas, "/roles")).get_data(as_text=True)
    assert "Matchmaking days" in html
    assert f'id="cell-{activity.id}-sme" class="role-cell role-consensus"' in html
    assert f'id="cell-{activity.id}-university" class="role-cell role-disputed"' in html
    # htmx: clearing one's mark returns the updated cell only
    cell = client.post(url(canvas, "/roles"), data={"activity_id": activity.id, "actor_type": "sme", "role": ""},
                       headers=HTMX).get_data(as_text=True)
    assert cell.lstrip().startswith(f'<td id="cell-{activity.id}-sme"') and "Benefits: 2" in cell


def test_a_role_mark_on_a_note_that_is_not_an_activity_is_refused(client, setup):
    _, alice, _, canvas = setup
    note = note_by(canvas, alice, "Not an activity", "actors")
    login(client, alice.user)
    response = client.post(url(canvas, "/roles"), data={"activity_id": note.id, "actor_type": "sme", "role": "lead"})
    assert response.status_code == 400


def test_a_refused_merge_keeps_the_selection_and_shows_the_message_next_to_the_field(client, setup):
    cluster, alice, bob, canvas = setup
    first = note_by(canvas, alice, "Partners", "propositions")
    second = note_by(canvas, bob, "Consortia", "propositions")
    note_by(canvas, bob, "Vision note", "vision")
    note_by(canvas, alice, "Another vision note", "vision")
    login(client, manager_of(cluster))
    _status(client, canvas, "consolidation")
    response = client.post(url(canvas, "/merge"), data={"note_ids": [first.id, second.id], "text": "",
                                                         "explanation": "kept explanation"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count("Write the text of the merged note.") == 1
    assert html.count("kept explanation") == 1
    assert f'value="{first.id}" form="merge-propositions" aria-label="Select note {first.id} for merging" checked' in html


def test_anonymity_cannot_be_switched_off_once_members_wrote_under_it(client, setup):
    cluster, alice, _, _ = setup
    canvas = new_canvas(cluster, "Quiet round", anonymous=True)
    note_by(canvas, alice, "Said in confidence")
    login(client, manager_of(cluster))
    response = client.post(url(canvas, "/settings"), data={"title": "Quiet round", "version": canvas.version})
    assert response.status_code == 400
    assert "promise of anonymity" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Canvas, canvas.id).anonymous is True


def test_a_snapshot_page_shows_the_canvas_as_it_was(client, setup):
    cluster, alice, _, canvas = setup
    note_by(canvas, alice, "Before consolidation")
    login(client, manager_of(cluster))
    _status(client, canvas, "consolidation")
    snapshot = db.session.query(Snapshot).filter_by(canvas_id=canvas.id, status="consolidation").one()
    html = client.get(url(canvas, f"/snapshots/{snapshot.id}")).get_data(as_text=True)
    assert "Before consolidation" in html and "In consolidation" in html
    other = new_canvas(cluster, "Other")
    assert client.get(url(other, f"/snapshots/{snapshot.id}")).status_code == 404
