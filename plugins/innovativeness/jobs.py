"""Housekeeping the background worker runs on a schedule."""

from __future__ import annotations

from core.api import PeriodicJob, counted


def purge_anonymous_job() -> str:
    from plugins.innovativeness.quick import purge_anonymous

    return f"deleted {counted(purge_anonymous(), 'unsaved quick test')} older than 24 hours"


def close_due_rounds_job() -> str:
    from plugins.innovativeness.rounds import close_due_rounds

    return f"closed {counted(close_due_rounds(), 'round')} past their closing date"


def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob("purge-anonymous", purge_anonymous_job, every_seconds=3600),
        PeriodicJob("close-due-rounds", close_due_rounds_job, every_seconds=300),
    ]
