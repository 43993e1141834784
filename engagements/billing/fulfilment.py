"""Fulfilling stored Stripe events in the worker: once, in any order, retried, never lost.

- ``fulfil(row_id)`` (the task ``workers.fulfil_webhook_event``) claims the event by
  compare-and-set (``UPDATE ... WHERE result IN ('received', 'retrying')``) as the
  first statement of its transaction, applies it with the payment functions' own row
  locks and compare-and-set, records the outcome and commits, all at once: a
  duplicate delivery finds the event claimed or done and changes nothing.
- A failure rolls everything back and records the error on the event: "retrying"
  with ``next_attempt_at`` = now + ``WEBHOOK_RETRY_BASE_SECONDS`` × 2^(attempt−1)
  (at most 5 minutes) while attempts remain (``WEBHOOK_MAX_ATTEMPTS``, default 5),
  then "failed" for good, which mails the admins once.
- ``sweep()`` (periodic, in the worker's beat) sends the task again for events still
  unfulfilled after their ``next_attempt_at``: a send lost with its broker, a worker
  that was down. ``fulfil_unfulfilled()`` is the same work inline, for
  ``engagements reconcile --fix``.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from core.api import alert_failed_job, background_request_context, db, send_task_after_commit, utcnow
from engagements import effects
from engagements.billing.webhooks import FULFIL_TASK, UNFULFILLED, finish, one_writer, process, sweep_after
from engagements.models import WebhookEvent

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 300
#: The sweep sends at most this many events per run; the next run takes the rest.
SWEEP_BATCH = 500


class RetryLater(Exception):
    """This attempt failed; the task should run again after ``countdown`` seconds."""

    def __init__(self, countdown: float, reason: str) -> None:
        super().__init__(reason)
        self.countdown = countdown


def max_attempts() -> int:
    return int(current_app.config.get("WEBHOOK_MAX_ATTEMPTS", 5))


def backoff_seconds(attempt: int) -> float:
    """Delay after failed attempt ``attempt`` (1-based): base × 2^(attempt−1) seconds, at most 5 minutes."""
    base = float(current_app.config.get("WEBHOOK_RETRY_BASE_SECONDS", 5))
    return float(min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, attempt - 1)))


def fulfil(row_id: int) -> str:
    """Apply stored event ``row_id`` once; a short summary for the worker's log.

    Raises ``RetryLater`` after a failed attempt with attempts left (the event is then
    "retrying"); after the last one the event is "failed" and the admins are mailed.
    """
    with one_writer():
        claimed = db.session.execute(  # type: ignore[attr-defined]  # a DML result has a row count
            update(WebhookEvent)
            .where(WebhookEvent.id == row_id, WebhookEvent.result.in_(UNFULFILLED))
            .values(result="fulfilling")  # never committed: ``finish`` overwrites it in this transaction
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            db.session.rollback()
            result = db.session.execute(select(WebhookEvent.result).where(WebhookEvent.id == row_id)).scalar()
            return f"stripe event {row_id}: " + (f"already {result}" if result else "gone")
        event = json.loads(
            db.session.execute(select(WebhookEvent.payload).where(WebhookEvent.id == row_id)).scalar_one()
        )
        try:
            outcome = process(event)
            finish(row_id, outcome)
            effects.commit()
        except Exception as exc:  # recorded on the event, then retried or failed for good
            effects.rollback()
            log.exception("stripe event %s (%s) could not be fulfilled", row_id, event.get("id"))
            return _failed_attempt(row_id, exc)
    return f"stripe event {row_id} ({event.get('type')}): {outcome.code}"


def _failed_attempt(row_id: int, exc: Exception) -> str:
    row = db.session.get(WebhookEvent, row_id, populate_existing=True)
    if row is None or row.result not in UNFULFILLED:
        return f"stripe event {row_id}: failed, but another run finished it"
    attempt = row.attempts + 1
    reason = f"Attempt {attempt}: {type(exc).__name__}: {exc}"[:2000]
    now = utcnow()
    final = attempt >= max_attempts()
    values: dict[str, object] = (
        {"result": "failed", "processed_at": now, "next_attempt_at": None}
        if final
        else {"result": "retrying", "next_attempt_at": now + timedelta(seconds=backoff_seconds(attempt))}
    )
    db.session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.id == row_id, WebhookEvent.result.in_(UNFULFILLED))
        .values(attempts=attempt, detail=reason, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if final:
        from engagements.billing.webhook_jobs import as_job_row

        row = db.session.get(WebhookEvent, row_id, populate_existing=True)
        if row is not None:
            with background_request_context():  # the job row links to the event's page
                alert_failed_job(as_job_row(row), "Stripe payments")
        return f"stripe event {row_id}: failed for good after {attempt} attempts"
    raise RetryLater(backoff_seconds(attempt), reason)


def _due(now: datetime, limit: int) -> list[int]:
    return list(
        db.session.execute(
            select(WebhookEvent.id)
            .where(WebhookEvent.result.in_(UNFULFILLED),
                   or_(WebhookEvent.next_attempt_at.is_(None), WebhookEvent.next_attempt_at <= now))
            .order_by(WebhookEvent.id)
            .limit(limit)
        ).scalars()
    )


def sweep(now: datetime | None = None) -> list[int]:
    """Send the task again for unfulfilled events past their ``next_attempt_at``; commits; their ids.

    Each send pushes ``next_attempt_at`` back by the event's age (between
    ``WEBHOOK_SWEEP_AFTER_SECONDS`` and 5 minutes), so while the worker is down an
    event is re-sent a few times, not every sweep.
    """
    now = now or utcnow()
    with one_writer():
        due = _due(now, SWEEP_BATCH)
        for row_id in due:
            received_at = db.session.execute(
                select(WebhookEvent.received_at).where(WebhookEvent.id == row_id)
            ).scalar_one()
            wait = min(timedelta(seconds=MAX_BACKOFF_SECONDS), max(sweep_after(), now - received_at))
            db.session.execute(
                update(WebhookEvent).where(WebhookEvent.id == row_id, WebhookEvent.result.in_(UNFULFILLED))
                .values(next_attempt_at=now + wait).execution_options(synchronize_session=False)
            )
            send_task_after_commit(FULFIL_TASK, row_id)
        db.session.commit()
    if due:
        log.warning("stripe events re-sent to the worker: %s", due)
    return due


def unfulfilled_ids(limit: int = 10_000) -> list[int]:
    """Every stored event not fulfilled yet, whatever its ``next_attempt_at``, oldest first."""
    return list(
        db.session.execute(
            select(WebhookEvent.id).where(WebhookEvent.result.in_(UNFULFILLED)).order_by(WebhookEvent.id).limit(limit)
        ).scalars()
    )


def fulfil_unfulfilled() -> list[tuple[int, str]]:
    """Fulfil every stored event never fulfilled, inline (``engagements reconcile --fix``).

    Returns (row id, summary) per event; an event that fails again stays "retrying"
    (or becomes "failed") as in the worker.
    """
    done: list[tuple[int, str]] = []
    for row_id in unfulfilled_ids():
        try:
            done.append((row_id, fulfil(row_id)))
        except RetryLater as later:
            done.append((row_id, f"failed again: {later}"))
    return done
