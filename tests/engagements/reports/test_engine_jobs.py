"""Report jobs: created in the caller's transaction, run after its commit, claimed once,
retried with a bound, reaped when stuck (eager mode: the task runs inline after the commit)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pypdf
import pytest
from sqlalchemy import select, update

from core.api import db, file_storage, utcnow
from engagements import effects
from engagements.billing.payments import mark_paid
from engagements.lifecycle import Actor
from engagements.reports import jobs, render
from engagements.reports.content import ReportContent
from engagements.reports.models import ReportJob, ReportVersion
from tests.engagements.conftest import book
from tests.engagements.factories import create_service
from tests.engagements.reports.factories import (
    add_version,
    paid_report_engagement,
    report_service,
    sample_content,
)
from tests.factories import create_cluster

SYSTEM = Actor.system("test")


def _versions(engagement_id: int) -> list[ReportVersion]:
    db.session.expire_all()
    return list(db.session.execute(
        select(ReportVersion).where(ReportVersion.engagement_id == engagement_id).order_by(ReportVersion.number)
    ).scalars())


def _job(job_id: int) -> ReportJob:
    db.session.expire_all()
    return db.session.get(ReportJob, job_id)


def _queue_without_sending(engagement, number: int = 1, **values) -> ReportJob:  # type: ignore[no-untyped-def]
    """A job row as if its send had been lost (no task registered)."""
    job = ReportJob(engagement_id=engagement.id, cluster_id=engagement.cluster_id, kind="draft",
                    version_number=number, state="queued", attempts=0, error="", sent_at=utcnow(), **values)
    db.session.add(job)
    db.session.commit()
    return job


def test_a_draft_job_runs_after_commit_and_stores_a_pdf_of_a_new_version():
    engagement = paid_report_engagement()
    job = jobs.create_draft_job(engagement.id, Actor(engagement.consultant_id, "Camille"))
    assert job.state == "queued" and job.version_number == 1
    assert _versions(engagement.id) == []  # nothing runs before the commit
    db.session.commit()

    done = _job(job.id)
    assert done.state == "ready", done.error
    assert done.attempts == 1 and done.started_at and done.finished_at
    [version] = _versions(engagement.id)
    assert version.number == 1 and version.pdf_pages >= 5
    assert version.pdf_name.startswith(f"reports/engagement-{engagement.id}/report-v1-")
    data = file_storage().read(version.pdf_name)
    assert len(data) == version.pdf_size
    text = "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(data)).pages)
    assert "Executive summary" in text and "Start a fourth shared project" in text
    content = ReportContent.from_json(version.content)
    assert content.as_of["sample"] == "sample data, fixed" and "composed" in content.as_of
    progress = jobs.progress(engagement.id)
    assert progress.state == "ready" and progress.is_terminal and progress.step == progress.total == 3


def test_a_rollback_after_creating_a_job_sends_no_task_and_leaves_no_job():
    engagement = paid_report_engagement()
    jobs.create_draft_job(engagement.id, SYSTEM)
    db.session.rollback()
    db.session.commit()
    assert jobs.latest_job(engagement.id) is None and _versions(engagement.id) == []


def test_paying_a_report_starts_its_draft_in_the_same_transaction():
    engagement = book(create_cluster(), report_service())
    outcome = mark_paid(engagement.id, method="invoice", amount_minor=engagement.total_minor, currency="EUR",
                        external_ref=f"invoice:{engagement.invoice_number}", actor=SYSTEM)
    assert outcome.code == "processed"
    pending = jobs.latest_job(engagement.id)
    assert pending is not None and pending.state == "queued"  # in the payment's transaction, not yet run
    effects.commit()
    assert _job(pending.id).state == "ready"
    assert [v.number for v in _versions(engagement.id)] == [1]
    # A second delivery of the same payment changes nothing and starts nothing.
    again = mark_paid(engagement.id, method="invoice", amount_minor=engagement.total_minor, currency="EUR",
                      external_ref=f"invoice:{engagement.invoice_number}", actor=SYSTEM)
    effects.commit()
    assert again.code == "already_applied"
    assert db.session.query(ReportJob).filter_by(engagement_id=engagement.id).count() == 1


def test_paying_a_workshop_starts_no_report():
    engagement = book(create_cluster(), create_service())
    mark_paid(engagement.id, method="invoice", amount_minor=engagement.total_minor, currency="EUR",
              external_ref=f"invoice:{engagement.invoice_number}", actor=SYSTEM)
    effects.commit()
    assert jobs.latest_job(engagement.id) is None


def test_drafts_are_refused_for_workshops_and_unpaid_reports():
    with pytest.raises(jobs.ReportJobError, match="no report"):
        jobs.create_draft_job(book(create_cluster(), create_service()).id, SYSTEM)
    with pytest.raises(jobs.ReportJobError, match="paid"):
        jobs.create_draft_job(book(create_cluster(), report_service()).id, SYSTEM)
    with pytest.raises(jobs.ReportJobError):
        jobs.create_draft_job(10_000, SYSTEM)


def test_one_active_draft_at_a_time_and_numbers_never_collide_with_edits():
    engagement = paid_report_engagement()
    add_version(engagement, number=1)
    first = _queue_without_sending(engagement, number=2)
    assert jobs.create_draft_job(engagement.id, SYSTEM).id == first.id
    assert jobs.next_version_number(engagement.id) == 3  # 2 is reserved by the queued draft
    db.session.rollback()


def test_the_same_job_run_twenty_times_makes_one_version():
    engagement = paid_report_engagement()
    job = _queue_without_sending(engagement)
    outcomes = [jobs.run_job(job.id) for _ in range(20)]
    assert outcomes[0].endswith("version 1 ready")
    assert all(o.endswith("already ready") for o in outcomes[1:])
    assert [v.number for v in _versions(engagement.id)] == [1]
    assert _job(job.id).attempts == 1


def test_a_job_claimed_by_a_live_worker_is_not_run_again_but_retried_later():
    engagement = paid_report_engagement()
    job = _queue_without_sending(engagement)
    db.session.execute(update(ReportJob).where(ReportJob.id == job.id).values(state="collecting", attempts=1,
                                                                            updated_at=utcnow()))
    db.session.commit()
    with pytest.raises(jobs.RetryLater):
        jobs.run_job(job.id)
    assert _versions(engagement.id) == []


def test_a_run_whose_lease_was_taken_over_cannot_overwrite_the_new_run():
    engagement = paid_report_engagement()
    job = _queue_without_sending(engagement)
    assert jobs._claim(job.id) == 1
    # The lease runs out and another worker claims the job (attempt 2).
    db.session.execute(update(ReportJob).where(ReportJob.id == job.id).values(updated_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert jobs._claim(job.id) == 2
    assert not jobs._advance(job.id, 1, state="ready")  # the first run is fenced out
    assert _job(job.id).state == "collecting"


def test_failures_are_retried_with_a_bound_then_failed_with_the_reason_and_retry_works(monkeypatch):
    engagement = paid_report_engagement()
    calls: list[int] = []

    def broken(html, base_url=None):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(render, "render_pdf_with_pages", broken)
    job = jobs.create_draft_job(engagement.id, SYSTEM)
    db.session.commit()
    failed = _job(job.id)
    assert failed.state == "failed" and failed.attempts == 3 and len(calls) == 3
    assert "disk full" in failed.error and "Attempt 3" in failed.error
    progress = jobs.progress(engagement.id)
    assert progress.is_terminal and progress.error == failed.error
    assert [v.pdf_name for v in _versions(engagement.id)] == [None]  # composed once, never rendered

    monkeypatch.undo()
    jobs.retry_job(job.id, Actor(None, "Camille"))
    assert _job(job.id).state == "queued"
    db.session.commit()
    done = _job(job.id)
    assert done.state == "ready" and done.attempts == 1
    [version] = _versions(engagement.id)
    assert version.pdf_name
    with pytest.raises(jobs.ReportJobError):
        jobs.retry_job(job.id, SYSTEM)


def test_backoff_doubles_and_is_capped():
    assert [jobs.backoff_seconds(a) for a in (1, 2, 3)] == [5, 10, 20]
    assert jobs.backoff_seconds(30) == jobs.MAX_BACKOFF_SECONDS


def test_the_reaper_resends_stuck_jobs_and_fails_jobs_out_of_attempts():
    engagement = paid_report_engagement()
    lost = _queue_without_sending(engagement, number=1)
    old = utcnow() - timedelta(hours=2)
    db.session.execute(update(ReportJob).where(ReportJob.id == lost.id).values(sent_at=old))
    other = paid_report_engagement()
    dead = _queue_without_sending(other, number=1)
    db.session.execute(update(ReportJob).where(ReportJob.id == dead.id).values(state="rendering", attempts=1, updated_at=old))
    third = paid_report_engagement()
    hopeless = _queue_without_sending(third, number=1)
    db.session.execute(update(ReportJob).where(ReportJob.id == hopeless.id).values(state="collecting", attempts=3, updated_at=old))
    fresh = _queue_without_sending(paid_report_engagement(), number=1)
    db.session.commit()

    assert sorted(jobs.reap_stuck_jobs()) == sorted([lost.id, dead.id])
    assert _job(lost.id).state == "ready" and _job(dead.id).state == "ready"
    assert _job(dead.id).attempts == 2
    assert _job(hopeless.id).state == "failed" and "stopped" in _job(hopeless.id).error
    assert _job(fresh.id).state == "queued"  # sent a moment ago: not stuck


def test_a_render_job_renders_an_edited_version_once():
    engagement = paid_report_engagement()
    version = add_version(engagement, sample_content(introduction="Edited intro"), rendered=False)
    job = jobs.create_render_job(version, Actor(None, "Camille"))
    assert jobs.create_render_job(version, SYSTEM).id == job.id
    db.session.commit()
    assert _job(job.id).state == "ready"
    [rendered] = _versions(engagement.id)
    assert rendered.pdf_name and rendered.pdf_sha256 and rendered.rendered_at
    progress = jobs.progress(engagement.id)
    assert progress.kind == "render" and progress.total == 2 and progress.step == 2
