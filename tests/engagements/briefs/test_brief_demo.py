"""The demo: the demo cluster's workshop has a brief, edited by the consultant and shared."""

from __future__ import annotations

from sqlalchemy import select

from core.api import db
from core.demo import DEMO_PASSWORD
from engagements.briefs.versions import draft_of, shared_versions
from engagements.models import Engagement
from tests.support.demo_world import demo_world


def test_the_demo_manager_reads_a_shared_workshop_brief(app, client):  # type: ignore[no-untyped-def]
    demo_world()
    workshop = db.session.execute(select(Engagement).where(Engagement.kind == "workshop")).scalar_one()
    [shared] = shared_versions(workshop.id)
    assert shared.number == 2 and shared.based_on == 1
    assert draft_of(shared).items[0].decision_sought.endswith("agreed with the board")
    assert draft_of(shared).goals == workshop.goals

    response = client.post("/login", data={"email": "manager@aero-valley.example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    base = f"/clusters/{workshop.cluster_id}/engagements/{workshop.id}/brief/"
    page = client.get(base)
    assert page.status_code == 200 and "Version 2" in page.text
    pdf = client.get(base + "v2.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_demo_consultant_can_read_the_cluster_they_run_a_workshop_for(app, client):  # type: ignore[no-untyped-def]
    from engagements.reports.demo import DEMO_CONSULTANT

    demo_world()
    workshop = db.session.execute(select(Engagement).where(Engagement.kind == "workshop")).scalar_one()
    response = client.post("/login", data={"email": DEMO_CONSULTANT, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(f"/clusters/{workshop.cluster_id}").status_code == 200
