"""Access grants: read-only access to a cluster for a non-member, seen and ended by its managers."""

from __future__ import annotations

from datetime import timedelta

from core.clusters import grants
from core.clusters.models import AccessGrant
from core.extensions import db
from core.models import utcnow
from tests.factories import add_member, create_cluster, create_user, grant_access, login, manager_of


def _live(cluster_id: int) -> list[tuple[int, str]]:
    return [(a.user_id, a.reason) for a in grants.live_grants_of_cluster(cluster_id)]


def test_granting_twice_for_the_same_source_keeps_one_grant_with_the_new_reason():
    cluster, consultant = create_cluster(), create_user(is_consultant=True)
    grants.grant_cluster_access(cluster.id, consultant.id, "engagements:7", "First reason")
    grants.grant_cluster_access(cluster.id, consultant.id, "engagements:7", "Second reason")
    db.session.commit()
    assert _live(cluster.id) == [(consultant.id, "Second reason")]
    assert db.session.query(AccessGrant).count() == 1


def test_granting_to_someone_else_for_the_same_source_moves_the_access():
    cluster = create_cluster()
    first, second = create_user(is_consultant=True), create_user(is_consultant=True)
    grants.grant_cluster_access(cluster.id, first.id, "engagements:7", "Consultant")
    grants.grant_cluster_access(cluster.id, second.id, "engagements:7", "Consultant")
    db.session.commit()
    assert _live(cluster.id) == [(second.id, "Consultant")]
    assert grants.live_grant(cluster.id, first.id) is None


def test_a_grant_a_manager_ended_is_not_given_back_by_the_same_source():
    cluster, consultant = create_cluster(), create_user(is_consultant=True)
    grant = grant_access(cluster, consultant, source="engagements:7")
    grants.end_cluster_access(cluster.id, grant.id, manager_of(cluster).id)
    assert grants.grant_cluster_access(cluster.id, consultant.id, "engagements:7", "Again") is False
    db.session.commit()
    assert _live(cluster.id) == []


def test_setting_an_expiry_never_extends_an_earlier_one():
    cluster, consultant = create_cluster(), create_user(is_consultant=True)
    grant_access(cluster, consultant, source="engagements:7")
    soon, later = utcnow() + timedelta(days=5), utcnow() + timedelta(days=40)
    grants.set_cluster_access_expiry("engagements:7", soon)
    grants.set_cluster_access_expiry("engagements:7", later)
    db.session.commit()
    assert grants.live_grant(cluster.id, consultant.id).expires_at == soon


def test_an_expired_grant_is_not_live():
    cluster, consultant = create_cluster(), create_user(is_consultant=True)
    grant_access(cluster, consultant, expires_at=utcnow() - timedelta(seconds=1))
    assert grants.live_grant(cluster.id, consultant.id) is None
    assert grants.live_grants_of_user(consultant.id) == []


def test_managers_see_who_has_access_why_and_until_when_and_can_end_it(client):
    cluster, consultant = create_cluster(), create_user(is_consultant=True, display_name="Clara Consult")
    until = utcnow() + timedelta(days=30)
    grant = grant_access(cluster, consultant, until, reason="Consultant of engagement #3 “Deep dive”")
    login(client, manager_of(cluster))
    html = client.get(f"/clusters/{cluster.id}/members").get_data(as_text=True)
    assert "Consultants with access" in html
    assert "Clara Consult" in html and "Consultant of engagement #3 “Deep dive”" in html
    assert until.strftime("%d %b %Y") in html
    end_url = f"/clusters/{cluster.id}/access/{grant.id}/end"
    assert end_url in html
    # The button leads to a confirmation first; nothing ends on GET.
    confirm = client.get(end_url)
    assert confirm.status_code == 200 and "cannot be undone" in confirm.get_data(as_text=True)
    assert grants.live_grant(cluster.id, consultant.id) is not None
    assert client.post(end_url).status_code == 302
    db.session.expire_all()
    ended = db.session.get(AccessGrant, grant.id)
    assert ended.ended_at is not None and ended.ended_by_id == manager_of(cluster).id
    after = client.get(f"/clusters/{cluster.id}/members").get_data(as_text=True)
    assert "Clara Consult can no longer read this cluster" in after
    assert "Nobody outside the cluster can read it" in after and end_url not in after


def test_a_plain_member_sees_the_access_but_cannot_end_it(client):
    cluster, consultant = create_cluster(), create_user(is_consultant=True, display_name="Clara Consult")
    grant = grant_access(cluster, consultant)
    member = add_member(cluster)
    login(client, member.user)
    html = client.get(f"/clusters/{cluster.id}/members").get_data(as_text=True)
    assert "Clara Consult" in html and f"/access/{grant.id}/end" not in html
    assert client.post(f"/clusters/{cluster.id}/access/{grant.id}/end").status_code == 403
    assert grants.live_grant(cluster.id, consultant.id) is not None


def test_a_manager_cannot_end_another_clusters_grant(client):
    mine, theirs = create_cluster(), create_cluster()
    grant = grant_access(theirs, create_user(is_consultant=True))
    login(client, manager_of(mine))
    client.post(f"/clusters/{mine.id}/access/{grant.id}/end")
    db.session.expire_all()
    assert db.session.get(AccessGrant, grant.id).ended_at is None


def test_the_consultant_finds_the_cluster_and_its_dashboard_is_read_only(client):
    cluster = create_cluster(name="Aero Valley")
    member = add_member(cluster, organisation_name="Secret Widgets Ltd")
    consultant = create_user(is_consultant=True)
    grant_access(cluster, consultant, reason="Consultant of engagement #3")
    login(client, consultant)
    home = client.get("/clusters").get_data(as_text=True)
    assert "Clusters you can read as a consultant" in home and f"/clusters/{cluster.id}" in home
    response = client.get(f"/clusters/{cluster.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Aero Valley" in html and "read-only" in html.lower()
    # Aggregates, not the people: no member list, no members page.
    assert member.user.email not in html and "Secret Widgets Ltd" not in html
    assert f'href="/clusters/{cluster.id}/members"' not in html
    assert client.get(f"/clusters/{cluster.id}/members").status_code == 403


def test_a_write_by_a_consultant_answers_403_with_a_reason_and_changes_nothing(client):
    from plugins.canvas.models import Canvas

    cluster, consultant = create_cluster(), create_user(is_consultant=True)
    grant_access(cluster, consultant)
    login(client, consultant)
    response = client.post(f"/clusters/{cluster.id}/canvas/", data={"title": "Consultant's canvas"})
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert db.session.query(Canvas).count() == 0


def test_ending_one_of_several_grants_says_the_others_still_give_access(app, client):
    """A consultant of two engagements holds two grants: ending one leaves them reading the cluster."""
    cluster, consultant = create_cluster(), create_user(is_consultant=True, display_name="Clara Consult")
    first = grant_access(cluster, consultant, reason="Consultant of engagement #1")
    second = grant_access(cluster, consultant, reason="Consultant of engagement #2")
    login(client, manager_of(cluster))
    confirm = client.get(f"/clusters/{cluster.id}/access/{first.id}/end").get_data(as_text=True)
    assert "also reads this cluster through 1 other access grant" in confirm
    assert "Consultant of engagement #2" in confirm and "no longer open any page" not in confirm
    after = client.post(f"/clusters/{cluster.id}/access/{first.id}/end", follow_redirects=True).get_data(as_text=True)
    assert "Clara Consult still reads this cluster through 1 other access grant" in after
    assert "can no longer read" not in after
    reader = app.test_client()
    login(reader, consultant)
    assert reader.get(f"/clusters/{cluster.id}").status_code == 200
    last = client.post(f"/clusters/{cluster.id}/access/{second.id}/end", follow_redirects=True).get_data(as_text=True)
    assert "Clara Consult can no longer read this cluster" in last
    assert reader.get(f"/clusters/{cluster.id}").status_code == 404
