"""What a signed-in request reads in one statement is never stale (issue 16).

Session, user and memberships are read together and the enabled tools are
cached per process by a stamp read with them: a removal, a role change, a
logout and a tool switched off (even by another process, i.e. straight in the
database) take effect at the very next request.
"""

from __future__ import annotations

from sqlalchemy import event, text

from core.clusters import services
from core.clusters.models import Membership
from core.extensions import db
from core.plugins.state import PluginState, set_enabled
from tests.factories import add_member, create_cluster, create_user, login, manager_of
from tests.support.queries import counted_statements


def test_a_removed_member_loses_access_at_once(app) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    membership = add_member(cluster)
    client = app.test_client()
    login(client, membership.user)
    assert client.get(f"/clusters/{cluster.id}").status_code == 200
    services.remove_member(db.session.get(Membership, membership.id))
    assert client.get(f"/clusters/{cluster.id}").status_code == 404


def test_a_role_change_takes_effect_at_once(app) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    deputy = add_member(cluster, role="manager")
    client = app.test_client()
    login(client, deputy.user)
    assert client.get(f"/clusters/{cluster.id}/settings").status_code == 200
    services.change_role(db.session.get(Membership, deputy.id), "member")
    assert client.get(f"/clusters/{cluster.id}/settings").status_code == 403


def test_logout_kills_the_session_and_a_copied_cookie(app) -> None:  # type: ignore[no-untyped-def]
    user = create_user()
    cluster = create_cluster(manager=user)
    client = app.test_client()
    login(client, user)
    copy = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy.set_cookie("session", cookie.value)
    assert copy.get(f"/clusters/{cluster.id}").status_code == 200
    client.post("/logout")
    assert copy.get(f"/clusters/{cluster.id}").status_code == 302  # to the login page


def test_a_tool_switched_off_is_gone_at_the_next_request(app) -> None:  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    client = app.test_client()
    login(client, manager_of(cluster))
    assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 200
    set_enabled("canvas", False)
    assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 404
    set_enabled("canvas", True)
    assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 200


def test_a_change_made_by_another_process_is_seen_at_the_next_request(app) -> None:  # type: ignore[no-untyped-def]
    """Another worker's write does not clear this process's cache: the stamp read with the session does."""
    cluster = create_cluster()
    client = app.test_client()
    login(client, manager_of(cluster))
    assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 200
    db.session.add(PluginState(slug="canvas", enabled=True))
    db.session.commit()
    assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 200
    db.session.execute(text("UPDATE plugin_states SET enabled = false, updated_at = CURRENT_TIMESTAMP"))
    db.session.commit()
    assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 404


def test_signed_in_state_costs_one_statement(app) -> None:  # type: ignore[no-untyped-def]
    """Session, user, memberships and tool state: one statement before the view runs."""
    cluster = create_cluster()
    client = app.test_client()
    login(client, manager_of(cluster))
    client.get(f"/clusters/{cluster.id}/canvas/")
    with counted_statements() as statements:
        assert client.get(f"/clusters/{cluster.id}/canvas/").status_code == 200
    first = statements[0]
    assert "auth_sessions" in first and "memberships" in first and "plugin_states" in first
    assert not any("plugin_states" in s or "auth_sessions" in s for s in statements[1:])


def test_a_request_never_holds_two_connections(app) -> None:  # type: ignore[no-untyped-def]
    """Holding one pooled connection while waiting for a second starves a threaded server's pool:
    with as many requests in flight as connections, each would wait for the others (found on
    PostgreSQL, where the signed-in statement runs on an autocommit connection of its own)."""
    cluster = create_cluster()
    client = app.test_client()
    login(client, manager_of(cluster))
    url = f"/clusters/{cluster.id}/members"
    client.get(url)
    db.session.commit()  # the test's own work gives its connection back
    engine = db.engine
    held: list[int] = []

    def record(*_args: object) -> None:
        held.append(engine.pool.checkedout())  # type: ignore[attr-defined]

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url, headers={"Cache-Control": "no-cache"}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(held) >= 2 and max(held) == 1
