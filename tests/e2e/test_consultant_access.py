"""A consultant takes a paid deep dive, reads the cluster read-only; the manager ends the access."""

from __future__ import annotations

import pytest

from engagements import effects
from engagements.billing.payments import mark_paid
from engagements.lifecycle import Actor
from tests.e2e.helpers import log_in, serious_accessibility_violations
from tests.engagements.conftest import book
from tests.engagements.factories import create_service
from tests.factories import add_member, create_cluster, create_user, manager_of
from tests.plugins.canvas.helpers import new_canvas, note_by

pytestmark = pytest.mark.e2e


def test_consultant_reads_the_cluster_until_the_manager_ends_the_access(page, new_page):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Blue Economy Cluster")
    canvas = new_canvas(cluster, "As-is 2027")
    note_by(canvas, add_member(cluster, organisation_type="university"), "Shared ocean test site")
    engagement = book(cluster, create_service(slug="deep-dive", title="Deep-dive recommendations", kind="report"))
    mark_paid(engagement.id, method="invoice", amount_minor=engagement.total_minor, currency="EUR",
              external_ref=f"invoice:{engagement.invoice_number}", actor=Actor.system("test"))
    effects.commit()
    create_user(email="carla@consult.example", display_name="Carla Consultant", is_consultant=True)

    # The consultant takes the work and follows the console's link into the cluster.
    log_in(page, "carla@consult.example")
    page.goto(f"/console/engagements/{engagement.id}")
    page.get_by_role("button", name="Assign myself").click()
    page.get_by_role("button", name="Read Blue Economy Cluster's tools and results").click()
    page.get_by_role("heading", name="Blue Economy Cluster").wait_for()
    page.get_by_text("You are reading this cluster as its consultant").wait_for()
    assert serious_accessibility_violations(page) == []
    page.goto(f"/clusters/{cluster.id}/canvas/{canvas.id}")
    page.get_by_text("Shared ocean test site").wait_for()
    assert page.get_by_text("Add a note").count() == 0

    # The manager sees who reads the cluster and why, confirms, and ends it.
    manager = new_page()
    log_in(manager, manager_of(cluster).email)
    manager.goto(f"/clusters/{cluster.id}/members")
    assert serious_accessibility_violations(manager) == []
    row = manager.get_by_role("row", name="Carla Consultant")
    assert f"engagement #{engagement.id}" in row.inner_text()
    row.get_by_role("button", name="End access").click()
    assert serious_accessibility_violations(manager) == []
    manager.get_by_role("button", name="End access").click()
    manager.get_by_text("Carla Consultant can no longer read this cluster.").wait_for()

    response = page.goto(f"/clusters/{cluster.id}/canvas/{canvas.id}")
    assert response.status == 404
    assert page.csp_violations == [] and manager.csp_violations == []
