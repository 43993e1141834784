"""A canvas board costs the same number of SQL statements with 3 notes as with 60 (issue 16)."""

from __future__ import annotations

from core.clusters.models import Membership
from core.extensions import db
from plugins.canvas.models import Note, Vote
from tests.factories import add_member, create_cluster, login, manager_of
from tests.plugins.canvas.helpers import manager_membership, new_canvas, url
from tests.support.queries import statements_for


def _board_with(notes: int):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    members: list[Membership] = [manager_membership(cluster)] + [add_member(cluster) for _ in range(3)]
    canvas = new_canvas(cluster)
    rows = [Note(cluster_id=cluster.id, canvas_id=canvas.id, element="actors", text=f"Note {n}",
                 author_id=members[n % 4].user_id, author_org_type=members[n % 4].organisation_type)
            for n in range(notes)]
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all([Vote(cluster_id=cluster.id, canvas_id=canvas.id, note_id=note.id,
                             user_id=members[(n + 1) % 4].user_id, voter_org_type=members[(n + 1) % 4].organisation_type,
                             value="agree") for n, note in enumerate(rows)])
    db.session.commit()
    return cluster, canvas


def test_board_and_dashboard_statements_do_not_grow_with_notes(app) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for notes in (3, 60):
        cluster, canvas = _board_with(notes)
        client = app.test_client()
        login(client, manager_of(cluster))
        counts.append((statements_for(client, url(canvas)), statements_for(client, f"/clusters/{cluster.id}"),
                       statements_for(client, f"/clusters/{cluster.id}/canvas/")))
    assert counts[0] == counts[1]
    assert counts[1][1] <= 6  # the dashboard, with the canvas widget


def test_the_dashboard_widget_counts_notes_votes_and_contributors(app) -> None:  # type: ignore[no-untyped-def]
    """The one-statement summary counts as the separate queries did: merged notes left out, people once."""
    from plugins.canvas.queries import canvas_summaries

    cluster, canvas = _board_with(5)
    merged = db.session.query(Note).filter_by(canvas_id=canvas.id).first()
    merged.status = "merged"
    db.session.commit()
    with db.session.no_autoflush:
        (summary,) = canvas_summaries(cluster.id)
    assert (summary.notes, summary.votes, summary.contributors) == (4, 5, 4)
