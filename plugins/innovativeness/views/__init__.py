"""Blueprints: ``innovativeness`` (cluster pages) and ``innovativeness_quick``
(the public quick test, which also serves the plugin's static files)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from plugins.innovativeness import thresholds

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

# Templates (pages, PDFs, report sections) read every threshold from one module.
def _share_thresholds(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.setdefault("innovativeness_thresholds", thresholds)


cluster_bp.record_once(_share_thresholds)

from plugins.innovativeness.views import answering, exports, facts, manage, quick, results  # noqa: E402,F401


def blueprints() -> list[Blueprint]:
    return [cluster_bp, quick_bp]
