"""Housekeeping the background worker runs on a schedule."""

from __future__ import annotations

from core.api import PeriodicJob


def purge_anonymous_job() -> str:
    from plugins.innovativeness.quick import purge_anonymous

    return f"deleted {purge_anonymous()} unsaved quick test(s) older than 24 hours"


def close_due_rounds_job() -> str:
    from plugins.innovativeness.rounds import close_due_rounds

    return f"closed {close_due_rounds()} round(s) past their closing date"


def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob("purge-anonymous", purge_anonymous_job, every_seconds=3600),
        PeriodicJob("close-due-rounds", close_due_rounds_job, every_seconds=300),
    ]
