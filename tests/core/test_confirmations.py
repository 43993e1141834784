"""What cannot be undone asks first: without JavaScript a confirmation page naming what
will happen (re-posting the same form), with JavaScript a dialog (static/js/confirm.js)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from core.api import db
from core.clusters.models import Membership
from plugins.canvas.models import Canvas
from plugins.innovativeness.models import AssessmentRound
from tests.factories import add_member, create_cluster, create_user, login, manager_of
from tests.plugins.canvas.helpers import manager_membership, new_canvas, note_by, url
from tests.plugins.innovativeness.helpers import open_round


def _hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


def _member_removal(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Aero Valley")
    member = add_member(cluster, user=create_user(display_name="Ada Lovelace"))
    login(client, manager_of(cluster))
    done = lambda: db.session.get(Membership, member.id) is None  # noqa: E731
    return f"/clusters/{cluster.id}/members/{member.id}/remove", {}, ("Remove Ada Lovelace from Aero Valley?",), done


def _leaving(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Aero Valley")
    member = add_member(cluster)
    login(client, member.user)
    done = lambda: db.session.get(Membership, member.id) is None  # noqa: E731
    return f"/clusters/{cluster.id}/leave", {}, ("Leave Aero Valley?", "invite you again"), done


def _closing_contributions(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    canvas = new_canvas(cluster, "As-is 2026")
    login(client, manager_of(cluster))

    def done() -> bool:
        db.session.expire_all()
        return db.session.get(Canvas, canvas.id).status == "consolidation"

    data = {"status": "consolidation", "version": str(canvas.version)}
    return url(canvas, "/status"), data, ("Close contributions to “As-is 2026”?", "can no longer add"), done


def _agreeing(client):  # type: ignore[no-untyped-def]
    from plugins.canvas import consolidation, lifecycle
    from tests.plugins.canvas.helpers import context_of

    cluster = create_cluster()
    canvas = new_canvas(cluster, "As-is 2026")
    manager = context_of(manager_membership(cluster))
    note = note_by(canvas, manager_membership(cluster), "Joint projects")
    lifecycle.change_status(canvas, manager, "consolidation", canvas.version)
    consolidation.review_note(note, manager, "accept", note.version)
    login(client, manager_of(cluster))

    def done() -> bool:
        db.session.expire_all()
        return db.session.get(Canvas, canvas.id).status == "agreed"

    data = {"status": "agreed", "version": str(canvas.version)}
    return url(canvas, "/status"), data, ("Mark “As-is 2026” as agreed?", "read-only for good"), done


def _closing_a_round(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    rnd = open_round(cluster, manager_of(cluster), title="Spring round")
    login(client, manager_of(cluster))

    def done() -> bool:
        db.session.expire_all()
        return db.session.get(AssessmentRound, rnd.id).closed_at is not None

    path = f"/clusters/{cluster.id}/innovativeness/rounds/{rnd.id}/close"
    return path, {}, ("Close “Spring round” now?", "cannot be undone"), done


def _disabling_a_tool(client):  # type: ignore[no-untyped-def]
    from core.plugins.state import is_enabled

    login(client, create_user(is_admin=True))
    return "/admin/plugins/canvas/toggle", {"enable": "0"}, ("Disable Cluster business model canvas?", "data stays"), lambda: not is_enabled("canvas")


@pytest.mark.parametrize("arrange", [_member_removal, _leaving, _closing_contributions, _agreeing, _closing_a_round,
                                     _disabling_a_tool])
def test_an_irreversible_action_asks_first_and_goes_ahead_once_confirmed(client, arrange: Callable) -> None:  # type: ignore[type-arg]
    path, data, wording, done = arrange(client)
    first = client.post(path, data=data)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and not done(), "acted without confirmation"
    for text in wording:
        assert text in html
    assert 'name="confirm" value="yes"' in html and "Cancel" in html
    resent = _hidden_fields(html)
    assert {k: v for k, v in resent.items() if k in data} == data  # the same form, re-posted
    second = client.post(path, data={**resent, "confirm": "yes"})
    assert second.status_code in (302, 303) and done()


def test_the_buttons_ask_in_a_dialog_when_javascript_runs(client) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    add_member(cluster)
    login(client, manager_of(cluster))
    members = client.get(f"/clusters/{cluster.id}/members").get_data(as_text=True)
    assert 'data-confirm="Remove ' in members and "/static/js/confirm.js" in members
    script = client.get("/static/js/confirm.js").get_data(as_text=True)
    assert "window.confirm" in script and '"confirm"' in script
