"""Core pages cost the same number of SQL statements for a small and a large cluster.

Issue 16: the dashboard needs at most 6 statements (session, user, memberships
and tool state in one; members with their total; invitations; one per tool
widget), whatever the cluster's size; the members page shows one page of
members; admin lists page. ``bench/bench_pages.py`` prints the same counts.
"""

from __future__ import annotations

import re

import pytest

from core.accounts.models import User
from core.clusters.models import Cluster, Membership
from core.extensions import db
from core.models import utcnow
from tests.factories import _hash, DEFAULT_PASSWORD, create_cluster, create_user, grant_access, login, manager_of
from tests.support.queries import statements_for

DASHBOARD_LIMIT = 6


def grow(cluster: Cluster, members: int) -> None:
    """Add ``members`` plain members in one commit (no per-user round trips)."""
    users = [User(email=f"grow{cluster.id}-{n}@example.org", password_hash=_hash(DEFAULT_PASSWORD),
                  email_verified_at=utcnow()) for n in range(members)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all([Membership(cluster_id=cluster.id, user_id=u.id, role="member", organisation_type="sme",
                                   organisation_name=f"Org {n}") for n, u in enumerate(users)])
    db.session.commit()


@pytest.fixture()
def small_and_large() -> tuple[Cluster, Cluster]:
    small, large = create_cluster(name="Small"), create_cluster(name="Large")
    grow(small, 4)
    grow(large, 120)  # beyond the dashboard's 12 and the members page's 50
    return small, large


def test_dashboard_statements_equal_and_at_most_six(app, small_and_large) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for cluster in small_and_large:
        client = app.test_client()
        login(client, manager_of(cluster))
        counts.append(statements_for(client, f"/clusters/{cluster.id}"))
    assert counts[0] == counts[1]
    assert counts[1] <= DASHBOARD_LIMIT


def test_dashboard_of_a_large_cluster_shows_a_few_members_and_the_total(app, small_and_large) -> None:  # type: ignore[no-untyped-def]
    _, large = small_and_large
    client = app.test_client()
    login(client, manager_of(large))
    html = client.get(f"/clusters/{large.id}").get_data(as_text=True)
    assert "121" in html  # the total
    assert len(re.findall(rf"grow{large.id}-\d+@", html)) < 25  # a few rows, not 121


def test_consultant_dashboard_statements_equal(app, small_and_large) -> None:  # type: ignore[no-untyped-def]
    consultant = create_user(is_consultant=True)
    counts = []
    for cluster in small_and_large:
        grant_access(cluster, consultant)
    client = app.test_client()
    login(client, consultant)
    for cluster in small_and_large:
        counts.append(statements_for(client, f"/clusters/{cluster.id}"))
    assert counts[0] == counts[1]
    assert counts[1] <= DASHBOARD_LIMIT


def test_members_page_statements_equal_and_paginated(app, small_and_large) -> None:  # type: ignore[no-untyped-def]
    small, large = small_and_large
    counts = []
    for cluster in (small, large):
        client = app.test_client()
        login(client, manager_of(cluster))
        counts.append(statements_for(client, f"/clusters/{cluster.id}/members"))
    assert counts[0] == counts[1]
    client = app.test_client()
    login(client, manager_of(large))
    first = client.get(f"/clusters/{large.id}/members").get_data(as_text=True)
    assert "Members 1–50 of 121" in first and f"/clusters/{large.id}/members?page=2" in first
    last = client.get(f"/clusters/{large.id}/members?page=3").get_data(as_text=True)
    assert "Members 101–121 of 121" in last and "rel=\"next\"" not in last
    rows = re.compile(rf"grow{large.id}-\d+@example\.org</td>")
    assert len(rows.findall(first)) == 49 and len(rows.findall(last)) == 21  # the manager is on page 1


@pytest.mark.parametrize("path", ["/admin/users", "/admin/clusters", "/admin/"])
def test_admin_lists_statements_equal(app, path: str) -> None:  # type: ignore[no-untyped-def]
    admin = create_user(is_admin=True)
    client = app.test_client()
    login(client, admin)
    create_cluster()
    few = statements_for(client, path)
    for _ in range(3):
        grow(create_cluster(), 20)
    assert statements_for(client, path) == few
