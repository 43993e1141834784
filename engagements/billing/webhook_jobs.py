"""Stripe event fulfilment on the admin's background-jobs page (a ``JobSource``)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select, update

from core.api import JobRow, JobSource, JobState, db, parse_id, send_task_after_commit, utcnow
from engagements.billing.webhooks import FAILED, FULFIL_TASK, UNFULFILLED, one_writer, sweep_after
from engagements.models import WebhookEvent

KIND = "stripe_events"


def _state(result: str) -> JobState:
    if result in UNFULFILLED:
        return "queued"
    return "failed" if result in FAILED else "done"


def as_job_row(row: WebhookEvent) -> JobRow:
    """The event as a job: queued until fulfilled (with the last error while retrying)."""
    state = _state(row.result)
    return JobRow(
        kind=KIND,
        key=str(row.id),
        title=f"Stripe {row.type} ({row.stripe_event_id})",
        state=state,
        created_at=row.received_at,
        updated_at=row.processed_at,
        attempts=row.attempts,
        error=row.detail if state == "failed" or row.result == "retrying" else "",
        link=url_for("engagements_admin.webhook_event", event_id=row.id),
    )


def list_events(state: str | None, limit: int) -> list[JobRow]:
    query = select(WebhookEvent).order_by(WebhookEvent.id.desc()).limit(limit)
    if state == "queued":
        query = query.where(WebhookEvent.result.in_(UNFULFILLED))
    elif state == "failed":
        query = query.where(WebhookEvent.result.in_(FAILED))
    elif state == "done":
        query = query.where(WebhookEvent.result.not_in((*UNFULFILLED, *FAILED)))
    elif state == "running":
        return []  # an event is claimed and fulfilled in one transaction: never seen running
    return [as_job_row(row) for row in db.session.execute(query).scalars()]


def retry_event(key: str, actor_label: str) -> str:
    """Queue a failed event again with fresh attempts; ``ValueError`` unless it failed for good."""
    row_id = parse_id(key) or 0  # ASCII digits within an id's range; else nothing matches
    with one_writer():
        requeued = db.session.execute(  # type: ignore[attr-defined]  # a DML result has a row count
            update(WebhookEvent)
            .where(WebhookEvent.id == row_id, WebhookEvent.result.in_(FAILED))
            .values(result="received", attempts=0, processed_at=None, detail=f"Retried by {actor_label}"[:2000],
                    next_attempt_at=utcnow() + sweep_after())
            .execution_options(synchronize_session=False)
        ).rowcount
        if requeued != 1:
            db.session.rollback()
            raise ValueError("Only a Stripe event whose fulfilment failed can be retried.")
        send_task_after_commit(FULFIL_TASK, row_id)
        db.session.commit()
    return "The Stripe event is queued for fulfilment again."


SOURCE = JobSource(KIND, "Stripe payments", list_events, retry=retry_event, order=30)
