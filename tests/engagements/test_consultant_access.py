"""The consultant of an engagement reads its cluster while it is open and 30 days after it ends."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.api import db, utcnow
from core.clusters import grants
from core.clusters.models import AccessGrant
from engagements import access
from engagements.lifecycle import Actor, transition
from engagements.models import Engagement, Transition
from tests.engagements.conftest import paid_by_invoice
from tests.factories import create_user, login, manager_of


_paid = paid_by_invoice


def _take(client, engagement: Engagement, consultant) -> None:  # type: ignore[no-untyped-def]
    login(client, consultant)
    assert client.post(f"/console/engagements/{engagement.id}/take").status_code == 303


def _grant(engagement: Engagement) -> AccessGrant:
    db.session.expire_all()
    return db.session.execute(
        select(AccessGrant).where(AccessGrant.source == access.source_of(engagement.id), AccessGrant.ended_at.is_(None))
    ).scalar_one()


def _ended_at(engagement: Engagement, state: str):  # type: ignore[no-untyped-def]
    return db.session.execute(
        select(Transition.created_at).where(Transition.engagement_id == engagement.id, Transition.to_state == state)
    ).scalar_one()


def test_taking_an_engagement_lets_the_consultant_read_the_cluster_and_find_it(client, cluster, review):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    consultant = create_user(is_consultant=True, display_name="Clara Consult")
    login(client, consultant)
    assert client.get(f"/clusters/{cluster.id}").status_code == 404
    _take(client, engagement, consultant)
    console = client.get(f"/console/engagements/{engagement.id}").get_data(as_text=True)
    assert f'href="/clusters/{cluster.id}"' in console
    assert client.get(f"/clusters/{cluster.id}").status_code == 200
    assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 200
    # The cluster's own engagement pages stay with its members; the consultant has the console.
    assert client.get(f"/clusters/{cluster.id}/engagements/{engagement.id}").status_code == 403
    assert _grant(engagement).expires_at is None
    client.post("/logout")
    login(client, manager_of(cluster))
    members = client.get(f"/clusters/{cluster.id}/members").get_data(as_text=True)
    assert "Clara Consult" in members and f"engagement #{engagement.id}" in members


def test_reassigning_moves_the_access_to_the_new_consultant(client, cluster, review):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    first, second = create_user(is_consultant=True), create_user(is_consultant=True)
    login(client, create_user(is_admin=True))
    for consultant in (first, second):
        response = client.post(f"/console/engagements/{engagement.id}/assign", data={"consultant_id": consultant.id})
        assert response.status_code == 303
    assert grants.live_grant(cluster.id, first.id) is None
    assert grants.live_grant(cluster.id, second.id) is not None


def test_closing_leaves_30_days_of_reading_then_404(client, cluster, review, monkeypatch):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    consultant = create_user(is_consultant=True)
    _take(client, engagement, consultant)
    for action in ("start", "deliver", "close"):
        assert client.post(f"/console/engagements/{engagement.id}/advance/{action}", data={}).status_code == 303
    closed_at = _ended_at(engagement, "closed")
    assert _grant(engagement).expires_at == closed_at + timedelta(days=30)
    assert client.get(f"/clusters/{cluster.id}").status_code == 200
    monkeypatch.setattr(grants, "utcnow", lambda: closed_at + timedelta(days=30, seconds=1))
    assert client.get(f"/clusters/{cluster.id}").status_code == 404
    assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 404


def test_a_refund_after_closing_does_not_extend_the_access(cluster, review):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    consultant = create_user(is_consultant=True)
    db.session.get(Engagement, engagement.id).consultant_id = consultant.id
    access.grant_to_consultant(engagement.id)
    system = Actor.system("test")
    for source, target in (("paid", "in_delivery"), ("in_delivery", "delivered"), ("delivered", "closed")):
        assert transition(engagement.id, source, target, system)
    db.session.commit()
    closed_expiry = _grant(engagement).expires_at
    assert transition(engagement.id, "closed", "refunded", system)
    db.session.commit()
    assert _grant(engagement).expires_at == closed_expiry


def test_a_cancelled_engagement_leaves_30_days(cluster, review):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    consultant = create_user(is_consultant=True)
    db.session.get(Engagement, engagement.id).consultant_id = consultant.id
    access.grant_to_consultant(engagement.id)
    assert transition(engagement.id, "paid", "cancelled", Actor.system("test"))
    db.session.commit()
    assert _grant(engagement).expires_at == _ended_at(engagement, "cancelled") + timedelta(days=30)


def test_assigning_an_engagement_that_already_ended_counts_30_days_from_its_end(client, cluster, review):  # type: ignore[no-untyped-def]
    engagement = _paid(cluster, review)
    assert transition(engagement.id, "paid", "cancelled", Actor.system("test"))
    db.session.commit()
    consultant = create_user(is_consultant=True)
    login(client, create_user(is_admin=True))
    client.post(f"/console/engagements/{engagement.id}/assign", data={"consultant_id": consultant.id})
    expires_at = _grant(engagement).expires_at
    assert expires_at == _ended_at(engagement, "cancelled") + timedelta(days=30)
    assert expires_at > utcnow()


def test_engagements_assigned_before_the_upgrade_get_their_grant(app, cluster, review):  # type: ignore[no-untyped-def]
    from core import migrations

    open_one, recently_closed, long_closed = (_paid(cluster, review) for _ in range(3))
    consultant = create_user(is_consultant=True)
    for engagement in (open_one, recently_closed, long_closed):
        db.session.get(Engagement, engagement.id).consultant_id = consultant.id
    system = Actor.system("test")
    for engagement in (recently_closed, long_closed):
        assert transition(engagement.id, "paid", "cancelled", system)
    db.session.execute(
        Transition.__table__.update()
        .where(Transition.engagement_id == long_closed.id, Transition.to_state == "cancelled")
        .values(created_at=utcnow() - timedelta(days=31))
    )
    db.session.commit()
    open_source, closed_source = access.source_of(open_one.id), access.source_of(recently_closed.id)
    closed_at = _ended_at(recently_closed, "cancelled")
    db.session.remove()
    migrations.downgrade(app, "0004_engagements")
    migrations.upgrade(app)
    live = {g.source: g.expires_at for g in db.session.execute(select(AccessGrant)).scalars()}
    assert set(live) == {open_source, closed_source}  # the one ended 31 days ago gets none
    assert live[open_source] is None
    assert live[closed_source] == closed_at + timedelta(days=30)
