"""Workshop decisions return to the canvas: the manager starts a to-be canvas from them."""

from __future__ import annotations

from datetime import date

import pytest

from core.api import AgreedOutcome, ClusterContext, db, outcome_actions
from plugins.canvas.models import Canvas, Note
from tests.factories import DEFAULT_PASSWORD, add_member, create_cluster, csrf_token_from, login, manager_of
from tests.support.outcomes import recorded_outcomes

ENGAGEMENT = 41


def _outcomes() -> list[AgreedOutcome]:
    day = date(2026, 11, 20)
    return [
        AgreedOutcome(ENGAGEMENT, "Governance", "The board decides by a two-thirds majority",
                      about="canvas:element:governance", source="canvas", owner="Board chair",
                      due=date(2027, 1, 31), decided_on=day),
        AgreedOutcome(ENGAGEMENT, "Value propositions", "One shared test bench offer for SMEs",
                      about="canvas:element:propositions", source="canvas", decided_on=day),
        AgreedOutcome(ENGAGEMENT, "Talent", "A joint traineeship", about="innovativeness:driver:D9",
                      source="innovativeness", decided_on=day),
        AgreedOutcome(ENGAGEMENT, "Added by the consultant", "Meet again in March", decided_on=day),
    ]


@pytest.fixture()
def workshop(app):
    cluster = create_cluster(name="Outcome Valley")
    member = add_member(cluster, organisation_type="sme")
    with recorded_outcomes(app, {cluster.id: _outcomes()}):
        yield cluster, member


def _context(cluster, role: str = "manager") -> ClusterContext:  # type: ignore[no-untyped-def]
    return ClusterContext(id=cluster.id, name=cluster.name, user_id=manager_of(cluster).id, role=role,
                          organisation_type="intermediary")


def _url(cluster, engagement: int = ENGAGEMENT) -> str:  # type: ignore[no-untyped-def]
    return f"/clusters/{cluster.id}/canvas/to-be/{engagement}"


def test_managers_are_offered_one_to_be_canvas_per_workshop_and_members_nothing(app, workshop):
    cluster, _ = workshop
    with app.test_request_context():  # the brief's outcomes page asks while serving a request
        actions = outcome_actions(_context(cluster), tuple(_outcomes()))
        assert outcome_actions(_context(cluster, "member"), tuple(_outcomes())) == []
        assert outcome_actions(_context(cluster), tuple(_outcomes()[2:])) == []
    assert [(slug, a.label, a.url) for slug, a in actions] == [
        ("canvas", "Start a to-be canvas from 2 decisions", _url(cluster))]
    assert "2 decisions about canvas elements" in actions[0][1].description


def test_the_manager_confirms_and_gets_an_open_canvas_seeded_with_the_canvas_decisions_once(client, workshop):
    cluster, _ = workshop
    login(client, manager_of(cluster))
    asked = client.post(_url(cluster))
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Start the to-be canvas" in page and "two-thirds majority" in page
    assert db.session.query(Canvas).filter_by(cluster_id=cluster.id).count() == 0
    done = client.post(_url(cluster), data={"confirm": "yes"})
    assert done.status_code == 302
    canvas = db.session.query(Canvas).filter_by(cluster_id=cluster.id).one()
    assert done.headers["Location"].endswith(f"/clusters/{cluster.id}/canvas/{canvas.id}")
    assert canvas.status == "open" and canvas.title == "To-be canvas from the workshop of 20 Nov 2026"
    notes = {n.element: n for n in db.session.query(Note).filter_by(canvas_id=canvas.id)}
    assert set(notes) == {"governance", "propositions"}
    assert notes["governance"].text == "The board decides by a two-thirds majority"
    assert "Owner: Board chair." in notes["governance"].explanation and "31 Jan 2027" in notes["governance"].explanation
    again = client.post(_url(cluster), data={"confirm": "yes"})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/canvas/{canvas.id}")
    assert db.session.query(Canvas).filter_by(cluster_id=cluster.id).count() == 1
    with client.application.test_request_context():  # the button now says where it leads
        [(_, offered)] = outcome_actions(_context(cluster), tuple(_outcomes()))
    assert offered.label == "Open the to-be canvas" and offered.url == _url(cluster)
    board = client.get(f"/clusters/{cluster.id}/canvas/{canvas.id}").get_data(as_text=True)
    assert "One shared test bench offer for SMEs" in board


def test_members_are_refused_and_unknown_workshops_are_not_found(app, workshop):
    cluster, member = workshop
    stranger = create_cluster(name="Elsewhere")
    as_member, as_manager, as_stranger = app.test_client(), app.test_client(), app.test_client()
    login(as_member, member.user)
    assert as_member.post(_url(cluster), data={"confirm": "yes"}).status_code == 403
    login(as_manager, manager_of(cluster))
    assert as_manager.post(_url(cluster, 999), data={"confirm": "yes"}).status_code == 404
    login(as_stranger, manager_of(stranger))
    assert as_stranger.post(_url(cluster), data={"confirm": "yes"}).status_code == 404
    assert db.session.query(Canvas).count() == 0


def test_a_workshop_without_canvas_decisions_is_refused_with_a_message(app, client):
    cluster = create_cluster(name="Driver Valley")
    only_drivers = [o for o in _outcomes() if not o.about.startswith("canvas:")]
    with recorded_outcomes(app, {cluster.id: only_drivers}):
        login(client, manager_of(cluster))
        response = client.post(_url(cluster), data={"confirm": "yes"})
    assert response.status_code == 400 and "concerns the canvas" in response.get_data(as_text=True)


def test_the_button_needs_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    cluster = create_cluster(name="Token Valley")
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": manager_of(cluster).email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert client.post(_url(cluster), data={"confirm": "yes"}).status_code == 400
