"""Each plugin's migrations live on their own branch, and tooling respects that.

Covers two commands an outside author runs: ``db revision --branch SLUG`` for
a plugin with no revision yet, and ``--autogenerate`` for one branch, which
must see that branch's tables only.
"""

from __future__ import annotations

import types

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core import migrations
from core.api import ToolInfo, db, hookimpl


def tool(slug: str, migrations_dir: str | None) -> types.ModuleType:
    module = types.ModuleType(slug)

    @hookimpl
    def designing_clusters_tool_info():
        return ToolInfo(slug=slug, title=slug, summary="", version="1", migrations_dir=migrations_dir)

    module.designing_clusters_tool_info = designing_clusters_tool_info
    return module


def branches(app) -> list[str]:
    host = app.extensions["plugin_host"]
    return ["core", *sorted(slug for slug, info in host.tools.items() if info.migrations_dir)]


def test_every_branch_is_listed(app):
    assert {"core", "canvas", "innovativeness", "engagements"} <= set(branches(app))


@pytest.mark.parametrize("branch", ["core", "canvas", "innovativeness", "engagements"])
def test_autogenerate_for_one_branch_sees_only_its_own_tables(app, branch):
    """On a migrated database each branch's models match its migrations: nothing to generate.

    Before the fix, the models' side was not filtered, so ``--branch canvas``
    proposed re-creating every table of core and the other plugins.
    """
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, **migrations.branch_filters(app, branch)}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_table_owner_follows_the_slug_prefix(app):
    assert migrations.table_owner(app, "canvas_notes") == "canvas"
    assert migrations.table_owner(app, "innovativeness_rounds") == "innovativeness"
    assert migrations.table_owner(app, "users") == "core"
    assert migrations.table_owner(app, "demo_loads") == "core"


@pytest.fixture()
def sketch_table():
    """A new plugin's model, on the shared metadata only for this test."""
    table = sa.Table("sketch_items", db.metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("label", sa.String(80), nullable=False))
    yield table
    db.metadata.remove(table)


def test_first_revision_of_a_new_plugin_starts_its_own_branch(make_app, tmp_path, sketch_table):
    versions = tmp_path / "sketch_migrations"
    app = make_app(EXTRA_PLUGINS=[(tool("sketch", str(versions)), "sketch")])
    runner = app.test_cli_runner()
    with app.app_context():  # the command runs on this app, not the session's
        first = runner.invoke(args=["db", "revision", "--branch", "sketch", "-m", "first tables"])
    assert first.exit_code == 0, first.output
    written = versions / "0001_sketch_first_tables.py"
    assert written.exists()
    source = written.read_text()
    assert "revision = '0001_sketch'" in source
    assert "down_revision = None" in source
    assert "branch_labels = ('sketch',)" in source
    assert "depends_on = '0001_core'" in source
    assert source.count("op.create_table(") == 1 and "op.create_table('sketch_items'" in source
    assert "import core.api" in source and "core.models" not in source

    with app.app_context():
        second = runner.invoke(args=["db", "revision", "--branch", "sketch", "-m", "add colour", "--empty"])
    assert second.exit_code == 0, second.output
    follow_up = (versions / "0002_sketch_add_colour.py").read_text()
    assert "revision = '0002_sketch'" in follow_up and "down_revision = '0001_sketch'" in follow_up


def test_a_plugin_without_a_migrations_folder_gets_told_what_to_do(make_app):
    app = make_app(EXTRA_PLUGINS=[(tool("bare", None), "bare")])
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", "revision", "--branch", "bare", "-m", "x"])
    assert result.exit_code != 0
    assert "plugin 'bare' has no migrations folder: set ToolInfo(migrations_dir=...)" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_branch_lists_the_known_ones(app):
    result = app.test_cli_runner().invoke(args=["db", "revision", "--branch", "nosuch", "-m", "x"])
    assert result.exit_code != 0
    assert "no plugin with slug 'nosuch' is loaded; branches with migrations: core, canvas" in result.output
