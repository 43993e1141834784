"""Report jobs end to end in eager mode: created in a transaction, run after its commit."""

from __future__ import annotations

from io import BytesIO

import pypdf
from sqlalchemy import func, select

from core.api import db, file_storage
from engagements.lifecycle import Actor
from engagements.reports import jobs
from engagements.reports.models import ReportJob, ReportVersion
from tests.engagements.reports.factories import paid_report_engagement


def _versions(engagement_id: int) -> list[ReportVersion]:
    return list(db.session.execute(
        select(ReportVersion).where(ReportVersion.engagement_id == engagement_id).order_by(ReportVersion.number)
    ).scalars())


def test_a_draft_job_runs_after_commit_and_stores_a_pdf_of_a_new_version():
    engagement = paid_report_engagement()
    job = jobs.create_draft_job(engagement.id, Actor(engagement.consultant_id, "Camille"))
    assert job.state == "queued" and job.version_number == 1
    assert _versions(engagement.id) == []  # nothing runs before the commit
    db.session.commit()

    db.session.expire_all()
    done = db.session.get(ReportJob, job.id)
    assert done.state == "ready", done.error
    assert done.attempts == 1
    [version] = _versions(engagement.id)
    assert version.number == 1 and version.pdf_name and version.pdf_pages >= 5
    data = file_storage().read(version.pdf_name)
    assert len(data) == version.pdf_size
    text = "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(data)).pages)
    assert "Executive summary" in text and "Action plan" in text
    progress = jobs.progress(engagement.id)
    assert progress.state == "ready" and progress.is_terminal and progress.step == progress.total
