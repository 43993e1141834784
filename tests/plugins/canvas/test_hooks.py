"""What the canvas adds to the platform: nav, widget, demo data, reports, recommendations, exports."""

import pytest

from core.api import DemoCluster, DemoMember
from core.extensions import db
from plugins.canvas import plugin
from plugins.canvas.alignment import NoteFact, VoteFact, compute_alignment
from plugins.canvas.elements import framework
from plugins.canvas.models import Canvas, Event, Note, RoleMark, Vote
from plugins.canvas.reporting import draft_recommendations
from tests.factories import add_member, create_cluster, login
from tests.plugins.canvas.helpers import context_of, manager_membership, new_canvas, note_by, url, vote_by


@pytest.fixture()
def setup():
    cluster = create_cluster(name="Aero Valley")
    alice = add_member(cluster, organisation_type="sme")
    bob = add_member(cluster, organisation_type="university")
    add_member(cluster, organisation_type="investor")
    canvas = new_canvas(cluster)
    note = note_by(canvas, alice, "Shared test bench", "resources")
    vote_by(note, bob, "agree")
    return cluster, alice, bob, canvas, note


def test_the_cluster_navigation_links_to_the_canvas(client, setup):
    cluster, alice, *_ = setup
    login(client, alice.user)
    html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert f'href="/clusters/{cluster.id}/canvas/"' in html


def test_the_dashboard_widget_lists_open_canvases_with_contribution_counts(client, setup):
    cluster, alice, *_ = setup
    login(client, alice.user)
    html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert "Business model canvas" in html
    assert "As-is 2026" in html and "1 note · 1 vote · 2 contributors" in html


def test_the_dashboard_lists_the_canvas_exports(client, setup):
    cluster, alice, _, canvas, _ = setup
    login(client, alice.user)
    html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert url(canvas, "/canvas.pdf") in html and url(canvas, "/notes.csv") in html


def test_the_alignment_page_shows_a_heat_map_and_a_table_with_the_same_figures(client, setup):
    cluster, alice, _, canvas, _ = setup
    login(client, alice.user)
    html = client.get(url(canvas, "/alignment")).get_data(as_text=True)
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert html.count("100 %") >= 2  # heat map cell and table cell for "Resources and capabilities"
    assert "Investor" in html  # present in the cluster, even without contributions


def test_demo_data_adds_a_canvas_with_notes_and_votes_from_several_organisation_types(setup):
    cluster = create_cluster(name="Demo cluster")
    members = [manager_membership(cluster)] + [
        add_member(cluster, organisation_type=t) for t in ("sme", "university", "large_firm", "public_authority")
    ]
    demo = DemoCluster(
        id=cluster.id,
        name=cluster.name,
        members=tuple(
            DemoMember(m.user_id, m.id, m.user.email, m.organisation_name, m.organisation_type, m.role) for m in members
        ),
    )
    plugin.designing_clusters_demo_data(demo)
    db.session.commit()
    canvas = db.session.query(Canvas).filter_by(cluster_id=cluster.id).one()
    notes = db.session.query(Note).filter_by(canvas_id=canvas.id).all()
    assert len(notes) >= 10 and {n.element for n in notes} == set(framework().keys)
    assert len({n.author_org_type for n in notes}) >= 4
    votes = db.session.query(Vote).filter_by(canvas_id=canvas.id).all()
    assert len(votes) >= 20 and {v.value for v in votes} == {"agree", "disagree"}
    assert all(v.user_id != next(n.author_id for n in notes if n.id == v.note_id) for v in votes)
    assert db.session.query(RoleMark).filter_by(canvas_id=canvas.id).count() > 0


def test_report_sections_hold_the_canvas_snapshot_and_the_alignment_analysis(setup):
    cluster, *_ = setup
    # Report workers run with an app context only, no request.
    sections = plugin.designing_clusters_report_sections(context_of(manager_membership(cluster)))
    assert [s.key for s in sections] == ["canvas-snapshot", "canvas-alignment"]
    assert "Shared test bench" in sections[0].html
    assert "<svg" in sections[1].html and "<script" not in sections[1].html and "href=" not in sections[1].html


def test_no_report_sections_without_a_canvas_with_notes():
    cluster = create_cluster()
    new_canvas(cluster)
    assert plugin.designing_clusters_report_sections(context_of(manager_membership(cluster))) == []


def test_recommendations_flag_low_agreement_elements_and_silent_actor_types():
    notes = [NoteFact(1, "governance", 1, "sme", "Closed board"), NoteFact(2, "vision", 1, "sme", "Green region")]
    votes = [VoteFact(1, u, "university", "disagree") for u in range(10, 14)] + [VoteFact(1, 20, "university", "agree")]
    votes += [VoteFact(2, u, "university", "agree") for u in range(10, 15)]
    result = compute_alignment(framework().keys, notes, votes, actor_types=("sme", "university", "investor"))
    drafted = draft_recommendations("As-is 2026", result)
    keys = [r.key for r in drafted]
    assert keys == ["canvas-low-agreement-governance", "canvas-silent-investor"]
    low = drafted[0]
    assert low.driver == "D12" and low.priority == 2 and "20 %" in low.rationale and "Closed board" in low.rationale
    assert drafted[1].source == "canvas" and "Investor" in drafted[1].title


def test_few_votes_are_not_enough_for_a_low_agreement_recommendation():
    notes = [NoteFact(1, "governance", 1, "sme", "Closed board")]
    votes = [VoteFact(1, 2, "sme", "disagree")]
    assert draft_recommendations("c", compute_alignment(framework().keys, notes, votes, ("sme",))) == []


def test_the_recommendations_hook_reads_the_reference_canvas(setup):
    cluster, *_ = setup
    drafted = plugin.designing_clusters_recommendations(context_of(manager_membership(cluster)))
    assert "canvas-silent-investor" in [r.key for r in drafted]


def test_deleting_a_user_keeps_their_notes_without_them_and_drops_their_votes(setup):
    _, alice, bob, canvas, note = setup
    plugin.designing_clusters_delete_user_data(alice.user_id)
    plugin.designing_clusters_delete_user_data(bob.user_id)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Note, note.id).author_id is None
    assert db.session.query(Vote).count() == 0
    assert db.session.query(Event).filter(Event.actor_id.in_([alice.user_id, bob.user_id])).count() == 0


def test_public_pages_and_downloads_are_announced(app):
    with app.test_request_context():
        pages = plugin.designing_clusters_public_pages()
        downloads = plugin.designing_clusters_downloads()
    assert pages[0].url == "/tools/canvas"
    assert [d.url for d in downloads] == ["/tools/canvas/blank-canvas.pdf", "/tools/canvas/guide.pdf"]
    assert all(d.licence == "CC BY-NC 2.0 for our adaptation; source paper CC BY 4.0" for d in downloads)
