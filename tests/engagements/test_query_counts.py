"""Engagement pages cost the same number of SQL statements however many engagements and members (issue 16)."""

from __future__ import annotations

from engagements import console
from engagements.lifecycle import Actor
from tests.core.test_query_counts import grow
from tests.engagements.conftest import paid_by_invoice
from tests.factories import create_cluster, create_user, login, manager_of
from tests.support.queries import statements_for


def test_engagement_page_statements_equal_for_small_and_large_clusters(app, workshop) -> None:  # type: ignore[no-untyped-def]
    consultant = create_user(is_consultant=True)
    counts = []
    for members in (2, 80):
        cluster = create_cluster()
        grow(cluster, members)
        engagement = paid_by_invoice(cluster, workshop)
        console.assign(engagement.id, consultant.id, Actor.system("test"), is_admin=True)
        client = app.test_client()
        login(client, manager_of(cluster))
        counts.append((statements_for(client, f"/clusters/{cluster.id}/engagements/{engagement.id}"),
                       statements_for(client, f"/clusters/{cluster.id}/engagements/"),
                       statements_for(client, f"/clusters/{cluster.id}")))
    assert counts[0] == counts[1]


def test_console_and_admin_list_statements_do_not_grow_with_engagements(app, workshop) -> None:  # type: ignore[no-untyped-def]
    consultant = create_user(is_consultant=True)
    admin = create_user(is_admin=True)
    staff = {consultant.id: app.test_client(), admin.id: app.test_client()}
    login(staff[consultant.id], consultant)
    login(staff[admin.id], admin)
    pages = ((consultant.id, "/console/engagements/"), (admin.id, "/console/engagements/"),
             (admin.id, "/admin/engagements/"))
    counts = []
    for batch in (1, 4):
        for _ in range(batch):
            engagement = paid_by_invoice(create_cluster(), workshop)
            console.assign(engagement.id, consultant.id, Actor.system("test"), is_admin=True)
        counts.append([statements_for(staff[who], path) for who, path in pages])
    assert counts[0] == counts[1]
