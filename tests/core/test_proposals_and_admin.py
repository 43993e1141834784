"""Collaboration proposals, the admin area and the outbox."""

from __future__ import annotations

from core.email.models import OutboxEmail
from core.extensions import db
from core.proposals.models import Proposal
from tests.factories import create_cluster, create_user, login

PROPOSAL = {
    "name": "Dr Researcher",
    "email": "researcher@uni.example",
    "organisation": "University of Examples",
    "kind": "research",
    "message": "We study cluster governance and would like to run a joint survey.",
}


def test_proposal_is_stored_and_acknowledged_by_email(client, mail):
    response = client.post("/collaborate", data=PROPOSAL)
    assert response.status_code == 302
    proposal = db.session.query(Proposal).one()
    assert proposal.kind == "research" and proposal.reviewed_at is None
    assert "joint survey" in mail.text_of(mail.wait_for("researcher@uni.example")[0])


def test_proposal_with_a_too_short_message_is_refused_and_kept(client):
    response = client.post("/collaborate", data={**PROPOSAL, "message": "hi"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "between 20 and 5,000" in html and 'value="Dr Researcher"' in html
    assert db.session.query(Proposal).count() == 0


def test_admin_lists_proposals_and_marks_them_reviewed(client):
    client.post("/collaborate", data=PROPOSAL)
    admin = create_user(is_admin=True)
    login(client, admin)
    assert "joint survey" in client.get("/admin/proposals").get_data(as_text=True)
    proposal = db.session.query(Proposal).one()
    client.post(f"/admin/proposals/{proposal.id}/reviewed")
    db.session.refresh(proposal)
    assert proposal.reviewed_at is not None and proposal.reviewed_by_id == admin.id


def test_admin_sees_users_and_clusters_and_grants_consultant_role(client):
    admin = create_user(is_admin=True)
    someone = create_user(email="future.consultant@example.org")
    create_cluster(name="Listed Cluster")
    login(client, admin)
    assert "future.consultant@example.org" in client.get("/admin/users?q=future").get_data(as_text=True)
    assert "Listed Cluster" in client.get("/admin/clusters").get_data(as_text=True)
    client.post(f"/admin/users/{someone.id}/consultant")
    db.session.refresh(someone)
    assert someone.is_consultant


def test_without_smtp_mail_is_kept_in_the_readable_outbox(make_app):
    app = make_app(MAIL_SERVER="")
    client = app.test_client()
    client.post("/signup", data={"display_name": "Offline", "email": "offline@example.org", "password": "a fine long passphrase"})
    kept = db.session.query(OutboxEmail).filter_by(recipient="offline@example.org").one()
    assert "/verify/" in kept.text_body
    assert "Confirm your email address" in client.get("/outbox/").get_data(as_text=True)
    assert "/verify/" in client.get(f"/outbox/{kept.id}").get_data(as_text=True)


def test_outbox_is_closed_when_smtp_is_configured(client):
    assert client.get("/outbox/").status_code == 404


def test_admin_navigation_shows_links_plugins_contribute(client):
    login(client, create_user(is_admin=True))
    html = client.get("/admin/").get_data(as_text=True)
    assert "Payments ledger" in html and "/admin/engagements" in html


def test_outside_the_embedded_default_only_admins_read_the_outbox(make_app):
    app = make_app(MAIL_SERVER="", OUTBOX_OPEN_TO_ALL=False)
    visitor = app.test_client()
    assert visitor.get("/outbox/").status_code == 404
    assert "Outbox" not in visitor.get("/").get_data(as_text=True)
    admin = app.test_client()
    login(admin, create_user(is_admin=True))
    assert admin.get("/outbox/").status_code == 200


REMOTE = {"REMOTE_ADDR": "203.0.113.9"}


def test_embedded_outbox_is_closed_to_strangers_from_another_machine(make_app):
    app = make_app(MAIL_SERVER="", OUTBOX_OPEN_TO_ALL=True)
    victim = create_user(email="victim@example.org")
    stranger = app.test_client()
    stranger.post("/password/forgot", data={"email": victim.email}, environ_base=REMOTE)
    assert db.session.query(OutboxEmail).filter_by(recipient=victim.email).count() == 1
    assert stranger.get("/outbox/", environ_base=REMOTE).status_code == 404
    kept = db.session.query(OutboxEmail).filter_by(recipient=victim.email).one()
    assert stranger.get(f"/outbox/{kept.id}", environ_base=REMOTE).status_code == 404


def test_embedded_outbox_is_closed_to_requests_relayed_by_a_local_proxy(make_app):
    app = make_app(MAIL_SERVER="", OUTBOX_OPEN_TO_ALL=True)
    client = app.test_client()
    assert client.get("/outbox/", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert client.get("/outbox/", headers={"Forwarded": "for=203.0.113.9"}).status_code == 404
    assert client.get("/outbox/").status_code == 200  # the developer on this machine


def test_admins_read_the_outbox_from_anywhere(make_app):
    app = make_app(MAIL_SERVER="", OUTBOX_OPEN_TO_ALL=True)
    admin = app.test_client()
    login(admin, create_user(is_admin=True))
    assert admin.get("/outbox/", environ_base=REMOTE).status_code == 200
    assert "/outbox/" in admin.get("/admin/", environ_base=REMOTE).get_data(as_text=True)


def test_public_footer_never_advertises_the_outbox(make_app):
    app = make_app(MAIL_SERVER="", OUTBOX_OPEN_TO_ALL=True)
    client = app.test_client()
    assert client.get("/outbox/").status_code == 200
    assert "/outbox/" not in client.get("/").get_data(as_text=True)


def test_removing_the_consultant_role_asks_first_and_ends_their_cluster_access(client):
    from core.clusters import grants
    from tests.factories import grant_access

    admin = create_user(is_admin=True)
    consultant = create_user(email="leaving.consultant@example.org", is_consultant=True)
    cluster = create_cluster(name="Client Cluster")
    grant_access(cluster, consultant)
    login(client, admin)
    asked = client.post(f"/admin/users/{consultant.id}/consultant")
    assert asked.status_code == 200 and "read access to every client cluster" in asked.get_data(as_text=True)
    db.session.refresh(consultant)
    assert consultant.is_consultant and grants.live_grant(cluster.id, consultant.id) is not None
    done = client.post(f"/admin/users/{consultant.id}/consultant", data={"confirm": "yes"}, follow_redirects=True)
    assert "no longer a consultant" in done.get_data(as_text=True)
    assert "Their read access to clusters ended (1 access grant)" in done.get_data(as_text=True)
    db.session.refresh(consultant)
    assert not consultant.is_consultant and grants.live_grant(cluster.id, consultant.id) is None
