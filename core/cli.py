"""Commands core adds to the app's CLI: ``db``, ``users``, ``plugins``, ``demo``.

Each plugin may add a group named after its slug. The ``designing-clusters``
program that builds the app and runs these lives in ``core.console``.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from core import migrations
from core.plugins.scaffolding import ScaffoldError, scaffold_plugin


def register_commands(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(users_group)
    app.cli.add_command(plugins_group)
    app.cli.add_command(demo_command)
    host = app.extensions["plugin_host"]
    for slug, commands in host.results("designing_clusters_cli_commands"):
        group = click.Group(name=slug, help=f"Commands of the {slug} plugin.")
        for cmd in commands:
            group.add_command(cmd)
        app.cli.add_command(group)


@click.group("db", help="Database migrations.")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Apply all migrations (core and every plugin).")
@click.option("--revision", default="heads", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    migrations.upgrade(current_app._get_current_object(), revision)  # type: ignore[attr-defined]
    click.echo("Database is up to date.")


@db_group.command("revision", help="Create a migration (use --branch SLUG for a plugin).")
@click.option("-m", "--message", required=True)
@click.option("--branch", default="core", show_default=True, help="core, or a plugin's slug")
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def db_revision(message: str, branch: str, autogenerate: bool) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        path = migrations.create_revision(app, branch, message, autogenerate)
    except migrations.MigrationSetupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {path}")


@click.group("users", help="Manage users.")
def users_group() -> None:
    pass


@users_group.command("create-admin", help="Create (or promote) an admin account.")
@click.option("--email", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin(email: str, password: str) -> None:
    from core.accounts import services

    try:
        user = services.create_admin(email, password)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Admin ready: {user.email}")


@users_group.command("grant-consultant", help="Give an existing user the consultant role.")
@click.argument("email")
@with_appcontext
def grant_consultant(email: str) -> None:
    from core.accounts import services

    try:
        services.set_consultant(email, True)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{email} is now a consultant.")


@click.group("plugins", help="Inspect plugins.")
def plugins_group() -> None:
    pass


@plugins_group.command("list", help="List loaded plugins.")
@with_appcontext
def plugins_list() -> None:
    host = current_app.extensions["plugin_host"]
    for info in sorted(host.tools.values(), key=lambda i: i.order):
        click.echo(f"{info.slug:20} {info.version:10} {info.kind:8} {info.title}")


@plugins_group.command("new", help="Scaffold a working plugin package (see docs/plugins.md).")
@click.argument("slug")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="Folder in which to create designing-clusters-SLUG/")
@click.option("--title", default=None, help="Human title of the tool (default: from the slug)")
def plugins_new(slug: str, into: Path, title: str | None) -> None:
    try:
        target = scaffold_plugin(slug, into, title)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {target}\nNext: pip install -e {target} && designing-clusters db upgrade && "
               f"(cd {target} && pytest)")


@click.command("demo", help="Load demo data (a demo cluster, members, and each tool's content, once per tool).")
@click.option("--reset", is_flag=True, help="Delete the demo cluster and its content, then build it again.")
@with_appcontext
def demo_command(reset: bool) -> None:
    from core.demo import load_demo_data

    summary = load_demo_data(reset=reset)
    click.echo(summary)
