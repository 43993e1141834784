"""Adding, editing, deleting and voting on notes over HTTP, with and without htmx."""

import pytest

from core.extensions import db
from plugins.canvas.models import Event, Note, Vote
from tests.factories import add_member, create_cluster, login
from tests.plugins.canvas.helpers import new_canvas, note_by, url

HTMX = {"HX-Request": "true"}


@pytest.fixture()
def setup():
    cluster = create_cluster()
    alice = add_member(cluster, organisation_type="sme")
    bob = add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster)
    return cluster, alice, bob, canvas


def test_a_member_adds_a_note_and_sees_it_with_their_organisation_type(client, setup):
    _, alice, bob, canvas = setup
    login(client, alice.user)
    response = client.post(url(canvas, "/notes"), data={"element": "resources", "text": "Shared test bench",
                                                         "explanation": "Open at cost price"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#element-resources")
    note = db.session.query(Note).filter_by(canvas_id=canvas.id).one()
    assert (note.element, note.author_org_type, note.explanation) == ("resources", "sme", "Open at cost price")
    client.post("/logout")
    login(client, bob.user)
    html = client.get(url(canvas)).get_data(as_text=True)
    assert "Shared test bench" in html and "SME" in html


def test_on_an_anonymous_canvas_a_note_shows_nothing_about_its_author(client, setup):
    cluster, alice, bob, _ = setup
    canvas = new_canvas(cluster, "Anonymous round", anonymous=True)
    note_by(canvas, alice, "Board decisions are made behind closed doors", "governance")
    login(client, bob.user)
    html = client.get(url(canvas)).get_data(as_text=True)
    section = html[html.index('id="element-governance"'):]
    section = section[: section.index("</section>")]
    assert "Board decisions" in section
    assert "SME" not in section
    history = client.get(url(canvas, "/history")).get_data(as_text=True)
    assert alice.user.email not in history and alice.user.name not in history


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "   "}, "Write a short note"),
        ({"text": "x" * 501}, "at most 500 characters"),
        ({"text": "ok", "explanation": "y" * 4001}, "at most 4000 characters"),
    ],
)
def test_empty_or_oversized_notes_are_refused_with_the_input_kept(client, setup, data, message):
    _, alice, _, canvas = setup
    login(client, alice.user)
    response = client.post(url(canvas, "/notes"), data={"element": "actors", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'class="field-error"' in html
    if data["text"].strip():
        assert data["text"][:50] in html
    assert db.session.query(Note).count() == 0


def test_a_note_of_exactly_500_characters_is_accepted(client, setup):
    _, alice, _, canvas = setup
    login(client, alice.user)
    response = client.post(url(canvas, "/notes"), data={"element": "actors", "text": "x" * 500, "explanation": "y" * 4000})
    assert response.status_code == 302


def test_with_htmx_adding_a_note_returns_only_the_element(client, setup):
    _, alice, _, canvas = setup
    login(client, alice.user)
    response = client.post(url(canvas, "/notes"), data={"element": "vision", "text": "Low-carbon region"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("{#") is False and 'id="element-vision"' in html
    assert "<html" not in html and "Low-carbon region" in html
    bad = client.post(url(canvas, "/notes"), data={"element": "vision", "text": ""}, headers=HTMX)
    assert bad.status_code == 400 and 'id="element-vision"' in bad.get_data(as_text=True)


def test_markup_in_notes_is_shown_as_text(client, setup):
    _, alice, bob, canvas = setup
    note_by(canvas, alice, '<script>alert("x")</script><b>bold</b>')
    login(client, bob.user)
    html = client.get(url(canvas)).get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


def test_an_author_edits_their_note(client, setup):
    _, alice, _, canvas = setup
    note = note_by(canvas, alice, "First wording")
    login(client, alice.user)
    form = client.get(url(canvas, f"/notes/{note.id}/edit"))
    assert "First wording" in form.get_data(as_text=True)
    response = client.post(url(canvas, f"/notes/{note.id}/edit"),
                           data={"text": "Better wording", "explanation": "", "version": note.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Note, note.id).text == "Better wording"


def test_a_stale_edit_is_refused_with_a_clear_message_and_never_overwrites(client, setup):
    _, alice, _, canvas = setup
    note = note_by(canvas, alice, "Original")
    login(client, alice.user)
    seen = note.version
    # A first tab saves...
    client.post(url(canvas, f"/notes/{note.id}/edit"), data={"text": "Saved in tab one", "version": seen})
    # ...then a second tab, opened before, saves with the old version.
    response = client.post(url(canvas, f"/notes/{note.id}/edit"), data={"text": "Saved in tab two", "version": seen})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed after you opened it" in html
    assert "Saved in tab one" in html and "Saved in tab two" in html
    db.session.expire_all()
    assert db.session.get(Note, note.id).text == "Saved in tab one"


def test_a_stale_edit_over_htmx_returns_the_form_in_place(client, setup):
    _, alice, _, canvas = setup
    note = note_by(canvas, alice, "Original")
    login(client, alice.user)
    seen = note.version
    client.post(url(canvas, f"/notes/{note.id}/edit"), data={"text": "One", "version": seen})
    response = client.post(url(canvas, f"/notes/{note.id}/edit"), data={"text": "Two", "version": seen},
                           headers=HTMX)
    assert response.status_code == 409
    assert f'id="note-{note.id}"' in response.get_data(as_text=True)


def test_an_author_deletes_their_note_and_its_votes(client, setup):
    _, alice, bob, canvas = setup
    note = note_by(canvas, alice, "To remove")
    login(client, bob.user)
    client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "agree"})
    client.post("/logout")
    login(client, alice.user)
    assert client.post(url(canvas, f"/notes/{note.id}/delete")).status_code == 302
    assert db.session.query(Note).count() == 0 and db.session.query(Vote).count() == 0


def test_with_htmx_deleting_a_note_returns_its_element_without_it(client, setup):
    _, alice, _, canvas = setup
    keep = note_by(canvas, alice, "Stays", "flows")
    gone = note_by(canvas, alice, "Goes", "flows")
    login(client, alice.user)
    html = client.post(url(canvas, f"/notes/{gone.id}/delete"), headers=HTMX).get_data(as_text=True)
    assert 'id="element-flows"' in html and f'id="note-{keep.id}"' in html and "Goes" not in html


def test_votes_are_one_per_member_can_change_and_be_withdrawn(client, setup):
    _, alice, bob, canvas = setup
    note = note_by(canvas, alice, "Members join for partners")
    login(client, bob.user)
    client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "agree"})
    client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "disagree"})
    votes = db.session.query(Vote).all()
    assert [(v.value, v.voter_org_type) for v in votes] == [("disagree", "university")]
    response = client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "clear"}, headers=HTMX)
    assert response.status_code == 200 and f'id="note-{note.id}"' in response.get_data(as_text=True)
    assert db.session.query(Vote).count() == 0


def test_with_htmx_a_vote_returns_the_note_with_new_tallies(client, setup):
    _, alice, bob, canvas = setup
    note = note_by(canvas, alice, "Tallied")
    login(client, bob.user)
    html = client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "agree"}, headers=HTMX).get_data(as_text=True)
    assert "1 agree, 0 disagree" in html and 'aria-pressed="true"' in html


def test_nobody_votes_on_their_own_note(client, setup):
    _, alice, _, canvas = setup
    note = note_by(canvas, alice, "Mine")
    login(client, alice.user)
    assert client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "agree"}).status_code == 403
    refused = client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "agree"}, headers=HTMX)
    assert refused.headers["HX-Retarget"] == "#canvas-messages"


def test_an_unknown_vote_value_is_refused(client, setup):
    _, alice, bob, canvas = setup
    note = note_by(canvas, alice, "Note")
    login(client, bob.user)
    assert client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "maybe"}).status_code == 400


def test_contributions_are_recorded_in_the_history(client, setup):
    _, alice, bob, canvas = setup
    note = note_by(canvas, alice, "Recorded")
    login(client, bob.user)
    client.post(url(canvas, f"/notes/{note.id}/vote"), data={"value": "agree"})
    actions = [e.action for e in db.session.query(Event).order_by(Event.id)]
    assert actions == ["created", "note_added", "vote"]
    html = client.get(url(canvas, "/history")).get_data(as_text=True)
    assert "voted agree on “Recorded”" in html and bob.user.name in html
