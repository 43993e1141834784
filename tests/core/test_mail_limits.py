"""Mail abuse limits: per recipient and per cluster, with clear messages; nothing leaks on sign-up."""

from __future__ import annotations

from core.clusters.models import Invitation
from core.email.limits import LIMITS
from core.extensions import db
from core.proposals.models import Proposal
from tests.factories import create_cluster, create_user, login, manager_of


def test_invitation_resends_to_one_address_are_limited_with_a_message(client, mail):
    cluster = create_cluster()
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "target@example.org", "role": "member"})
    invitation = db.session.query(Invitation).one()
    limit = LIMITS["invitation"].per_recipient
    for _ in range(limit + 3):
        response = client.post(f"/clusters/{cluster.id}/invitations/{invitation.id}/resend", follow_redirects=True)
    assert len(mail.to("target@example.org")) == limit
    assert "already received" in response.get_data(as_text=True)


def test_one_cluster_cannot_send_unlimited_invitations(client, mail):
    cluster = create_cluster()
    login(client, manager_of(cluster))
    limit = LIMITS["invitation"].per_cluster
    codes = [
        client.post(f"/clusters/{cluster.id}/invitations", data={"email": f"p{n}@example.org", "role": "member"}).status_code
        for n in range(limit + 2)
    ]
    assert codes[:limit] == [302] * limit and codes[limit:] == [400, 400]
    assert db.session.query(Invitation).count() == limit
    last = client.post(f"/clusters/{cluster.id}/invitations", data={"email": "late@example.org", "role": "member"})
    assert "the most we allow" in last.get_data(as_text=True)


def test_another_cluster_is_not_held_back_by_the_first(client, mail):
    first, second = create_cluster(), create_cluster()
    login(client, manager_of(first))
    for _ in range(LIMITS["invitation"].per_recipient):
        client.post(f"/clusters/{first.id}/invitations", data={"email": "x@example.org", "role": "member"})
        db.session.query(Invitation).update({"revoked_at": db.func.now()})
        db.session.commit()
    refused = client.post(f"/clusters/{first.id}/invitations", data={"email": "x@example.org", "role": "member"})
    assert refused.status_code == 400  # per recipient, whatever the cluster
    other = create_user()
    client.post("/logout")
    login(client, manager_of(second))
    assert client.post(f"/clusters/{second.id}/invitations", data={"email": other.email, "role": "member"}).status_code == 302


def test_signup_and_proposals_mail_one_address_a_bounded_number_of_times(client, mail):
    owner = create_user(email="owner@example.org")
    for _ in range(6):
        response = client.post("/signup", data={"display_name": "X", "email": owner.email, "password": "a fine long passphrase"})
        assert response.headers["Location"] == "/signup/sent"  # the same answer, limit or not
        client.post("/collaborate", data={"name": "A", "email": "victim@example.org", "kind": "research", "message": "A proposal long enough to be accepted."})
    assert len(mail.to(owner.email)) == LIMITS["signup"].per_recipient
    assert len(mail.to("victim@example.org")) == LIMITS["proposal"].per_recipient
    assert db.session.query(Proposal).count() == 6  # proposals are kept for the team
