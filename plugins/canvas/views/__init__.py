"""HTTP layer of the canvas: two blueprints, thin views calling services.

``canvas`` serves cluster pages under ``/clusters/<cluster_id>/canvas`` (core
checks membership before any of them runs); ``canvas_public`` serves the
public page, the free downloads and the tool's CSS/JS under ``/tools/canvas``.
"""

from __future__ import annotations

from flask import Blueprint

TEMPLATES = "../templates"

bp = Blueprint("canvas", __name__, url_prefix="/clusters/<int:cluster_id>/canvas", template_folder=TEMPLATES)
public_bp = Blueprint(
    "canvas_public",
    __name__,
    url_prefix="/tools/canvas",
    template_folder=TEMPLATES,
    static_folder="../static",
    static_url_path="/static",
)

from plugins.canvas.views import canvases, consolidation, insight, notes, outcomes, public  # noqa: E402,F401


def blueprints() -> list[Blueprint]:
    return [bp, public_bp]
