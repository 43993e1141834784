"""Commands under ``designing-clusters innovativeness ...``; the worker also runs them on a schedule."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.api import counted


@click.command("purge-anonymous", help="Delete unsaved quick tests older than 24 hours.")
@with_appcontext
def purge_anonymous_command() -> None:
    from plugins.innovativeness.quick import purge_anonymous

    click.echo(f"Deleted {counted(purge_anonymous(), 'anonymous quick test')} older than 24 hours.")


@click.command("close-due-rounds", help="Close every round whose closing date has passed.")
@with_appcontext
def close_due_rounds_command() -> None:
    from plugins.innovativeness.rounds import close_due_rounds

    click.echo(f"Closed {counted(close_due_rounds(), 'round')}.")


def commands() -> list[click.Command]:
    return [purge_anonymous_command, close_due_rounds_command]
