"""Alembic migrations: core's history here, each plugin's in its own branch."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

HERE = Path(__file__).resolve().parent
CORE_BASE_REVISION = "0001_core"


def alembic_config(app: Flask) -> Config:
    """Core's versions plus every loaded plugin's ``migrations_dir``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    locations = [str(HERE / "versions")]
    for info in app.extensions["plugin_host"].tools.values():
        if info.migrations_dir:
            locations.append(info.migrations_dir)
    cfg.set_main_option("version_locations", ":".join(locations))
    cfg.attributes["flask_app"] = app
    return cfg


def upgrade(app: Flask, revision: str = "heads") -> None:
    command.upgrade(alembic_config(app), revision)


def downgrade(app: Flask, revision: str) -> None:
    command.downgrade(alembic_config(app), revision)
