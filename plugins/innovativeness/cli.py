"""Commands under ``designing-clusters innovativeness ...`` (run them from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core.api import db, utcnow


@click.command("purge-anonymous", help="Delete unsaved quick tests older than 24 hours.")
@with_appcontext
def purge_anonymous_command() -> None:
    from plugins.innovativeness.quick import purge_anonymous

    click.echo(f"Deleted {purge_anonymous()} anonymous quick test(s) older than 24 hours.")


@click.command("close-due-rounds", help="Close every round whose closing date has passed.")
@with_appcontext
def close_due_rounds_command() -> None:
    from plugins.innovativeness.models import AssessmentRound
    from plugins.innovativeness.rounds import close_round

    due = list(
        db.session.execute(
            select(AssessmentRound).where(AssessmentRound.closed_at.is_(None), AssessmentRound.closes_at <= utcnow())
        ).scalars()
    )
    for rnd in due:
        close_round(rnd)
    click.echo(f"Closed {len(due)} round(s).")


def commands() -> list[click.Command]:
    return [purge_anonymous_command, close_due_rounds_command]
