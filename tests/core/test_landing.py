"""After login each person lands where their work is, and a new cluster offers its first steps."""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD, add_member, create_cluster, create_user, manager_of


def _login(client, user) -> str:  # type: ignore[no-untyped-def]
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code in (302, 303)
    return response.headers["Location"]


def test_a_member_of_one_cluster_lands_on_its_dashboard(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    assert _login(client, manager_of(cluster)) == f"/clusters/{cluster.id}"


def test_a_member_of_several_clusters_or_none_lands_on_my_clusters(client, app):  # type: ignore[no-untyped-def]
    user = create_user()
    assert _login(client, user) == "/clusters"
    client.post("/logout")
    add_member(create_cluster(), user=user)
    add_member(create_cluster(), user=user)
    assert _login(client, user) == "/clusters"


@pytest.mark.parametrize("role, landing", [("consultant", "/console/engagements/"), ("admin", "/admin/")])
def test_staff_land_in_their_area_not_on_an_empty_cluster_list(client, role, landing):  # type: ignore[no-untyped-def]
    user = create_user(is_admin=role == "admin", is_consultant=role == "consultant")
    assert _login(client, user) == landing
    assert "You are not in any cluster yet" not in client.get(landing).get_data(as_text=True)
    my_clusters = client.get("/clusters").get_data(as_text=True)
    assert "You are not in any cluster yet" not in my_clusters and f'href="{landing}"' in my_clusters


def test_an_explicit_next_page_still_wins(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    response = client.post("/login?next=/account", data={"email": manager_of(cluster).email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/account"


def test_a_new_clusters_dashboard_offers_its_first_canvas_and_round(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster()
    _login(client, manager_of(cluster))
    html = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert "Start a canvas" in html and f"/clusters/{cluster.id}/canvas/#new-canvas" in html
    assert "Open a round" in html and f"/clusters/{cluster.id}/innovativeness/rounds/new" in html
