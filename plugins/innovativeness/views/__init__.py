"""Blueprints: ``innovativeness`` (cluster pages) and ``innovativeness_quick``
(the public quick test, which also serves the plugin's static files)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

PACKAGE = Path(__file__).resolve().parent.parent

cluster_bp = Blueprint(
    "innovativeness",
    __name__,
    url_prefix="/clusters/<int:cluster_id>/innovativeness",
    template_folder=str(PACKAGE / "templates"),
)
quick_bp = Blueprint(
    "innovativeness_quick",
    __name__,
    url_prefix="/tools/innovativeness",
    template_folder=str(PACKAGE / "templates"),
    static_folder=str(PACKAGE / "static"),
)

from plugins.innovativeness.views import answering, exports, manage, quick, results  # noqa: E402,F401


def blueprints() -> list[Blueprint]:
    return [cluster_bp, quick_bp]
