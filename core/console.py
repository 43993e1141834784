"""The ``designing-clusters`` program: a Flask CLI group around ``create_app``.

Kept apart from ``core.cli`` (the commands, registered by the app factory) so
that the factory and the program do not import each other.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from core.app import create_app
from core.plugins.manager import PluginLoadError


def build_app() -> Flask:
    try:
        return create_app()
    except PluginLoadError as exc:
        # One clear line naming the plugin, not a traceback.
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None


def main() -> None:
    FlaskGroup(create_app=build_app, help="Designing Clusters platform.")(prog_name="designing-clusters")
