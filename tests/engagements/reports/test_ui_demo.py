"""The demo: a delivered report (two versions, the second edited) and a draft in progress."""

from __future__ import annotations

from sqlalchemy import select

from core.api import db, file_storage
from core.demo import DEMO_PASSWORD
from engagements.models import Engagement
from tests.support.demo_world import demo_world
from engagements.reports.models import ReportJob
from engagements.reports.versions import content_of, delivered_versions, list_versions


def test_the_demo_manager_reads_a_real_delivered_report_at_once(app, client):  # type: ignore[no-untyped-def]
    demo_world()
    reports = db.session.execute(
        select(Engagement).where(Engagement.kind == "report").order_by(Engagement.id)
    ).scalars().all()
    assert len(reports) == 2
    delivered, in_progress = reports

    assert delivered.state == "delivered"
    first, second = sorted(delivered_versions(delivered.id), key=lambda v: v.number)
    assert (first.number, second.number) == (1, 2)
    assert second.is_revision and second.change_summary.startswith("Edited:")
    edited = content_of(second)
    assert edited.recommendations[0].title.endswith("agreed with the board")
    assert edited.recommendations[0].title != content_of(first).recommendations[0].title
    # composed from every tool's demo data, whichever order the plugins' demo hooks ran in
    assert {"canvas", "innovativeness"} <= {s.plugin for s in edited.sections if not s.unavailable}
    assert second.pdf_name and file_storage().exists(second.pdf_name)

    draft_job = db.session.execute(
        select(ReportJob).where(ReportJob.engagement_id == in_progress.id)
    ).scalar_one()
    assert draft_job.kind == "draft"  # queued for the worker (run at once in the eager test mode)
    assert all(v.delivered_at is None for v in list_versions(in_progress.id))

    response = client.post("/login", data={"email": "manager@aero-valley.example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    base = f"/clusters/{delivered.cluster_id}/engagements/{delivered.id}/report/"
    page = client.get(base)
    assert page.status_code == 200 and "Version 2" in page.text and "Revised" in page.text
    assert client.get(base + "v2").status_code == 200
    pdf = client.get(base + "v2.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
