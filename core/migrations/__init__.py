"""Alembic migrations: core's history here, each plugin's in its own branch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask

HERE = Path(__file__).resolve().parent
CORE_BRANCH = "core"
CORE_BASE_REVISION = "0001_core"


class MigrationSetupError(RuntimeError):
    """A revision cannot be created; the message says what to do instead."""


def alembic_config(app: Flask) -> Config:
    """Core's versions plus every loaded plugin's ``migrations_dir``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    # 0002_canvas_add_colours.py: the revision id, then the message.
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    locations = [str(HERE / "versions")]
    for info in app.extensions["plugin_host"].tools.values():
        if info.migrations_dir:
            Path(info.migrations_dir).mkdir(parents=True, exist_ok=True)
            locations.append(info.migrations_dir)
    cfg.set_main_option("version_locations", ":".join(locations))
    cfg.attributes["flask_app"] = app
    return cfg


def upgrade(app: Flask, revision: str = "heads") -> None:
    command.upgrade(alembic_config(app), revision)


def downgrade(app: Flask, revision: str) -> None:
    command.downgrade(alembic_config(app), revision)


def table_owner(app: Flask, table_name: str) -> str:
    """The branch a table belongs to: the plugin whose slug prefixes it, else core."""
    slugs = sorted(app.extensions["plugin_host"].tools, key=len, reverse=True)
    return next((slug for slug in slugs if table_name.startswith(slug + "_")), CORE_BRANCH)


def branch_filters(app: Flask, branch: str | None) -> dict[str, Any]:
    """``include_name``/``include_object`` options that keep a comparison to one branch.

    ``include_name`` only filters what is reflected from the database; the
    models' side needs ``include_object`` too, or autogenerate for one plugin
    would re-create every other branch's tables.
    """

    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        return branch is None or type_ != "table" or name is None or table_owner(app, name) == branch

    def include_object(obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
        if branch is None:
            return True
        table = obj if type_ == "table" else getattr(obj, "table", None)
        table_name = getattr(table, "name", None)
        return table_name is None or table_owner(app, table_name) == branch

    return {"include_name": include_name, "include_object": include_object}


def create_revision(app: Flask, branch: str, message: str, autogenerate: bool) -> str:
    """Write a new revision on ``branch`` (``core`` or a plugin's slug); return its path.

    A plugin's first revision starts its own branch, labelled with the slug and
    depending on core's first revision. Revision ids follow ``0002_<branch>``.
    Raises ``MigrationSetupError`` when the branch cannot have migrations.
    """
    tools = app.extensions["plugin_host"].tools
    if branch != CORE_BRANCH and branch not in tools:
        known = ", ".join([CORE_BRANCH, *sorted(s for s, t in tools.items() if t.migrations_dir)])
        raise MigrationSetupError(f"no plugin with slug {branch!r} is loaded; branches with migrations: {known}")
    if branch != CORE_BRANCH and not tools[branch].migrations_dir:
        raise MigrationSetupError(
            f"plugin {branch!r} has no migrations folder: set ToolInfo(migrations_dir=...) to a folder "
            f"inside your package, e.g. str(Path(__file__).parent / 'migrations' / 'versions'), then run "
            f"this command again (see docs/plugins.md, 'A model and its first migration')"
        )
    cfg = alembic_config(app)
    cfg.attributes["branch"] = branch
    script = ScriptDirectory.from_config(cfg)
    existing = _branch_revisions(script, branch)
    options: dict[str, Any] = {"rev_id": f"{len(existing) + 1:04d}_{branch}"}
    if existing:
        options["head"] = f"{branch}@head"
    else:
        options.update(
            head="base",
            branch_label=branch,
            version_path=tools[branch].migrations_dir,
            depends_on=CORE_BASE_REVISION,
        )
    written = command.revision(cfg, message=message, autogenerate=autogenerate, **options)
    scripts = written if isinstance(written, list) else [written]
    return ", ".join(s.path for s in scripts if s is not None)


def _branch_revisions(script: ScriptDirectory, branch: str) -> list[str]:
    return [rev.revision for rev in script.walk_revisions() if branch in rev.branch_labels]
