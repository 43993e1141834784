"""Cluster workspaces: creation, invitations, roles, leaving, switching."""

from __future__ import annotations

import re
import time

from core.clusters.models import Cluster, Invitation, Membership
from core.extensions import db
from tests.factories import add_member, create_cluster, create_user, login, manager_of

PROFILE = {
    "name": "Photonics Valley",
    "country": "Germany",
    "region": "Thuringia",
    "sectors": "Optics, photonics",
    "stage": "growing",
    "member_count": "42",
    "website": "https://photonics.example.org",
    "description": "Optics firms and institutes.",
    "organisation_name": "Photonics Valley e.V.",
    "organisation_type": "intermediary",
}


def invitation_path(mail, address: str) -> str:
    text = mail.text_of(mail.wait_for(address)[-1])
    return re.search(r"http://localhost(/invitations/\S+)", text).group(1)


def test_creator_of_a_cluster_becomes_its_manager(client):
    user = create_user()
    login(client, user)
    response = client.post("/clusters/new", data=PROFILE)
    assert response.status_code == 302
    cluster = db.session.query(Cluster).one()
    assert cluster.name == "Photonics Valley" and cluster.member_count == 42
    membership = db.session.query(Membership).one()
    assert (membership.user_id, membership.role, membership.organisation_type) == (user.id, "manager", "intermediary")


def test_cluster_form_rejects_bad_input_and_keeps_it(client):
    login(client, create_user())
    response = client.post("/clusters/new", data={**PROFILE, "name": "", "website": "not a url", "member_count": "-3"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This field is required." in html and "full address" in html
    assert 'value="Thuringia"' in html
    assert db.session.query(Cluster).count() == 0


def test_invitee_without_account_signs_up_and_joins(app, client, mail):
    cluster = create_cluster()
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "newbie@example.org", "role": "member"})
    path = invitation_path(mail, "newbie@example.org")
    invitee = app.test_client()
    assert "Create an account" in invitee.get(path).get_data(as_text=True)
    invitee.post(f"/signup?next={path}", data={"display_name": "Newbie", "email": "newbie@example.org", "password": "a fine long passphrase"})
    response = invitee.post(path, data={"organisation_name": "Newbie Labs", "organisation_type": "startup"})
    assert response.status_code == 302
    membership = db.session.query(Membership).filter_by(organisation_name="Newbie Labs").one()
    assert membership.role == "member" and membership.organisation_type == "startup"
    assert invitee.get(f"/clusters/{cluster.id}").status_code == 200
    again = invitee.post(path, data={"organisation_name": "Again", "organisation_type": "sme"})
    assert "This invitation was accepted" in again.get_data(as_text=True)
    assert db.session.query(Membership).filter_by(organisation_name="Again").count() == 0


def test_a_used_invitation_link_says_it_was_accepted_and_links_to_the_cluster(app, client, mail):
    cluster = create_cluster(name="Photonics Valley")
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "joined@example.org", "role": "member"})
    path = invitation_path(mail, "joined@example.org")
    invitee = app.test_client()
    login(invitee, create_user(email="joined@example.org"))
    invitee.post(path, data={"organisation_name": "Joined Labs", "organisation_type": "startup"})
    for visitor in (invitee, app.test_client()):
        response = visitor.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "This invitation was accepted" in html
        assert "not valid any more" not in html and "Photonics Valley" in html
    assert f'href="/clusters/{cluster.id}"' in invitee.get(path).get_data(as_text=True)


def test_signing_up_from_an_invitation_prefills_the_address_and_sends_no_second_mail(app, client, mail):
    cluster = create_cluster()
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "fresh@example.org", "role": "member"})
    path = invitation_path(mail, "fresh@example.org")
    invitee = app.test_client()
    signup = invitee.get(f"/signup?next={path}").get_data(as_text=True)
    assert 'value="fresh@example.org"' in signup
    mail.clear()
    response = invitee.post(f"/signup?next={path}", data={"display_name": "Fresh", "email": "fresh@example.org",
                                                          "password": "a fine long passphrase"})
    assert response.headers["Location"] == path
    from core.accounts.models import User

    assert db.session.query(User).filter_by(email="fresh@example.org").one().email_verified_at is not None
    time.sleep(0.3)
    assert mail.to("fresh@example.org") == []
    # Another address on the same link is not proven by the invitation: it gets the usual mail.
    other = app.test_client()
    other.post(f"/signup?next={path}", data={"display_name": "Other", "email": "other@example.org",
                                             "password": "a fine long passphrase"})
    assert len(mail.wait_for("other@example.org", 1)) == 1


def test_invitation_for_another_address_is_refused(app, client, mail):
    cluster = create_cluster()
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "right@example.org", "role": "member"})
    path = invitation_path(mail, "right@example.org")
    stranger = app.test_client()
    login(stranger, create_user(email="wrong@example.org"))
    response = stranger.post(path, data={"organisation_name": "X", "organisation_type": "sme"})
    assert response.status_code == 400
    assert db.session.query(Membership).count() == 1


def test_resending_an_invitation_invalidates_the_old_link_and_revoking_kills_it(app, client, mail):
    cluster = create_cluster()
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "guest@example.org", "role": "member"})
    first = invitation_path(mail, "guest@example.org")
    invitation = db.session.query(Invitation).one()
    client.post(f"/clusters/{cluster.id}/invitations/{invitation.id}/resend")
    second = mail.text_of(mail.wait_for("guest@example.org", count=2)[-1])
    second = re.search(r"http://localhost(/invitations/\S+)", second).group(1)
    assert first != second
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 400
    assert anonymous.get(second).status_code == 200
    client.post(f"/clusters/{cluster.id}/invitations/{invitation.id}/revoke")
    assert anonymous.get(second).status_code == 400


def test_duplicate_invitation_and_inviting_a_member_are_refused(client):
    cluster = create_cluster()
    member = add_member(cluster)
    login(client, manager_of(cluster))
    response = client.post(f"/clusters/{cluster.id}/invitations", data={"email": member.user.email, "role": "member"})
    assert response.status_code == 400 and "already a member" in response.get_data(as_text=True)
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "twice@example.org", "role": "member"})
    response = client.post(f"/clusters/{cluster.id}/invitations", data={"email": "twice@example.org", "role": "member"})
    assert response.status_code == 400 and "pending invitation" in response.get_data(as_text=True)


def test_plain_members_cannot_invite_or_change_roles(client):
    cluster = create_cluster()
    member = add_member(cluster)
    login(client, member.user)
    assert client.post(f"/clusters/{cluster.id}/invitations", data={"email": "x@example.org"}).status_code == 403
    assert client.post(f"/clusters/{cluster.id}/members/{member.id}/role", data={"role": "manager"}).status_code == 403


def test_manager_changes_roles_but_the_last_manager_stays(client):
    cluster = create_cluster()
    manager = manager_of(cluster)
    manager_membership = db.session.query(Membership).filter_by(user_id=manager.id).one()
    member = add_member(cluster)
    login(client, manager)
    client.post(f"/clusters/{cluster.id}/members/{manager_membership.id}/role", data={"role": "member"})
    db.session.refresh(manager_membership)
    assert manager_membership.role == "manager"
    client.post(f"/clusters/{cluster.id}/members/{member.id}/role", data={"role": "manager"})
    db.session.refresh(member)
    assert member.role == "manager"


def test_last_manager_cannot_leave_but_a_member_can(app, client):
    cluster = create_cluster()
    member = add_member(cluster)
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/leave", data={"confirm": "yes"})
    assert db.session.query(Membership).filter_by(cluster_id=cluster.id).count() == 2
    other = app.test_client()
    login(other, member.user)
    other.post(f"/clusters/{cluster.id}/leave", data={"confirm": "yes"})
    assert db.session.query(Membership).filter_by(cluster_id=cluster.id).count() == 1
    assert other.get(f"/clusters/{cluster.id}").status_code == 404


def test_manager_removes_a_member(client):
    cluster = create_cluster()
    member = add_member(cluster)
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/members/{member.id}/remove", data={"confirm": "yes"})
    assert db.session.get(Membership, member.id) is None


def test_user_in_two_clusters_switches_between_them(client):
    user = create_user()
    first = create_cluster(manager=user, name="First Cluster")
    second = create_cluster(name="Second Cluster")
    add_member(second, user=user)
    login(client, user)
    html = client.get(f"/clusters/{first.id}").get_data(as_text=True)
    assert "Switch cluster" in html and "Second Cluster" in html
    assert "Second Cluster" in client.get(f"/clusters/{second.id}").get_data(as_text=True)
    listing = client.get("/clusters").get_data(as_text=True)
    assert "First Cluster" in listing and "Second Cluster" in listing


def test_dashboard_shows_members_invitations_and_plugin_widgets(client):
    cluster = create_cluster(name="Widget Cluster")
    add_member(cluster, organisation_type="university", organisation_name="Alma Mater")
    login(client, manager_of(cluster))
    client.post(f"/clusters/{cluster.id}/invitations", data={"email": "pending@example.org", "role": "member"})
    html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert "Alma Mater" in html and "University" in html
    assert "pending@example.org" in html
    assert "Sample widget for Widget Cluster" in html


def test_member_updates_their_organisation(client):
    cluster = create_cluster()
    member = add_member(cluster)
    login(client, member.user)
    client.post(f"/clusters/{cluster.id}/membership", data={"organisation_name": "Renamed Ltd", "organisation_type": "large_firm"})
    db.session.refresh(member)
    assert (member.organisation_name, member.organisation_type) == ("Renamed Ltd", "large_firm")


def test_anonymous_visitor_is_sent_to_login_from_a_cluster_page(client):
    cluster = create_cluster()
    response = client.get(f"/clusters/{cluster.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
