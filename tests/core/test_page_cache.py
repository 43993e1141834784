"""Stored pages (core.page_cache) are served only while nothing they show has changed.

A page is stored per login session and data version (core.data_version); every
committed write, from a request, a worker or a bulk statement, changes the
version. Access is checked on every request, hit or not.
"""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from core import page_cache
from core.accounts.models import AuthSession
from core.clusters import grants
from core.clusters.models import Cluster, Membership
from core.data_version import current_version
from core.extensions import db
from core.models import utcnow
from tests.factories import add_member, create_cluster, create_user, grant_access, login, manager_of

HIT = page_cache.HIT_HEADER


def warm(client, url: str):  # type: ignore[no-untyped-def]
    """GET until the page is served from the store (the first visits set session keys, so are not stored)."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.headers.get(HIT) == "hit":
            return response
    raise AssertionError(f"{url} was never served from the page cache")


@pytest.fixture()
def signed_in(app):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Cached Cluster")
    client = app.test_client()
    login(client, manager_of(cluster))
    return cluster, client


def test_a_page_is_served_again_unchanged(signed_in) -> None:  # type: ignore[no-untyped-def]
    cluster, client = signed_in
    url = f"/clusters/{cluster.id}"
    warm(client, url)
    rendered = client.get(url, headers={"Cache-Control": "no-cache"})  # a hard reload renders and stores
    served = client.get(url)
    assert rendered.headers.get(HIT) is None and served.headers.get(HIT) == "hit"
    assert served.get_data() == rendered.get_data()
    assert "Cached Cluster" in served.get_data(as_text=True)
    assert served.headers["Content-Security-Policy"]  # the app's own headers still go out
    assert served.headers["Cache-Control"] == "private, no-store"


def test_browsers_that_accept_gzip_get_the_stored_page_compressed(signed_in) -> None:  # type: ignore[no-untyped-def]
    cluster, client = signed_in
    url = f"/clusters/{cluster.id}/members"
    plain = warm(client, url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers.get(HIT) == "hit" and zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert len(zipped.get_data()) < len(plain.get_data()) / 2
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and refused.get_data() == plain.get_data()


def test_a_write_through_a_form_shows_at_once(signed_in) -> None:  # type: ignore[no-untyped-def]
    cluster, client = signed_in
    url = f"/clusters/{cluster.id}/members"
    warm(client, url)
    response = client.post(f"/clusters/{cluster.id}/invitations", data={"email": "new.one@example.org",
                                                                         "role": "member"})
    assert response.status_code in (302, 303)
    after = client.get(url)
    assert after.headers.get(HIT) is None
    assert "new.one@example.org" in after.get_data(as_text=True)
    assert "Invitation sent to new.one@example.org" in after.get_data(as_text=True)  # the flash is not skipped


@pytest.mark.parametrize("how", ["object", "bulk update", "text"])
def test_a_write_outside_the_request_shows_at_once(signed_in, how: str) -> None:  # type: ignore[no-untyped-def]
    """A worker, a command or another web process writes through the same session class."""
    cluster, client = signed_in
    url = f"/clusters/{cluster.id}"
    warm(client, url)
    new_name = f"Renamed by {how}"
    if how == "object":
        db.session.get(Cluster, cluster.id).name = new_name
    elif how == "bulk update":
        db.session.execute(update(Cluster).where(Cluster.id == cluster.id).values(name=new_name))
    else:
        db.session.execute(text("UPDATE clusters SET name = :name WHERE id = :id"), {"name": new_name, "id": cluster.id})
    db.session.commit()
    after = client.get(url)
    assert after.headers.get(HIT) is None
    assert new_name in after.get_data(as_text=True)


def test_each_writing_commit_counts_once_and_nothing_else_counts(app) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    start = current_version()
    db.session.commit()  # nothing written
    db.session.execute(select(Cluster)).all()
    db.session.commit()  # read only
    assert current_version() == start

    cluster.name = "One"
    db.session.flush()
    cluster.name = "Two"  # two flushes, one commit
    db.session.commit()
    assert current_version() == start + 1

    cluster.name = "Rolled back"
    db.session.flush()
    db.session.rollback()
    assert current_version() == start + 1

    with db.session.begin_nested():
        db.session.get(Cluster, cluster.id).name = "In a savepoint"
    assert current_version() == start + 1  # counted when the outer transaction commits
    db.session.commit()
    assert current_version() == start + 2

    session_row = db.session.scalars(select(AuthSession)).first() or AuthSession(token="t" * 40,
                                                                                 user_id=manager_of(cluster).id)
    session_row.last_seen_at = utcnow()  # the once-a-minute "last seen" stamp changes no page
    db.session.add(session_row)
    db.session.commit()
    assert current_version() == start + 2


def test_a_page_goes_only_to_the_session_it_was_made_for(app, signed_in) -> None:  # type: ignore[no-untyped-def]
    cluster, client = signed_in
    url = f"/clusters/{cluster.id}"
    warm(client, url)
    other_device = app.test_client()
    login(other_device, manager_of(cluster))
    assert other_device.get(url).headers.get(HIT) is None


def test_after_logout_the_stored_page_is_not_served(signed_in) -> None:  # type: ignore[no-untyped-def]
    cluster, client = signed_in
    url = f"/clusters/{cluster.id}"
    warm(client, url)
    cookie = client.get_cookie("session")
    client.post("/logout")
    assert client.get(url).status_code == 302
    client.set_cookie(cookie.key, cookie.value)  # a copy of the old cookie
    assert client.get(url).status_code == 302


def test_a_removed_member_loses_the_page_at_once(app) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    member = create_user()
    add_member(cluster, member)
    client = app.test_client()
    login(client, member)
    warm(client, f"/clusters/{cluster.id}")
    db.session.delete(db.session.scalar(select(Membership).filter_by(cluster_id=cluster.id, user_id=member.id)))
    db.session.commit()
    assert client.get(f"/clusters/{cluster.id}").status_code == 404


def test_a_consultant_loses_the_page_when_the_grant_ends_or_expires(app) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    consultant = create_user(is_consultant=True)
    grant = grant_access(cluster, consultant)
    client = app.test_client()
    login(client, consultant)
    url = f"/clusters/{cluster.id}"
    warm(client, url)
    grants.end_cluster_access(cluster.id, grant.id, manager_of(cluster).id)
    assert client.get(url).status_code == 404

    later = grant_access(cluster, consultant, expires_at=utcnow() + timedelta(hours=1))
    warm(client, url)
    assert later.expires_at is not None
    original = grants.utcnow
    try:
        grants.utcnow = lambda: later.expires_at + timedelta(seconds=1)  # no write: the clock passes the expiry
        assert client.get(url).status_code == 404
    finally:
        grants.utcnow = original


def test_hard_reload_and_htmx_requests_render(signed_in) -> None:  # type: ignore[no-untyped-def]
    cluster, client = signed_in
    url = f"/clusters/{cluster.id}"
    warm(client, url)
    assert client.get(url, headers={"Cache-Control": "no-cache"}).headers.get(HIT) is None
    assert client.get(url, headers={"HX-Request": "true"}).headers.get(HIT) is None


def test_a_stored_page_lives_page_cache_seconds(app, signed_in, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cluster, client = signed_in
    url = f"/clusters/{cluster.id}"
    warm(client, url)
    store = page_cache.store_of(app)
    later = store.clock() + store.lifetime + 1
    monkeypatch.setattr(store, "clock", lambda: later)
    assert client.get(url).headers.get(HIT) is None  # too old: rendered again
    assert client.get(url).headers.get(HIT) == "hit"


def test_page_cache_off(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(PAGE_CACHE_BYTES=0)
    cluster = create_cluster()
    client = app.test_client()
    login(client, manager_of(cluster))
    responses = [client.get(f"/clusters/{cluster.id}") for _ in range(4)]
    assert all(r.status_code == 200 and r.headers.get(HIT) is None for r in responses)


def test_store_keeps_within_its_bytes() -> None:
    store = page_cache.PageStore(max_bytes=10_000, lifetime_seconds=60, clock=lambda: 0.0)
    for n in range(20):
        store.put((n,), page_cache.StoredPage(b"x" * 1000, (), 0.0))
    kept = [n for n in range(20) if store.get((n,)) is not None]
    assert kept and kept == list(range(20 - len(kept), 20))  # the newest, least recently used dropped first
    assert len(kept) * 1512 <= 10_000
    store.put(("huge",), page_cache.StoredPage(b"x" * 20_000, (), 0.0))
    assert store.get(("huge",)) is None
